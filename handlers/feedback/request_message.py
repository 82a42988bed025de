"""The interviewer's feedback DM (kept current in place), its reminders and the escalation."""

from __future__ import annotations

from typing import Any

from bot.feedback.reminders import Escalation, ReminderDue
from bot.feedback.requests import FeedbackAsk
from bot.feedback.submit import Submitted
from handlers.feedback.blocks import give_feedback_button, see_feedback_button
from handlers.shared.blocks import actions, context, mention, section, slack_time
from handlers.shared.text import escape

PRIVACY_NOTE = "Colleagues' scorecards show once yours is in, so nobody anchors on another's view."


def feedback_request_message(ask: FeedbackAsk) -> dict[str, Any]:
    text = f"Please give your feedback on {escape(ask.candidate_name)} ({escape(ask.stage_name)})"
    return {
        "text": text,
        "blocks": [
            section(
                f"How did it go? Please give your feedback on *{escape(ask.candidate_name)}*: "
                f"{escape(ask.stage_name)}, {slack_time(ask.starts_at)}."
            ),
            actions("feedback_request", give_feedback_button(ask.interview_id)),
            context(PRIVACY_NOTE),
        ],
    }


def feedback_submitted_message(done: Submitted) -> dict[str, Any]:
    amended = f" (amended, version {done.version})" if done.version > 1 else ""
    return {
        "text": f"Feedback submitted: {escape(done.candidate_name)} ({escape(done.stage_name)})",
        "blocks": [
            section(
                f":white_check_mark: Feedback submitted{amended} on "
                f"*{escape(done.candidate_name)}*: "
                f"{escape(done.stage_name)}, {slack_time(done.starts_at)}."
            ),
            actions(
                "feedback_submitted",
                give_feedback_button(done.interview_id, "Amend"),
                see_feedback_button(done.interview_id),
            ),
            context(f"You can amend it until {slack_time(done.amend_until)}."),
        ],
    }


def reminder_message(due: ReminderDue) -> dict[str, Any]:
    about = f"{escape(due.candidate_name)} ({escape(due.stage_name)})"
    text = f"Reminder: your feedback on {about} is still missing"
    return {
        "text": text,
        "blocks": [
            section(
                f":wave: A reminder: your feedback on *{escape(due.candidate_name)}* "
                f"({escape(due.stage_name)}, "
                f"ended {slack_time(due.ended_at)}) is still missing. It takes a few minutes."
            ),
            actions("feedback_reminder", give_feedback_button(due.interview_id)),
        ],
    }


def escalation_message(escalation: Escalation) -> dict[str, Any]:
    late = ", ".join(mention(slack_id) for slack_id in escalation.late_slack_ids)
    return {
        "text": (
            f"Late feedback on {escape(escalation.candidate_name)} "
            f"({escape(escalation.stage_name)})"
        ),
        "blocks": [
            section(
                f":hourglass: Feedback on *{escape(escalation.candidate_name)}* "
                f"({escape(escalation.stage_name)}, ended {slack_time(escalation.ended_at)}) "
                f"is still missing from {late}, more than 48 hours later."
            ),
            context("They were reminded in their working hours. A word from you may help."),
        ],
    }
