"""Checking what the scheduling modal submitted and turning it into a scheduling request."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from email_validator import EmailNotValidError, validate_email

from bot.scheduling.form import NotAllowed
from bot.scheduling.summary import event_positions
from bot.team.people import scheduler_or_none
from models.directory import PersonEntry
from models.hiring import (
    Candidate,
    Interview,
    InterviewStatus,
    ParticipantKind,
    Person,
    SchedulingRequest,
    SchedulingStatus,
    Stage,
)
from models.schemas import CANDIDATE_NAME_MAX, EMAIL_MAX, ScheduleInput
from models.unit_of_work import UnitOfWork

MAX_WINDOW_DAYS = 90
# How far ahead a search may start: beyond, a date is a typo (and year 9999 has no next day).
MAX_DAYS_AHEAD = 366


class _Window(NamedTuple):
    """The days to search, as instants: from the earliest day's midnight to the latest's end."""

    start: datetime
    end: datetime


class FieldErrors(Exception):
    """Bad modal input: messages keyed by the modal's block ids."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def start_scheduling(
    uow: UnitOfWork,
    actor_slack_id: str,
    data: ScheduleInput,
    *,
    view_id: str,
    now: datetime,
    zone: ZoneInfo,
) -> SchedulingRequest:
    """Check the input and store a scheduling request (a repeated submission returns the first)."""
    actor, existing = _actor_and_repeat(uow, actor_slack_id, view_id)
    if existing is not None:
        return existing
    errors: dict[str, str] = {}
    stage = _check_stage(uow, data, errors)
    candidate = _check_candidate(uow, data, stage, errors)
    panel = _check_panel(uow, data, stage, errors)
    window = _check_window(data, now.astimezone(zone).date(), zone, errors)
    if candidate is not None and stage is not None:
        _check_not_booked(uow, candidate, stage, zone, errors)
    if errors or stage is None or panel is None or window is None:
        raise FieldErrors(errors)
    if candidate is None:
        candidate = _new_candidate(uow, data, stage, actor, now)
    request = _new_request(uow, candidate.id, stage.id, actor, None, panel, window, view_id, now)
    request.pool_substitutes = data.pool_substitutes
    return request


def _actor_and_repeat(
    uow: UnitOfWork, actor_slack_id: str, view_id: str
) -> tuple[PersonEntry, SchedulingRequest | None]:
    """Who asks (refused unless they may schedule), and the request this view already made."""
    actor = scheduler_or_none(uow, actor_slack_id)
    if actor is None:
        raise NotAllowed(actor_slack_id)
    return actor, uow.interviews.request_by_view(view_id) if view_id else None


def _check_stage(uow: UnitOfWork, data: ScheduleInput, errors: dict[str, str]) -> Stage | None:
    if data.stage_id is None:
        errors["stage"] = "Pick the stage to schedule."
        return None
    stage = uow.candidates.stage_with_sessions(data.stage_id)
    if stage is None:
        errors["stage"] = "This stage no longer exists; pick another one."
    elif data.role_id is not None and stage.role_id != data.role_id:
        errors["stage"] = "This stage belongs to another role than the one picked."
    return stage


def _check_candidate(
    uow: UnitOfWork, data: ScheduleInput, stage: Stage | None, errors: dict[str, str]
) -> Candidate | None:
    if data.candidate_id is not None:
        candidate = uow.candidates.candidate_by_id(data.candidate_id)
        if candidate is None:
            errors["candidate"] = "This candidate no longer exists."
        elif stage is not None and candidate.role_id != stage.role_id:
            errors["stage"] = "This stage is not part of the candidate's role."
        return candidate
    name, email = data.candidate_name.strip(), data.candidate_email.strip()
    if not name and not email:
        errors["candidate"] = "Pick a candidate, or enter a new candidate's name and email."
        return None
    if not name:
        errors["candidate_name"] = "Enter the new candidate's name."
    elif len(name) > CANDIDATE_NAME_MAX:
        errors["candidate_name"] = f"A name has at most {CANDIDATE_NAME_MAX} characters."
    if not email:
        errors["candidate_email"] = "Enter the new candidate's email: they get the invitation."
        return None
    if not _valid_email(email):
        errors["candidate_email"] = "This is not a valid email address."
        return None
    if stage is not None:
        return uow.candidates.candidate_by_email(stage.role_id, email)
    return None


