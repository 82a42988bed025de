"""A simulated month of scheduling: a real team's requests driven through the real services.

    python -m bench.scheduling_month                        # SQLite scratch file, 40 candidates
    python -m bench.scheduling_month --database mariadb     # or postgresql
    python -m bench.scheduling_month --database-url URL     # a new database the bench creates
    python -m bench.scheduling_month --runs 3               # min / median of 3 months (default 5)
    python -m bench.scheduling_month --panels alphabetical  # default panels before issue 10
    python -m bench.scheduling_month --quick --seed 3       # 8 candidates, 2 weeks
    python -m bench.scheduling_month --check                # exit 1 on a violation or an error

The world: 40 candidates through the shipped pipeline (HR screening, hiring manager, the
technical test's review by two backend engineers, the onsite loop HR / Head of Engineering / CTO),
12 interviewers in their pools working in Paris, London and Montreal, calendars about 60 % busy
(blocks in the local calendar), requests arriving over four weeks from Monday 27 April 2026 (May
holds four French public holidays on weekdays). Two recruiters book, sometimes at the same moment
for candidates sharing an interviewer (two threads call `book` at once: the loser gets fresh
proposals and books one); some interviews are rescheduled; some candidates are declined after a
stage. Each request goes `schedule_form` (its default panel) -> `start_scheduling` -> `propose`
-> `book`, through `SchedulingService` built by `bootstrap` (CALENDAR=local) on a clock the
simulation moves.

It prints the constraint violations recomputed from the database at the end (must be 0), the Gini
coefficient of interview minutes per pool (target <= 0.2), the share of stages placed inside their
window (target >= 95 %), the median and 95th percentile of the slot search (the whole `propose`
call, and `calendars.slots.find_slots` alone), the counts of requests, bookings, races lost and
reschedules, and the wall time: in full for the first run, then one line per run and the timings
as min / median of `--runs` months (the same seed, each on a new database). The scratch database
(SQLite file, or the MariaDB / PostgreSQL database `interview_bot_month`; `--database-url` names
another, which must not exist yet) is created and dropped. Exit 0 unless it crashes (2 when the
database cannot be had), or with `--check` a violation or a service error in any run.
"""

from __future__ import annotations

import argparse
import heapq
import random
import statistics
import sys
import threading
import time as timer
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bench import month_world
from bench.machine import add_runs_argument, print_header, spread
from bench.month_world import Member, MonthRecord, Violation
from bench.scratch import KINDS, ScratchError, kind_of, scratch_database
from bot.app.bootstrap import bootstrap
from bot.app.startup import PIPELINES_DIR, migrate
from bot.container import Container
from bot.scheduling.form import ScheduleForm
from bot.scheduling.plans import PlannedSession
from bot.scheduling.service import Booked, Proposals, SlotTaken
from bot.settings import load_settings
from bot.shared.working_time import (
    WorkingDays,
    add_working_days,
    is_working_day,
)
from calendars.slot_types import Interviewer, Proposal, SlotSearch
from calendars.slots import find_slots
from models.hiring import InterviewStatus, Stage
from models.pipelines import read_pipeline_file
from models.schemas import ChosenSlot, ScheduleInput

PIPELINE = PIPELINES_DIR / "lead_backend_developer.toml"
SCRATCH_NAME = "interview_bot_month"
COMPANY_ZONE = "Europe/Paris"
HOLIDAY_COUNTRY = "FR"
MONTH_START = date(2026, 4, 27)  # a Monday; May 2026: 1, 8, 14 and 25 May are French holidays
OFFICE_OPENS, OFFICE_HOURS = 9, timedelta(hours=9)  # recruiters act 09:00-18:00 Paris
DECLINED_AFTER = {"hr-screening": 0.25, "hiring-manager": 0.3, "technical-test": 0.3}
RESCHEDULED = 0.12  # share of bookings moved later
ARRIVALS_WITHIN = 0.4  # candidates arrive early in the month; their later stages go on after
ARRIVING_TOGETHER = 0.35  # share of arrivals that come with another (the two recruiters race)
OTHER_PANELS = 2  # a recruiter finding no time tries this many other panels from the pools,
WIDENINGS = 3  # then searches this many later windows with the default panel
BOOKING_TRIES = 5
GINI_TARGET, WINDOW_TARGET = 0.2, 0.95

