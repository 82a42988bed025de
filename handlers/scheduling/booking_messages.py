"""Messages about a booked interview: the scheduler's confirmation and the interviewers' DMs."""

from __future__ import annotations

from typing import Any

from bot.scheduling.ports import Change
from bot.scheduling.summary import InterviewSummary, SessionTimes
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
from handlers.shared.text import EMAIL_LIMIT, LINE_LIMIT, escape

# A loop's sessions each take a line; the section holds 3,000 characters, so a few are listed.
MAX_SESSION_LINES = 12


def _when(session: SessionTimes) -> str:
    return f"{slack_time(session.start)} to {slack_time(session.end, '%H:%M UTC', '{time}')}"


def _where(session: SessionTimes) -> str:
    if session.video_link:
        return f"<{escape(session.video_link, LINE_LIMIT)}|Join the video call>"
    return escape(session.location or "")


def _session_lines(summary: InterviewSummary) -> list[str]:
    lines = []
    for session in summary.sessions[:MAX_SESSION_LINES]:
        people = ", ".join(mention(i) for i in session.interviewer_slack_ids[:10])
        prefix = f"*{escape(session.name)}*: " if len(summary.sessions) > 1 else ""
        lines.append(f"{prefix}{_when(session)} with {people}. {_where(session)}".strip())
    return lines


def _headline(summary: InterviewSummary) -> str:
    """The stage and the candidate: their name and email as typed, shown as text, never as
    markup (a name like `<https://x|Join the video call>` stays those characters)."""
    stage, name = escape(summary.stage_name), escape(summary.candidate_name)
    return f"*{stage}* with *{name}* ({escape(summary.candidate_email, EMAIL_LIMIT)})"


def _title(verb: str, summary: InterviewSummary) -> str:
    """The notification's plain text (Slack reads markup there too)."""
    return f"{verb}: {escape(summary.stage_name)} with {escape(summary.candidate_name)}"


def _take_home_line(summary: InterviewSummary) -> list[str]:
    if summary.take_home_due is None:
        return []
    return [f"Take-home solution due {slack_time(summary.take_home_due)}; the session reviews it."]


def confirmation_message(summary: InterviewSummary, note: str = "") -> dict[str, Any]:
    """The scheduler's message about a booking, kept current with chat.update."""
    cancelled = summary.status == "cancelled"
    title = "Cancelled" if cancelled else "Booked"
    text = _title(title, summary)
    body = "\n".join(
        [f"{title}: {_headline(summary)}", *_session_lines(summary), *_take_home_line(summary)]
    )
    blocks: list[Block] = [section(f"~{body}~" if cancelled else body)]
    if note:
        blocks.append(context(note))
    if not cancelled:
        blocks.append(manage_buttons(summary.interview_id))
    return {"text": text, "blocks": blocks}


def manage_buttons(interview_id: int, block_id: str = "manage_interview") -> Block:
    cancel = button("Cancel", "cancel_interview", str(interview_id), style="danger")
    cancel["confirm"] = {
        "title": plain("Cancel this interview?"),
        "text": {"type": "mrkdwn", "text": "The calendar events are deleted and everyone is told."},
        "confirm": plain("Cancel interview"),
        "deny": plain("Keep it"),
    }
    return actions(
        block_id, button("Reschedule", "reschedule_interview", str(interview_id)), cancel
    )


def interviewer_message(summary: InterviewSummary, change: Change = "booked") -> dict[str, Any]:
    """The DM each interviewer gets when an interview is booked, moved or cancelled."""
    verbs: dict[Change, str] = {
        "booked": "You are interviewing",
        "moved": "Moved: you are interviewing",
        "cancelled": "Cancelled: you were to interview",
    }
    intro = f"{verbs[change]} {_headline(summary)}"
    lines = [intro, *_session_lines(summary), *_take_home_line(summary)]
    blocks: list[Block] = [section("\n".join(lines))]
    if change != "cancelled" and summary.scorecard:
        blocks.append(
            context(
                "After the interview you will be asked for a scorecard on: "
                + ", ".join(escape(item) for item in summary.scorecard)
                + "."
            )
        )
    text = f"{intro.replace('*', '')}"
    return {"text": text, "blocks": blocks}


def undone_message(summary: InterviewSummary, reason: str) -> dict[str, Any]:
    """To whoever asked: a booking that was interrupted could not be finished."""
    if summary.status == "cancelled":
        text = (
            f"The booking of {_headline(summary)} was interrupted and could not be finished "
            f"({reason}), so it was undone: nothing is booked. Please schedule it again."
        )
    else:
        text = (
            f"The move of {_headline(summary)} was interrupted and could not be finished "
            f"({reason}). It stays where the calendar has it:"
        )
        text = "\n".join([text, *_session_lines(summary)])
    return {"text": text.replace("*", ""), "blocks": [section(f":warning: {text}")]}


class SlackBookingMessages:
    """The scheduling messages as Block Kit (implements bot.scheduling.ports.BookingMessages)."""

    def confirmation(self, summary: InterviewSummary, note: str = "") -> dict[str, Any]:
        return confirmation_message(summary, note)

    def interviewer_notice(self, summary: InterviewSummary, change: Change) -> dict[str, Any]:
        return interviewer_message(summary, change)

    def booking_undone(self, summary: InterviewSummary, reason: str) -> dict[str, Any]:
        return undone_message(summary, reason)
