"""Admins erase a candidate from the App Home tab: email, confirmation, erasure."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.privacy.service import NotAllowed
from handlers.privacy.views import (
    ADMINS_ONLY,
    EMAIL_BLOCK,
    EMAIL_LIMIT,
    NOT_FOUND,
    confirm_view,
    done_view,
    find_view,
    refused_view,
    working_view,
)
from handlers.shared.after_answer import after_answer
from handlers.shared.context import services
from handlers.shared.state import metadata, state_values, text_value


def open_erasure(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    if services(context).privacy.may_erase(_user(body)):
        client.views_open(trigger_id=body.get("trigger_id"), view=find_view())


def find_candidate(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    email = text_value(state_values(view), EMAIL_BLOCK).strip()[:EMAIL_LIMIT]
    try:
        files = services(context).privacy.files_of(_user(body), email) if email else []
    except NotAllowed:
        ack(response_action="errors", errors={EMAIL_BLOCK: ADMINS_ONLY})
        return
    if not files:
        ack(response_action="errors", errors={EMAIL_BLOCK: NOT_FOUND})
        return
    ack(response_action="update", view=confirm_view(email, files))


def erase_candidate(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    privacy = services(context).privacy
    email = str(metadata(view).get("email") or "")[:EMAIL_LIMIT]
    if not email or not privacy.may_erase(_user(body)):
        ack(response_action="update", view=refused_view())
        return
    # The calendar may take longer than Slack waits for an answer: acknowledge first.
    ack(response_action="update", view=working_view())

    def erase() -> None:
        try:
            outcome = privacy.erase_on_request(_user(body), email)
        except NotAllowed:
            client.views_update(view_id=view.get("id"), view=refused_view())
            return
        client.views_update(view_id=view.get("id"), view=done_view(outcome))

    after_answer(context, erase)


def _user(body: dict[str, Any]) -> str:
    user = body.get("user")
    return str(user.get("id") or "") if isinstance(user, dict) else ""
