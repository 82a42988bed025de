"""Plain views of a booked interview, for messages and DMs (no Slack, no SQL here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from models.hiring import Interview, InterviewEvent, ParticipantKind, StageFormat

# A take-home solution is due this long before its review, so reviewers can read it.
TAKE_HOME_DUE_BEFORE_REVIEW = timedelta(hours=24)


@dataclass(frozen=True)
class SessionTimes:
    name: str
    start: datetime
    end: datetime
    interviewer_slack_ids: tuple[str, ...]
    video_link: str | None = None
    location: str | None = None


@dataclass(frozen=True)
class InterviewSummary:
    interview_id: int
    candidate_name: str
    candidate_email: str
    stage_name: str
    sessions: tuple[SessionTimes, ...]
    scorecard: tuple[str, ...]
    scheduled_by_slack_id: str | None
    status: str
    take_home_due: datetime | None = None

    @property
    def start(self) -> datetime:
        return self.sessions[0].start

    @property
    def end(self) -> datetime:
        return self.sessions[-1].end

    @property
    def interviewer_slack_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i for s in self.sessions for i in s.interviewer_slack_ids))


def summarize_interview(
    interview: Interview, scheduled_by_slack_id: str | None
) -> InterviewSummary:
    """Needs the interview loaded with events, participants and people, candidate and stage."""
    names = _session_names(interview)
    sessions = tuple(
        SessionTimes(
            name=names[event.id],
            start=event.starts_at,
            end=event.ends_at,
            interviewer_slack_ids=tuple(
                p.person.slack_id
                for p in event.participants
                if p.kind == ParticipantKind.INTERVIEWER and p.person is not None
            ),
            video_link=event.video_link,
            location=event.location,
        )
        for event in interview.events
    )
    return InterviewSummary(
        interview_id=interview.id,
        candidate_name=interview.candidate.name,
        candidate_email=interview.candidate.email,
        stage_name=interview.stage.name,
        sessions=sessions,
        scorecard=tuple(item.competency.name for item in interview.stage.scorecard),
        scheduled_by_slack_id=scheduled_by_slack_id,
        status=str(interview.status),
        take_home_due=_take_home_due(interview),
    )


def _take_home_due(interview: Interview) -> datetime | None:
    if interview.stage.format != StageFormat.TAKE_HOME:
        return None
    return interview.starts_at - TAKE_HOME_DUE_BEFORE_REVIEW


def event_positions(interview: Interview) -> dict[int, InterviewEvent]:
    """Each event by the position of its stage session (events without one count in order)."""
    positions = {s.id: s.position for s in interview.stage.sessions}
    return {
        positions.get(event.stage_session_id or 0, index): event
        for index, event in enumerate(interview.events, start=1)
    }


def _session_names(interview: Interview) -> dict[int, str]:
    """Each event's session name, keyed by the event's id."""
    names = {s.id: s.name for s in interview.stage.sessions}
    fallback = interview.stage.name
    return {e.id: names.get(e.stage_session_id or 0, fallback) for e in interview.events}
