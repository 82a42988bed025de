"""Admins manage the team from the App Home tab."""
