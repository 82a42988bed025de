"""At booking, the chosen time must have been offered and must still meet every rule.

Through SchedulingService.book on the fake unit of work (the same flows on the real databases,
and the race between two bookings, are in tests/e2e/test_booking_races.py).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from bot.scheduling.service import Booked, NotOffered, SchedulingError, SlotTaken
from models.hiring import InterviewStatus, SchedulingRequest, SchedulingStatus
from models.schemas import ChosenSlot
from tests.unit.test_booking_outcomes import (
    MONDAY,
    WEDNESDAY_TEN,
    WINDOW,
    Booking,
    _booking,
    _offered,
)

THURSDAY_TEN = WEDNESDAY_TEN + timedelta(days=1)


def _another_request(b: Booking, name: str = "Alan Turing") -> SchedulingRequest:
    """A second candidate's request for the same stage and interviewer."""
    data = b.uow.data
    stage = data.stages[b.request.stage_id]
    return data.scheduling_request(
        data.candidate(name, stage, MONDAY),
        stage,
        data.people[b.request.requested_by_id],
        {1: [data.people[b.request.panel["1"][0]]]},
        WINDOW,
        MONDAY,
    )


def _move_of(b: Booking, interview_id: int) -> SchedulingRequest:
    data = b.uow.data
    move = data.scheduling_request(
        data.candidates[b.request.candidate_id],
        data.stages[b.request.stage_id],
        data.people[b.request.requested_by_id],
        {1: [data.people[b.request.panel["1"][0]]]},
        WINDOW,
        MONDAY,
    )
    move.interview_id = interview_id
    return move


def _grace(b: Booking) -> int:
    return b.request.panel["1"][0]


def test_a_time_that_was_not_offered_is_refused_and_nothing_is_booked() -> None:
    b = _booking()
    sunday_night = datetime.fromisoformat("2026-03-08T02:00:00+00:00")

    with pytest.raises(NotOffered, match="That time was not offered; pick one of the proposals"):
        b.service.book(ChosenSlot(request_uid=b.request.uid, starts={1: sunday_night}), "U_REC")

    assert b.calendar.live_events() == []
    assert b.uow.data.interviews == {}
    assert b.request.status == SchedulingStatus.PROPOSED


def test_a_request_never_proposed_cannot_be_booked() -> None:
    b = _booking()
    b.request.offered = None

    with pytest.raises(NotOffered):
        b.service.book(b.choice, "U_REC")

    assert b.calendar.live_events() == []


def test_proposing_records_what_was_offered_and_each_option_can_be_booked() -> None:
    b = _booking()
    proposals = b.service.propose(b.request.uid)

    option = proposals.options[-1]
    assert len(b.request.offered or []) == len(proposals.options)
    outcome = b.service.book(
        ChosenSlot(request_uid=b.request.uid, starts={s.position: s.start for s in option}),
        "U_REC",
    )

    assert isinstance(outcome, Booked)


def test_another_booking_pending_at_that_time_takes_it_even_before_the_calendar_has_it() -> None:
    b = _booking()
    other = _another_request(b)
    first = b.service.book(b.choice, "U_REC")
    assert isinstance(first, Booked)
    # The first booking is pending in the database but not in the calendar yet.
    b.uow.data.interviews[first.summary.interview_id].status = InterviewStatus.PENDING
    b.calendar.events.clear()

    outcome = b.service.book(_offered(other, {1: WEDNESDAY_TEN + timedelta(minutes=30)}), "U_REC")

    assert isinstance(outcome, SlotTaken) and outcome.reason == ""
    starts = [option[0].start for option in outcome.fresh.options]
    assert starts and all(
        s >= WEDNESDAY_TEN + timedelta(minutes=55) or s + timedelta(minutes=55) <= WEDNESDAY_TEN
        for s in starts
    )
    assert b.calendar.live_events() == []


def test_the_same_candidate_cannot_be_in_two_interviews_at_once() -> None:
    b = _booking()
    assert isinstance(b.service.book(b.choice, "U_REC"), Booked)
    data = b.uow.data
    linus = data.person("U_LINUS", "Linus", data.people[_grace(b)].team_roles[0].role)
    second_stage = data.role("Backend engineer, again", ["Onsite"]).stages[0]
    same_candidate = data.scheduling_request(
        data.candidates[b.request.candidate_id],
        second_stage,
        data.people[b.request.requested_by_id],
        {1: [linus]},
        WINDOW,
        MONDAY,
    )

    outcome = b.service.book(_offered(same_candidate, {1: WEDNESDAY_TEN}), "U_REC")

    assert isinstance(outcome, SlotTaken)
    assert len(b.calendar.live_events()) == 1


def test_a_time_now_under_the_notice_is_refused_with_fresh_proposals() -> None:
    b = _booking()
    b.clock.advance(hours=50)  # Wednesday 10:00 UTC: the chosen time is now in the past

    outcome = b.service.book(b.choice, "U_REC")

    assert isinstance(outcome, SlotTaken)
    assert "less than 24 hours away" in outcome.reason
    assert b.calendar.live_events() == []


