"""Plain payloads for the scheduling messages (stands in for handlers' Block Kit composer)."""

from __future__ import annotations

from typing import Any

from bot.scheduling.ports import Change
from bot.scheduling.summary import InterviewSummary


class PlainBookingMessages:
    def confirmation(self, summary: InterviewSummary, note: str = "") -> dict[str, Any]:
        text = f"{summary.status}: {summary.stage_name} with {summary.candidate_name}"
        return {"text": f"{text} / {note}" if note else text}

    def interviewer_notice(self, summary: InterviewSummary, change: Change) -> dict[str, Any]:
        return {"text": f"{change}: {summary.stage_name} with {summary.candidate_name}"}

    def booking_undone(self, summary: InterviewSummary, reason: str) -> dict[str, Any]:
        return {"text": f"undone: {summary.stage_name} with {summary.candidate_name} ({reason})"}