Panels = Literal["load", "alphabetical"]


@dataclass(frozen=True)
class WorldSize:
    candidates: int
    pool_sizes: Mapping[str, int]
    weeks: int


FULL = WorldSize(
    40,
    {
        "recruiters": 3,
        "hiring-managers": 2,
        "backend-engineers": 5,
        "head-of-engineering": 1,
        "cto": 1,
    },
    4,
)
QUICK = WorldSize(
    8,
    {
        "recruiters": 2,
        "hiring-managers": 1,
        "backend-engineers": 2,
        "head-of-engineering": 1,
        "cto": 1,
    },
    2,
)


class MonthClock:
    """The simulation's clock: it stands still until the next step moves it forward."""

    def __init__(self, at: datetime) -> None:
        self._at = at

    def now(self) -> datetime:
        return self._at

    def move_to(self, at: datetime) -> None:
        self._at = max(self._at, at)


@dataclass(frozen=True)
class StagePlan:
    """A stage of the pipeline as the simulation needs it: its sessions' pools and sizes."""

    id: int
    key: str
    window_days: int
    sessions: tuple[tuple[int, str, int], ...]  # (position, pool key, interviewer count)


@dataclass
class Applicant:
    number: int
    candidate_id: int | None = None

    @property
    def name(self) -> str:
        return f"Candidate {self.number:02d}"

    @property
    def email(self) -> str:
        return f"candidate{self.number:02d}@example.org"


@dataclass(frozen=True)
class Arrival:
    applicants: tuple[Applicant, ...]


@dataclass(frozen=True)
class Decision:
    applicant: Applicant
    stage_index: int
    interview_id: int


@dataclass(frozen=True)
class Reschedule:
    interview_id: int


Step = Arrival | Decision | Reschedule


@dataclass
class Tally:
    requests: int = 0
    searched_again: int = 0
    bookings: int = 0
    unplaced: int = 0
    races: int = 0
    races_lost: int = 0
    refusals: int = 0
    reschedules: int = 0
    reschedules_dropped: int = 0
    declined: int = 0
    finished: int = 0
    in_process: int = 0
    errors: list[str] = field(default_factory=list)
    inside_window: list[bool] = field(default_factory=list)
    propose_ms: list[float] = field(default_factory=list)
    find_slots_ms: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Opened:
    """A request with the proposals the recruiter sees."""

    uid: str
    options: list[tuple[PlannedSession, ...]]
    window_last: date


@dataclass
class BookingResult:
    booked: Booked | None = None
    taken: int = 0
    error: str = ""


@dataclass(frozen=True)
class MonthResult:
    database: str
    size: WorldSize
    panels: Panels
    seed: int
    team: tuple[Member, ...]
    busy_share: float
    tally: Tally
    record: MonthRecord
    violations: list[Violation]
    setup_seconds: float
    simulation_seconds: float
    check_seconds: float


# --- the simulation ---------------------------------------------------------------------------


