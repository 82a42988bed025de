"""Two `python -m bot worker` processes on one database do each thing once.

The workers run the real scheduler on the wall clock, so the data is prepared relative to now:
an interview that ended half an hour ago (two feedback requests are due), one whose feedback is all
in (a decision request is due), the digest due (DIGEST_TIME 00:00 in a time zone where today is a
working day) and an interview whose calendar event was moved since the last sync. Every job runs
once on each worker as it starts, so both workers reach for the same work at the same moment.
Then both are stopped, the event is moved again, and both are started again (a deploy): the
second move is reported once, and nothing else is sent a second time.

No job interval is shortened for the test: the start-up run of every job, on both workers at
once, is the contest; a restart is the "later run".
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.container import Container
from bot.shared.working_time import is_working_day
from calendars.local import LocalCalendarProvider
from calendars.provider import EventRequest
from models import TeamRole
from models.outbox import NewMessage
from tests import builders
from tests.clock import FixedClock
from tests.conftest import BOT_TOKEN, SIGNING_SECRET, make_settings, prepared_container
from tests.e2e.feedback_world import submit_directly
from tests.fakes.slack_api import FakeSlackAPI, RecordedCall

PROJECT = Path(__file__).resolve().parents[2]
# The outbox job runs every 5 s: after this long with nothing new, a duplicate would have shown.
SETTLE_SECONDS = 7
WAIT_SECONDS = 60


def _working_zone(now: datetime) -> str | None:
    """A fixed-offset zone where `now` is on a working day, at the local hour nearest noon (and
    not in its last hour, so the day does not end while the test runs); None in the hours of a
    weekend when no time zone is on a working day."""
    best: tuple[int, str] | None = None
    for offset in range(-12, 15):
        name = f"Etc/GMT{-offset:+d}"  # Etc/GMT-2 is two hours ahead of UTC
        local = now.astimezone(ZoneInfo(name))
        if not is_working_day(local.date()) or local.hour == 23:
            continue
        if best is None or abs(local.hour - 12) < best[0]:
            best = (abs(local.hour - 12), name)
    return best[1] if best else None


class Day:
    """What the test prepared, and what the workers must send for it."""

    def __init__(self, now: datetime, zone: str | None) -> None:
        self.now = now
        self.zone = zone or "Europe/Paris"
        self.digest_due = zone is not None
        self.moved_event_id = ""
        self.moved_interview_id = 0


def _prepare(container: Container, day: Day) -> None:
    now = day.now
    with container.unit_of_work() as uow:
        s = uow.session
        hr = builders.person(s, "U_HR", "Hanna HR", TeamRole.RECRUITER)
        hm = builders.person(s, "U_HM", "Hugo HM", TeamRole.HIRING_MANAGER)
        builders.person(s, "U_HEAD", "Margaret", TeamRole.HEAD_OF_ENGINEERING)
        eng = {
            slack_id: builders.person(s, slack_id, name, TeamRole.INTERVIEWER)
            for slack_id, name in (("U_ENG1", "Grace"), ("U_ENG2", "Linus"), ("U_ENG3", "Ken"))
        }
        ada = builders.candidate(
            s, "Ada", "ada@example.com", now - timedelta(days=2), "technical-test"
        )
        ended = builders.interview(
            s, ada, "technical-test", now - timedelta(hours=2), [eng["U_ENG1"], eng["U_ENG2"]], 90
        )
        bob = builders.candidate(
            s, "Bob", "bob@example.com", now - timedelta(days=9), "technical-test"
        )
        reviewed = builders.interview(
            s, bob, "technical-test", now - timedelta(days=8), [eng["U_ENG3"]], 90
        )
        cleo = builders.candidate(s, "Cleo", "cleo@example.com", now, "technical-test")
        coming = builders.interview(s, cleo, "technical-test", now + timedelta(days=2), [hm], 90)
        for interview in (ended, reviewed, coming):
            interview.scheduled_by_id = hr.id
        uow.commit()
        reviewed_id = reviewed.id
        day.moved_interview_id = coming.id
        day.moved_event_id = coming.events[0].calendar_event_id
        starts = coming.starts_at
    submit_directly(container, "U_ENG3", reviewed_id)  # Bob's feedback is all in
    container.calendar.create_event(
        EventRequest(
            event_id=day.moved_event_id,
            summary="Cleo (technical test)",
            start=starts,
            end=starts + timedelta(minutes=90),
            attendees=("u_hm@example.com", "cleo@example.com"),
        )
    )
    with container.unit_of_work() as uow:  # the booking's confirmation, as scheduling posts it
        uow.outbox.enqueue(
            NewMessage(
                f"confirmation:{day.moved_interview_id}", "confirmation", {"text": "Booked"}, "U_HR"
            ),
            now,
        )
        uow.commit()
    container.outbox.deliver_due()
    assert container.calendar_sync.follow_calendar() == []  # the last sync before the workers


def _move(container: Container, day: Day, days: int) -> None:
    calendar = container.calendar
    assert isinstance(calendar, LocalCalendarProvider)
    start = day.now.replace(second=0, microsecond=0) + timedelta(days=days)
    calendar.update_event(day.moved_event_id, start=start, end=start + timedelta(minutes=90))


@contextmanager
def _workers(
    database_url: str, fake_slack: FakeSlackAPI, day: Day, logs: Path
) -> Iterator[list[subprocess.Popen[bytes]]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GOOGLE_"))}
    env.update(
        DATABASE_URL=database_url,
        SLACK_API_URL=fake_slack.url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        ADMIN_SLACK_IDS="U_ADMIN",
        CALENDAR_BACKEND="local",
        TIMEZONE=day.zone,
        DIGEST_RECIPIENT="U_HEAD",
        DIGEST_TIME="00:00",
        PYTHONPATH=str(PROJECT),
    )
    processes = []
    for number in (1, 2):
        with (logs / f"worker{number}.log").open("ab") as log:
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "bot", "worker"],
                    cwd=logs,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
    try:
        yield processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)


def _posts(fake: FakeSlackAPI) -> list[RecordedCall]:
    return [c for c in fake.calls("chat.postMessage") if c.ok]


def _wait_until(
    fake: FakeSlackAPI, expected: Counter[str], processes: list[subprocess.Popen[bytes]], logs: Path
) -> None:
    """Until every expected call was made, then until nothing new comes for SETTLE_SECONDS."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not Counter(_summary(fake)) >= expected:
        dead = [p.args for p in processes if p.poll() is not None]
        if dead or time.monotonic() > deadline:
            raise AssertionError(
                f"expected {dict(expected)}, got {dict(Counter(_summary(fake)))}; dead: {dead}\n"
                + _tail(logs)
            )
        time.sleep(0.2)
    seen = len(fake.calls())
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < SETTLE_SECONDS:
        time.sleep(0.2)
        if len(fake.calls()) != seen:
            seen, quiet_since = len(fake.calls()), time.monotonic()


