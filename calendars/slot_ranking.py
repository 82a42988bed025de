"""Ranking of interview proposals: sooner first, then lighter interviewer load, no overlaps."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from calendars.slot_types import Interviewer, PlacedSession, Proposal, monday_of


def interview_week(person: Interviewer, moment: datetime) -> date:
    """The Monday, in the interviewer's own time zone, of the week `moment` falls in."""
    return monday_of(moment.astimezone(ZoneInfo(person.timezone)).date())


def proposal_load(
    sessions: Sequence[PlacedSession], interviewers: Mapping[str, Interviewer]
) -> float:
    """How much interviewing the proposal's panel already has that week; lower is lighter.

    Each distinct interviewer contributes the interviews already booked for them in the
    week of their first session (ISO week, in their own time zone): as a fraction of their
    weekly cap when they have one (3 booked, cap 4 -> 0.75), as a plain count when they have
    none. The proposal itself is not counted, so it does not change the order of proposals
    for the same panel in the same week.
    """
    first_session_of: dict[str, datetime] = {}
    for session in sessions:
        for key in session.interviewer_keys:
            first_session_of.setdefault(key, session.start)
    # fsum: the same panel gives the same load whatever the order of its sessions
    return math.fsum(
        _booked_share(interviewers[key], start) for key, start in first_session_of.items()
    )


def _booked_share(person: Interviewer, start: datetime) -> float:
    booked = person.booked_per_week.get(interview_week(person, start), 0)
    return booked / person.weekly_cap if person.weekly_cap else float(booked)


def overlaps(first: Proposal, second: Proposal) -> bool:
    return first.start < second.end and second.start < first.end


def rank_proposals(
    candidates: Iterable[Proposal], max_results: int = 5, zone: ZoneInfo | None = None
) -> list[Proposal]:
    """The best `max_results` candidates, pairwise non-overlapping.

    Candidates are ordered by start, then by load; with a `zone`, by their day there first,
    then by load, then by start (a lighter panel comes first within a day). A stable sort keeps
    the caller's order among exact ties. They are then taken greedily, skipping any candidate
    that overlaps one already taken, so the recruiter sees genuinely different times. Useful to
    merge the results of several searches, e.g. the same stage with alternative panels.
    """

    if zone is None:
        ordered = sorted(candidates, key=lambda p: (p.start, p.load))
    else:
        ordered = sorted(
            candidates, key=lambda p: (p.start.astimezone(zone).date(), p.load, p.start)
        )
    chosen: list[Proposal] = []
    for candidate in ordered:
        if len(chosen) == max_results:
            break
        if not any(overlaps(candidate, taken) for taken in chosen):
            chosen.append(candidate)
    return chosen
