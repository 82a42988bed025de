"""The world of `bench.scheduling_month`: the team, their busy calendars, and the figures.

The team (`TEAM`) fills the shipped pipeline's pools, in Paris, London and Montreal; their
calendars get busy blocks in the local calendar (a seeded `random.Random`). The figure functions
(`gini`, `percentile`, `violations`) are pure functions over plain data; `read_month` builds that
data from the database at the end of a run, independently of the scheduling code.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.scheduling.policy import StagePolicy
from bot.shared.working_time import WorkingDays, holidays_of
from calendars.slot_types import monday_of
from models.hiring import (
    AuditEntry,
    Interview,
    InterviewStatus,
    ParticipantKind,
    Person,
    Pool,
    PoolMember,
    Stage,
    TeamRole,
)
from models.local_calendar import LocalCalendarAttendee, LocalCalendarEvent, next_change_seq
from models.unit_of_work import UnitOfWork

PARIS = "Europe/Paris"
LONDON = "Europe/London"
MONTREAL = "America/Montreal"
BUSY_PREFIX = "busy-"
BUSY_SHARE = 0.55  # the target per member and day; meetings overshoot it to about 60 % in all
POOL_SHARE = 0.3  # of the company day, in meetings a pool's members all attend
COMPANY_OPENS = 9
MEETING_SLOTS = (2, 4, 6)  # meetings of one to three hours, in half hours
BOOKING_ACTIONS = ("interview.booked", "interview.rescheduled")


# --- the team ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One interviewer of the simulated team, in one pool of the shipped pipeline."""

    slack_id: str
    name: str
    pool: str
    role: TeamRole = TeamRole.INTERVIEWER
    timezone: str = PARIS
    holiday_country: str | None = None
    work_start: time = time(9)
    work_end: time = time(18)
    daily_cap: int | None = None
    weekly_cap: int | None = None

    @property
    def email(self) -> str:
        return f"{self.slack_id.lower()}@example.com"


# In pipeline pool order; the first two recruiters are the two who book.
TEAM = (
    Member("U_CAMILLE", "Camille Roux", "recruiters", TeamRole.RECRUITER),
    Member("U_LEA", "Lea Martin", "recruiters", TeamRole.RECRUITER),
    Member("U_NADIA", "Nadia Haddad", "recruiters", daily_cap=3),
    Member("U_HUGO", "Hugo Bernard", "hiring-managers", TeamRole.HIRING_MANAGER),
    Member(
        "U_OLIVIA",
        "Olivia Clarke",
        "hiring-managers",
        TeamRole.HIRING_MANAGER,
        timezone=LONDON,
        holiday_country="GB",
        work_end=time(17, 30),
    ),
    Member("U_ANTOINE", "Antoine Girard", "backend-engineers"),
    Member("U_MARC", "Marc Tremblay", "backend-engineers", timezone=MONTREAL, holiday_country="CA"),
    Member("U_CHLOE", "Chloe Lefevre", "backend-engineers", daily_cap=2),
    Member(
        "U_JULIE",
        "Julie Gagnon",
        "backend-engineers",
        timezone=MONTREAL,
        holiday_country="CA",
        work_start=time(8),
        work_end=time(17),
    ),
    Member("U_INES", "Ines Moreau", "backend-engineers", weekly_cap=4),
    Member("U_SYLVIE", "Sylvie Perrin", "head-of-engineering", TeamRole.HEAD_OF_ENGINEERING),
    Member("U_KARIM", "Karim Benali", "cto", weekly_cap=6),
)


def team_of(pool_sizes: Mapping[str, int]) -> tuple[Member, ...]:
    """The first `pool_sizes[pool]` members of each pool of `TEAM`."""
    taken: Counter[str] = Counter()
    chosen = []
    for member in TEAM:
        if taken[member.pool] < pool_sizes.get(member.pool, 0):
            taken[member.pool] += 1
            chosen.append(member)
    return tuple(chosen)


def enrol_team(uow: UnitOfWork, team: Iterable[Member]) -> None:
    """Create each member as a person with an email, hours, caps and their pool."""
    for member in team:
        person = uow.people.ensure_person(member.slack_id, member.timezone)
        person.name = member.name
        person.email = member.email
        person.work_start, person.work_end = member.work_start, member.work_end
        person.daily_interview_cap = member.daily_cap
        person.weekly_interview_cap = member.weekly_cap
        person.holiday_country = member.holiday_country
        person.grant(member.role)
        uow.people.set_pools(person, {member.pool})
    uow.commit()


