"""Jobs safe with any number of workers: the job lease, and the calendar sync that holds it.

Two containers over one database stand for two worker processes (each has its own lease holder);
the calendar is the local one, in the same database. Run on SQLite, MariaDB and PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.app.bootstrap import bootstrap
from bot.calendar_sync.service import LEASE_NAME, SYNC_LEASE
from bot.calendar_sync.sync import Notice
from bot.container import Container
from calendars.local import LocalCalendarProvider
from calendars.provider import ChangeSet, EventRequest
from models import CalendarSyncState, Interview, InterviewStatus, TeamRole
from models.outbox import NewMessage, OutboxRepository, OutboxStatus
from tests import builders
from tests.clock import FixedClock
from tests.fakes.slack_api import FakeSlackAPI, RecordedCall

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # Thursday, two days after the tests' now


@pytest.fixture
def other_worker(container: Container, clock: FixedClock) -> Iterator[Container]:
    """A second worker process: its own container (and lease holder) on the same database."""
    other = bootstrap(container.settings, clock=clock)
    yield other
    other.engine.dispose()


def _calendar(container: Container) -> LocalCalendarProvider:
    assert isinstance(container.calendar, LocalCalendarProvider)
    return container.calendar


def _scheduled_interview(container: Container) -> tuple[int, str]:
    """Ada's technical test review, booked by U_HR with U_ENG1, in our records and the calendar;
    the sync has seen it (the bot's own booking is not news)."""
    with container.unit_of_work() as uow:
        s = uow.session
        hr = builders.person(s, "U_HR", "Hanna HR", TeamRole.RECRUITER)
        grace = builders.person(s, "U_ENG1", "Grace", TeamRole.INTERVIEWER)
        ada = builders.candidate(s, "Ada Lovelace", "ada@example.com", START, "technical-test")
        interview = builders.interview(s, ada, "technical-test", START, [grace], minutes=90)
        interview.scheduled_by_id = hr.id
        uow.commit()
        interview_id, event_id = interview.id, interview.events[0].calendar_event_id
    container.calendar.create_event(
        EventRequest(
            event_id=event_id,
            summary="Ada Lovelace (technical test)",
            start=START,
            end=START + timedelta(minutes=90),
            attendees=("u_eng1@example.com", "ada@example.com"),
        )
    )
    assert container.calendar_sync.follow_calendar() == []
    return interview_id, event_id


def _move(container: Container, event_id: str, hours: int = 24) -> datetime:
    new_start = START + timedelta(hours=hours)
    _calendar(container).update_event(
        event_id, start=new_start, end=new_start + timedelta(minutes=90)
    )
    return new_start


def _told(fake: FakeSlackAPI, what: str) -> list[RecordedCall]:
    return [c for c in fake.calls("chat.postMessage") if c.ok and what in str(c.params["text"])]


def _notice_key_tail(notice: RecordedCall) -> str:
    """`moved:{fingerprint}` of a change notice's key `calendar-change:{interview}:moved:...`."""
    key = str(notice.params["metadata"]["event_payload"]["key"])
    return key.split(":", 2)[2]


def _token(container: Container) -> str | None:
    with container.unit_of_work() as uow:
        state = uow.session.get(CalendarSyncState, "organizer")
        return state.sync_token if state else None


def _starts_at(container: Container, interview_id: int) -> datetime:
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, interview_id)
        assert interview is not None
        return interview.starts_at


# -- the lease ---------------------------------------------------------------------------------


def test_a_lease_is_held_by_one_holder_until_it_runs_out_or_is_released(
    container: Container, clock: FixedClock
) -> None:
    now = clock.now()

    def take(holder: str, at: datetime) -> bool:
        with container.unit_of_work() as uow:
            taken = uow.leases.take("job", holder, at, at + timedelta(minutes=5))
            uow.commit()
        return taken

    assert take("a", now)
    assert not take("b", now + timedelta(minutes=4))
    assert take("a", now + timedelta(minutes=4))  # the holder extends it
    assert not take("b", now + timedelta(minutes=8))
    assert take("b", now + timedelta(minutes=9))  # ran out
    with container.unit_of_work() as uow:
        uow.leases.release("job", "a")  # not a's any more: nothing happens
        uow.commit()
    assert not take("a", now + timedelta(minutes=10))
    with container.unit_of_work() as uow:
        uow.leases.release("job", "b")
        uow.commit()
    assert take("a", now + timedelta(minutes=10))


