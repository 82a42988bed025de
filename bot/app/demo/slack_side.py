"""What Slack sends the bot: signed requests to /slack/events, in the shapes Slack uses.

Slash commands and interactivity are form-encoded (interactivity as one `payload` JSON field),
events are JSON; each carries Slack's `v0` signature over the body with the signing secret.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

from bot.app.demo.slack_standin import APP_ID, BOT_USER_ID, TEAM_ID, SlackStandIn

FORM = "application/x-www-form-urlencoded"
CHANNEL = "C_HIRING"


class SlackSide:
    """Posts what people do in Slack to the bot, signed as Slack signs it."""

    def __init__(self, bot_url: str, signing_secret: str, standin: SlackStandIn) -> None:
        self._url = bot_url.rstrip("/") + "/slack/events"
        self._secret = signing_secret.encode()
        self._standin = standin
        self._ids = itertools.count(1)
        self.requests = 0

    def trigger_id(self, user: str) -> str:
        """A trigger id naming who acted (the stand-in gives them the modal it opens)."""
        return f"{next(self._ids)}.{user}.demo"

    def command(self, user: str, command: str, text: str = "") -> dict[str, Any]:
        fields = {
            "token": "demo",
            "team_id": TEAM_ID,
            "team_domain": "demo",
            "channel_id": CHANNEL,
            "channel_name": "hiring",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "response_url": self._standin.response_url(user),
            "trigger_id": self.trigger_id(user),
        }
        return self._post(urlencode(fields), FORM)

    def event(self, event: dict[str, Any]) -> None:
        now = int(time.time())
        envelope = {
            "token": "demo",
            "team_id": TEAM_ID,
            "api_app_id": APP_ID,
            "event": {**event, "event_ts": f"{now}.000100"},
            "type": "event_callback",
            "event_id": f"Ev{next(self._ids):08d}",
            "event_time": now,
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        }
        self._post(json.dumps(envelope), "application/json")

    def submit(
        self, user: str, view: dict[str, Any], values: dict[str, dict[str, Any]]
    ) -> dict[str, Any]:
        """Press a modal's submit button with `values` as its state."""
        submitted = {**view, "state": {"values": values}}
        return self._interact(user, {"type": "view_submission", "view": submitted})

    def click_in_view(
        self, user: str, view: dict[str, Any], element: dict[str, Any], block_id: str, **chosen: Any
    ) -> None:
        """Press a button (or pick in a dispatching select) inside a modal or the App Home."""
        payload = {
            "type": "block_actions",
            "container": {"type": "view", "view_id": view["id"]},
            "view": view,
            "actions": [_action(element, block_id, chosen)],
        }
        self._interact(user, payload)

    def click_in_message(
        self,
        user: str,
        channel: str,
        message: dict[str, Any],
        element: dict[str, Any],
        block_id: str,
    ) -> None:
        """Press a button in a message the bot posted in `channel`."""
        payload = {
            "type": "block_actions",
            "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel},
            "channel": {"id": channel, "name": "directmessage"},
            "message": message,
            "response_url": self._standin.response_url(user),
            "actions": [_action(element, block_id, {})],
        }
        self._interact(user, payload)

    def _interact(self, user: str, payload: dict[str, Any]) -> dict[str, Any]:
        payload.update(
            user={"id": user, "username": user.lower(), "team_id": TEAM_ID},
            team={"id": TEAM_ID, "domain": "demo"},
            api_app_id=APP_ID,
            token="demo",
            trigger_id=self.trigger_id(user),
        )
        return self._post(urlencode({"payload": json.dumps(payload)}), FORM)

    def _post(self, body: str, content_type: str) -> dict[str, Any]:
        """The bot's answer (its JSON, or {} for an empty 200); an error status raises."""
        raw = body.encode()
        stamp = str(int(time.time()))
        digest = hmac.new(self._secret, b"v0:" + stamp.encode() + b":" + raw, hashlib.sha256)
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": f"v0={digest.hexdigest()}",
        }
        request = urllib.request.Request(self._url, data=raw, headers=headers, method="POST")
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                text = response.read().decode()
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"the bot answered HTTP {error.code} to a Slack request") from error
        if not text.strip():
            return {}
        answer = json.loads(text)
        return answer if isinstance(answer, dict) else {}


def _action(element: dict[str, Any], block_id: str, chosen: dict[str, Any]) -> dict[str, Any]:
    action: dict[str, Any] = {
        "type": element.get("type", "button"),
        "action_id": element["action_id"],
        "block_id": block_id,
        "action_ts": f"{time.time():.6f}",
    }
    for key in ("text", "value", "style"):
        if key in element:
            action[key] = element[key]
    action.update(chosen)
    return action
