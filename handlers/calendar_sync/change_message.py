"""The DM a scheduler gets when a calendar changed outside the bot."""

from __future__ import annotations

import json
from typing import Any

from bot.calendar_sync.sync import Notice
from handlers.shared.blocks import Block, actions, button, mention, section, slack_time
from handlers.shared.text import escape


def _who(notice: Notice) -> str:
    change = notice.change
    if change.who_slack_id:
        return mention(change.who_slack_id)
    return change.who_email or "Someone"


def change_text(notice: Notice) -> str:
    summary = notice.summary
    what = f"*{escape(summary.stage_name)}* with *{escape(summary.candidate_name)}*"
    when = slack_time(summary.start)
    kind = notice.change.kind
    if kind == "declined":
        return f"{_who(notice)} declined {what} ({when})."
    if kind == "moved":
        return f"{what} was moved in the calendar; it now starts {when}."
    return f"{what} ({when}) was deleted from the calendar; it is cancelled here too."


def change_message(notice: Notice) -> dict[str, Any]:
    text = change_text(notice)
    blocks: list[Block] = [section(text)]
    buttons: list[dict[str, Any]] = []
    if notice.change.kind != "deleted":
        buttons.append(
            button("Reschedule", "reschedule_interview", str(notice.summary.interview_id))
        )
    for option in notice.change.replacements:
        choice = {
            "interview_id": notice.summary.interview_id,
            "leaving": notice.change.who_person_id,
            "joining": option.person_id,
            "slack_id": option.slack_id,
        }
        buttons.append(
            button(
                f"Replace with {option.name}"[:75],
                f"replace_interviewer_{option.person_id}",
                json.dumps(choice),
            )
        )
    if notice.change.replacements:
        names = ", ".join(mention(o.slack_id) for o in notice.change.replacements)
        blocks.append(section(f"Free at that time from the same pool: {names}"))
    if buttons:
        blocks.append(actions("calendar_change", *buttons))
    return {"text": text.replace("*", ""), "blocks": blocks}