# --- busy calendars ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BusyTime:
    email: str
    start: datetime
    end: datetime


def busy_calendar(
    team: Iterable[Member], first: date, last: date, rng: random.Random
) -> list[BusyTime]:
    """Busy blocks in each member's working hours on every weekday from `first` to `last`:
    their pool's meetings (colleagues share them), then their own, about `BUSY_SHARE` of it."""
    members = list(team)
    busy: list[BusyTime] = []
    for day in _days(first, last):
        if day.weekday() >= 5:
            continue
        pool_meetings = {
            pool: _meetings(_half_hours(day, COMPANY_OPENS, 18), POOL_SHARE, rng)
            for pool in sorted({m.pool for m in members})
        }
        for member in members:
            slots = _half_hours(day, member.work_start.hour, member.work_end.hour, member.timezone)
            share = min(0.95, max(0.2, rng.gauss(BUSY_SHARE, 0.2)))
            taken = {slot for slot in slots if slot in pool_meetings[member.pool]}
            taken |= _meetings(slots, share, rng, taken)
            busy += [BusyTime(member.email, start, end) for start, end in _blocks(sorted(taken))]
    return busy


def _half_hours(day: date, opens: int, closes: int, zone: str = "Europe/Paris") -> list[datetime]:
    start = datetime.combine(day, time(opens), ZoneInfo(zone)).astimezone(UTC)
    return [start + timedelta(minutes=30 * n) for n in range(2 * (closes - opens))]


def _meetings(
    slots: list[datetime], share: float, rng: random.Random, taken: Iterable[datetime] = ()
) -> set[datetime]:
    """Meetings among `slots` until `share` of them is taken."""
    busy = set(taken)
    while slots and len(busy) < round(share * len(slots)):
        first = rng.randrange(len(slots))
        busy.update(slots[first : first + rng.choice(MEETING_SLOTS)])
    return busy


def _blocks(slots: list[datetime]) -> Iterator[tuple[datetime, datetime]]:
    """Consecutive half hours merged into blocks."""
    half_hour = timedelta(minutes=30)
    start = end = slots[0] if slots else None
    for slot in slots[1:]:
        assert start is not None and end is not None
        if slot != end + half_hour:
            yield start, end + half_hour
            start = slot
        end = slot
    if start is not None and end is not None:
        yield start, end + half_hour


def busy_share(busy: Iterable[BusyTime], team: Iterable[Member], first: date, last: date) -> float:
    """The share of the members' weekday working hours that `busy` covers."""
    working = sum(
        _minutes(
            datetime.combine(day, m.work_end, ZoneInfo(m.timezone))
            - datetime.combine(day, m.work_start, ZoneInfo(m.timezone))
        )
        for m in team
        for day in _days(first, last)
        if day.weekday() < 5
    )
    return sum(_minutes(b.end - b.start) for b in busy) / working if working else 0.0


def write_busy(session: Session, busy: Sequence[BusyTime]) -> None:
    """Insert the busy blocks into the local calendar in one transaction."""
    seq = next_change_seq(session)
    session.add_all(
        LocalCalendarEvent(
            event_id=f"{BUSY_PREFIX}{n}",
            summary="Busy",
            starts_at=block.start,
            ends_at=block.end,
            status="confirmed",
            change_seq=seq + n,
            attendees=[LocalCalendarAttendee(email=block.email)],
        )
        for n, block in enumerate(busy)
    )
    session.commit()


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _minutes(span: timedelta) -> float:
    return span.total_seconds() / 60


# --- plain data for the figures ----------------------------------------------------------------


@dataclass(frozen=True)
class StageRules:
    key: str
    buffer: timedelta
    notice: timedelta
    daily_cap: int | None
    weekly_cap: int | None


@dataclass(frozen=True)
class InterviewerHours:
    person_id: int
    name: str
    timezone: str
    work_start: time
    work_end: time
    daily_cap: int | None = None
    weekly_cap: int | None = None
    holiday_country: str | None = None


@dataclass(frozen=True)
class BookedSession:
    """One event of a booked interview: who attends it, and when the interview got its times."""

    interview_id: int
    stage_key: str
    candidate_id: int
    interviewer_ids: tuple[int, ...]
    start: datetime
    end: datetime
    booked_at: datetime


