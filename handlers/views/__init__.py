"""Block Kit views, built by small pure functions."""
