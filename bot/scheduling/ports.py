"""The words of the scheduling messages, which the outbox sends (Block Kit, in handlers/scheduling).

The service enqueues these payloads in the transaction that books, moves or cancels; the composer
only turns a summary into a chat.postMessage / chat.update payload.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

from bot.scheduling.summary import InterviewSummary

Change = Literal["booked", "moved", "cancelled"]


class BookingMessages(Protocol):
    def confirmation(self, summary: InterviewSummary, note: str = "") -> dict[str, Any]:
        """The scheduler's message about the booking, with its buttons while it stands."""
        ...

    def interviewer_notice(self, summary: InterviewSummary, change: Change) -> dict[str, Any]:
        """The DM an interviewer gets when the interview is booked, moved or cancelled."""
        ...

    def booking_undone(self, summary: InterviewSummary, reason: str) -> dict[str, Any]:
        """To whoever asked: a booking left unfinished could not be finished and was undone."""
        ...
