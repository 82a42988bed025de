"""Bookings that must not both succeed, and a booking value the bot never offered.

Two recruiters book the same interviewer at the same time for two candidates: both pass the
calendar's free/busy re-check before either writes (a barrier holds them there), so only the
database can tell them apart. Exactly one books; the other gets fresh proposals without that time.
Run on every database: `--databases=sqlite,mariadb,postgresql`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.container import Container
from bot.scheduling.service import Booked, BookingOutcome, SlotTaken
from calendars.provider import BusyInterval, CalendarProvider
from models import Interview, InterviewStatus, SchedulingRequest, SchedulingStatus
from models.schemas import ChosenSlot
from tests.clock import FixedClock
from tests.conftest import make_settings, prepared_container, serve_bot
from tests.e2e.scheduling_helpers import (
    FRI,
    WED,
    click,
    proposal_buttons,
    proposals_in,
    schedule_values,
    seed_people,
    stage_id,
    submit,
)
from tests.fakes.slack_api import FakeSlackAPI

SUNDAY_2AM = "2026-11-29T02:00:00+00:00"


class _Together:
    """Makes the next `parties` free/busy calls (on any of the calendars it wraps) wait for each
    other, then lets every call through."""

    def __init__(self, parties: int) -> None:
        self._barrier = threading.Barrier(parties, timeout=20)
        self._left = parties
        self._lock = threading.Lock()

    @contextmanager
    def on(self, calendar: CalendarProvider) -> Iterator[None]:
        original = calendar.free_busy

        def free_busy(emails: Any, start: datetime, end: datetime) -> dict[str, list[BusyInterval]]:
            with self._lock:
                wait, self._left = self._left > 0, self._left - 1
            if wait:
                self._barrier.wait()
            return original(emails, start, end)

        setattr(calendar, "free_busy", free_busy)  # noqa: B010 - an instance attribute
        try:
            yield
        finally:
            delattr(calendar, "free_busy")


def _request_two(bot_url: str, fake_slack: FakeSlackAPI, container: Container) -> list[str]:
    """Two candidates' HR screenings with Hanna, each proposed; the values of both first times."""
    seed_people(container)
    hr = stage_id(container, "hr-screening")
    values = []
    for view_id, name in (("V_A", "Ada Lovelace"), ("V_B", "Alan Turing")):
        email = name.split()[0].lower() + "@example.com"
        submit(
            bot_url,
            schedule_values(hr, ["U_HR"], WED, FRI, name=name, email=email),
            "U_ADMIN",
            view_id,
        )
        values.append(str(proposal_buttons(proposals_in(fake_slack, view_id))[0]["value"]))
    first, second = (json.loads(v)["starts"] for v in values)
    assert first == second  # the same time for both: Hanna is free then
    return values


def _live_interviews(container: Container) -> list[Interview]:
    with container.unit_of_work() as uow:
        return list(
            uow.session.scalars(
                select(Interview).where(Interview.status != InterviewStatus.CANCELLED)
            )
        )


def _calendar_events_at(container: Container, start: str) -> list[str]:
    return [
        e.event_id
        for e in container.calendar.list_changes(None).events
        if e.status != "cancelled" and e.start == datetime.fromisoformat(start)
    ]


def test_a_time_that_was_not_offered_is_refused(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    seed_people(container)
    submit(bot_url, schedule_values(stage_id(container, "hr-screening"), ["U_HR"], WED, FRI))
    offered = proposal_buttons(proposals_in(fake_slack, "V_SCHED"))
    uid = json.loads(str(offered[0]["value"]))["request_uid"]
    crafted = json.dumps({"request_uid": uid, "starts": {"1": SUNDAY_2AM}})

    click(bot_url, "book_slot", crafted)

    refused = fake_slack.wait_for(
        "views.update",
        timeout=10,
        where=lambda c: "was not offered" in json.dumps(c.params.get("view")),
    )
    assert "That time was not offered; pick one of the proposals." in json.dumps(
        refused[0].params["view"]
    )
    assert _live_interviews(container) == []
    with container.unit_of_work() as uow:
        assert uow.session.scalars(select(Interview)).all() == []
        request = uow.session.scalars(select(SchedulingRequest)).one()
        assert request.status == SchedulingStatus.PROPOSED
    assert container.calendar.list_changes(None).events == []
    assert fake_slack.calls("chat.postMessage") == []


def test_two_bookings_of_one_interviewer_at_one_time_book_once(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    values = _request_two(bot_url, fake_slack, container)
    outcomes: list[BookingOutcome] = []
    errors: list[BaseException] = []

    def book(value: str) -> None:
        try:
            outcomes.append(
                container.scheduling.book(ChosenSlot.model_validate_json(value), "U_ADMIN")
            )
        except BaseException as error:  # reported below
            errors.append(error)

    with _Together(2).on(container.calendar):
        threads = [threading.Thread(target=book, args=(v,)) for v in values]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert errors == []
    assert sorted(type(o).__name__ for o in outcomes) == ["Booked", "SlotTaken"]
    taken = next(o for o in outcomes if isinstance(o, SlotTaken))
    start = json.loads(values[0])["starts"]["1"]
    fresh = [option[0].start for option in taken.fresh.options]
    assert fresh and datetime.fromisoformat(start) not in fresh
    booked = next(o for o in outcomes if isinstance(o, Booked))
    assert [i.id for i in _live_interviews(container)] == [booked.summary.interview_id]
    assert len(_calendar_events_at(container, start)) == 1
    with container.unit_of_work() as uow:
        loser = uow.interviews.request_by_uid(taken.fresh.request_uid)
        assert loser is not None and loser.status == SchedulingStatus.PROPOSED
        assert loser.offered == [
            {"1": option[0].start.isoformat()} for option in taken.fresh.options
        ]


def test_two_web_processes_booking_one_interviewer_at_one_time_book_once(
    fake_slack: FakeSlackAPI, database_url: str, clock: FixedClock
) -> None:
    """The same contest through signed requests to two served apps on one database."""
    settings = make_settings(database_url, fake_slack.url)
    with ExitStack() as stack:
        first = stack.enter_context(prepared_container(settings, clock))
        second = stack.enter_context(prepared_container(settings, clock))
        urls = [stack.enter_context(serve_bot(c)) for c in (first, second)]
        values = _request_two(urls[0], fake_slack, first)
        together = _Together(2)
        stack.enter_context(together.on(first.calendar))
        stack.enter_context(together.on(second.calendar))
        clicks = [
            threading.Thread(target=click, args=(url, "book_slot", value), kwargs={"view_id": view})
            for url, value, view in zip(urls, values, ("V_A", "V_B"), strict=True)
        ]
        for thread in clicks:
            thread.start()
        for thread in clicks:
            thread.join(timeout=60)

        booked = fake_slack.wait_for(
            "views.update",
            timeout=20,
            where=lambda c: c.params["view"]["title"]["text"] == "Interview booked",
        )
        fresh = fake_slack.wait_for(
            "views.update",
            timeout=20,
            where=lambda c: "Here are fresh proposals" in json.dumps(c.params["view"]),
        )
        assert {booked[0].params["view_id"], fresh[0].params["view_id"]} == {"V_A", "V_B"}
        start = json.loads(values[0])["starts"]["1"]
        assert start not in json.dumps(fresh[0].params["view"])
        assert len(_live_interviews(first)) == 1
        assert len(_calendar_events_at(first, start)) == 1
        finals = [
            c
            for c in fake_slack.calls("views.update")
            if c.params["view"]["title"]["text"] == "Interview booked"
        ]
        assert len(finals) == 1
