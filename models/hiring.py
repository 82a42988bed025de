"""The hiring domain: roles and their pipelines, people, candidates, interviews, feedback."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, EncryptedText, UTCDateTime, enum_column

# A person's working day, in their own time zone, until an admin sets other hours. The one place
# these hours are written: the slot finder, reminders and the team modal all start from them.
WORKDAY_START = time(9, 0)
WORKDAY_END = time(18, 0)


class StageFormat(enum.StrEnum):
    VIDEO = "video"
    TAKE_HOME = "take_home"
    LIVE = "live"
    ONSITE = "onsite"


class TeamRole(enum.StrEnum):
    RECRUITER = "recruiter"
    HIRING_MANAGER = "hiring_manager"
    INTERVIEWER = "interviewer"
    HEAD_OF_ENGINEERING = "head_of_engineering"
    ADMIN = "admin"


class CandidateStatus(enum.StrEnum):
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    REJECTED = "rejected"
    HIRED = "hired"
    WITHDRAWN = "withdrawn"


class InterviewStatus(enum.StrEnum):
    # Recorded before its calendar events are written or moved; booked (SCHEDULED) once they are.
    PENDING = "pending"
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class ParticipantKind(enum.StrEnum):
    INTERVIEWER = "interviewer"
    CANDIDATE = "candidate"


class SchedulingStatus(enum.StrEnum):
    SEARCHING = "searching"
    PROPOSED = "proposed"
    BOOKING = "booking"
    BOOKED = "booked"
    FAILED = "failed"


class Recommendation(enum.StrEnum):
    STRONG_NO = "strong_no"
    NO = "no"
    YES = "yes"
    STRONG_YES = "strong_yes"


class Decision(enum.StrEnum):
    """A decision maker's choice after an interview; a HOLD can still be turned into another."""

    ADVANCE = "advance"
    HIRE = "hire"
    REJECT = "reject"
    HOLD = "hold"


class Role(Base):
    """A position being hired for, with its pipeline of stages."""

    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(200), default="")
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)

    stages: Mapped[list[Stage]] = relationship(
        back_populates="role", order_by="Stage.position", cascade="all, delete-orphan"
    )
    competencies: Mapped[list[Competency]] = relationship(
        back_populates="role", cascade="all, delete-orphan"
    )