class Month:
    """The recruiters' month: steps in time order, each moving the clock to its moment."""

    def __init__(
        self,
        container: Container,
        clock: MonthClock,
        size: WorldSize,
        panels: Panels,
        rng: random.Random,
    ) -> None:
        self._container = container
        self._scheduling = container.scheduling
        self._clock = clock
        self._panels = panels
        self._rng = rng
        self._zone = ZoneInfo(COMPANY_ZONE)
        self._days = WorkingDays.for_country(HOLIDAY_COUNTRY)
        self._horizon = _office_start(MONTH_START, self._zone) + timedelta(weeks=size.weeks)
        self._plans = _stage_plans(container)
        self._by_name = _pools_by_name(container)
        self._recruiters = [m.slack_id for m in month_world.TEAM if m.pool == "recruiters"][:2]
        self._queue: list[tuple[datetime, int, Step]] = []
        self._views = 0
        self._pushed = 0
        self.tally = Tally()

    # -- the queue

    def run(self, candidates: int) -> Tally:
        self._plan_arrivals(candidates)
        while self._queue:
            moment, _, step = heapq.heappop(self._queue)
            self._clock.move_to(moment)
            if isinstance(step, Arrival):
                self._arrive(step)
            elif isinstance(step, Decision):
                self._decide(step)
            else:
                self._reschedule(step)
        return self.tally

    def _push(self, moment: datetime, step: Step) -> None:
        self._pushed += 1
        heapq.heappush(self._queue, (moment, self._pushed, step))

    def _plan_arrivals(self, candidates: int) -> None:
        applicants = [Applicant(n + 1) for n in range(candidates)]
        while applicants:
            together = len(applicants) > 1 and self._rng.random() < ARRIVING_TOGETHER
            group, applicants = applicants[: 1 + together], applicants[1 + together :]
            start = _office_start(MONTH_START, self._zone)
            offset = (self._horizon - start) * ARRIVALS_WITHIN * self._rng.random()
            self._push(self._office_time(start + offset), Arrival(tuple(group)))

    def _office_time(self, moment: datetime) -> datetime:
        """`moment`, or the next moment the office is open (a working day, 09:00-18:00 Paris)."""
        local = moment.astimezone(self._zone)
        day = local.date()
        opens = datetime.combine(day, time(OFFICE_OPENS), self._zone)
        if is_working_day(day, self._days) and opens <= local < opens + OFFICE_HOURS:
            return moment
        if not is_working_day(day, self._days) or local >= opens:
            day = add_working_days(day, 1, self._days)
        opens = datetime.combine(day, time(OFFICE_OPENS), self._zone)
        return (opens + OFFICE_HOURS * self._rng.random()).astimezone(UTC)

    # -- steps

    def _arrive(self, arrival: Arrival) -> None:
        if len(arrival.applicants) == 1:
            self._schedule(self._recruiters[0], arrival.applicants[0], 0)
            return
        self._race(arrival.applicants)

    def _race(self, applicants: tuple[Applicant, ...]) -> None:
        """Two recruiters, two candidates, the same moment: both forms, then both book at once."""
        opened = [
            (actor, applicant, request)
            for actor, applicant in zip(self._recruiters, applicants, strict=True)
            if (request := self._open(actor, applicant, self._plans[0])) is not None
        ]
        self.tally.unplaced += len(applicants) - len(opened)
        barrier = threading.Barrier(len(opened), timeout=60) if opened else None
        results = [BookingResult() for _ in opened]

        def click(n: int, actor: str, request: Opened) -> None:
            if barrier is not None:
                barrier.wait()
            try:
                results[n] = self._book(actor, request.uid, request.options, 0)
            except Exception as error:  # reported with the figures
                results[n] = BookingResult(error=f"request {request.uid}: {error!r}")

        threads = [
            threading.Thread(target=click, args=(n, actor, request))
            for n, (actor, _, request) in enumerate(opened)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.tally.races += len(opened) > 1
        for (_, applicant, request), result in zip(opened, results, strict=True):
            self.tally.races_lost += result.taken > 0
            self._after_booking(applicant, 0, request, result, raced=True)

    def _schedule(self, actor: str, applicant: Applicant, stage_index: int) -> None:
        plan = self._plans[stage_index]
        request = self._open(actor, applicant, plan)
        if request is None:
            self.tally.unplaced += 1
            return
        pick = 0 if self._rng.random() < 0.6 else self._rng.randrange(min(3, len(request.options)))
        result = self._book(actor, request.uid, request.options, pick)
        self._after_booking(applicant, stage_index, request, result)

    def _after_booking(
        self,
        applicant: Applicant,
        stage_index: int,
        request: Opened,
        result: BookingResult,
        raced: bool = False,
    ) -> None:
        if not raced:
            self.tally.refusals += result.taken
        if result.error:
            self.tally.errors.append(result.error)
        if result.booked is None:
            self.tally.unplaced += 1
            return
        self.tally.bookings += 1
        summary = result.booked.summary
        day = summary.start.astimezone(self._zone).date()
        self.tally.inside_window.append(day <= request.window_last)
        decided = summary.end + timedelta(hours=self._rng.uniform(2, 26))
        self._push(
            self._office_time(decided), Decision(applicant, stage_index, summary.interview_id)
        )
        self._maybe_reschedule(summary.interview_id, summary.start)

    def _maybe_reschedule(self, interview_id: int, start: datetime) -> None:
        now = self._clock.now()
        latest = start - timedelta(hours=26)
        if self._rng.random() >= RESCHEDULED or latest <= now + timedelta(hours=1):
            return
        moment = now + (latest - now) * self._rng.uniform(0.1, 0.9)
        self._push(self._office_time(moment), Reschedule(interview_id))

    def _decide(self, decision: Decision) -> None:
        summary = self._scheduling.summary(decision.interview_id)
        if summary.end > self._clock.now():  # moved later meanwhile: decide after it
            self._push(self._office_time(summary.end + timedelta(hours=2)), decision)
            return
        next_index = decision.stage_index + 1
        if next_index == len(self._plans):
            self.tally.finished += 1
        elif self._rng.random() < DECLINED_AFTER.get(self._plans[decision.stage_index].key, 0):
            self.tally.declined += 1
        elif self._clock.now() >= self._horizon:
            self.tally.in_process += 1
        else:
            actor = self._rng.choice(self._recruiters)
            self._schedule(actor, decision.applicant, next_index)

    def _reschedule(self, step: Reschedule) -> None:
        summary = self._scheduling.summary(step.interview_id)
        if summary.status != InterviewStatus.SCHEDULED or summary.start <= self._clock.now():
            self.tally.reschedules_dropped += 1
            return
        actor = self._rng.choice(self._recruiters)
        form = self._scheduling.reschedule_form(actor, step.interview_id)
        uid = self._scheduling.start_rescheduling(
            actor, step.interview_id, form.earliest, form.latest, self._view()
        )
        options = [o for o in self._propose(uid).options if o[0].start != summary.start]
        if not options:
            self.tally.reschedules_dropped += 1
            return
        result = self._book(actor, uid, options, 0)
        self.tally.refusals += result.taken
        if result.booked is not None and result.booked.rescheduled:
            self.tally.reschedules += 1
        else:
            self.tally.reschedules_dropped += 1
            self.tally.errors += [result.error] if result.error else []

    # -- what a recruiter does

    def _open(self, actor: str, applicant: Applicant, plan: StagePlan) -> Opened | None:
        """Fill the form with its defaults, submit it and look at the proposals. When there are
        none, try other pool members, then the next windows."""
        form = self._scheduling.schedule_form(actor, stage_id=plan.id)
        window_last = form.latest  # the stage's default window, as the modal offers it
        default = self._panel(form, plan)
        attempts = [
            (panel, form.earliest, form.latest) for panel in self._panels_to_try(plan, default)
        ]
        earliest = form.latest
        for _ in range(WIDENINGS):
            earliest = add_working_days(earliest, 1, self._days)
            latest = add_working_days(earliest, 10, self._days)
            attempts.append((default, earliest, latest))
            earliest = latest
        for panel, first_day, last_day in attempts:
            data = self._input(applicant, plan, panel, first_day, last_day)
            uid = self._scheduling.start_scheduling(actor, data, self._view())
            self.tally.requests += 1
            applicant.candidate_id = applicant.candidate_id or self._candidate_of(uid)
            proposals = self._propose(uid)
            if proposals.options:
                return Opened(uid, proposals.options, window_last)
            self.tally.searched_again += 1
        return None

    def _panels_to_try(
        self, plan: StagePlan, default: dict[int, list[str]]
    ) -> list[dict[int, list[str]]]:
        """The default panel, then up to `OTHER_PANELS` others drawn from the pools."""
        panels = [default]
        for _ in range(4 * OTHER_PANELS):
            other = {
                pos: self._rng.sample(self._by_name[pool], min(count, len(self._by_name[pool])))
                for pos, pool, count in plan.sessions
            }
            if all(sorted(other[p]) != sorted(panel[p]) for panel in panels for p in other):
                panels.append(other)
            if len(panels) > OTHER_PANELS:
                break
        return panels

    def _panel(self, form: ScheduleForm, plan: StagePlan) -> dict[int, list[str]]:
        if self._panels == "alphabetical":  # before issue 10: the first members by name
            return {pos: self._by_name[pool][:count] for pos, pool, count in plan.sessions}
        choice = next(c for c in form.stage_choices if c.stage_id == plan.id)
        if choice.sessions:
            return {s.position: list(s.default_interviewer_slack_ids) for s in choice.sessions}
        return {plan.sessions[0][0]: list(choice.default_interviewer_slack_ids)}

    def _input(
        self,
        applicant: Applicant,
        plan: StagePlan,
        panel: dict[int, list[str]],
        earliest: date,
        latest: date,
    ) -> ScheduleInput:
        who = (
            {"candidate_id": applicant.candidate_id}
            if applicant.candidate_id is not None
            else {"candidate_name": applicant.name, "candidate_email": applicant.email}
        )
        people = (
            {"session_interviewer_slack_ids": panel}
            if len(plan.sessions) > 1
            else {"interviewer_slack_ids": next(iter(panel.values()))}
        )
        # The modal lets pool members stand in by default; before issue 10 there was no such thing.
        stand_ins = self._panels == "load"
        return ScheduleInput.model_validate(
            {
                "stage_id": plan.id,
                "earliest": earliest,
                "latest": latest,
                "pool_substitutes": stand_ins,
                **who,
                **people,
            }
        )

    def _propose(self, uid: str) -> Proposals:
        started = timer.perf_counter()
        proposals = self._scheduling.propose(uid)
        self.tally.propose_ms.append((timer.perf_counter() - started) * 1000)
        return proposals

    def _book(
        self, actor: str, uid: str, options: Sequence[tuple[PlannedSession, ...]], pick: int
    ) -> BookingResult:
        """Click a proposal; when it was taken, click the first of the fresh ones."""
        result = BookingResult()
        option = options[pick]
        for _ in range(BOOKING_TRIES):
            choice = ChosenSlot(request_uid=uid, starts={s.position: s.start for s in option})
            outcome = self._scheduling.book(choice, actor)
            if isinstance(outcome, Booked):
                result.booked = outcome
                return result
            if not isinstance(outcome, SlotTaken):
                result.error = f"request {uid}: {outcome!r}"
                return result
            result.taken += 1
            if not outcome.fresh.options:
                return result
            option = outcome.fresh.options[0]
        result.error = f"request {uid}: still taken after {BOOKING_TRIES} tries"
        return result

    def _candidate_of(self, uid: str) -> int:
        with self._container.unit_of_work() as uow:
            request = uow.interviews.request_by_uid(uid)
            assert request is not None
            return request.candidate_id

    def _view(self) -> str:
        self._views += 1
        return f"V_MONTH_{self._views}"


def _office_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(OFFICE_OPENS), zone).astimezone(UTC)