def _summary(fake: FakeSlackAPI) -> list[str]:
    """What Slack was asked to do, as `method channel`: posts and edits by channel, uploads."""
    done = [f"chat.postMessage {c.params['channel']}" for c in _posts(fake)]
    done += [f"chat.update {c.params['channel']}" for c in fake.calls("chat.update") if c.ok]
    done += ["upload" for c in fake.calls("files.completeUploadExternal") if c.ok]
    return done


def _tail(logs: Path) -> str:
    return "\n".join(
        f"--- {path.name}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-40:])
        for path in sorted(logs.glob("worker*.log"))
    )


@pytest.fixture
def day(database_url: str, fake_slack: FakeSlackAPI) -> Iterator[tuple[Day, Container]]:
    now = datetime.now(UTC)
    zone = _working_zone(now)
    prepared = Day(now, zone)
    settings = make_settings(
        database_url,
        fake_slack.url,
        timezone=prepared.zone,
        digest_recipient="U_HEAD",
        digest_time="00:00",
    )
    with prepared_container(settings, FixedClock(now)) as container:
        _prepare(container, prepared)
        fake_slack.clear()
        yield prepared, container


def test_two_workers_send_every_message_once_and_report_each_change_once(
    day: tuple[Day, Container], database_url: str, fake_slack: FakeSlackAPI, tmp_path: Path
) -> None:
    prepared, container = day
    _move(container, prepared, days=3)
    expected = Counter(
        {
            "chat.postMessage U_ENG1": 1,  # the two feedback requests
            "chat.postMessage U_ENG2": 1,
            "chat.postMessage U_HM": 1,  # the decision request, to both decision makers
            "chat.postMessage U_HR": 2,  # ... and the move in the calendar, to the scheduler
            "chat.update DU_HR": 1,  # the booking's confirmation (in the DM), showing the move
        }
    )
    if prepared.digest_due:
        expected.update({"chat.postMessage U_HEAD": 1, "upload": 1})  # the digest, its chart
    started = time.monotonic()
    with _workers(database_url, fake_slack, prepared, tmp_path) as processes:
        _wait_until(fake_slack, expected, processes, tmp_path)
    assert Counter(_summary(fake_slack)) == expected, _tail(tmp_path)
    moved = [c for c in _posts(fake_slack) if "moved in the calendar" in c.params["text"]]
    assert len(moved) == 1
    decisions = [c for c in _posts(fake_slack) if c.params["text"].startswith("Decision needed")]
    assert sorted(c.params["channel"] for c in decisions) == ["U_HM", "U_HR"]

    _move(container, prepared, days=4)  # between runs: the workers are stopped, then started again
    expected.update({"chat.postMessage U_HR": 1, "chat.update DU_HR": 1})
    with _workers(database_url, fake_slack, prepared, tmp_path) as processes:
        _wait_until(fake_slack, expected, processes, tmp_path)
    assert Counter(_summary(fake_slack)) == expected, _tail(tmp_path)
    moved = [c for c in _posts(fake_slack) if "moved in the calendar" in c.params["text"]]
    assert len(moved) == 2
    print(f"two workers, two runs: {time.monotonic() - started:.1f} s")