class Competency(Base):
    """Something a role is judged on; scorecards pick a few per stage."""

    __tablename__ = "competencies"
    __table_args__ = (UniqueConstraint("role_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    role: Mapped[Role] = relationship(back_populates="competencies")


class Stage(Base):
    """One step of a role's pipeline (HR screening, technical test, onsite...)."""

    __tablename__ = "stages"
    __table_args__ = (UniqueConstraint("role_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    format: Mapped[StageFormat] = mapped_column(enum_column(StageFormat))
    location: Mapped[str | None] = mapped_column(String(200), default=None)
    gap_minutes: Mapped[int] = mapped_column(Integer, default=0)
    take_home_days: Mapped[int | None] = mapped_column(Integer, default=None)
    # The scheduling policy (pipeline file: the company's [defaults], then the stage's [policy]).
    buffer_minutes: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    notice_hours: Mapped[int] = mapped_column(Integer, default=24, server_default="24")
    grid_minutes: Mapped[int] = mapped_column(Integer, default=15, server_default="15")
    # Interviews per interviewer and day or ISO week, all stages together; None: no limit.
    daily_cap: Mapped[int | None] = mapped_column(Integer, default=None)
    weekly_cap: Mapped[int | None] = mapped_column(Integer, default=None)
    window_days: Mapped[int] = mapped_column(Integer, default=10, server_default="10")

    role: Mapped[Role] = relationship(back_populates="stages")
    sessions: Mapped[list[StageSession]] = relationship(
        back_populates="stage", order_by="StageSession.position", cascade="all, delete-orphan"
    )
    scorecard: Mapped[list[ScorecardItem]] = relationship(
        back_populates="stage", order_by="ScorecardItem.position", cascade="all, delete-orphan"
    )


class StageSession(Base):
    """A meeting inside a stage: one for most stages, several back to back for an onsite loop."""

    __tablename__ = "stage_sessions"
    __table_args__ = (UniqueConstraint("stage_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    pool_key: Mapped[str] = mapped_column(String(64))
    interviewer_count: Mapped[int] = mapped_column(Integer, default=1)

    stage: Mapped[Stage] = relationship(back_populates="sessions")


class ScorecardItem(Base):
    """A competency rated 1-4 on a stage's scorecard."""

    __tablename__ = "scorecard_items"
    __table_args__ = (UniqueConstraint("stage_id", "competency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id", ondelete="CASCADE"))
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)

    stage: Mapped[Stage] = relationship(back_populates="scorecard")
    competency: Mapped[Competency] = relationship()


class Person(Base):
    """Someone at the company: recruiter, interviewer, head of engineering..."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_id: Mapped[str] = mapped_column(String(32), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True, default=None)
    name: Mapped[str] = mapped_column(String(200), default="")
    # IANA name; whoever creates a person sets it (the bot: the company's TIMEZONE setting).
    timezone: Mapped[str] = mapped_column(String(64))
    work_start: Mapped[time] = mapped_column(Time, default=WORKDAY_START)
    work_end: Mapped[time] = mapped_column(Time, default=WORKDAY_END)
    weekly_interview_cap: Mapped[int | None] = mapped_column(Integer, default=None)
    daily_interview_cap: Mapped[int | None] = mapped_column(Integer, default=None)
    # ISO 3166 code whose public holidays are this person's days off too (None: the company's).
    holiday_country: Mapped[str | None] = mapped_column(String(8), default=None)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    team_roles: Mapped[list[PersonTeamRole]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )

    def has_role(self, *roles: TeamRole) -> bool:
        return any(entry.role in roles for entry in self.team_roles)

    def grant(self, *roles: TeamRole) -> None:
        """Add these team roles to those the person holds (holding one twice changes nothing)."""
        held = {entry.role for entry in self.team_roles}
        for role in roles:
            if role not in held:
                self.team_roles.append(PersonTeamRole(role=role))
                held.add(role)

    def set_roles(self, roles: set[TeamRole]) -> None:
        """Make the person hold exactly these team roles."""
        self.team_roles[:] = [entry for entry in self.team_roles if entry.role in roles]
        self.grant(*sorted(roles - {entry.role for entry in self.team_roles}))


class PersonTeamRole(Base):
    __tablename__ = "person_team_roles"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[TeamRole] = mapped_column(enum_column(TeamRole), primary_key=True)

    person: Mapped[Person] = relationship(back_populates="team_roles")


class Pool(Base):
    """A named group of interviewers a stage session draws from (hr, engineers, cto...)."""

    __tablename__ = "pools"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    members: Mapped[list[PoolMember]] = relationship(cascade="all, delete-orphan")


class PoolMember(Base):
    __tablename__ = "pool_members"

    pool_id: Mapped[int] = mapped_column(
        ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )

    person: Mapped[Person] = relationship()


class Candidate(Base):
    __tablename__ = "candidates"
    # The digest's pipeline and its candidates waiting for a decision start from the active ones.
    __table_args__ = (
        Index("ix_candidates_status_stage", "status", "current_stage_id", "stage_entered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), index=True)
    current_stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"), default=None)
    status: Mapped[CandidateStatus] = mapped_column(
        enum_column(CandidateStatus), default=CandidateStatus.ACTIVE
    )
    stage_entered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The digest's funnel: candidates who entered the pipeline in the last 30 days.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)

    role: Mapped[Role] = relationship()
    current_stage: Mapped[Stage | None] = relationship()


class Interview(Base):
    """A stage booked for a candidate: one or more calendar events.

    PENDING while a booking or a move is under way: its events hold the ids and times the calendar
    is being given, and `uid` names the scheduling request doing it (the one that booked it, then
    the one that last moved it), so whoever finishes the booking knows whose it is.
    """

    __tablename__ = "interviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    status: Mapped[InterviewStatus] = mapped_column(
        enum_column(InterviewStatus), default=InterviewStatus.SCHEDULED
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    scheduled_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    # Set once every interviewer's feedback is in and the decision makers were asked.
    decision_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    decision: Mapped[Decision | None] = mapped_column(enum_column(Decision), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    candidate: Mapped[Candidate] = relationship()
    stage: Mapped[Stage] = relationship()
    events: Mapped[list[InterviewEvent]] = relationship(
        back_populates="interview",
        order_by="InterviewEvent.starts_at",
        cascade="all, delete-orphan",
    )

    def move_event(
        self, event: InterviewEvent, start: datetime, end: datetime, now: datetime
    ) -> None:
        """Give one of its events a new span; the interview then spans its events again."""
        event.starts_at, event.ends_at = start, end
        self.starts_at = min(e.starts_at for e in self.events)
        self.ends_at = max(e.ends_at for e in self.events)
        self.updated_at = now


class InterviewEvent(Base):
    """One calendar event of an interview (an onsite loop has one per session)."""

    __tablename__ = "interview_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    stage_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("stage_sessions.id"), default=None
    )
    calendar_event_id: Mapped[str] = mapped_column(String(128), unique=True)
    # The digest's interview load reads the week's events.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    video_link: Mapped[str | None] = mapped_column(String(500), default=None)
    location: Mapped[str | None] = mapped_column(String(200), default=None)

    interview: Mapped[Interview] = relationship(back_populates="events")
    participants: Mapped[list[InterviewParticipant]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )


class InterviewParticipant(Base):
    __tablename__ = "interview_participants"
    __table_args__ = (UniqueConstraint("interview_event_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_event_id: Mapped[int] = mapped_column(
        ForeignKey("interview_events.id", ondelete="CASCADE")
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None, index=True)
    email: Mapped[str] = mapped_column(String(254))
    kind: Mapped[ParticipantKind] = mapped_column(enum_column(ParticipantKind))
    response_status: Mapped[str] = mapped_column(String(32), default="needsAction")

    event: Mapped[InterviewEvent] = relationship(back_populates="participants")
    person: Mapped[Person | None] = relationship()


class Feedback(Base):
    """An interviewer's scorecard for an interview; amendments add versions."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("interview_id", "interviewer_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id"), index=True)
    interviewer_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    recommendation: Mapped[Recommendation] = mapped_column(enum_column(Recommendation))
    summary: Mapped[str] = mapped_column(EncryptedText)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # The Slack view that submitted this version: the same view again is a repeat, not a new one.
    view_id: Mapped[str | None] = mapped_column(String(64), default=None)

    ratings: Mapped[list[FeedbackRating]] = relationship(
        back_populates="feedback", cascade="all, delete-orphan"
    )


class FeedbackRating(Base):
    __tablename__ = "feedback_ratings"
    __table_args__ = (UniqueConstraint("feedback_id", "competency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"))
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id"))
    rating: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(EncryptedText, default="")

    feedback: Mapped[Feedback] = relationship(back_populates="ratings")
    competency: Mapped[Competency] = relationship()


class FeedbackRequest(Base):
    """What we asked an interviewer for, and when we sent, reminded and escalated."""

    __tablename__ = "feedback_requests"
    __table_args__ = (UniqueConstraint("interview_id", "interviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"))
    interviewer_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    next_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    reminder_count: Mapped[int] = mapped_column(Integer, default=0)
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Feedback still owed (the digest's overdue list): few rows among many completed ones.
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None, index=True)


class AuditEntry(Base):
    """Who did what, when: every booking, move, cancellation, submission and decision."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[int | None] = mapped_column(Integer, default=None)
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class SchedulingRequest(Base):
    """A recruiter's request to book (or move) a stage: kept until booked, so work is never lost.

    Its `uid` names the calendar events, so repeating a booking finds the same events.
    """

    __tablename__ = "scheduling_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    # For a reschedule: the interview whose events move.
    interview_id: Mapped[int | None] = mapped_column(ForeignKey("interviews.id"), default=None)
    # Interviewer person ids per stage session position: {"1": [3, 4], "2": [5]}.
    panel: Mapped[dict[str, list[int]]] = mapped_column(JSON)
    # The options last proposed (only these can be booked): each session position's start
    # (UTC ISO), and under "panel" the person ids per position when it is not `panel` (pool
    # members standing in).
    offered: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None)
    # The recruiter lets other free members of the stage's pools stand in, per proposed time.
    pool_substitutes: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime)
    view_id: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    status: Mapped[SchedulingStatus] = mapped_column(
        enum_column(SchedulingStatus), default=SchedulingStatus.SEARCHING
    )
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    candidate: Mapped[Candidate] = relationship()
    stage: Mapped[Stage] = relationship()


class CalendarSyncState(Base):
    """Where the calendar sync left off (the provider's sync token)."""

    __tablename__ = "calendar_sync_state"

    calendar_key: Mapped[str] = mapped_column(String(254), primary_key=True)
    sync_token: Mapped[str | None] = mapped_column(Text, default=None)
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class DigestDelivery(Base):
    """One row per digest day: claiming the row is what makes the digest go out once."""

    __tablename__ = "digest_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest_date: Mapped[date] = mapped_column(Date, unique=True)
    recipient: Mapped[str] = mapped_column(String(32))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