def _stage_plans(container: Container) -> list[StagePlan]:
    with container.unit_of_work() as uow:
        stages = uow.session.scalars(select(Stage).order_by(Stage.position)).all()
        return [
            StagePlan(
                stage.id,
                stage.key,
                stage.window_days,
                tuple((s.position, s.pool_key, s.interviewer_count) for s in stage.sessions),
            )
            for stage in stages
        ]


def _pools_by_name(container: Container) -> dict[str, list[str]]:
    """Each pool's members' Slack ids in alphabetical order of their names."""
    with container.unit_of_work() as uow:
        pools = uow.people.pool_members([pool.key for pool in uow.people.pools()])
        return {
            key: [p.slack_id for p in sorted(members, key=lambda p: (p.name, p.id))]
            for key, members in pools.items()
        }


@contextmanager
def timed_slot_search(samples: list[float]) -> Iterator[None]:
    """Time every `find_slots` call the scheduling code makes (milliseconds into `samples`):
    wherever a `bot.scheduling` module imported it, it is wrapped for the run."""
    importers = [
        module
        for name, module in list(sys.modules.items())
        if name.startswith("bot.scheduling") and getattr(module, "find_slots", None) is find_slots
    ]

    def timed(search: SlotSearch, interviewers: Mapping[str, Interviewer]) -> list[Proposal]:
        started = timer.perf_counter()
        try:
            return find_slots(search, interviewers)
        finally:
            samples.append((timer.perf_counter() - started) * 1000)

    for module in importers:
        setattr(module, "find_slots", timed)  # noqa: B010 - the module's own import
    try:
        yield
    finally:
        for module in importers:
            setattr(module, "find_slots", find_slots)  # noqa: B010


