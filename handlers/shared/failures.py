"""What Slack is answered when a listener failed (the database down, a bug): a polite message in
the shape each kind of request expects, so that nobody gets Slack's "something went wrong"."""

from __future__ import annotations

import json
from typing import Any

from handlers.shared.blocks import plain, section

TRY_AGAIN = (
    "Sorry, that did not work: a temporary problem on our side. Nothing was changed; "
    "try again in a moment."
)


def failure_answer(kind: str, body: dict[str, Any]) -> dict[str, Any] | None:
    """The HTTP answer's JSON for a request of `kind` (see `slack_request_kind`) that failed
    before it was acknowledged; None when an empty 200 says enough."""
    if kind == "command":
        return {"response_type": "ephemeral", "text": TRY_AGAIN}
    if kind == "options":
        return {"options": []}
    if kind == "view_submission":
        return _submission_answer(body)
    return None


def _submission_answer(body: dict[str, Any]) -> dict[str, Any]:
    """The message on the modal's first field; a modal without fields shows it instead."""
    view = body.get("view")
    state = view.get("state") if isinstance(view, dict) else None
    values = state.get("values") if isinstance(state, dict) else None
    first_field = next(iter(values), None) if isinstance(values, dict) else None
    if isinstance(first_field, str):
        return {"response_action": "errors", "errors": {first_field: TRY_AGAIN}}
    return {"response_action": "update", "view": failure_view()}


def failure_view() -> dict[str, Any]:
    return {
        "type": "modal",
        "title": plain("Interview bot"),
        "close": plain("Close"),
        "blocks": [section(f":warning: {TRY_AGAIN}")],
    }


def failure_body(kind: str, body: dict[str, Any]) -> str:
    answer = failure_answer(kind, body)
    return json.dumps(answer) if answer is not None else ""
