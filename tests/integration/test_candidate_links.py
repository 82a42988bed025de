"""The candidate's link through the services on a real database: made only by a scheduler,
its times read live (busy times left out), a booking made once however often it is submitted,
and refused with its reason when expired, altered, unknown or used up.
Run on every database: `--databases=sqlite,mariadb,postgresql`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.candidate_links.tokens import LinkRefused, LinkTokens
from bot.container import Container
from bot.scheduling.service import AlreadyBooked, Booked, NotAvailable, NotOffered, SchedulingError
from bot.settings import Settings
from models import AuditEntry, Interview, InterviewStatus
from tests.candidate_links_world import CANDIDATE_EMAIL, HANNA_BUSY, hr_screening_request, token_of
from tests.clock import FixedClock
from tests.conftest import make_settings, prepared_container
from tests.fakes.slack_api import FakeSlackAPI

PUBLIC_URL = "https://jobs.example.com"


@pytest.fixture
def settings(database_url: str, fake_slack: FakeSlackAPI) -> Settings:
    """The bot's settings, with the public address candidates' links point at."""
    return make_settings(database_url, fake_slack.url, public_url=PUBLIC_URL + "/")


def _actions(container: Container) -> list[tuple[str, int | None, dict[str, object]]]:
    with container.unit_of_work() as uow:
        entries = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.action, e.actor_id, dict(e.detail or {})) for e in entries]


def _live_interviews(container: Container) -> list[Interview]:
    with container.unit_of_work() as uow:
        return list(
            uow.session.scalars(
                select(Interview).where(Interview.status != InterviewStatus.CANCELLED)
            )
        )


def _calendar_events(container: Container) -> list[tuple[str, tuple[str, ...]]]:
    """The interview events in the calendar (not the busy block the world puts there)."""
    events = container.calendar.list_changes(None).events
    return [
        (e.event_id, tuple(sorted(a.email for a in e.attendees)))
        for e in events
        if e.status != "cancelled" and not e.event_id.startswith("busy")
    ]


def _refusal(container: Container, token: str) -> str:
    with pytest.raises(LinkRefused) as refused:
        container.candidate_links.times(token)
    return refused.value.reason


def test_a_scheduler_makes_a_signed_link_to_the_request_and_it_is_audited(
    container: Container,
) -> None:
    uid = hr_screening_request(container)

    link = container.candidate_links.create("U_ADMIN", uid, "fr")

    assert link.url.startswith(f"{PUBLIC_URL}/schedule/")
    assert uid not in link.url  # the uid is inside the signed payload, not readable as is
    assert link.emailed is False  # no SMTP settings
    created = [a for a in _actions(container) if a[0] == "candidate_link.created"]
    assert len(created) == 1 and created[0][1] is not None
    assert created[0][2] == {"language": "fr"}
    times = container.candidate_links.times(token_of(link.url))
    assert times.language == "fr"
    assert (times.first_name, times.stage_name) == ("Ada", "HR screening")


def test_without_a_public_url_no_link_is_made_and_nothing_is_audited(
    database_url: str, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    with prepared_container(make_settings(database_url, fake_slack.url), clock) as container:
        uid = hr_screening_request(container)
        with pytest.raises(SchedulingError, match="PUBLIC_URL"):
            container.candidate_links.create("U_ADMIN", uid, "en")
        with pytest.raises(NotAvailable):  # someone who may not schedule learns nothing more
            container.candidate_links.create("U_ENG1", uid, "en")
        assert not [a for a in _actions(container) if a[0].startswith("candidate_link")]


def test_someone_who_may_not_schedule_gets_no_link_and_nothing_is_audited(
    container: Container,
) -> None:
    uid = hr_screening_request(container)

    with pytest.raises(NotAvailable):
        container.candidate_links.create("U_ENG1", uid, "en")
    with pytest.raises(NotAvailable):
        container.candidate_links.create("U_ADMIN", "0" * 32, "en")

    assert not [a for a in _actions(container) if a[0].startswith("candidate_link")]


def test_the_times_are_only_those_when_the_panel_is_free(container: Container) -> None:
    uid = hr_screening_request(container)
    token = token_of(container.candidate_links.create("U_ADMIN", uid, "en").url)

    times = container.candidate_links.times(token)

    assert times.options, "some free time between Wednesday and Friday"
    assert times.minutes == 30 and times.role_title
    start, end = HANNA_BUSY
    for option in times.options:
        session = option.sessions[0]
        assert session.end <= start or session.start >= end, "a time Hanna is busy was offered"
        assert session.end - session.start == timedelta(minutes=30)


def test_a_booking_invites_the_panel_and_the_candidate_once_however_often_submitted(
    container: Container, fake_slack: FakeSlackAPI
) -> None:
    uid = hr_screening_request(container)
    token = token_of(container.candidate_links.create("U_ADMIN", uid, "en").url)
    option = container.candidate_links.times(token).options[0]

    first = container.candidate_links.book(token, option.starts)
    second = container.candidate_links.book(token, option.starts)

    assert isinstance(first.outcome, Booked)
    assert isinstance(second.outcome, AlreadyBooked)
    assert len(_live_interviews(container)) == 1
    events = _calendar_events(container)
    assert len(events) == 1
    assert events[0][1] == (CANDIDATE_EMAIL, "u_hr@example.com")
    booked = [a for a in _actions(container) if a[0] == "interview.booked"]
    assert len(booked) == 1
    assert booked[0][1] is None and booked[0][2]["by"] == "candidate"
    # The recruiter who asked and the interviewer are told in Slack, once.
    posted = fake_slack.calls("chat.postMessage")
    assert len(posted) == 2
    assert all("Ada Lovelace" in str(call.params) for call in posted)
    # The link now shows the booking, and the times it may move to.
    again = container.candidate_links.times(token)
    assert again.booked[0].start == option.start
    assert again.options and option.start not in [o.start for o in again.options]


def test_a_time_that_was_not_offered_cannot_be_booked_through_the_link(
    container: Container,
) -> None:
    uid = hr_screening_request(container)
    token = token_of(container.candidate_links.create("U_ADMIN", uid, "en").url)
    container.candidate_links.times(token)

    with pytest.raises(NotOffered):
        container.candidate_links.book(token, {1: HANNA_BUSY[0]})

    assert _live_interviews(container) == []


def test_an_expired_link_is_refused(container: Container, clock: FixedClock) -> None:
    uid = hr_screening_request(container)
    token = token_of(container.candidate_links.create("U_ADMIN", uid, "en").url)
    container.candidate_links.times(token)

    clock.advance(days=4)  # past the end of the window (Friday), well within 14 days

    assert _refusal(container, token) == "expired"


def test_an_altered_link_is_refused(container: Container) -> None:
    uid = hr_screening_request(container)
    token = token_of(container.candidate_links.create("U_ADMIN", uid, "en").url)
    middle = len(token) // 2
    altered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]

    assert _refusal(container, altered) == "altered"
    assert _refusal(container, "not-a-token") == "altered"


def test_a_link_signed_with_another_key_is_refused_as_altered(
    container: Container, clock: FixedClock
) -> None:
    uid = hr_screening_request(container)
    forged = LinkTokens(b"someone else's key", clock).sign(uid, "en", clock.now() + timedelta(1))

    assert _refusal(container, forged) == "altered"


def test_a_link_to_a_request_that_does_not_exist_is_refused_as_unknown(
    container: Container, clock: FixedClock
) -> None:
    key = container.settings.link_key
    assert key is not None
    token = LinkTokens(key, clock).sign("f" * 32, "en", clock.now() + timedelta(days=1))

    assert _refusal(container, token) == "unknown"


def test_a_link_whose_interview_was_cancelled_is_used_up(container: Container) -> None:
    uid = hr_screening_request(container)
    token = token_of(container.candidate_links.create("U_ADMIN", uid, "en").url)
    option = container.candidate_links.times(token).options[0]
    booked = container.candidate_links.book(token, option.starts).outcome
    assert isinstance(booked, Booked)

    container.scheduling.cancel(booked.summary.interview_id, "U_ADMIN")

    assert _refusal(container, token) == "used_up"


def test_the_candidate_cancels_through_the_link_until_a_day_before(
    container: Container, clock: FixedClock
) -> None:
    uid = hr_screening_request(container)
    token = token_of(container.candidate_links.create("U_ADMIN", uid, "en").url)
    option = container.candidate_links.times(token).options[-1]
    container.candidate_links.book(token, option.starts)

    changed = container.candidate_links.cancel(token)

    assert changed.summary.status == InterviewStatus.CANCELLED
    assert _live_interviews(container) == [] and _calendar_events(container) == []
    cancelled = [a for a in _actions(container) if a[0] == "interview.cancelled"]
    assert cancelled == [("interview.cancelled", None, {"by": "candidate"})]
    assert _refusal(container, token) == "used_up"


def test_a_booked_link_is_used_up_a_day_before_the_interview(
    container: Container, clock: FixedClock
) -> None:
    uid = hr_screening_request(container)
    token = token_of(container.candidate_links.create("U_ADMIN", uid, "en").url)
    option = container.candidate_links.times(token).options[-1]
    container.candidate_links.book(token, option.starts)
    clock.at = option.start - timedelta(hours=25)
    container.candidate_links.times(token)  # still open to changes

    clock.at = option.start - timedelta(hours=23)

    assert _refusal(container, token) == "used_up"
    with pytest.raises(LinkRefused):
        container.candidate_links.cancel(token)
    assert len(_live_interviews(container)) == 1


def test_the_candidate_moves_the_booking_through_the_same_link_once(
    container: Container, fake_slack: FakeSlackAPI
) -> None:
    uid = hr_screening_request(container)
    token = token_of(container.candidate_links.create("U_ADMIN", uid, "en").url)
    first = container.candidate_links.times(token).options[0]
    container.candidate_links.book(token, first.starts)
    [(event_id, _)] = _calendar_events(container)
    later = container.candidate_links.times(token).options[-1]

    moved = container.candidate_links.book(token, later.starts)
    again = container.candidate_links.book(token, later.starts)

    assert isinstance(moved.outcome, Booked) and moved.outcome.rescheduled
    assert isinstance(again.outcome, AlreadyBooked)
    [interview] = _live_interviews(container)
    summary = container.scheduling.summary(interview.id)
    assert summary.start == later.start
    assert [e for e, _ in _calendar_events(container)] == [event_id]  # the same event, moved
    moves = [a for a in _actions(container) if a[0] == "interview.rescheduled"]
    assert len(moves) == 1 and moves[0][1] is None and moves[0][2]["by"] == "candidate"
    assert container.candidate_links.times(token).booked[0].start == later.start