# --- one run ----------------------------------------------------------------------------------


def run_month(
    database_url: str, size: WorldSize = FULL, panels: Panels = "load", seed: int = 1
) -> MonthResult:
    """Simulate the month on a migrated, empty database; the figures come from its contents."""
    started = timer.perf_counter()
    rng = random.Random(seed)
    zone = ZoneInfo(COMPANY_ZONE)
    clock = MonthClock(_office_start(MONTH_START, zone))
    settings = load_settings(
        _env_file=None,
        database_url=database_url,
        calendar_backend="local",
        timezone=COMPANY_ZONE,
        holiday_country=HOLIDAY_COUNTRY,
        admin_slack_ids="",
    )
    container = bootstrap(settings, clock=clock)
    try:
        team, share = _prepare(container, size, rng)
        prepared = timer.perf_counter()
        month = Month(container, clock, size, panels, rng)
        with timed_slot_search(month.tally.find_slots_ms):
            tally = month.run(size.candidates)
        simulated = timer.perf_counter()
        with container.unit_of_work() as uow:
            record = month_world.read_month(
                uow.session, zone, WorkingDays.for_country(HOLIDAY_COUNTRY)
            )
        found = month_world.violations(record)
        checked = timer.perf_counter()
    finally:
        container.engine.dispose()
    return MonthResult(
        database=kind_of(database_url),
        size=size,
        panels=panels,
        seed=seed,
        team=team,
        busy_share=share,
        tally=tally,
        record=record,
        violations=found,
        setup_seconds=prepared - started,
        simulation_seconds=simulated - prepared,
        check_seconds=checked - simulated,
    )


