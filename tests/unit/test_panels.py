"""Why these people, and the other panels a search may try when pool members stand in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.scheduling.load import MemberLoad
from bot.scheduling.panels import PoolStanding, other_panels, why_these_people
from bot.scheduling.rules import NOT_OFFERED, offered_option, offered_panel
from calendars.slot_ranking import rank_proposals
from calendars.slot_types import PlacedSession, Proposal

ENGINEERS = PoolStanding(
    "backend-engineers",
    "Backend engineers",
    tuple(MemberLoad(i, minutes=60 * i, last_booked_at=None, interviews=i) for i in (1, 2, 3, 4)),
)
HR = PoolStanding("recruiters", "HR recruiters", (MemberLoad(9, 0, None, interviews=0),))
STANDINGS = {s.key: s for s in (ENGINEERS, HR)}
NAMES = {1: "Zelda", 2: "Yann", 3: "Xavier", 4: "Aaron", 9: "Hanna", 42: "Ken"}


def test_the_lightest_member_is_said_to_be_so_with_their_count() -> None:
    line = why_these_people({1: [1]}, {1: "backend-engineers"}, STANDINGS, NAMES)

    assert line == "Zelda: lightest load in Backend engineers (1 interview in 4 weeks)"


def test_others_are_placed_in_their_pool_and_outsiders_are_the_recruiters_pick() -> None:
    line = why_these_people(
        {1: [9], 2: [2, 42]}, {1: "recruiters", 2: "backend-engineers"}, STANDINGS, NAMES
    )

    assert line == (
        "Hanna: lightest load in HR recruiters (0 interviews in 4 weeks); "
        "Yann: 2nd lightest of 4 in Backend engineers (2 interviews in 4 weeks); "
        "Ken: picked by the recruiter"
    )


def test_other_panels_keep_the_lightest_members_and_change_one_at_a_time() -> None:
    pools = {1: "backend-engineers"}

    assert other_panels({1: [3, 4]}, pools, STANDINGS) == [
        {1: [1, 2]},
        {1: [1, 3]},
        {1: [1, 4]},
        {1: [2, 3]},
        {1: [2, 4]},
    ]


def test_other_panels_of_a_loop_do_not_put_one_person_in_two_sessions() -> None:
    pools = {1: "backend-engineers", 2: "backend-engineers"}

    for panel in other_panels({1: [4], 2: [3]}, pools, STANDINGS):
        assert panel[1] != panel[2]


def test_a_session_without_a_known_pool_keeps_the_recruiters_pick() -> None:
    panels = other_panels({1: [42], 2: [4]}, {1: "nobody", 2: "backend-engineers"}, STANDINGS)

    assert panels and all(panel[1] == [42] for panel in panels)


def test_a_pool_of_one_has_no_other_panel() -> None:
    assert other_panels({1: [9]}, {1: "recruiters"}, STANDINGS) == []


def test_the_panel_of_an_offered_option_is_what_booking_uses() -> None:
    start = datetime(2026, 3, 3, 8, tzinfo=UTC)
    offered = [
        offered_option({1: start}),
        offered_option({1: start + timedelta(hours=1)}, {1: [4]}),
    ]

    assert offered_panel(offered, {1: start}) is None  # the request's own panel
    assert offered_panel(offered, {1: start + timedelta(hours=1)}) == {"1": [4]}
    assert offered_panel(offered, {1: start + timedelta(hours=2)}) is NOT_OFFERED
    assert offered_panel(None, {1: start}) is NOT_OFFERED


def _proposal(start: datetime, load: float) -> Proposal:
    session = PlacedSession("1", start, start + timedelta(minutes=30), ("x",))
    return Proposal(sessions=(session,), load=load)


def test_within_a_day_the_lighter_panel_comes_first_but_an_earlier_day_wins() -> None:
    paris = ZoneInfo("Europe/Paris")
    monday_heavy = _proposal(datetime(2026, 3, 2, 8, tzinfo=UTC), load=300)
    monday_light_later = _proposal(datetime(2026, 3, 2, 13, tzinfo=UTC), load=0)
    tuesday_light = _proposal(datetime(2026, 3, 3, 8, tzinfo=UTC), load=0)

    ranked = rank_proposals([tuesday_light, monday_heavy, monday_light_later], zone=paris)

    assert ranked == [monday_light_later, monday_heavy, tuesday_light]