def test_a_sync_finds_the_lease_taken_and_leaves_the_calendar_alone(
    container: Container, other_worker: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    interview_id, event_id = _scheduled_interview(container)
    new_start = _move(container, event_id)
    token = _token(container)
    now = clock.now()
    with container.unit_of_work() as uow:
        assert uow.leases.take(LEASE_NAME, "a worker still syncing", now, now + SYNC_LEASE)
        uow.commit()
    assert container.calendar_sync.follow_calendar() == []
    assert other_worker.calendar_sync.follow_calendar() == []
    assert _told(fake_slack, "moved in the calendar") == []
    assert _token(container) == token and _starts_at(container, interview_id) == START

    clock.advance(seconds=SYNC_LEASE.total_seconds())  # that worker died: its lease ran out
    assert [n.change.kind for n in other_worker.calendar_sync.follow_calendar()] == ["moved"]
    assert _starts_at(container, interview_id) == new_start
    assert len(_told(fake_slack, "moved in the calendar")) == 1


# -- two workers, one calendar ------------------------------------------------------------------


def test_two_workers_syncing_at_once_report_a_move_once(
    container: Container, other_worker: Container, fake_slack: FakeSlackAPI
) -> None:
    _, event_id = _scheduled_interview(container)
    _move(container, event_id)
    start = threading.Barrier(2)
    found: list[list[Notice]] = []
    errors: list[BaseException] = []

    def sync(worker: Container) -> None:
        start.wait()
        try:
            found.append(worker.calendar_sync.follow_calendar())
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=sync, args=(w,)) for w in (container, other_worker)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(len(notices) for notices in found) == [0, 1]
    container.outbox.deliver_due()
    assert len(_told(fake_slack, "moved in the calendar")) == 1
    assert container.calendar_sync.follow_calendar() == []
    assert other_worker.calendar_sync.follow_calendar() == []
    assert len(_told(fake_slack, "moved in the calendar")) == 1