def _valid_email(email: str) -> bool:
    if len(email) > EMAIL_MAX:
        return False
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def session_field(position: int) -> str:
    """The error key of a loop session's people picker."""
    return f"session-{position}"


def _check_not_booked(
    uow: UnitOfWork, candidate: Candidate, stage: Stage, zone: ZoneInfo, errors: dict[str, str]
) -> None:
    """One active interview per candidate and stage: a second one is a reschedule."""
    booked = uow.interviews.active_interview(candidate.id, stage.id)
    if booked is None or "stage" in errors:
        return
    when = booked.starts_at.astimezone(zone).strftime("%a %d %b at %H:%M")
    state = "is being booked" if booked.status == InterviewStatus.PENDING else "is already booked"
    errors["stage"] = (
        f"“{stage.name}” {state} for {candidate.name} ({when}). To change the time, use "
        "Reschedule on its confirmation message, or under “Already booked” when you open "
        "/schedule-interview for them."
    )


def _check_panel(
    uow: UnitOfWork, data: ScheduleInput, stage: Stage | None, errors: dict[str, str]
) -> dict[str, list[int]] | None:
    if stage is not None and len(stage.sessions) > 1 and data.session_interviewer_slack_ids:
        return _session_panel(uow, data, stage, errors)
    picked = data.interviewer_slack_ids or [
        slack_id for ids in data.session_interviewer_slack_ids.values() for slack_id in ids
    ]
    ids = list(dict.fromkeys(picked))
    if not ids:
        errors["interviewers"] = "Pick at least one interviewer."
        return None
    people = uow.people.people_by_slack_ids(ids)
    missing = [i for i in ids if i not in people or not people[i].email]
    if missing:
        errors["interviewers"] = _no_email(missing)
        return None
    if stage is None:
        return None
    return _assign_sessions(uow, stage, [people[slack_id] for slack_id in ids], errors)


def _no_email(missing: list[str]) -> str:
    mentions = ", ".join(f"<@{slack_id}>" for slack_id in missing)
    return (
        f"We have no email address for {mentions}, so they cannot be invited. "
        "Ask an admin to add it, or pick someone else."
    )


def _session_panel(
    uow: UnitOfWork, data: ScheduleInput, stage: Stage, errors: dict[str, str]
) -> dict[str, list[int]] | None:
    """A loop whose sessions each got their own picker: each session gets who was picked for it
    (pools only prefilled the pickers)."""
    picks = {
        position: list(dict.fromkeys(ids))
        for position, ids in data.session_interviewer_slack_ids.items()
    }
    people = uow.people.people_by_slack_ids([i for ids in picks.values() for i in ids])
    panel: dict[str, list[int]] = {}
    for stage_session in stage.sessions:
        ids = picks.get(stage_session.position, [])
        missing = [i for i in ids if i not in people or not people[i].email]
        if not ids:
            errors[session_field(stage_session.position)] = f"Pick who runs “{stage_session.name}”."
        elif missing:
            errors[session_field(stage_session.position)] = _no_email(missing)
        else:
            panel[str(stage_session.position)] = [people[i].id for i in ids]
    return panel if len(panel) == len(stage.sessions) else None


def _assign_sessions(
    uow: UnitOfWork, stage: Stage, people: list[Person], errors: dict[str, str]
) -> dict[str, list[int]] | None:
    """Everyone attends a single-session stage; in a loop, each session takes its pool's people."""
    if len(stage.sessions) == 1:
        return {str(stage.sessions[0].position): [p.id for p in people]}
    members = uow.people.pool_members([s.pool_key for s in stage.sessions])
    panel: dict[str, list[int]] = {}
    unplaced = list(people)
    for stage_session in stage.sessions:
        pool_ids = {p.id for p in members[stage_session.pool_key]}
        chosen = [p for p in unplaced if p.id in pool_ids][: stage_session.interviewer_count]
        if not chosen:
            errors["interviewers"] = f"Pick someone for “{stage_session.name}”."
            return None
        panel[str(stage_session.position)] = [p.id for p in chosen]
        unplaced = [p for p in unplaced if p not in chosen]
    if unplaced:
        names = ", ".join(f"<@{p.slack_id}>" for p in unplaced)
        errors["interviewers"] = f"{names}: not in the pool of any session of this loop."
        return None
    return panel