def _prepare(
    container: Container, size: WorldSize, rng: random.Random
) -> tuple[tuple[Member, ...], float]:
    """Load the shipped pipeline, enrol the team, fill their calendars; returns the team and
    the busy share of their working hours."""
    team = month_world.team_of(size.pool_sizes)
    first = MONTH_START
    last = first + timedelta(weeks=size.weeks + 6)
    busy = month_world.busy_calendar(team, first, last, rng)
    with container.unit_of_work() as uow:
        uow.candidates.upsert_pipeline(read_pipeline_file(PIPELINE))
        uow.commit()
        month_world.enrol_team(uow, team)
    with container.session_factory() as session:
        month_world.write_busy(session, busy)
    return team, month_world.busy_share(busy, team, first, last)


# --- the report -------------------------------------------------------------------------------


def report(result: MonthResult) -> list[str]:
    t = result.tally
    zones = sorted({m.timezone for m in result.team})
    lines = [
        f"Scheduling month on {result.database}: panels by {result.panels}, seed {result.seed}",
        f"  world: {result.size.candidates} candidates, {len(result.team)} interviewers "
        f"({', '.join(zones)}), requests over {result.size.weeks} weeks from "
        f"{MONTH_START:%a %d %b %Y}; calendars {result.busy_share:.0%} busy in working hours",
        f"  activity: {t.requests} requests ({t.searched_again} found nothing: other panel or "
        f"later window), {t.bookings} booked, {t.unplaced} not placed; {t.races} races, "
        f"{t.races_lost} lost and rebooked from fresh proposals; {t.refusals} other refusals; "
        f"{t.reschedules} reschedules ({t.reschedules_dropped} dropped)",
        f"  candidates: {t.declined} declined after a stage, {t.finished} through the onsite "
        f"loop, {t.in_process} waiting at the month's end",
        _violation_line(result.violations),
        *_fairness_lines(result.record),
        _window_line(t),
        _search_line(t),
        f"  wall time: {_wall_seconds(result):.1f} s (setup {result.setup_seconds:.1f} s, "
        f"month {result.simulation_seconds:.1f} s, check {result.check_seconds:.1f} s)",
    ]
    if t.errors:
        lines.append(f"  SERVICE ERRORS ({len(t.errors)}): " + "; ".join(t.errors[:5]))
    lines += [f"    {v.kind}: {v.detail}" for v in result.violations[:20]]
    return lines