@dataclass(frozen=True)
class BusyBlock:
    person_id: int
    start: datetime
    end: datetime


@dataclass(frozen=True)
class MonthRecord:
    sessions: tuple[BookedSession, ...]
    busy: tuple[BusyBlock, ...]
    interviewers: Mapping[int, InterviewerHours]
    stages: Mapping[str, StageRules]
    pools: Mapping[str, tuple[int, ...]]
    company_zone: ZoneInfo
    company_days: WorkingDays
    # Booked events the calendar does not hold at the same times (or at all).
    calendar_mismatches: tuple[str, ...] = ()


@dataclass(frozen=True)
class Violation:
    kind: str
    detail: str


DOUBLE_BOOKING = "double booking"
OUTSIDE_HOURS = "outside working hours"
INSIDE_BUFFER = "inside buffer"
UNDER_NOTICE = "under notice"
OVER_CAP = "over cap"
ON_HOLIDAY = "on holiday"
CALENDAR_MISMATCH = "calendar mismatch"
VIOLATION_KINDS = (
    DOUBLE_BOOKING,
    OUTSIDE_HOURS,
    INSIDE_BUFFER,
    UNDER_NOTICE,
    OVER_CAP,
    ON_HOLIDAY,
    CALENDAR_MISMATCH,
)


# --- figures ---------------------------------------------------------------------------------


def gini(values: Sequence[float]) -> float:
    """The Gini coefficient: 0 when everyone has the same, towards 1 when one has everything."""
    if not values or sum(values) <= 0:
        return 0.0
    total = sum(abs(a - b) for a in values for b in values)
    return total / (2 * len(values) ** 2 * (sum(values) / len(values)))


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (`share` in 0..1) of `values`; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def minutes_per_member(record: MonthRecord) -> dict[str, list[float]]:
    """Per pool, each member's booked interview minutes (all stages)."""
    minutes: Counter[int] = Counter()
    for session in record.sessions:
        for person_id in session.interviewer_ids:
            minutes[person_id] += int(_minutes(session.end - session.start))
    return {pool: [minutes[i] for i in ids] for pool, ids in record.pools.items()}


def violations(record: MonthRecord) -> list[Violation]:
    """Every broken scheduling rule in the record, found from the plain data alone."""
    return [
        *_clashes(record),
        *_busy_clashes(record),
        *_outside_hours(record),
        *_holidays(record),
        *_notice(record),
        *_caps(record),
        *(Violation(CALENDAR_MISMATCH, m) for m in record.calendar_mismatches),
    ]


def _attendees(session: BookedSession) -> list[tuple[str, int]]:
    return [("interviewer", i) for i in session.interviewer_ids] + [
        ("candidate", session.candidate_id)
    ]


def _clashes(record: MonthRecord) -> Iterator[Violation]:
    """Two events of one attendee overlapping, or (different interviews) closer than a buffer."""
    agenda: dict[tuple[str, int], list[BookedSession]] = defaultdict(list)
    for session in record.sessions:
        for attendee in _attendees(session):
            agenda[attendee].append(session)
    for (kind, who), sessions in agenda.items():
        ordered = sorted(sessions, key=lambda s: s.start)
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                buffer = max(_buffer(record, first), _buffer(record, second))
                if second.start >= first.end + buffer:
                    break
                yield from _clash(kind, who, first, second, buffer)


def _clash(
    kind: str, who: int, first: BookedSession, second: BookedSession, buffer: timedelta
) -> Iterator[Violation]:
    what = f"{kind} {who}: interviews {first.interview_id} and {second.interview_id}"
    if second.start < first.end:
        yield Violation(DOUBLE_BOOKING, f"{what} overlap at {second.start:%Y-%m-%d %H:%M}Z")
    elif first.interview_id != second.interview_id:
        gap = int(_minutes(second.start - first.end))
        yield Violation(INSIDE_BUFFER, f"{what} are {gap} min apart (buffer {buffer})")


