"""Example-based tests of the slot finder, one product rule per test."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from calendars.provider import BusyInterval
from calendars.slots import (
    Interviewer,
    Proposal,
    SessionToPlace,
    SlotSearch,
    find_slots,
    merge_intervals,
    proposal_load,
    rank_proposals,
)

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
KOLKATA = ZoneInfo("Asia/Kolkata")

MONDAY = date(2024, 10, 14)  # an ordinary week: Paris on CEST, New York on EDT
MONDAY_AFTER_PARIS_DST_END = date(2024, 10, 28)  # Paris back on CET, New York still on EDT


def at(day: date, hour: int, minute: int = 0, zone: ZoneInfo = PARIS) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def busy(day: date, start: tuple[int, int], end: tuple[int, int]) -> BusyInterval:
    return BusyInterval(at(day, *start), at(day, *end))


def person(key: str, zone: str = "Europe/Paris", **details: Any) -> Interviewer:
    return Interviewer(key=key, timezone=zone, **details)


def session(name: str, minutes: int, *keys: str) -> SessionToPlace:
    return SessionToPlace(name=name, duration=timedelta(minutes=minutes), interviewer_keys=keys)


def stage(
    *sessions: SessionToPlace, first_day: date = MONDAY, days: int = 5, **options: Any
) -> SlotSearch:
    """A search over `days` days from midnight (Paris) of `first_day`, asked well ahead."""
    window_start = at(first_day, 0)
    options.setdefault("now", window_start - timedelta(days=2))
    options.setdefault("company_timezone", "Europe/Paris")
    return SlotSearch(
        sessions=sessions,
        window_start=window_start,
        window_end=window_start + timedelta(days=days),
        **options,
    )


def panel(*people: Interviewer) -> dict[str, Interviewer]:
    return {p.key: p for p in people}


def local_starts(proposals: list[Proposal], zone: ZoneInfo = PARIS) -> list[datetime]:
    return [p.start.astimezone(zone).replace(tzinfo=None) for p in proposals]


def naive(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def test_first_proposal_is_at_the_start_of_the_working_day() -> None:
    proposals = find_slots(stage(session("HR screening", 30, "hr")), panel(person("hr")))

    assert local_starts(proposals)[:2] == [naive(MONDAY, 9), naive(MONDAY, 9, 30)]
    assert proposals[0].end - proposals[0].start == timedelta(minutes=30)


def test_proposal_avoids_busy_time_with_buffer() -> None:
    hr = person("hr", busy=(busy(MONDAY, (9, 0), (10, 0)), busy(MONDAY, (11, 0), (12, 0))))
    search = stage(session("HR screening", 30, "hr"))

    # 10:15-10:45 keeps 10 minutes from both meetings; 10:30-11:00 would not
    assert local_starts(find_slots(search, panel(hr)))[:2] == [
        naive(MONDAY, 10, 15),
        naive(MONDAY, 12, 15),
    ]


def test_a_longer_buffer_closes_a_short_gap() -> None:
    hr = person("hr", busy=(busy(MONDAY, (9, 0), (10, 0)), busy(MONDAY, (11, 0), (12, 0))))
    search = stage(session("HR screening", 30, "hr"), buffer=timedelta(minutes=20))

    assert local_starts(find_slots(search, panel(hr)))[0] == naive(MONDAY, 12, 30)


def test_no_proposal_on_weekends() -> None:
    friday = MONDAY + timedelta(days=4)
    hr = person("hr", busy=(busy(friday, (9, 0), (18, 0)),))
    search = stage(session("HR screening", 60, "hr"), first_day=friday, days=4)

    starts = local_starts(find_slots(search, panel(hr)))

    assert starts[0] == naive(MONDAY + timedelta(days=7), 9)
    assert all(start.weekday() < 5 for start in starts)


def test_no_proposal_on_a_company_holiday() -> None:
    christmas = date(2024, 12, 25)  # a Wednesday
    hr = person("hr", busy=(busy(christmas - timedelta(days=1), (9, 0), (18, 0)),))
    search = stage(
        session("HR screening", 60, "hr"),
        first_day=christmas - timedelta(days=1),
        days=3,
        company_holidays=frozenset({christmas}),
    )

    starts = local_starts(find_slots(search, panel(hr)))

    assert starts[0] == naive(christmas + timedelta(days=1), 9)
    assert all(start.date() != christmas for start in starts)


def test_a_company_holiday_counts_in_the_company_time_zone() -> None:
    # 09:00-18:00 in New York on 25 December is 15:00-24:00 in Paris: all of it on the holiday.
    christmas = date(2024, 12, 25)
    engineer = person("ny", "America/New_York")
    search = stage(
        session("Technical test", 60, "ny"),
        first_day=christmas,
        days=1,
        company_holidays=frozenset({christmas}),
    )

    assert find_slots(search, panel(engineer)) == []
    without_holiday = find_slots(
        stage(session("Technical test", 60, "ny"), first_day=christmas, days=1), panel(engineer)
    )
    assert without_holiday


def test_company_weekend_counts_even_when_it_is_friday_for_the_interviewer() -> None:
    # Los Angeles works 18:00-03:00 Paris time: its Friday afternoon is Saturday in Paris
    friday = MONDAY + timedelta(days=4)
    recruiter = person("la", "America/Los_Angeles", busy=(busy(friday, (0, 0), (20, 0)),))
    search = stage(session("HR screening", 120, "la"), first_day=friday, days=4)

    starts = local_starts(find_slots(search, panel(recruiter)))

    assert starts[0] == naive(friday, 20, 15)  # 11:15-13:15 in LA, before Paris midnight
    assert starts[1] == naive(MONDAY + timedelta(days=7), 18)


def test_interviewer_weekend_counts_even_when_it_is_friday_for_the_company() -> None:
    # Friday 20:00 in Paris is already Saturday morning in Tokyo
    friday = MONDAY + timedelta(days=4)
    engineer = person("tokyo", "Asia/Tokyo", work_start=time(0), work_end=time(23, 59))
    search = stage(session("Technical test", 60, "tokyo"), first_day=friday, days=1)

    proposals = find_slots(search, panel(engineer))

    assert proposals
    assert all(p.end.astimezone(TOKYO).weekday() == 4 for p in proposals)
    assert max(p.end for p in proposals) <= at(friday + timedelta(days=1), 0, zone=TOKYO)


def test_respects_interviewer_time_zone_working_hours() -> None:
    # New York 09:00 is Paris 15:00 in an ordinary week
    search = stage(session("Technical test", 90, "paris", "ny"))
    people = panel(person("paris"), person("ny", "America/New_York"))

    assert local_starts(find_slots(search, people), PARIS)[:3] == [
        naive(MONDAY, 15),
        naive(MONDAY, 16, 30),
        naive(MONDAY + timedelta(days=1), 15),
    ]


def test_shared_hours_follow_a_dst_change_in_one_time_zone_only() -> None:
    # Paris left summer time on 27 October 2024, New York only on 3 November
    search = stage(session("Technical test", 90, "paris", "ny"), first_day=date(2024, 10, 24))
    people = panel(person("paris"), person("ny", "America/New_York"))

    assert local_starts(find_slots(search, people), PARIS)[:4] == [
        naive(date(2024, 10, 24), 15),
        naive(date(2024, 10, 24), 16, 30),
        naive(date(2024, 10, 25), 15),
        naive(date(2024, 10, 25), 16, 30),
    ]
    week_after = stage(
        session("Technical test", 90, "paris", "ny"), first_day=MONDAY_AFTER_PARIS_DST_END
    )
    assert local_starts(find_slots(week_after, people), NEW_YORK)[0] == naive(
        MONDAY_AFTER_PARIS_DST_END, 9
    )
    assert local_starts(find_slots(week_after, people), PARIS)[0] == naive(
        MONDAY_AFTER_PARIS_DST_END, 14
    )


def test_working_hours_stay_at_nine_local_across_the_paris_dst_change() -> None:
    friday, monday = date(2024, 10, 25), date(2024, 10, 28)
    hr = person("hr", busy=(busy(friday, (9, 40), (18, 0)),))
    search = stage(session("HR screening", 30, "hr"), first_day=friday, days=4, max_results=2)

    starts = [p.start for p in find_slots(search, panel(hr))]

    assert starts == [at(friday, 9), at(monday, 9)]
    assert [s.astimezone(UTC).hour for s in starts] == [7, 8]


def test_minimum_notice() -> None:
    now = at(MONDAY, 10, 7)
    search = stage(session("HR screening", 30, "hr"), now=now)

    assert local_starts(find_slots(search, panel(person("hr"))))[0] == naive(
        MONDAY + timedelta(days=1), 10, 15
    )


def test_busy_time_across_the_notice_boundary_still_counts() -> None:
    hr = person("hr", busy=(busy(MONDAY + timedelta(days=1), (8, 30), (9, 30)),))
    search = stage(session("HR screening", 30, "hr"), now=at(MONDAY, 9))

    assert local_starts(find_slots(search, panel(hr)))[0] == naive(
        MONDAY + timedelta(days=1), 9, 45
    )


def test_no_proposal_when_the_notice_runs_past_the_window() -> None:
    search = stage(session("HR screening", 30, "hr"), days=1, now=at(MONDAY, 9))

    assert find_slots(search, panel(person("hr"))) == []


def test_proposals_stay_inside_the_search_window() -> None:
    search = SlotSearch(
        sessions=(session("HR screening", 60, "hr"),),
        window_start=at(MONDAY, 10, 50),
        window_end=at(MONDAY, 13, 0),
        now=at(MONDAY - timedelta(days=3), 9),
        company_timezone="Europe/Paris",
    )

    proposals = find_slots(search, panel(person("hr")))

    assert local_starts(proposals) == [naive(MONDAY, 11), naive(MONDAY, 12)]
    assert proposals[-1].end == search.window_end


def test_weekly_cap_excludes_week() -> None:
    next_monday = MONDAY + timedelta(days=7)
    hr = person("hr", weekly_cap=3, booked_per_week={MONDAY: 3, next_monday: 2})
    search = stage(session("HR screening", 30, "hr"), days=10)

    assert local_starts(find_slots(search, panel(hr)))[0] == naive(next_monday, 9)


def test_weekly_cap_of_zero_means_never() -> None:
    search = stage(session("HR screening", 30, "hr"))

    assert find_slots(search, panel(person("hr", weekly_cap=0))) == []


def test_weekly_cap_counts_every_session_the_interviewer_attends() -> None:
    cto = person("cto", weekly_cap=3, booked_per_week={MONDAY: 2})
    search = stage(session("Architecture", 45, "cto"), session("Culture", 45, "cto", "hr"))

    assert find_slots(search, panel(cto, person("hr"))) == []
    assert find_slots(stage(session("Architecture", 45, "cto")), panel(cto))


def test_weekly_cap_week_is_the_interviewers_own() -> None:
    # Monday 08:00 in Tokyo is still Sunday in Paris: it belongs to the new Tokyo week
    next_monday = MONDAY + timedelta(days=7)
    tokyo = person(
        "tokyo",
        "Asia/Tokyo",
        work_start=time(8),
        weekly_cap=1,
        booked_per_week={MONDAY: 1},
    )
    search = stage(
        session("Technical test", 60, "tokyo"),
        days=10,
        company_timezone="Asia/Tokyo",
        max_results=1,
    )

    assert local_starts(find_slots(search, panel(tokyo)), TOKYO) == [naive(next_monday, 8)]


def test_daily_cap_skips_a_full_day_only() -> None:
    tuesday = MONDAY + timedelta(days=1)
    hr = person("hr", daily_cap=2, booked_per_day={MONDAY: 2, tuesday: 1})
    search = stage(session("HR screening", 30, "hr"), max_results=1)

    assert local_starts(find_slots(search, panel(hr))) == [naive(tuesday, 9)]


def test_daily_cap_counts_every_session_the_interviewer_attends() -> None:
    cto = person("cto", daily_cap=1)
    loop = stage(session("Architecture", 45, "cto"), session("Culture", 45, "cto", "hr"))

    assert find_slots(loop, panel(cto, person("hr"))) == []


def test_an_interviewers_own_day_off_is_skipped_for_them_only() -> None:
    london = person("london", "Europe/London", days_off=frozenset({MONDAY}))
    search = stage(session("HR screening", 30, "london"), max_results=1)

    # 09:00 in London is 10:00 in Paris
    assert local_starts(find_slots(search, panel(london))) == [
        naive(MONDAY + timedelta(days=1), 10)
    ]
    anyone = person("london", "Europe/London")
    assert local_starts(find_slots(search, panel(anyone)))[0].date() == MONDAY


def test_two_engineers_must_both_be_free() -> None:
    alice = person("alice", busy=(busy(MONDAY, (9, 0), (12, 0)),))
    bob = person("bob", busy=(busy(MONDAY, (12, 0), (15, 0)),))
    search = stage(session("Technical test", 90, "alice", "bob"))

    proposals = find_slots(search, panel(alice, bob))

    assert local_starts(proposals)[0] == naive(MONDAY, 15, 15)
    assert proposals[0].sessions[0].interviewer_keys == ("alice", "bob")


def test_onsite_loop_is_back_to_back_on_one_day_in_any_order() -> None:
    # The CTO can only do 09:00-09:45 and HR only from 10:10: CTO, Head of Eng, then HR
    cto = person("cto", busy=(busy(MONDAY, (9, 55), (18, 0)),))
    hr = person("hr", busy=(busy(MONDAY, (9, 0), (10, 0)),))
    onsite = stage(
        session("HR", 45, "hr"),
        session("Head of Engineering", 45, "hoe"),
        session("CTO", 45, "cto"),
        days=1,
    )

    [proposal] = find_slots(onsite, panel(cto, hr, person("hoe")))

    assert [(s.name, s.start.astimezone(PARIS).strftime("%H:%M")) for s in proposal.sessions] == [
        ("CTO", "09:00"),
        ("Head of Engineering", "09:55"),
        ("HR", "10:50"),
    ]
    assert proposal.end == at(MONDAY, 11, 35)
    assert proposal.interviewer_keys == ("cto", "hoe", "hr")


def test_onsite_gap_between_sessions_is_exact() -> None:
    onsite = stage(
        session("HR", 45, "hr"),
        session("CTO", 30, "cto"),
        gap_between_sessions=timedelta(minutes=5),
    )

    for proposal in find_slots(onsite, panel(person("hr"), person("cto"))):
        first, second = proposal.sessions
        assert second.start - first.end == timedelta(minutes=5)


def test_onsite_stays_on_one_company_day() -> None:
    # Company in Tokyo: midnight there is 16:00 in Paris (CEST), inside the Paris working day
    paris_engineer = person("eng", busy=(busy(MONDAY, (9, 0), (15, 0)),))
    onsite = stage(
        session("System design", 60, "eng"),
        session("Coding", 60, "eng"),
        company_timezone="Asia/Tokyo",
    )

    proposals = find_slots(onsite, panel(paris_engineer))

    assert local_starts(proposals)[0] == naive(MONDAY + timedelta(days=1), 9)
    for proposal in proposals:
        assert proposal.start.astimezone(TOKYO).date() == proposal.end.astimezone(TOKYO).date()


def test_a_single_session_may_cross_company_midnight() -> None:
    paris_engineer = person("eng", busy=(busy(MONDAY, (9, 0), (15, 0)),))
    search = stage(session("Technical test", 60, "eng"), company_timezone="Asia/Tokyo")

    assert local_starts(find_slots(search, panel(paris_engineer)))[0] == naive(MONDAY, 15, 15)


def test_grid_follows_a_half_hour_dst_change() -> None:
    # Lord Howe Island moved from UTC+11 to UTC+10:30 on Sunday 7 April 2024
    lord_howe = ZoneInfo("Australia/Lord_Howe")
    friday, monday = date(2024, 4, 5), date(2024, 4, 8)
    islander = person(
        "lhi",
        "Australia/Lord_Howe",
        busy=(BusyInterval(at(friday, 0, zone=lord_howe), at(friday, 23, zone=lord_howe)),),
    )
    search = SlotSearch(
        sessions=(session("HR screening", 30, "lhi"),),
        window_start=at(friday, 0, zone=lord_howe),
        window_end=at(monday + timedelta(days=1), 0, zone=lord_howe),
        now=at(friday - timedelta(days=2), 0, zone=lord_howe),
        company_timezone="Australia/Lord_Howe",
        grid=timedelta(hours=1),
    )

    starts = local_starts(find_slots(search, panel(islander)), lord_howe)

    assert starts[:2] == [naive(monday, 9), naive(monday, 10)]


def test_start_times_are_on_the_company_grid() -> None:
    # Kolkata is UTC+05:30: its hours fall on the half hour in Paris
    search = stage(
        session("HR screening", 30, "hr"),
        company_timezone="Asia/Kolkata",
        grid=timedelta(hours=1),
    )

    proposals = find_slots(search, panel(person("hr")))

    assert local_starts(proposals)[0] == naive(MONDAY, 9, 30)
    assert all(p.start.astimezone(KOLKATA).minute == 0 for p in proposals)


def test_returns_at_most_five_non_overlapping_sooner_first() -> None:
    proposals = find_slots(
        stage(session("Technical test", 90, "a", "b")), panel(person("a"), person("b"))
    )

    assert len(proposals) == 5
    assert [p.start for p in proposals] == sorted(p.start for p in proposals)
    assert all(earlier.end <= later.start for earlier, later in itertools.pairwise(proposals))
    assert local_starts(proposals) == [
        naive(MONDAY, 9),
        naive(MONDAY, 10, 30),
        naive(MONDAY, 12),
        naive(MONDAY, 13, 30),
        naive(MONDAY, 15),
    ]


def test_max_results_limits_the_proposals() -> None:
    search = stage(session("HR screening", 30, "hr"), max_results=2)

    assert len(find_slots(search, panel(person("hr")))) == 2


def test_load_is_booked_share_of_cap_summed_over_the_panel() -> None:
    alice = person("alice", weekly_cap=4, booked_per_week={MONDAY: 3})
    bob = person("bob", booked_per_week={MONDAY: 2})
    search = stage(session("Technical test", 60, "alice", "bob"), max_results=1)

    [proposal] = find_slots(search, panel(alice, bob))

    assert proposal.load == pytest.approx(0.75 + 2)
    assert proposal_load(proposal.sessions, panel(alice, bob)) == proposal.load


def test_load_uses_the_week_in_the_interviewers_time_zone() -> None:
    # Monday 08:00 in Tokyo is still Sunday in UTC and in Paris
    tokyo = person("tokyo", "Asia/Tokyo", work_start=time(8), booked_per_week={MONDAY: 2})
    search = stage(session("Technical test", 60, "tokyo"), max_results=1)

    [proposal] = find_slots(search, panel(tokyo))

    assert proposal.start == at(MONDAY, 8, zone=TOKYO)
    assert proposal.load == 2


def test_lighter_load_wins_at_equal_start() -> None:
    busy_engineer = person("busy", weekly_cap=4, booked_per_week={MONDAY: 3})
    light_engineer = person("light", weekly_cap=4, booked_per_week={MONDAY: 1})
    people = panel(busy_engineer, light_engineer)
    with_busy = find_slots(stage(session("Technical test", 60, "busy")), people)
    with_light = find_slots(stage(session("Technical test", 60, "light")), people)

    best = rank_proposals(with_busy + with_light, max_results=5)

    assert best[0].start == with_busy[0].start == with_light[0].start
    assert best[0].sessions[0].interviewer_keys == ("light",)
    assert len(best) == 5


def test_rank_proposals_prefers_sooner_over_lighter() -> None:
    busy_engineer = person("busy", weekly_cap=4, booked_per_week={MONDAY: 3})
    light_engineer = person(
        "light", weekly_cap=4, booked_per_week={MONDAY: 1}, busy=(busy(MONDAY, (9, 0), (9, 45)),)
    )
    people = panel(busy_engineer, light_engineer)
    with_busy = find_slots(stage(session("Technical test", 60, "busy")), people)
    with_light = find_slots(stage(session("Technical test", 60, "light")), people)

    best = rank_proposals(with_busy + with_light, max_results=2)

    # 09:00 only works for the busier engineer; at 10:00 both can, and the lighter one wins
    assert [p.sessions[0].interviewer_keys for p in best] == [("busy",), ("light",)]
    assert local_starts(best) == [naive(MONDAY, 9), naive(MONDAY, 10)]


def test_proposal_datetimes_are_aware_utc() -> None:
    [proposal] = find_slots(stage(session("HR", 30, "hr"), max_results=1), panel(person("hr")))

    assert proposal.start.tzinfo is UTC
    assert proposal.start == at(MONDAY, 9)


def test_session_naming_an_unknown_interviewer_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown"):
        find_slots(stage(session("HR", 30, "ghost")), panel(person("hr")))


def test_session_without_interviewer_is_rejected() -> None:
    with pytest.raises(ValueError, match="no interviewer"):
        find_slots(stage(session("HR", 30)), panel(person("hr")))


def test_stage_without_sessions_is_rejected() -> None:
    with pytest.raises(ValueError, match="at least one session"):
        find_slots(stage(), panel(person("hr")))


def test_naive_datetimes_are_rejected() -> None:
    search = stage(session("HR", 30, "hr"))
    naive_search = SlotSearch(
        sessions=search.sessions,
        window_start=search.window_start.replace(tzinfo=None),
        window_end=search.window_end,
        now=search.now,
        company_timezone=search.company_timezone,
    )

    with pytest.raises(ValueError, match="naive"):
        find_slots(naive_search, panel(person("hr")))


def test_unknown_time_zone_is_rejected() -> None:
    with pytest.raises(ValueError, match="time zone"):
        find_slots(stage(session("HR", 30, "hr")), panel(person("hr", "Mars/Olympus")))


def test_working_hours_must_end_after_they_start() -> None:
    night_owl = person("hr", work_start=time(18), work_end=time(9))

    with pytest.raises(ValueError, match="working hours"):
        find_slots(stage(session("HR", 30, "hr")), panel(night_owl))


def test_merge_intervals_unions_overlapping_and_touching_busy_time() -> None:
    intervals = [
        busy(MONDAY, (14, 0), (15, 0)),
        busy(MONDAY, (9, 0), (10, 0)),
        busy(MONDAY, (9, 30), (11, 0)),
        busy(MONDAY, (11, 0), (11, 30)),
    ]

    assert merge_intervals(intervals) == [
        BusyInterval(at(MONDAY, 9), at(MONDAY, 11, 30)),
        BusyInterval(at(MONDAY, 14), at(MONDAY, 15)),
    ]
    assert merge_intervals(intervals, buffer=timedelta(hours=1, minutes=15)) == [
        BusyInterval(at(MONDAY, 7, 45), at(MONDAY, 16, 15)),
    ]
