"""The candidate's page, `/schedule/<token>`: a Flask app over `container.candidate_links`."""

from bot.app.candidate_page.app import create_app

__all__ = ["create_app"]