def _busy_clashes(record: MonthRecord) -> Iterator[Violation]:
    """An event overlapping, or inside the stage's buffer around, an interviewer's busy block."""
    busy: dict[int, list[BusyBlock]] = defaultdict(list)
    for block in record.busy:
        busy[block.person_id].append(block)
    for session in record.sessions:
        buffer = _buffer(record, session)
        for person_id in session.interviewer_ids:
            for block in busy[person_id]:
                if block.start < session.end + buffer and block.end > session.start - buffer:
                    overlap = block.start < session.end and block.end > session.start
                    yield Violation(
                        DOUBLE_BOOKING if overlap else INSIDE_BUFFER,
                        f"interviewer {person_id}: interview {session.interview_id} "
                        f"{'overlaps' if overlap else 'is within the buffer of'} a busy block "
                        f"at {block.start:%Y-%m-%d %H:%M}Z",
                    )


def _outside_hours(record: MonthRecord) -> Iterator[Violation]:
    for session in record.sessions:
        if not _on_one_weekday(session, record.company_zone):
            yield Violation(OUTSIDE_HOURS, f"interview {session.interview_id}: not a company day")
        for person_id in session.interviewer_ids:
            person = record.interviewers[person_id]
            zone = ZoneInfo(person.timezone)
            start, end = session.start.astimezone(zone), session.end.astimezone(zone)
            if not (
                _on_one_weekday(session, zone)
                and person.work_start <= start.time()
                and end.time() <= person.work_end
            ):
                yield Violation(
                    OUTSIDE_HOURS,
                    f"interview {session.interview_id}: {person.name} at "
                    f"{start:%a %H:%M}-{end:%H:%M} {person.timezone}",
                )


def _holidays(record: MonthRecord) -> Iterator[Violation]:
    for session in record.sessions:
        day = session.start.astimezone(record.company_zone).date()
        if record.company_days.is_holiday(day):
            yield Violation(ON_HOLIDAY, f"interview {session.interview_id}: company holiday {day}")
        for person_id in session.interviewer_ids:
            person = record.interviewers[person_id]
            local = session.start.astimezone(ZoneInfo(person.timezone)).date()
            if person.holiday_country and holidays_of(person.holiday_country).is_holiday(local):
                yield Violation(
                    ON_HOLIDAY,
                    f"interview {session.interview_id}: {person.name}'s holiday {local}",
                )


def _notice(record: MonthRecord) -> Iterator[Violation]:
    first: dict[int, BookedSession] = {}
    for session in record.sessions:
        if session.interview_id not in first or session.start < first[session.interview_id].start:
            first[session.interview_id] = session
    for session in first.values():
        notice = record.stages[session.stage_key].notice
        if session.start < session.booked_at + notice:
            early = session.booked_at + notice - session.start
            yield Violation(
                UNDER_NOTICE,
                f"interview {session.interview_id} ({session.stage_key}) starts "
                f"{early} before its notice ends",
            )


def _caps(record: MonthRecord) -> Iterator[Violation]:
    """Per interviewer, local day and ISO week: the events they attend against the lowest cap of
    their own and of the stages they interview for in that period."""
    for period in ("daily", "weekly"):
        periods: dict[tuple[int, date], list[BookedSession]] = defaultdict(list)
        for session in record.sessions:
            for person_id in session.interviewer_ids:
                person = record.interviewers[person_id]
                day = session.start.astimezone(ZoneInfo(person.timezone)).date()
                periods[(person_id, day if period == "daily" else monday_of(day))].append(session)
        for (person_id, when), sessions in sorted(periods.items()):
            cap = _lowest_cap(record, record.interviewers[person_id], sessions, period)
            if cap is not None and len(sessions) > cap:
                yield Violation(
                    OVER_CAP,
                    f"{record.interviewers[person_id].name}: {len(sessions)} interviews "
                    f"({period} cap {cap}) on {when}",
                )


def _lowest_cap(
    record: MonthRecord, person: InterviewerHours, sessions: list[BookedSession], period: str
) -> int | None:
    own = person.daily_cap if period == "daily" else person.weekly_cap
    stages = [record.stages[s.stage_key] for s in sessions]
    caps = [own, *(s.daily_cap if period == "daily" else s.weekly_cap for s in stages)]
    present = [cap for cap in caps if cap is not None]
    return min(present) if present else None


def _buffer(record: MonthRecord, session: BookedSession) -> timedelta:
    return record.stages[session.stage_key].buffer


def _on_one_weekday(session: BookedSession, zone: ZoneInfo) -> bool:
    start, end = session.start.astimezone(zone), session.end.astimezone(zone)
    return start.date() == (end - timedelta(microseconds=1)).date() and start.weekday() < 5


