"""The "See colleagues' feedback" button: the scorecards the clicker may read, in a modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from handlers.feedback.scorecard_modal import colleagues_modal, notice_modal
from handlers.shared.context import services
from handlers.shared.slack_calls import interview_id_of

# The same whether the interview does not exist or is none of the clicker's business.
NOT_AVAILABLE = "This isn't available to you."


def see_feedback(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    interview_id = interview_id_of(action)
    page = None
    if interview_id is not None:
        page = services(context).feedback.colleagues_feedback(body["user"]["id"], interview_id)
    view = (
        colleagues_modal(page.candidate_name, page.feedback)
        if page is not None
        else notice_modal("Feedback", NOT_AVAILABLE)
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)