def _check_window(
    data: ScheduleInput, today: date, zone: ZoneInfo, errors: dict[str, str]
) -> _Window | None:
    if data.earliest is None:
        errors["earliest"] = "Pick the earliest day."
    elif data.earliest < today:
        errors["earliest"] = "The earliest day is in the past."
    elif (data.earliest - today).days > MAX_DAYS_AHEAD:
        errors["earliest"] = f"Search within the next {MAX_DAYS_AHEAD} days."
    if data.latest is None:
        errors["latest"] = "Pick the latest day."
    elif data.earliest is not None and data.latest < data.earliest:
        errors["latest"] = "The latest day must be on or after the earliest day."
    elif data.earliest is not None and (data.latest - data.earliest).days > MAX_WINDOW_DAYS:
        errors["latest"] = f"Search at most {MAX_WINDOW_DAYS} days at once."
    if errors.keys() & {"earliest", "latest"} or data.earliest is None or data.latest is None:
        return None
    return _Window(
        start=datetime.combine(data.earliest, time(0), zone),
        end=datetime.combine(data.latest + timedelta(days=1), time(0), zone),
    )


def _new_candidate(
    uow: UnitOfWork, data: ScheduleInput, stage: Stage, actor: PersonEntry, now: datetime
) -> Candidate:
    candidate = Candidate(
        role_id=stage.role_id,
        name=data.candidate_name.strip(),
        email=data.candidate_email.strip(),
        current_stage_id=stage.id,
        stage_entered_at=now,
        created_at=now,
        created_by_id=actor.id,
    )
    uow.candidates.add(candidate)
    uow.flush()
    return candidate


def start_rescheduling(
    uow: UnitOfWork,
    actor_slack_id: str,
    interview_id: int,
    earliest: date | None,
    latest: date | None,
    *,
    view_id: str,
    now: datetime,
    zone: ZoneInfo,
) -> SchedulingRequest:
    """A request to move an interview: same candidate, stage and panel, a new window."""
    actor, existing = _actor_and_repeat(uow, actor_slack_id, view_id)
    if existing is not None:
        return existing
    interview = uow.interviews.interview_with_events(interview_id)
    if interview is None or interview.status != InterviewStatus.SCHEDULED:
        raise FieldErrors({"earliest": "This interview is no longer scheduled."})
    errors: dict[str, str] = {}
    window = _check_window(
        ScheduleInput(earliest=earliest, latest=latest), now.astimezone(zone).date(), zone, errors
    )
    if window is None:
        raise FieldErrors(errors)
    return _new_request(
        uow,
        interview.candidate_id,
        interview.stage_id,
        actor,
        interview.id,
        panel_of(interview),
        window,
        view_id,
        now,
    )


def _new_request(
    uow: UnitOfWork,
    candidate_id: int,
    stage_id: int,
    actor: PersonEntry,
    interview_id: int | None,
    panel: dict[str, list[int]],
    window: _Window,
    view_id: str,
    now: datetime,
) -> SchedulingRequest:
    request = SchedulingRequest(
        uid=uuid.uuid4().hex,
        candidate_id=candidate_id,
        stage_id=stage_id,
        requested_by_id=actor.id,
        interview_id=interview_id,
        panel=panel,
        window_start=window.start,
        window_end=window.end,
        view_id=view_id or None,
        status=SchedulingStatus.SEARCHING,
        created_at=now,
        updated_at=now,
    )
    uow.interviews.add(request)
    uow.flush()
    return request


def panel_of(interview: Interview) -> dict[str, list[int]]:
    return {
        str(position): [
            p.person_id
            for p in event.participants
            if p.kind == ParticipantKind.INTERVIEWER and p.person_id is not None
        ]
        for position, event in event_positions(interview).items()
    }