def test_a_sync_that_overran_its_lease_records_nothing_the_next_one_reported(
    container: Container,
    other_worker: Container,
    fake_slack: FakeSlackAPI,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first worker reads the changes, then stalls past its lease; the second follows the same
    changes and reports them; the first, resuming, finds them recorded and tells nobody."""
    interview_id, event_id = _scheduled_interview(container)
    new_start = _move(container, event_id)
    read = LocalCalendarProvider.list_changes
    stalled: list[list[Notice]] = []

    def stall_after_reading(self: LocalCalendarProvider, sync_token: str | None) -> ChangeSet:
        changes = read(self, sync_token)
        if self is container.calendar and not stalled:
            clock.advance(seconds=SYNC_LEASE.total_seconds() + 1)
            stalled.append(other_worker.calendar_sync.follow_calendar())
        return changes

    monkeypatch.setattr(LocalCalendarProvider, "list_changes", stall_after_reading)
    assert container.calendar_sync.follow_calendar() == []
    assert [[n.change.kind for n in notices] for notices in stalled] == [["moved"]]
    assert _starts_at(container, interview_id) == new_start
    container.outbox.deliver_due()
    assert len(_told(fake_slack, "moved in the calendar")) == 1


def test_a_sync_whose_lease_was_taken_over_drops_its_reading(
    container: Container,
    other_worker: Container,
    fake_slack: FakeSlackAPI,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stalled past its lease while another worker holds it now: the stalled run records nothing
    (not even the sync token); the change is reported once, by the holder's next run."""
    interview_id, event_id = _scheduled_interview(container)
    _move(container, event_id)
    token = _token(container)
    read = LocalCalendarProvider.list_changes

    def stall_after_reading(self: LocalCalendarProvider, sync_token: str | None) -> ChangeSet:
        changes = read(self, sync_token)
        clock.advance(seconds=SYNC_LEASE.total_seconds() + 1)
        now = clock.now()
        with container.unit_of_work() as uow:
            assert uow.leases.take(LEASE_NAME, "the other worker", now, now + SYNC_LEASE)
            uow.commit()
        return changes

    monkeypatch.setattr(LocalCalendarProvider, "list_changes", stall_after_reading)
    assert container.calendar_sync.follow_calendar() == []
    monkeypatch.setattr(LocalCalendarProvider, "list_changes", read)
    assert _token(container) == token and _starts_at(container, interview_id) == START
    assert _told(fake_slack, "moved in the calendar") == []

    clock.advance(seconds=SYNC_LEASE.total_seconds())
    assert [n.change.kind for n in other_worker.calendar_sync.follow_calendar()] == ["moved"]
    assert container.calendar_sync.follow_calendar() == []
    assert len(_told(fake_slack, "moved in the calendar")) == 1


# -- the notices are written with the change -------------------------------------------------------


def test_a_change_and_its_notices_are_recorded_together_or_not_at_all(
    container: Container, fake_slack: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    interview_id, event_id = _scheduled_interview(container)
    new_start = _move(container, event_id)
    token = _token(container)
    enqueue = OutboxRepository.enqueue_all

    def failing(self: OutboxRepository, messages: list[NewMessage], now: datetime) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(OutboxRepository, "enqueue_all", failing)
    with pytest.raises(RuntimeError):
        container.calendar_sync.follow_calendar()
    assert _starts_at(container, interview_id) == START and _token(container) == token

    monkeypatch.setattr(OutboxRepository, "enqueue_all", enqueue)
    assert [n.change.kind for n in container.calendar_sync.follow_calendar()] == ["moved"]
    assert _starts_at(container, interview_id) == new_start
    assert len(_told(fake_slack, "moved in the calendar")) == 1


def test_a_move_edits_the_confirmation_the_booking_posted(
    container: Container, fake_slack: FakeSlackAPI
) -> None:
    interview_id, event_id = _scheduled_interview(container)
    with container.unit_of_work() as uow:  # as the scheduling flow enqueues it
        uow.outbox.enqueue(
            NewMessage(f"confirmation:{interview_id}", "confirmation", {"text": "Booked"}, "U_HR"),
            container.clock.now(),
        )
        uow.commit()
    container.outbox.deliver_due()
    confirmation = fake_slack.last("chat.postMessage")
    fake_slack.clear()

    _move(container, event_id)
    assert [n.change.kind for n in container.calendar_sync.follow_calendar()] == ["moved"]
    (notice,) = fake_slack.calls("chat.postMessage")
    assert notice.params["channel"] == "U_HR" and "moved in the calendar" in notice.params["text"]
    (edit,) = fake_slack.calls("chat.update")
    assert (edit.params["channel"], edit.params["ts"]) == (
        confirmation.response["channel"],
        confirmation.response["ts"],
    )
    assert edit.params["text"].startswith("Booked")
    with container.unit_of_work() as uow:
        update = uow.outbox.by_key(f"confirmation:{interview_id}:{_notice_key_tail(notice)}")
    assert update is not None and update.status == OutboxStatus.SENT


def test_a_move_posts_the_confirmation_when_the_booking_has_none(
    container: Container, fake_slack: FakeSlackAPI
) -> None:
    interview_id, event_id = _scheduled_interview(container)
    _move(container, event_id)
    assert [n.change.kind for n in container.calendar_sync.follow_calendar()] == ["moved"]
    posts = fake_slack.calls("chat.postMessage")
    assert [c.params["channel"] for c in posts] == ["U_HR", "U_HR"]
    keys = [c.params["metadata"]["event_payload"]["key"] for c in posts]
    assert keys[1] == f"confirmation:{interview_id}"
    assert keys[0].startswith(f"calendar-change:{interview_id}:moved:")
    assert posts[1].params["text"].startswith("Booked")
    assert fake_slack.calls("chat.update") == []
    with container.unit_of_work() as uow:
        assert uow.outbox.status_of(f"confirmation:{interview_id}") == OutboxStatus.SENT


def test_a_deletion_tells_the_scheduler_and_each_interviewer_once(
    container: Container, other_worker: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    interview_id, event_id = _scheduled_interview(container)
    _calendar(container).cancel_event(event_id)
    assert [n.change.kind for n in container.calendar_sync.follow_calendar()] == ["deleted"]
    with container.unit_of_work() as uow:  # read the whole calendar again: nothing new
        state = uow.session.get(CalendarSyncState, "organizer")
        assert state is not None
        state.sync_token = None
        uow.commit()
    clock.advance(minutes=2)
    assert other_worker.calendar_sync.follow_calendar() == []
    container.outbox.deliver_due()
    posts = [c for c in fake_slack.calls("chat.postMessage") if c.ok]
    keys = sorted(str(c.params["metadata"]["event_payload"]["key"]) for c in posts)
    assert [c.params["channel"] for c in posts] == ["U_HR", "U_HR", "U_ENG1"]
    assert keys == [
        f"booking-dm:{interview_id}:U_ENG1:cancelled:0",  # the interviewer's DM
        f"calendar-change:{interview_id}:deleted:{keys[1].rsplit(':', 1)[1]}",  # the notice
        f"confirmation:{interview_id}",  # the booking had none: posted
    ]
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, interview_id)
        assert interview is not None and interview.status == InterviewStatus.CANCELLED
