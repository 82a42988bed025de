"""Modal views of the scheduling flow: working, proposals, booked, failed."""

from __future__ import annotations

import json
from typing import Any

from bot.scheduling.plans import PlannedSession
from bot.scheduling.service import Proposals
from bot.scheduling.summary import InterviewSummary
from handlers.scheduling.booking_messages import confirmation_message
from handlers.shared.blocks import (
    Block,
    actions,
    button,
    context,
    mention,
    plain,
    section,
    slack_time,
)
from handlers.shared.text import escape

PROPOSALS_CALLBACK = "schedule_proposals"
LET_CANDIDATE_CHOOSE = "let_candidate_choose"


def _modal(
    title: str, blocks: list[Block], callback_id: str = PROPOSALS_CALLBACK
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title),
        "close": plain("Close"),
        "blocks": blocks,
    }


def working_view(message: str) -> dict[str, Any]:
    return _modal("Schedule an interview", [section(f":hourglass_flowing_sand: {message}")])


def choice_value(request_uid: str, option: tuple[PlannedSession, ...]) -> str:
    return json.dumps(
        {"request_uid": request_uid, "starts": {s.position: s.start.isoformat() for s in option}}
    )


def _option_block(index: int, request_uid: str, option: tuple[PlannedSession, ...]) -> Block:
    lines = []
    for session in option:
        people = ", ".join(mention(i) for i in session.interviewer_slack_ids)
        label = f"{escape(session.name)}: " if len(option) > 1 else ""
        lines.append(f"{label}{slack_time(session.start)} with {people}")
    block = section("\n".join(lines))
    block["block_id"] = f"option_{index}"
    block["accessory"] = button(
        "Book", "book_slot", choice_value(request_uid, option), style="primary"
    )
    return block


def _why(reason: str) -> Block:
    """Why these people, as plain text: names are not markup."""
    return {"type": "context", "elements": [plain(f"Why these people: {reason}"[:2000])]}


def _let_candidate_choose(request_uid: str) -> list[Block]:
    return [
        actions(
            "candidate_link",
            button("Let the candidate choose", LET_CANDIDATE_CHOOSE, request_uid),
        ),
        context("Or send the candidate a link to pick a time themselves."),
    ]


def proposals_view(
    proposals: Proposals, notice: str = "", *, candidate_links: bool = False
) -> dict[str, Any]:
    """The times found; with `candidate_links` (links set up), a button to send the candidate
    a link instead."""
    blocks: list[Block] = []
    if notice:
        blocks.append(section(f":warning: {notice}"))
    stage, name = escape(proposals.stage_name), escape(proposals.candidate_name)
    if not proposals.options:
        blocks.append(
            section(
                f"No time found when everyone is free for *{stage}* with *{name}* in this "
                "window. Try a wider window or other interviewers."
            )
        )
        return _modal("No common time", blocks)
    blocks.append(
        section(f"Times when everyone is free for *{stage}* with *{name}*. Pick one to book it:")
    )
    for index, option in enumerate(proposals.options, start=1):
        blocks.append(_option_block(index, proposals.request_uid, option))
        if index <= len(proposals.reasons) and proposals.reasons[index - 1]:
            blocks.append(_why(proposals.reasons[index - 1]))
    if candidate_links:
        blocks.extend(_let_candidate_choose(proposals.request_uid))
    blocks.append(
        context("Times show in your own time zone. Free/busy is checked again just before booking.")
    )
    return _modal("Pick a time", blocks)


def booked_view(summary: InterviewSummary) -> dict[str, Any]:
    message = confirmation_message(summary)
    blocks = [b for b in message["blocks"] if b.get("type") != "actions"]
    blocks.append(
        context(
            "Invitations are sent. You also have this in a DM, with buttons to "
            "reschedule or cancel."
        )
    )
    return _modal("Interview booked", blocks)


def _retry_view(
    title: str, problem: str, action_id: str, value: str, icon: str = ":x:"
) -> dict[str, Any]:
    blocks: list[Block] = [
        section(f"{icon} {problem}"),
        context("Nothing was lost: your request is kept. Try again in a moment."),
        actions("retry", button("Try again", action_id, value)),
    ]
    return _modal(title, blocks)


def failed_view(reason: str, retry_value: str) -> dict[str, Any]:
    return _retry_view(
        "Booking failed", f"The booking did not go through: {reason}", "book_slot", retry_value
    )


def in_progress_view(retry_value: str) -> dict[str, Any]:
    """Another click (or a booking interrupted a moment ago) holds this request."""
    return _retry_view(
        "Still booking",
        "This booking is still being made.",
        "book_slot",
        retry_value,
        icon=":hourglass_flowing_sand:",
    )


def cancel_failed_view(reason: str, interview_id: int) -> dict[str, Any]:
    return _retry_view(
        "Cancel failed",
        f"The interview was not cancelled: {reason}",
        "cancel_interview",
        str(interview_id),
    )


def search_failed_view(reason: str, request_uid: str) -> dict[str, Any]:
    return _retry_view(
        "Search failed", f"Could not read the calendars: {reason}", "search_again", request_uid
    )


def error_view(message: str) -> dict[str, Any]:
    return _modal("Schedule an interview", [section(f":x: {message}")])


def cancelled_view(summary: InterviewSummary) -> dict[str, Any]:
    message = confirmation_message(summary)
    return _modal("Interview cancelled", message["blocks"])
