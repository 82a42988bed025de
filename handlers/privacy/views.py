"""The erasure modal: the candidate's email, what will be erased, then what was."""

from __future__ import annotations

import json
from typing import Any

from bot.privacy.service import CandidateFile, ErasureOutcome
from handlers.shared.blocks import Block, actions, button, context, plain, section
from handlers.shared.text import escape

ERASE_CANDIDATE = "privacy_erase"
FIND_CALLBACK_ID = "privacy_erase_find"
CONFIRM_CALLBACK_ID = "privacy_erase_confirm"
EMAIL_BLOCK = "email"
EMAIL_LIMIT = 254  # the longest email address (RFC 5321)
MAX_LISTED = 20


def privacy_home_blocks(is_admin: bool) -> list[Block]:
    """What admins see on the App Home tab to erase a candidate (nothing for anyone else)."""
    if not is_admin:
        return []
    return [
        {"type": "divider"},
        section("*Personal data* (admins)"),
        context(
            "Erase everything the bot holds about a candidate who asks for it: their "
            "interviews, feedback, decisions and calendar events. Files idle for the retention "
            "period are erased every day."
        ),
        actions("privacy", button("Erase a candidate", ERASE_CANDIDATE, "open", "danger")),
    ]


def find_view() -> dict[str, Any]:
    return _modal(
        FIND_CALLBACK_ID,
        [
            {
                "type": "input",
                "block_id": EMAIL_BLOCK,
                "label": plain("The candidate's email"),
                "element": {
                    "type": "email_text_input",
                    "action_id": EMAIL_BLOCK,
                    "max_length": EMAIL_LIMIT,
                },
            }
        ],
        submit="Find",
    )


def confirm_view(email: str, files: list[CandidateFile]) -> dict[str, Any]:
    rows = [
        f"• {escape(f.name)} ({escape(f.role)}): {f.interviews} interview(s)"
        for f in files[:MAX_LISTED]
    ]
    blocks = [
        section(f"This erases for good {len(files)} candidate file(s) of *{escape(email)}*:"),
        section("\n".join(rows)),
        context(
            "Their interviews are cancelled in the calendar. The audit log keeps that an "
            "erasure happened, not who it was about."
        ),
    ]
    return _modal(CONFIRM_CALLBACK_ID, blocks, submit="Erase", metadata={"email": email})


def working_view() -> dict[str, Any]:
    return _modal(CONFIRM_CALLBACK_ID, [section("Erasing… :hourglass_flowing_sand:")])


def done_view(outcome: ErasureOutcome) -> dict[str, Any]:
    text = f"Erased {len(outcome.erased)} candidate file(s). :wastebasket:"
    if outcome.waiting_for_calendar:
        text = (
            f"Erased {len(outcome.erased)} candidate file(s); the calendar could not be reached "
            f"for {len(outcome.waiting_for_calendar)}: nothing of theirs was deleted, try again."
        )
    return _modal(CONFIRM_CALLBACK_ID, [section(text)])


def refused_view() -> dict[str, Any]:
    return _modal(CONFIRM_CALLBACK_ID, [section(ADMINS_ONLY)])


ADMINS_ONLY = "Only admins erase candidates."
NOT_FOUND = "No candidate has this email."


def _modal(
    callback_id: str,
    blocks: list[Block],
    submit: str | None = None,
    metadata: dict[str, str] | None = None,
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain("Erase a candidate"),
        "close": plain("Close"),
        "blocks": blocks,
        "private_metadata": json.dumps(metadata or {}),
    }
    if submit is not None:
        view["submit"] = plain(submit)
    return view