def _wall_seconds(result: MonthResult) -> float:
    return result.setup_seconds + result.simulation_seconds + result.check_seconds


def _violation_line(found: Sequence[Violation]) -> str:
    counts = dict.fromkeys(month_world.VIOLATION_KINDS, 0)
    for violation in found:
        counts[violation.kind] += 1
    parts = ", ".join(f"{kind} {n}" for kind, n in counts.items())
    verdict = "none" if not found else f"{len(found)} FOUND"
    return f"  violations (recomputed from the database): {parts} -> {verdict}"


def _shared_pools(record: MonthRecord) -> dict[str, list[float]]:
    """Interview minutes per member of each pool with more than one member."""
    minutes = month_world.minutes_per_member(record)
    return {pool: values for pool, values in minutes.items() if len(values) > 1}


def _worst_gini(record: MonthRecord) -> float:
    return max((month_world.gini(v) for v in _shared_pools(record).values()), default=0.0)


def _fairness_lines(record: MonthRecord) -> list[str]:
    shared = _shared_pools(record)
    worst = _worst_gini(record)
    per_pool = "; ".join(
        f"{pool} {month_world.gini(values):.2f} ({'/'.join(str(int(v)) for v in values)} min)"
        for pool, values in sorted(shared.items())
    )
    verdict = "met" if worst <= GINI_TARGET else "MISSED"
    return [
        f"  fairness, Gini of interview minutes per pool: {per_pool}",
        f"    max {worst:.2f} (target <= {GINI_TARGET}: {verdict}; single-member pools left out)",
    ]


def _window_line(t: Tally) -> str:
    inside, placed = sum(t.inside_window), len(t.inside_window)
    requested = placed + t.unplaced
    share = inside / requested if requested else 0.0
    verdict = "met" if share >= WINDOW_TARGET else "MISSED"
    return (
        f"  placed inside the stage's window: {inside}/{requested} stages = {share:.1%} "
        f"(target >= {WINDOW_TARGET:.0%}: {verdict})"
    )


