"""Scheduling listeners: command, modal, candidate search, booking, reschedule, cancel."""
