"""The candidate's emails through a real SMTP server on loopback (aiosmtpd): the invitation in
the link's language with the link, the confirmation with an .ics that parses back to the booked
times, and a mail server that fails without undoing the booking.
Run on every database: `--databases=sqlite,mariadb,postgresql`."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar  # type: ignore[import-untyped]

from bot.container import Container
from bot.scheduling.service import Booked
from models import InterviewStatus
from tests.candidate_links_world import CANDIDATE_EMAIL, hr_screening_request, token_of
from tests.clock import FixedClock
from tests.conftest import make_settings, prepared_container
from tests.fakes.slack_api import FakeSlackAPI

SENDER = "jobs@example.com"


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[_Inbox, int]]:
    handler, port = _Inbox(), _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def _container(database_url: str, fake_slack: FakeSlackAPI, clock: FixedClock, port: int) -> Any:
    settings = make_settings(
        database_url,
        fake_slack.url,
        smtp_url=f"smtp://127.0.0.1:{port}",
        mail_from=SENDER,
        public_url="https://jobs.example.com/",
    )
    return prepared_container(settings, clock)


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


@pytest.mark.parametrize(
    ("language", "greeting", "subject_start"),
    [("fr", "Bonjour Ada", "Choisissez"), ("en", "Hello Ada", "Choose")],
)
def test_the_invitation_arrives_in_the_links_language_with_the_link(
    database_url: str,
    fake_slack: FakeSlackAPI,
    clock: FixedClock,
    inbox: tuple[_Inbox, int],
    language: str,
    greeting: str,
    subject_start: str,
) -> None:
    received, port = inbox
    with _container(database_url, fake_slack, clock, port) as container:
        uid = hr_screening_request(container)
        link = container.candidate_links.create("U_ADMIN", uid, language)

    assert link.emailed and link.mail_error is None
    assert link.url.startswith("https://jobs.example.com/schedule/")
    [message] = received.messages
    assert received.recipients == [[CANDIDATE_EMAIL]]
    assert message["From"] == SENDER and message["Content-Language"] == language
    assert str(message["Subject"]).startswith(subject_start)
    body = _body(message)
    assert body.startswith(greeting) and link.url in body


def test_the_confirmation_carries_an_ics_with_the_booked_times(
    database_url: str, fake_slack: FakeSlackAPI, clock: FixedClock, inbox: tuple[_Inbox, int]
) -> None:
    received, port = inbox
    with _container(database_url, fake_slack, clock, port) as container:
        uid = hr_screening_request(container)
        token = token_of(container.candidate_links.create("U_ADMIN", uid, "fr").url)
        option = container.candidate_links.times(token).options[0]
        booking = container.candidate_links.book(token, option.starts)
        assert isinstance(booking.outcome, Booked)
        interview = container.scheduling.summary(booking.outcome.summary.interview_id)
        event_ids = _event_ids(container, interview.interview_id)

    assert booking.emailed
    invitation, confirmation = received.messages
    assert "confirmé" in str(confirmation["Subject"])
    [attachment] = list(confirmation.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    calendar = Calendar.from_ical(attachment.get_payload(decode=True))
    assert str(calendar["METHOD"]) == "REQUEST"
    [event] = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert str(event["UID"]) == event_ids[0]
    assert event.decoded("DTSTART") == interview.start == option.start
    assert event.decoded("DTEND") == interview.end
    assert "mailto:" + CANDIDATE_EMAIL in str(event["ATTENDEE"])
    video = interview.sessions[0].video_link
    assert video and str(event["LOCATION"]) == video and video in _body(confirmation)


def test_a_mail_server_that_fails_is_reported_and_the_booking_stays(
    database_url: str, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    closed = _free_port()  # nothing listens there
    with _container(database_url, fake_slack, clock, closed) as container:
        uid = hr_screening_request(container)
        link = container.candidate_links.create("U_ADMIN", uid, "en")
        token = token_of(link.url)
        option = container.candidate_links.times(token).options[0]
        booking = container.candidate_links.book(token, option.starts)
        assert isinstance(booking.outcome, Booked)
        summary = container.scheduling.summary(booking.outcome.summary.interview_id)

    assert not link.emailed and link.mail_error and "Connection" in link.mail_error
    assert not booking.emailed and booking.mail_error
    assert summary.status == InterviewStatus.SCHEDULED
    assert len(fake_slack.calls("chat.postMessage")) == 2  # Slack was still told


def _event_ids(container: Container, interview_id: int) -> list[str]:
    with container.unit_of_work() as uow:
        interview = uow.interviews.interview_with_events(interview_id)
        assert interview is not None
        return [e.calendar_event_id for e in sorted(interview.events, key=lambda e: e.starts_at)]


def test_a_move_sends_the_same_event_again_at_its_new_time(
    database_url: str, fake_slack: FakeSlackAPI, clock: FixedClock, inbox: tuple[_Inbox, int]
) -> None:
    received, port = inbox
    with _container(database_url, fake_slack, clock, port) as container:
        uid = hr_screening_request(container)
        token = token_of(container.candidate_links.create("U_ADMIN", uid, "en").url)
        first = container.candidate_links.times(token).options[0]
        container.candidate_links.book(token, first.starts)
        later = container.candidate_links.times(token).options[-1]
        container.candidate_links.book(token, later.starts)

    booked, moved = (_event_in(message) for message in received.messages[1:])
    assert str(moved["UID"]) == str(booked["UID"])
    assert booked.decoded("DTSTART") == first.start
    assert moved.decoded("DTSTART") == later.start
    assert int(moved["SEQUENCE"]) > int(booked["SEQUENCE"])


def _event_in(message: EmailMessage) -> Any:
    [attachment] = list(message.iter_attachments())
    calendar = Calendar.from_ical(attachment.get_payload(decode=True))
    [event] = [c for c in calendar.walk() if c.name == "VEVENT"]
    return event
