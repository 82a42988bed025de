"""Signed requests from "Slack" to the bot, built in the exact shape Slack sends them.

Every builder returns a :class:`SlackRequest` -- ``(body, content_type)``, unpackable as a tuple::

    req = slash_command("/interview", text="schedule @alice")
    body, content_type = req
    status, text, elapsed = post_signed(server_url, body, content_type, SECRET)
    # or, in-process:  app.dispatch(BoltRequest(body=req.body, headers=req.signed_headers(SECRET)))

Slash commands and interactivity payloads are ``application/x-www-form-urlencoded`` (interactivity
as a single ``payload=<json>`` field); Events API deliveries are ``application/json``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlencode

__all__ = [
    "API_APP_ID",
    "BOT_ID",
    "BOT_USER_ID",
    "DEFAULT_CHANNEL",
    "DEFAULT_RESPONSE_URL",
    "DEFAULT_TRIGGER_ID",
    "DEFAULT_USER",
    "FORM_CONTENT_TYPE",
    "JSON_CONTENT_TYPE",
    "PostResult",
    "SlackRequest",
    "TEAM_DOMAIN",
    "TEAM_ID",
    "VERIFICATION_TOKEN",
    "app_home_opened",
    "block_actions",
    "block_suggestion",
    "channels_select",
    "checkboxes",
    "conversations_select",
    "datepicker",
    "email_input",
    "event_callback",
    "external_select",
    "message_event",
    "multi_static_select",
    "multi_users_select",
    "number_input",
    "option",
    "plain_text_input",
    "post_signed",
    "radio_buttons",
    "retry_headers",
    "sign",
    "slash_command",
    "static_select",
    "timepicker",
    "url_verification",
    "users_select",
    "view_closed",
    "view_submission",
]

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
JSON_CONTENT_TYPE = "application/json"

TEAM_ID = "T1"
TEAM_DOMAIN = "acme"
API_APP_ID = "A1"
BOT_USER_ID = "U_BOT"
BOT_ID = "B_BOT"
DEFAULT_USER = "U_RECRUITER"
DEFAULT_CHANNEL = "C_GENERAL"
VERIFICATION_TOKEN = "verification-token"
DEFAULT_TRIGGER_ID = "1700000000000.100000000.0123456789abcdef0123456789abcdef"
DEFAULT_RESPONSE_URL = "https://hooks.slack.com/commands/T1/1700000000/responseurltoken"
_ACTION_TS = "1700000000.123456"


# ---------------------------------------------------------------------- signing


def sign(
    body: bytes | str,
    secret: str,
    timestamp: int | None = None,
    *,
    content_type: str | None = None,
) -> dict[str, str]:
    """Headers Slack sends with ``body``: timestamp, ``v0=`` signature and Content-Type.

    The signature is ``"v0=" + hex(HMAC-SHA256(secret, b"v0:<ts>:" + body))``.  ``timestamp``
    defaults to now; the Content-Type defaults to JSON when the body looks like JSON, else form.
    """
    raw = body.encode("utf-8") if isinstance(body, str) else body
    ts = int(time.time()) if timestamp is None else int(timestamp)
    base = b"v0:" + str(ts).encode("ascii") + b":" + raw
    digest = hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    if content_type is None:
        content_type = JSON_CONTENT_TYPE if raw.lstrip()[:1] == b"{" else FORM_CONTENT_TYPE
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": f"v0={digest}",
    }


def retry_headers(num: int, reason: str = "http_timeout") -> dict[str, str]:
    """Headers Slack adds when it re-delivers an event (``reason``: http_timeout, http_error...)."""
    return {"X-Slack-Retry-Num": str(num), "X-Slack-Retry-Reason": reason}


# ---------------------------------------------------------------------- request container


@dataclass(frozen=True)
class SlackRequest:
    """A request body as Slack would send it; unpacks as ``body, content_type = req``."""

    body: str
    content_type: str

    def __iter__(self) -> Iterator[str]:
        yield self.body
        yield self.content_type

    @property
    def payload(self) -> dict[str, Any]:
        """The decoded body: the ``payload`` JSON, the JSON document, or the form fields."""
        if self.content_type.startswith(JSON_CONTENT_TYPE):
            data: dict[str, Any] = json.loads(self.body)
            return data
        fields = dict(parse_qsl(self.body, keep_blank_values=True))
        if "payload" in fields:
            decoded: dict[str, Any] = json.loads(fields["payload"])
            return decoded
        return dict(fields)

    def signed_headers(
        self,
        secret: str,
        timestamp: int | None = None,
        extra: Mapping[str, str] | None = None,
    ) -> dict[str, str]:
        """Content-Type + signature headers (plus ``extra``), e.g. for ``BoltRequest``."""
        headers = sign(self.body, secret, timestamp, content_type=self.content_type)
        headers.update(extra or {})
        return headers

    def post(
        self,
        base_url: str,
        secret: str,
        timestamp: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> PostResult:
        """:func:`post_signed` this request."""
        return post_signed(base_url, self.body, self.content_type, secret, timestamp, headers)


def _form(fields: Mapping[str, str]) -> SlackRequest:
    return SlackRequest(urlencode(fields), FORM_CONTENT_TYPE)


def _interactive(payload: dict[str, Any]) -> SlackRequest:
    return _form({"payload": json.dumps(payload, separators=(",", ":"))})


def _json(document: dict[str, Any]) -> SlackRequest:
    return SlackRequest(json.dumps(document, separators=(",", ":")), JSON_CONTENT_TYPE)


# ---------------------------------------------------------------------- shared shapes


def _user(user_id: str, team_id: str) -> dict[str, Any]:
    handle = user_id.lower()
    return {"id": user_id, "username": handle, "name": handle, "team_id": team_id}


def _team(team_id: str) -> dict[str, Any]:
    return {"id": team_id, "domain": TEAM_DOMAIN}


def _channel_name(channel_id: str) -> str:
    if channel_id.startswith("D"):
        return "directmessage"
    if channel_id.startswith("G"):
        return "privategroup"
    return channel_id.lower().removeprefix("c_") or "general"


def _modal(
    *,
    view_id: str,
    callback_id: str,
    private_metadata: str,
    hash: str,
    values: dict[str, Any],
    team_id: str,
    blocks: Sequence[dict[str, Any]] | None = None,
    title: str = "Interview bot",
    external_id: str = "",
    previous_view_id: str | None = None,
    root_view_id: str | None = None,
) -> dict[str, Any]:
    return {
        "id": view_id,
        "team_id": team_id,
        "type": "modal",
        "blocks": list(blocks or []),
        "private_metadata": private_metadata,
        "callback_id": callback_id,
        "state": {"values": values},
        "hash": hash,
        "title": {"type": "plain_text", "text": title, "emoji": True},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": {"type": "plain_text", "text": "Cancel", "emoji": True},
        "submit": {"type": "plain_text", "text": "Submit", "emoji": True},
        "previous_view_id": previous_view_id,
        "root_view_id": root_view_id or view_id,
        "app_id": API_APP_ID,
        "external_id": external_id,
        "app_installed_team_id": team_id,
        "bot_id": BOT_ID,
    }


def _message(
    channel_ts: str, text: str = "", blocks: Sequence[Any] | None = None
) -> dict[str, Any]:
    return {
        "type": "message",
        "subtype": "bot_message",
        "text": text,
        "ts": channel_ts,
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "app_id": API_APP_ID,
        "team": TEAM_ID,
        "blocks": list(blocks or []),
    }


# ---------------------------------------------------------------------- state.values helpers


def option(value: str, text: str | None = None, *, mrkdwn: bool = False) -> dict[str, Any]:
    """An option object as Slack echoes it back in payloads."""
    if mrkdwn:
        return {
            "text": {"type": "mrkdwn", "text": text or value, "verbatim": False},
            "value": value,
        }
    return {"text": {"type": "plain_text", "text": text or value, "emoji": True}, "value": value}


def _option(item: str | tuple[str, str] | dict[str, Any]) -> dict[str, Any]:
    if isinstance(item, dict):
        return item
    if isinstance(item, tuple):
        return option(item[0], item[1])
    return option(item)


def plain_text_input(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def email_input(value: str | None) -> dict[str, Any]:
    return {"type": "email_text_input", "value": value}


def number_input(value: str | int | float | None) -> dict[str, Any]:
    return {"type": "number_input", "value": None if value is None else str(value)}


def static_select(value: str | None, text: str | None = None) -> dict[str, Any]:
    return {
        "type": "static_select",
        "selected_option": None if value is None else option(value, text),
    }


def external_select(value: str | None, text: str | None = None) -> dict[str, Any]:
    return {
        "type": "external_select",
        "selected_option": None if value is None else option(value, text),
    }


def multi_static_select(values: Sequence[str | tuple[str, str]]) -> dict[str, Any]:
    """``values``: option values, or ``(value, text)`` pairs."""
    return {"type": "multi_static_select", "selected_options": [_option(v) for v in values]}


def users_select(user_id: str | None) -> dict[str, Any]:
    return {"type": "users_select", "selected_user": user_id}


def multi_users_select(user_ids: Sequence[str]) -> dict[str, Any]:
    return {"type": "multi_users_select", "selected_users": list(user_ids)}


def conversations_select(conversation_id: str | None) -> dict[str, Any]:
    return {"type": "conversations_select", "selected_conversation": conversation_id}


def channels_select(channel_id: str | None) -> dict[str, Any]:
    return {"type": "channels_select", "selected_channel": channel_id}


def datepicker(selected: date | str | None) -> dict[str, Any]:
    """``selected``: a date or ``"YYYY-MM-DD"``."""
    if isinstance(selected, date):
        selected = selected.isoformat()
    return {"type": "datepicker", "selected_date": selected}


def timepicker(selected: str | None, timezone: str | None = None) -> dict[str, Any]:
    """``selected``: ``"HH:MM"``."""
    state: dict[str, Any] = {"type": "timepicker", "selected_time": selected}
    if timezone is not None:
        state["timezone"] = timezone
    return state


def radio_buttons(value: str | None, text: str | None = None) -> dict[str, Any]:
    return {
        "type": "radio_buttons",
        "selected_option": None if value is None else option(value, text),
    }


def checkboxes(values: Sequence[str | tuple[str, str]]) -> dict[str, Any]:
    """``values``: checked option values, or ``(value, text)`` pairs."""
    return {"type": "checkboxes", "selected_options": [_option(v) for v in values]}


# ---------------------------------------------------------------------- builders


def slash_command(
    command: str,
    text: str = "",
    user_id: str = DEFAULT_USER,
    channel_id: str = DEFAULT_CHANNEL,
    trigger_id: str = DEFAULT_TRIGGER_ID,
    response_url: str = DEFAULT_RESPONSE_URL,
    team_id: str = TEAM_ID,
    *,
    user_name: str | None = None,
    channel_name: str | None = None,
) -> SlackRequest:
    """A slash command invocation (form-encoded), e.g. ``slash_command("/interview", "help")``."""
    return _form(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": team_id,
            "team_domain": TEAM_DOMAIN,
            "channel_id": channel_id,
            "channel_name": channel_name or _channel_name(channel_id),
            "user_id": user_id,
            "user_name": user_name or user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": API_APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
    )


def view_submission(
    callback_id: str,
    values: dict[str, dict[str, dict[str, Any]]],
    user_id: str = DEFAULT_USER,
    private_metadata: str = "",
    view_id: str = "V1",
    hash: str = "h",
    *,
    team_id: str = TEAM_ID,
    trigger_id: str = DEFAULT_TRIGGER_ID,
    blocks: Sequence[dict[str, Any]] | None = None,
    external_id: str = "",
    previous_view_id: str | None = None,
    root_view_id: str | None = None,
    response_urls: Sequence[dict[str, Any]] | None = None,
) -> SlackRequest:
    """A modal submission.  ``values`` is ``view.state.values``: ``{block_id: {action_id:
    element_state}}`` where ``element_state`` comes from the helpers above, e.g.
    ``{"candidate": {"name": plain_text_input("Ada")}}``."""
    view = _modal(
        view_id=view_id,
        callback_id=callback_id,
        private_metadata=private_metadata,
        hash=hash,
        values=values,
        team_id=team_id,
        blocks=blocks,
        external_id=external_id,
        previous_view_id=previous_view_id,
        root_view_id=root_view_id,
    )
    return _interactive(
        {
            "type": "view_submission",
            "team": _team(team_id),
            "user": _user(user_id, team_id),
            "api_app_id": API_APP_ID,
            "token": VERIFICATION_TOKEN,
            "trigger_id": trigger_id,
            "view": view,
            "response_urls": list(response_urls or []),
            "is_enterprise_install": False,
            "enterprise": None,
        }
    )


def view_closed(
    callback_id: str,
    user_id: str = DEFAULT_USER,
    private_metadata: str = "",
    view_id: str = "V1",
    *,
    is_cleared: bool = False,
    team_id: str = TEAM_ID,
) -> SlackRequest:
    """A modal dismissed with Cancel (only sent for views with ``notify_on_close``)."""
    view = _modal(
        view_id=view_id,
        callback_id=callback_id,
        private_metadata=private_metadata,
        hash="h",
        values={},
        team_id=team_id,
    )
    view["notify_on_close"] = True
    return _interactive(
        {
            "type": "view_closed",
            "team": _team(team_id),
            "user": _user(user_id, team_id),
            "api_app_id": API_APP_ID,
            "token": VERIFICATION_TOKEN,
            "view": view,
            "is_cleared": is_cleared,
            "is_enterprise_install": False,
            "enterprise": None,
        }
    )


def _infer_action_type(
    selected_option: Any,
    selected_options: Any,
    selected_user: Any,
    selected_users: Any,
    selected_date: Any,
) -> str:
    if selected_option is not None:
        return "static_select"
    if selected_options is not None:
        return "multi_static_select"
    if selected_user is not None:
        return "users_select"
    if selected_users is not None:
        return "multi_users_select"
    if selected_date is not None:
        return "datepicker"
    return "button"


def block_actions(
    action_id: str,
    value: str | None = None,
    user_id: str = DEFAULT_USER,
    block_id: str = "b",
    container: str | dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
    message: dict[str, Any] | None = None,
    channel_id: str | None = None,
    trigger_id: str = DEFAULT_TRIGGER_ID,
    response_url: str | None = None,
    selected_option: str | tuple[str, str] | dict[str, Any] | None = None,
    *,
    action_type: str | None = None,
    selected_options: Sequence[str | tuple[str, str] | dict[str, Any]] | None = None,
    selected_user: str | None = None,
    selected_users: Sequence[str] | None = None,
    selected_date: date | str | None = None,
    state_values: dict[str, dict[str, dict[str, Any]]] | None = None,
    text: str = "Click",
    team_id: str = TEAM_ID,
) -> SlackRequest:
    """A click/selection on an interactive element, in a message or in a view.

    ``container``: ``"message"`` / ``"view"`` / a full container dict; by default ``"view"`` when
    ``view`` is given, else ``"message"``.  ``view`` / ``message`` are merged over complete
    defaults (modal ``V1``; a bot message in ``channel_id``, default ``C_GENERAL``).
    ``response_url`` is sent for message containers only (default: a hooks.slack.com URL), as
    Slack does, unless given explicitly.  The action type is inferred (button, static_select,
    multi_static_select, users_select, multi_users_select, datepicker) unless ``action_type``.
    """
    if isinstance(container, dict):
        kind = str(container.get("type", "message"))
    elif isinstance(container, str):
        kind = container
    else:
        kind = "view" if view is not None else "message"

    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user_id, team_id),
        "api_app_id": API_APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": {},
        "trigger_id": trigger_id,
        "team": _team(team_id),
        "enterprise": None,
        "is_enterprise_install": False,
    }
    if kind == "view":
        full_view = _modal(
            view_id="V1",
            callback_id="",
            private_metadata="",
            hash="h",
            values=state_values or {},
            team_id=team_id,
        )
        full_view.update(view or {})
        payload["container"] = (
            container
            if isinstance(container, dict)
            else {"type": "view", "view_id": full_view["id"]}
        )
        payload["view"] = full_view
        if response_url is not None:
            payload["response_url"] = response_url
    else:
        channel = channel_id or DEFAULT_CHANNEL
        full_message = _message("1700000000.000100")
        full_message.update(message or {})
        payload["container"] = (
            container
            if isinstance(container, dict)
            else {
                "type": "message",
                "message_ts": full_message["ts"],
                "channel_id": channel,
                "is_ephemeral": False,
            }
        )
        payload["channel"] = {"id": channel, "name": _channel_name(channel)}
        payload["message"] = full_message
        payload["response_url"] = response_url or DEFAULT_RESPONSE_URL
    payload["state"] = {"values": state_values or {}}

    kind_of_action = action_type or _infer_action_type(
        selected_option, selected_options, selected_user, selected_users, selected_date
    )
    action: dict[str, Any] = {"action_id": action_id, "block_id": block_id, "type": kind_of_action}
    if kind_of_action == "button":
        action["text"] = {"type": "plain_text", "text": text, "emoji": True}
    if value is not None:
        action["value"] = value
    if selected_option is not None:
        action["selected_option"] = _option(selected_option)
    if selected_options is not None:
        action["selected_options"] = [_option(o) for o in selected_options]
    if selected_user is not None:
        action["selected_user"] = selected_user
    if selected_users is not None:
        action["selected_users"] = list(selected_users)
    if selected_date is not None:
        action["selected_date"] = (
            selected_date.isoformat() if isinstance(selected_date, date) else selected_date
        )
    action["action_ts"] = _ACTION_TS
    payload["actions"] = [action]
    return _interactive(payload)


def block_suggestion(
    action_id: str,
    value: str,
    user_id: str = DEFAULT_USER,
    block_id: str = "b",
    view: dict[str, Any] | None = None,
    *,
    team_id: str = TEAM_ID,
) -> SlackRequest:
    """An external_select options request (the user typed ``value``) from a modal."""
    full_view = _modal(
        view_id="V1", callback_id="", private_metadata="", hash="h", values={}, team_id=team_id
    )
    full_view.update(view or {})
    return _interactive(
        {
            "type": "block_suggestion",
            "user": _user(user_id, team_id),
            "container": {"type": "view", "view_id": full_view["id"]},
            "api_app_id": API_APP_ID,
            "token": VERIFICATION_TOKEN,
            "action_id": action_id,
            "block_id": block_id,
            "value": value,
            "team": _team(team_id),
            "enterprise": None,
            "is_enterprise_install": False,
            "view": full_view,
        }
    )


def event_callback(
    event: dict[str, Any],
    event_id: str = "Ev1",
    team_id: str = TEAM_ID,
    *,
    event_time: int | None = None,
    bot_user_id: str = BOT_USER_ID,
) -> SlackRequest:
    """An Events API delivery (JSON) wrapping ``event`` (``event_ts`` is added if missing)."""
    when = int(time.time()) if event_time is None else event_time
    inner = dict(event)
    inner.setdefault("event_ts", f"{when}.000100")
    return _json(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": team_id,
            "context_team_id": team_id,
            "context_enterprise_id": None,
            "api_app_id": API_APP_ID,
            "event": inner,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": when,
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": team_id,
                    "user_id": bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-eyJldCI6ImZha2UiLCJ0aWQiOiJ{team_id}In0",
        }
    )


def url_verification(challenge: str) -> SlackRequest:
    """The Events API URL handshake; the bot must echo ``challenge``."""
    return _json({"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"})


def app_home_opened(user_id: str = DEFAULT_USER, tab: str = "home") -> dict[str, Any]:
    """An ``app_home_opened`` event (wrap it with :func:`event_callback`)."""
    return {
        "type": "app_home_opened",
        "user": user_id,
        "channel": "D" + user_id,
        "tab": tab,
        "event_ts": "1700000000.000100",
    }


def message_event(
    text: str,
    user_id: str = DEFAULT_USER,
    channel_id: str = DEFAULT_CHANNEL,
    ts: str = "1700000000.000100",
    *,
    thread_ts: str | None = None,
) -> dict[str, Any]:
    """A plain user ``message`` event (wrap it with :func:`event_callback`)."""
    event: dict[str, Any] = {
        "type": "message",
        "user": user_id,
        "text": text,
        "ts": ts,
        "channel": channel_id,
        "channel_type": "im" if channel_id.startswith("D") else "channel",
        "team": TEAM_ID,
        "event_ts": ts,
    }
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    return event


# ---------------------------------------------------------------------- HTTP client


class PostResult(NamedTuple):
    status: int
    body: str
    elapsed_seconds: float


def post_signed(
    base_url: str,
    body: str,
    content_type: str,
    secret: str,
    timestamp: int | None = None,
    headers: Mapping[str, str] | None = None,
    *,
    path: str = "/slack/events",
    timeout: float = 10.0,
) -> PostResult:
    """POST a signed ``body`` to ``{base_url}/slack/events``; returns (status, body, seconds).

    ``headers`` are added last (e.g. :func:`retry_headers`), so they may also override the
    signature headers.  HTTP error statuses are returned, not raised.
    """
    url = base_url.rstrip("/")
    if not url.endswith(path):
        url += path
    all_headers = sign(body, secret, timestamp, content_type=content_type)
    all_headers.update(headers or {})
    request = urllib.request.Request(
        url, data=body.encode("utf-8"), headers=all_headers, method="POST"
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = int(response.status)
            text = response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        status = err.code
        text = err.read().decode("utf-8", "replace")
    return PostResult(status, text, time.perf_counter() - started)