# --- reading the record from the database ------------------------------------------------------


def read_month(session: Session, zone: ZoneInfo, company_days: WorkingDays) -> MonthRecord:
    """The booked interviews, busy blocks, people, pools and stage rules, as plain data."""
    emails = {p.email: p.id for p in session.scalars(select(Person)) if p.email}
    sessions, mismatches = _booked_sessions(session)
    return MonthRecord(
        sessions=sessions,
        busy=_busy_blocks(session, emails),
        interviewers=_interviewer_hours(session),
        stages=_stage_rules(session),
        pools=_pools(session),
        company_zone=zone,
        company_days=company_days,
        calendar_mismatches=mismatches,
    )


def _booked_sessions(session: Session) -> tuple[tuple[BookedSession, ...], tuple[str, ...]]:
    booked_at = _booked_at(session)
    calendar = {
        e.event_id: e
        for e in session.scalars(
            select(LocalCalendarEvent).where(
                LocalCalendarEvent.event_id.not_like(f"{BUSY_PREFIX}%")
            )
        )
    }
    interviews = session.scalars(
        select(Interview)
        .where(Interview.status == InterviewStatus.SCHEDULED)
        .options(selectinload(Interview.events), selectinload(Interview.stage))
    )
    booked: list[BookedSession] = []
    mismatches: list[str] = []
    for interview in interviews:
        for event in interview.events:
            interviewers = tuple(
                sorted(
                    p.person_id
                    for p in event.participants
                    if p.kind == ParticipantKind.INTERVIEWER and p.person_id is not None
                )
            )
            booked.append(
                BookedSession(
                    interview.id,
                    interview.stage.key,
                    interview.candidate_id,
                    interviewers,
                    event.starts_at,
                    event.ends_at,
                    booked_at.get(interview.id, interview.created_at),
                )
            )
            held = calendar.get(event.calendar_event_id)
            if (
                held is None
                or held.status == "cancelled"
                or ((held.starts_at, held.ends_at) != (event.starts_at, event.ends_at))
            ):
                mismatches.append(f"interview {interview.id}: event {event.calendar_event_id}")
    return tuple(booked), tuple(mismatches)


def _booked_at(session: Session) -> dict[int, datetime]:
    """When each interview last got its times: its latest booking or move in the audit log."""
    latest: dict[int, datetime] = {}
    for subject_id, at in session.execute(
        select(AuditEntry.subject_id, AuditEntry.at).where(
            AuditEntry.subject_type == "interview", AuditEntry.action.in_(BOOKING_ACTIONS)
        )
    ):
        if subject_id is not None and (subject_id not in latest or at > latest[subject_id]):
            latest[subject_id] = at
    return latest


def _busy_blocks(session: Session, emails: Mapping[str, int]) -> tuple[BusyBlock, ...]:
    rows = session.execute(
        select(
            LocalCalendarAttendee.email, LocalCalendarEvent.starts_at, LocalCalendarEvent.ends_at
        )
        .join(LocalCalendarEvent)
        .where(
            LocalCalendarEvent.event_id.like(f"{BUSY_PREFIX}%"),
            LocalCalendarEvent.status != "cancelled",
        )
    )
    return tuple(BusyBlock(emails[email], start, end) for email, start, end in rows)


def _interviewer_hours(session: Session) -> dict[int, InterviewerHours]:
    return {
        p.id: InterviewerHours(
            p.id,
            p.name,
            p.timezone,
            p.work_start,
            p.work_end,
            p.daily_interview_cap,
            p.weekly_interview_cap,
            p.holiday_country,
        )
        for p in session.scalars(select(Person))
    }


def _stage_rules(session: Session) -> dict[str, StageRules]:
    rules = {}
    for stage in session.scalars(select(Stage)):
        policy = StagePolicy.of(stage)
        rules[stage.key] = StageRules(
            stage.key, policy.buffer, policy.notice, policy.daily_cap, policy.weekly_cap
        )
    return rules


def _pools(session: Session) -> dict[str, tuple[int, ...]]:
    members: dict[str, list[int]] = defaultdict(list)
    for key, person_id in session.execute(
        select(Pool.key, PoolMember.person_id).join(PoolMember, PoolMember.pool_id == Pool.id)
    ):
        members[key].append(person_id)
    return {key: tuple(sorted(ids)) for key, ids in members.items()}
