"""The default panel by load: lightest first, least recently booked, then a weekly rotation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.scheduling.load import (
    MemberLoad,
    Participation,
    choose_panel,
    lightest_first,
    load_window,
    member_loads,
    rotation,
)

NOW = datetime(2026, 11, 24, 8, tzinfo=UTC)
WEEK = date(2026, 11, 23)


def _part(person_id: int, start: datetime, minutes: int, booked: datetime = NOW) -> Participation:
    return Participation(person_id, start, start + timedelta(minutes=minutes), booked)


def test_the_window_is_two_weeks_either_side_of_now() -> None:
    assert load_window(NOW) == (NOW - timedelta(weeks=2), NOW + timedelta(weeks=2))


def test_minutes_are_summed_per_person_and_clipped_to_the_window() -> None:
    window = load_window(NOW)
    start, end = window
    loads = member_loads(
        [1, 2, 3],
        [
            _part(1, NOW, 60),
            _part(1, NOW + timedelta(days=1), 30),
            _part(2, start - timedelta(minutes=20), 60),  # 40 minutes inside
            _part(2, end - timedelta(minutes=15), 60),  # 15 minutes inside
            _part(9, NOW, 60),  # not asked about
        ],
        window,
    )
    assert {p: load.minutes for p, load in loads.items()} == {1: 90, 2: 55, 3: 0}
    assert loads[3].last_booked_at is None


def test_the_latest_booking_is_kept() -> None:
    early, late = NOW - timedelta(days=3), NOW - timedelta(days=1)
    loads = member_loads(
        [1], [_part(1, NOW, 30, booked=late), _part(1, NOW, 30, booked=early)], load_window(NOW)
    )
    assert loads[1].last_booked_at == late


def test_the_lightest_member_is_chosen_whatever_the_names() -> None:
    aaron = MemberLoad(1, minutes=90, last_booked_at=NOW)
    zelda = MemberLoad(2, minutes=0, last_booked_at=None)
    assert choose_panel([aaron, zelda], 1, WEEK) == [2]


def test_equal_load_goes_to_the_least_recently_booked() -> None:
    recent = MemberLoad(1, 60, NOW - timedelta(days=1))
    older = MemberLoad(2, 60, NOW - timedelta(days=9))
    assert choose_panel([recent, older], 1, WEEK) == [2]


def test_a_member_at_their_cap_comes_last() -> None:
    capped = MemberLoad(1, 0, None, capped=True)
    busy = MemberLoad(2, 240, NOW)
    assert choose_panel([capped, busy], 1, WEEK) == [2]


def test_taken_members_are_skipped_and_a_small_pool_gives_fewer() -> None:
    pool = [MemberLoad(1, 0, None), MemberLoad(2, 30, NOW)]
    assert choose_panel(pool, 2, WEEK, taken={1}) == [2]
    assert choose_panel(pool, 0, WEEK) == []


def test_full_ties_rotate_from_week_to_week_rather_than_by_id() -> None:
    pool = [MemberLoad(person_id, 0, None) for person_id in range(1, 9)]
    firsts = {choose_panel(pool, 1, WEEK + timedelta(weeks=w))[0] for w in range(12)}
    assert len(firsts) > 1
    # and the rotation is stable: the same week gives the same choice
    assert choose_panel(pool, 3, WEEK) == choose_panel(list(reversed(pool)), 3, WEEK)
    assert rotation(3, WEEK) == rotation(3, WEEK)


members = st.lists(
    st.builds(
        MemberLoad,
        person_id=st.integers(min_value=1, max_value=10_000),
        minutes=st.integers(min_value=0, max_value=2_000),
        last_booked_at=st.none()
        | st.datetimes(
            min_value=datetime(2026, 1, 1), max_value=datetime(2027, 1, 1), timezones=st.just(UTC)
        ),
        capped=st.booleans(),
    ),
    max_size=12,
    unique_by=lambda m: m.person_id,
)


@given(pool=members, count=st.integers(min_value=0, max_value=6), weeks=st.integers(0, 520))
def test_no_one_left_out_is_lighter_than_someone_chosen_unless_capped(
    pool: list[MemberLoad], count: int, weeks: int
) -> None:
    week = WEEK + timedelta(weeks=weeks)
    chosen_ids = choose_panel(pool, count, week)
    assert len(chosen_ids) == min(count, len(pool))
    assert len(set(chosen_ids)) == len(chosen_ids)
    chosen = [m for m in pool if m.person_id in chosen_ids]
    left_out = [m for m in pool if m.person_id not in chosen_ids]
    for member in chosen:
        for other in left_out:
            if member.capped == other.capped:
                assert member.minutes <= other.minutes
            else:  # someone capped is chosen only when every uncapped member is
                assert other.capped
    assert lightest_first(pool, week)[: len(chosen_ids)] == [
        next(m for m in pool if m.person_id == i) for i in chosen_ids
    ]
