"""The digest message (morning DM or channel post) and the ephemeral /hiring-digest answer."""

from __future__ import annotations

from typing import Any

from bot.digest.model import Digest
from handlers.digest import sections
from handlers.digest.text import plural
from handlers.shared.blocks import Block, plain, section

REFUSAL = (
    "Sorry, the hiring digest is for the Head of Engineering, recruiters and admins. "
    "Ask a recruiter if you need something from it."
)


def digest_title(digest: Digest) -> str:
    return f"Hiring digest · {digest.day:%A %d %B}"


def digest_message(digest: Digest, *, chart_in_thread: bool = False) -> dict[str, Any]:
    """`text` (the notification and screen-reader fallback) and `blocks` of the digest."""
    if digest.is_empty:
        line = f"*{digest_title(digest)}*: nothing today – no interviews, feedback or candidates."
        return {"text": line.replace("*", ""), "blocks": [section(line)]}
    return {"text": fallback_text(digest), "blocks": digest_blocks(digest, chart_in_thread)}


def digest_ephemeral(digest: Digest) -> dict[str, Any]:
    return {"response_type": "ephemeral", **digest_message(digest)}


def digest_refusal() -> dict[str, Any]:
    return {"response_type": "ephemeral", "text": REFUSAL}


def digest_blocks(digest: Digest, chart_in_thread: bool) -> list[Block]:
    parts = [
        sections.interviews_today(digest),
        sections.feedback_received(digest),
        sections.overdue_feedback(digest),
        sections.awaiting_decision(digest),
        sections.pipeline(digest),
        sections.interview_load_section(digest),
        sections.funnel(digest, chart_in_thread),
    ]
    blocks: list[Block] = [{"type": "header", "text": plain(digest_title(digest))}]
    for part in parts:
        if part:
            blocks += [*part, {"type": "divider"}]
    return blocks[:-1]


def fallback_text(digest: Digest) -> str:
    """One line with the day's figures, for notifications and screen readers."""
    interviews = digest.interviews_today.total
    reviewed = digest.feedback_received.total
    overdue = digest.overdue_feedback.total
    waiting = digest.awaiting_decision.total
    active = sum(role.candidates for role in digest.pipeline)
    parts = [
        f"{plural(interviews, 'interview')} today" if interviews else "",
        f"new feedback on {plural(reviewed, 'interview')}" if reviewed else "",
        f"{overdue} overdue feedback" if overdue else "",
        f"{waiting} waiting for a decision" if waiting else "",
        plural(active, "active candidate") if active else "",
    ]
    said = ", ".join(part for part in parts if part)
    return f"{digest_title(digest)}: {said or 'this week in interviews'}"