def test_a_time_outside_the_interviewers_hours_now_is_refused() -> None:
    b = _booking()
    b.uow.data.people[_grace(b)].work_start = time(14, 0)

    outcome = b.service.book(b.choice, "U_REC")

    assert isinstance(outcome, SlotTaken)
    assert outcome.reason == "it is outside Grace's working hours"
    assert b.calendar.live_events() == []


def test_the_weekly_cap_is_checked_again_at_booking() -> None:
    b = _booking()
    b.uow.data.people[_grace(b)].weekly_interview_cap = 1
    assert isinstance(b.service.book(b.choice, "U_REC"), Booked)
    other = _another_request(b)

    outcome = b.service.book(_offered(other, {1: THURSDAY_TEN}), "U_REC")

    assert isinstance(outcome, SlotTaken)
    assert outcome.reason == "Grace has reached their weekly interview limit"
    assert len(b.calendar.live_events()) == 1


def test_moving_an_interview_in_the_same_week_does_not_count_it_against_its_own_cap() -> None:
    b = _booking()
    b.uow.data.people[_grace(b)].weekly_interview_cap = 1
    booked = b.service.book(b.choice, "U_REC")
    assert isinstance(booked, Booked)
    move = _move_of(b, booked.summary.interview_id)

    proposals = b.service.propose(move.uid)
    assert proposals.options, "the interview being moved must not fill its interviewer's week"
    outcome = b.service.book(_offered(move, {1: THURSDAY_TEN}), "U_REC")

    assert isinstance(outcome, Booked) and outcome.rescheduled
    assert [e.start for e in b.calendar.live_events()] == [THURSDAY_TEN]


def test_the_stages_daily_cap_is_checked_again_at_booking() -> None:
    b = _booking()
    b.uow.data.stages[b.request.stage_id].daily_cap = 1
    assert isinstance(b.service.book(b.choice, "U_REC"), Booked)
    other = _another_request(b)

    same_day = b.service.book(_offered(other, {1: WEDNESDAY_TEN + timedelta(hours=4)}), "U_REC")
    next_day = b.service.book(_offered(other, {1: THURSDAY_TEN}), "U_REC")

    assert isinstance(same_day, SlotTaken)
    assert same_day.reason == "Grace has reached their daily interview limit"
    assert isinstance(next_day, Booked)


def test_a_persons_own_daily_cap_is_lower_than_the_stages_and_wins() -> None:
    b = _booking()
    b.uow.data.stages[b.request.stage_id].daily_cap = 4
    b.uow.data.people[_grace(b)].daily_interview_cap = 1
    assert isinstance(b.service.book(b.choice, "U_REC"), Booked)
    other = _another_request(b)

    outcome = b.service.book(_offered(other, {1: WEDNESDAY_TEN + timedelta(hours=4)}), "U_REC")

    assert isinstance(outcome, SlotTaken)
    assert "daily interview limit" in outcome.reason


def test_an_interviewers_own_public_holiday_is_refused_at_booking() -> None:
    b = _booking()
    b.uow.data.people[_grace(b)].holiday_country = "IN"  # Holi: Wednesday 4 March 2026

    outcome = b.service.book(b.choice, "U_REC")

    assert isinstance(outcome, SlotTaken)
    assert outcome.reason == "it is a day off for Grace"
    assert b.calendar.live_events() == []


def test_the_stages_notice_is_the_one_checked_at_booking() -> None:
    b = _booking()
    b.uow.data.stages[b.request.stage_id].notice_hours = 72  # Wednesday 10:00 is 49 hours away

    outcome = b.service.book(b.choice, "U_REC")

    assert isinstance(outcome, SlotTaken)
    assert outcome.reason == "it is less than 72 hours away now"


def test_the_stages_buffer_is_the_one_checked_at_booking() -> None:
    b = _booking()
    b.uow.data.stages[b.request.stage_id].buffer_minutes = 60
    assert isinstance(b.service.book(b.choice, "U_REC"), Booked)  # Wednesday 10:00-10:45 Paris
    other = _another_request(b)
    close_after = WEDNESDAY_TEN + timedelta(minutes=45 + 30)

    outcome = b.service.book(_offered(other, {1: close_after}), "U_REC")

    assert isinstance(outcome, SlotTaken)
    assert outcome.reason == ""  # taken: another booking holds the time


def test_a_second_request_for_the_same_candidate_and_stage_cannot_book_it_twice() -> None:
    b = _booking()
    data = b.uow.data
    second = data.scheduling_request(
        data.candidates[b.request.candidate_id],
        data.stages[b.request.stage_id],
        data.people[b.request.requested_by_id],
        {1: [data.people[_grace(b)]]},
        WINDOW,
        MONDAY,
    )  # started before the first was booked, so its modal was not refused
    assert isinstance(b.service.book(b.choice, "U_REC"), Booked)

    with pytest.raises(SchedulingError, match="was booked for Ada .* meanwhile"):
        b.service.book(_offered(second, {1: THURSDAY_TEN}), "U_REC")

    assert len(b.calendar.live_events()) == 1
    assert second.status == SchedulingStatus.PROPOSED  # the claim was given back
