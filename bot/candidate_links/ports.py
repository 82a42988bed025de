"""What the candidate links feature needs from the outside: a way to send an email."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "text/calendar; method=REQUEST"
    data: bytes


@dataclass(frozen=True)
class OutgoingMail:
    to: str
    subject: str
    text: str
    language: str
    attachments: tuple[Attachment, ...] = ()


class MailError(Exception):
    """The email could not be handed to the mail server; the message says why (no secrets)."""


class Mailer(Protocol):
    def send(self, mail: OutgoingMail) -> None:
        """Hand the email to the mail server; raises MailError when it cannot."""