def _search_line(t: Tally) -> str:
    def figures(samples: list[float]) -> str:
        return (
            f"median {statistics.median(samples) if samples else 0:.1f} ms, "
            f"p95 {month_world.percentile(samples, 0.95):.1f} ms (n={len(samples)})"
        )

    return (
        f"  slot search: propose() {figures(t.propose_ms)}; "
        f"find_slots alone {figures(t.find_slots_ms)}"
    )


# --- repeated runs and the command -----------------------------------------------------------


def _median(samples: Sequence[float]) -> float:
    return statistics.median(samples) if samples else 0.0


def _inside_share(t: Tally) -> float:
    requested = len(t.inside_window) + t.unplaced
    return sum(t.inside_window) / requested if requested else 0.0


def _p50_p95(samples: Sequence[float], digits: int) -> str:
    p95 = month_world.percentile(list(samples), 0.95)
    return f"{_median(samples):.{digits}f} / {p95:.{digits}f}"


def runs_lines(results: Sequence[MonthResult]) -> list[str]:
    """One line per run (same seed, a fresh database each), then the spread of the timings."""
    lines = [
        f"Runs ({len(results)}, the same seed, a fresh database each):",
        f"  {'run':>3} {'booked':>6} {'violations':>10} {'worst Gini':>10} {'in window':>9} "
        f"{'propose p50/p95 ms':>18} {'find_slots p50/p95 ms':>21} {'wall s':>6}",
    ]
    for n, r in enumerate(results, start=1):
        t = r.tally
        propose, alone = _p50_p95(t.propose_ms, 1), _p50_p95(t.find_slots_ms, 2)
        lines.append(
            f"  {n:>3} {t.bookings:>6} {len(r.violations):>10} {_worst_gini(r.record):>10.2f} "
            f"{_inside_share(t):>9.1%} {propose:>18} {alone:>21} {_wall_seconds(r):>6.1f}"
        )
    figures = {
        "propose() median": [_median(r.tally.propose_ms) for r in results],
        "propose() p95": [month_world.percentile(r.tally.propose_ms, 0.95) for r in results],
        "find_slots median": [_median(r.tally.find_slots_ms) for r in results],
    }
    parts = [f"{name} {spread(values).text(2)} ms" for name, values in figures.items()]
    wall = spread(_wall_seconds(r) for r in results).text()
    lines.append(f"  min / median of {len(results)} runs: {'; '.join(parts)}; wall time {wall} s")
    return lines


def _months(
    kind: str,
    database_url: str | None,
    size: WorldSize,
    args: argparse.Namespace,
    out: Callable[[str], None],
) -> list[MonthResult]:
    """`--runs` months with the same seed, each on a new database."""
    results: list[MonthResult] = []
    for _ in range(args.runs):
        with scratch_database(kind, SCRATCH_NAME, database_url) as url:
            migrate(url)
            if not results:  # the database exists now: its server's version goes in the header
                print_header("bench.scheduling_month", args.runs, url, out)
            results.append(run_month(url, size, args.panels, args.seed))
    return results


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database", choices=KINDS, default="sqlite")
    parser.add_argument(
        "--database-url", help="run on a new database at this URL instead (must not exist)"
    )
    parser.add_argument("--panels", choices=("load", "alphabetical"), default="load")
    parser.add_argument("--quick", action="store_true", help="8 candidates, 7 people, 2 weeks")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="exit 1 on a violation or error")
    add_runs_argument(parser)
    args = parser.parse_args(argv)
    kind = kind_of(args.database_url) if args.database_url else args.database
    try:
        results = _months(kind, args.database_url, QUICK if args.quick else FULL, args, out)
    except ScratchError as error:
        print(f"bench.scheduling_month: {error}", file=sys.stderr)
        return 2
    for line in [*report(results[0]), *runs_lines(results)]:
        out(line)
    failed = any(r.violations or r.tally.errors for r in results)
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
