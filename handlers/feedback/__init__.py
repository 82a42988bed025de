"""Listeners of the feedback flow: /interview-feedback, scorecards, colleagues, App Home."""
