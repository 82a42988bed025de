"""The floor the bot is measured against: a bare Bolt app that acknowledges `/schedule-interview`
and opens a one-block modal, with Bolt's and slack-sdk's defaults (a new `WebClient` connection
per call). Served by the same production server and flags as the bot (bench.ack_latency).

    waitress-serve --threads=8 ... --call bench.floor_app:create_wsgi_app

Reads SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_API_URL from the environment.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

MODAL = {
    "type": "modal",
    "callback_id": "floor",
    "title": {"type": "plain_text", "text": "Schedule"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hello"}}],
}


def open_modal(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
    ack()
    client.views_open(trigger_id=command["trigger_id"], view=MODAL)


def create_wsgi_app() -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = App(
        client=client,
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        token_verification_enabled=False,
    )
    app.command("/schedule-interview")(open_modal)
    handler = SlackRequestHandler(app)
    return handler  # type: ignore[return-value]
