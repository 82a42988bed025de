"""The right of access: everything held about a candidate, as plain JSON-ready data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from models.hiring import (
    AuditEntry,
    Candidate,
    Feedback,
    FeedbackRequest,
    Interview,
    InterviewEvent,
    SchedulingRequest,
)
from models.unit_of_work import UnitOfWork

Json = dict[str, Any]


def candidate_file(uow: UnitOfWork, candidate: Candidate) -> Json:
    """One candidate file (one role applied to) with everything that hangs off it."""
    interviews = uow.privacy.interviews_of(candidate.id)
    interview_ids = [interview.id for interview in interviews]
    feedback = uow.privacy.feedback_on(interview_ids)
    names = _people_names(uow, interviews, feedback)
    return {
        "candidate": _candidate(candidate),
        "interviews": [_interview(interview, names) for interview in interviews],
        "feedback": [_feedback(version, names) for version in feedback],
        "feedback_requests": [
            _feedback_request(r, names) for r in uow.privacy.feedback_requests_on(interview_ids)
        ],
        "scheduling_requests": [
            _scheduling_request(r) for r in uow.privacy.scheduling_requests_of(candidate.id)
        ],
        "audit": [_audit(entry) for entry in uow.privacy.audit_about(candidate.id)],
    }


def _people_names(
    uow: UnitOfWork, interviews: list[Interview], feedback: list[Feedback]
) -> dict[int, str]:
    ids = {
        p.person_id
        for interview in interviews
        for event in interview.events
        for p in event.participants
        if p.person_id is not None
    }
    ids |= {i.decided_by_id for i in interviews if i.decided_by_id is not None}
    ids |= {version.interviewer_id for version in feedback}
    found = (uow.people.person_by_id(person_id) for person_id in ids)
    return {person.id: person.name for person in found if person is not None}


def _candidate(candidate: Candidate) -> Json:
    return {
        "id": candidate.id,
        "name": candidate.name,
        "email": candidate.email,
        "role": candidate.role.title,
        "current_stage": candidate.current_stage.name if candidate.current_stage else None,
        "status": candidate.status.value,
        "stage_entered_at": _time(candidate.stage_entered_at),
        "created_at": _time(candidate.created_at),
    }


def _interview(interview: Interview, names: dict[int, str]) -> Json:
    return {
        "id": interview.id,
        "stage": interview.stage.name,
        "status": interview.status.value,
        "starts_at": _time(interview.starts_at),
        "ends_at": _time(interview.ends_at),
        "decision": interview.decision.value if interview.decision else None,
        "decided_at": _time(interview.decided_at),
        "decided_by": names.get(interview.decided_by_id or 0),
        "events": [_event(event, names) for event in interview.events],
    }


def _event(event: InterviewEvent, names: dict[int, str]) -> Json:
    return {
        "calendar_event_id": event.calendar_event_id,
        "starts_at": _time(event.starts_at),
        "ends_at": _time(event.ends_at),
        "video_link": event.video_link,
        "location": event.location,
        "participants": [
            {
                "name": names.get(p.person_id or 0),
                "email": p.email,
                "kind": p.kind.value,
                "response": p.response_status,
            }
            for p in event.participants
        ],
    }


def _feedback(feedback: Feedback, names: dict[int, str]) -> Json:
    return {
        "interview_id": feedback.interview_id,
        "interviewer": names.get(feedback.interviewer_id),
        "version": feedback.version,
        "is_current": feedback.is_current,
        "recommendation": feedback.recommendation.value,
        "summary": feedback.summary,
        "submitted_at": _time(feedback.submitted_at),
        "ratings": [
            {"competency": r.competency.name, "rating": r.rating, "note": r.note}
            for r in feedback.ratings
        ],
    }


def _feedback_request(request: FeedbackRequest, names: dict[int, str]) -> Json:
    return {
        "interview_id": request.interview_id,
        "interviewer": names.get(request.interviewer_id),
        "due_at": _time(request.due_at),
        "completed_at": _time(request.completed_at),
    }


def _scheduling_request(request: SchedulingRequest) -> Json:
    return {
        "stage": request.stage.name,
        "status": request.status.value,
        "window_start": _time(request.window_start),
        "window_end": _time(request.window_end),
        "created_at": _time(request.created_at),
    }


def _audit(entry: AuditEntry) -> Json:
    return {
        "at": _time(entry.at),
        "action": entry.action,
        "subject": f"{entry.subject_type}:{entry.subject_id}",
        "detail": entry.detail,
    }


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
