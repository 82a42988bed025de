"""What the scheduling modals start with: roles, stages, default interviewers, search window."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.scheduling.load import MemberLoad, choose_panel
from bot.scheduling.panels import pool_member_loads
from bot.scheduling.policy import StagePolicy
from bot.scheduling.summary import InterviewSummary
from bot.shared.working_time import WorkingDays, default_search_window
from bot.team.people import scheduler_or_none
from calendars.slot_types import monday_of
from models.directory import PersonEntry, RoleEntry, StageEntry
from models.hiring import Candidate, Stage
from models.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class SessionChoice:
    """One session of a loop: who runs it by default (from its pool; empty without one)."""

    position: int
    name: str
    default_interviewer_slack_ids: tuple[str, ...]


@dataclass(frozen=True)
class StageChoice:
    stage_id: int
    label: str
    default_interviewer_slack_ids: tuple[str, ...]
    sessions: tuple[SessionChoice, ...] = ()


@dataclass(frozen=True)
class CandidateChoice:
    candidate_id: int
    label: str


@dataclass(frozen=True)
class UpcomingInterview:
    interview_id: int
    stage_name: str
    start: datetime


@dataclass(frozen=True)
class ScheduleForm:
    role_choices: list[tuple[int, str]]
    selected_role_id: int | None
    stage_choices: list[StageChoice]
    selected_stage_id: int | None
    earliest: date
    latest: date
    candidate: CandidateChoice | None = None
    new_candidate_name: str = ""
    upcoming: tuple[UpcomingInterview, ...] = ()


@dataclass(frozen=True)
class RescheduleForm:
    """The reschedule modal: the interview to move and the window searched by default."""

    summary: InterviewSummary
    earliest: date
    latest: date


class NotAllowed(Exception):
    """The caller may not schedule interviews."""


@dataclass(frozen=True)
class FormRequest:
    """Who opens the scheduling modal, what they typed, and the stage picked (None: the next)."""

    slack_id: str
    text: str = ""
    stage_id: int | None = None


def schedule_form(
    uow: UnitOfWork,
    asked: FormRequest,
    now: datetime,
    zone: ZoneInfo,
    working_days: WorkingDays,
    on_allowed: Callable[[], object] = lambda: None,
) -> ScheduleForm:
    """The modal's content; the default window is the selected stage's (its policy's working
    days, from the next working day of the company). `on_allowed` is called as soon as the
    caller is known to be allowed, before the form is built."""
    if scheduler_or_none(uow, asked.slack_id) is None:
        raise NotAllowed(asked.slack_id)
    on_allowed()
    roles = uow.directory.open_roles
    candidate = _matching_candidate(uow, asked.text)
    role = _role_for(roles, candidate)
    stages = [stage for role_ in roles for stage in role_.stages]
    selected = asked.stage_id or _next_stage_id(role, candidate)
    stage = next((s for s in stages if s.id == selected), None)
    earliest, latest = stage_window(stage, now, zone, working_days)
    return ScheduleForm(
        role_choices=[(r.id, r.title) for r in roles],
        selected_role_id=role.id if role else None,
        stage_choices=_stage_choices(uow, roles, stages, now, zone),
        selected_stage_id=selected,
        earliest=earliest,
        latest=latest,
        candidate=candidate_choice(candidate) if candidate else None,
        new_candidate_name="" if candidate else asked.text.strip(),
        upcoming=_upcoming(uow, candidate, now),
    )


def stage_window(
    stage: Stage | StageEntry | None, now: datetime, zone: ZoneInfo, working_days: WorkingDays
) -> tuple[date, date]:
    """The days searched unless the recruiter says otherwise: the stage's `window_days` working
    days, from the first working day its notice allows (a take-home's review comes after the
    days of the test, so its window starts then, not tomorrow)."""
    if stage is None:
        return default_search_window(now.astimezone(zone).date(), working_days)
    allowed = (now + StagePolicy.of(stage).notice).astimezone(zone).date()
    today = now.astimezone(zone).date()
    start_after = max(today, allowed - timedelta(days=1))
    return default_search_window(start_after, working_days, stage.window_days)


def _upcoming(
    uow: UnitOfWork, candidate: Candidate | None, now: datetime
) -> tuple[UpcomingInterview, ...]:
    if candidate is None:
        return ()
    return tuple(
        UpcomingInterview(i.id, i.stage.name, i.starts_at)
        for i in uow.interviews.upcoming_interviews(candidate.id, now)
    )


def candidate_choice(candidate: Candidate) -> CandidateChoice:
    return CandidateChoice(candidate.id, f"{candidate.name} <{candidate.email}>")


def find_candidates(uow: UnitOfWork, actor_slack_id: str, query: str) -> list[CandidateChoice]:
    """Candidates matching `query`, for someone who may schedule (nobody else sees any)."""
    if scheduler_or_none(uow, actor_slack_id) is None:
        return []
    return [candidate_choice(c) for c in uow.candidates.search_candidates(query)]


def _matching_candidate(uow: UnitOfWork, text: str) -> Candidate | None:
    if not text.strip():
        return None
    matches = uow.candidates.search_candidates(text, limit=2)
    return matches[0] if len(matches) == 1 else None


def _role_for(roles: Sequence[RoleEntry], candidate: Candidate | None) -> RoleEntry | None:
    if candidate is not None:
        return next((r for r in roles if r.id == candidate.role_id), None)
    return roles[0] if len(roles) == 1 else None


def _next_stage_id(role: RoleEntry | None, candidate: Candidate | None) -> int | None:
    if role is None or not role.stages:
        return None
    if candidate is None or candidate.current_stage_id is None:
        return role.stages[0].id
    return candidate.current_stage_id


def _stage_choices(
    uow: UnitOfWork,
    roles: Sequence[RoleEntry],
    stages: Sequence[StageEntry],
    now: datetime,
    zone: ZoneInfo,
) -> list[StageChoice]:
    pool_keys = sorted({s.pool_key for stage in stages for s in stage.sessions})
    members = uow.directory.pool_members(pool_keys)
    loads = pool_member_loads(uow, members, now)
    week = monday_of(now.astimezone(zone).date())
    role_titles = {role.id: role.title for role in roles}
    choices = []
    for stage in stages:
        label = stage.name if len(roles) == 1 else f"{role_titles[stage.role_id]}: {stage.name}"
        defaults: list[str] = []
        sessions: list[SessionChoice] = []
        for stage_session in stage.sessions:
            picked = _lightest(
                members[stage_session.pool_key],
                stage_session.interviewer_count,
                loads,
                week,
                defaults,
            )
            defaults.extend(picked)
            sessions.append(
                SessionChoice(stage_session.position, stage_session.name, tuple(picked))
            )
        choices.append(StageChoice(stage.id, label, tuple(defaults), tuple(sessions)))
    return choices


def _lightest(
    pool: list[PersonEntry], count: int, loads: dict[int, MemberLoad], week: date, taken: list[str]
) -> list[str]:
    """The Slack ids of the `count` least loaded pool members not already `taken`."""
    by_id = {person.id: person for person in pool}
    chosen = choose_panel(
        [loads[person.id] for person in pool],
        count,
        week,
        taken={person.id for person in pool if person.slack_id in taken},
    )
    return [by_id[person_id].slack_id for person_id in chosen]
