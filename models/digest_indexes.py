"""Indexes the daily digest's queries need (migration 0004), declared on the existing tables.

Importing this module adds them to `Base.metadata`, so `alembic check` and the migration test
see the same schema as `alembic upgrade head`.
"""

from __future__ import annotations

from sqlalchemy import Index

from models.hiring import Candidate, FeedbackRequest, InterviewEvent

# The pipeline (active candidates per stage, with how long they have been there) and the
# candidates waiting for a decision start from the active candidates.
CANDIDATES_BY_STATUS = Index(
    "ix_candidates_status_stage",
    Candidate.status,
    Candidate.current_stage_id,
    Candidate.stage_entered_at,
)
# The funnel: candidates who entered the pipeline in the last 30 days.
CANDIDATES_BY_CREATION = Index("ix_candidates_created_at", Candidate.created_at)
# Feedback still owed: few rows among many completed ones.
OPEN_FEEDBACK_REQUESTS = Index("ix_feedback_requests_completed_at", FeedbackRequest.completed_at)
# From an interview to its events (today's interviews), and the week's events (interview load).
EVENTS_BY_INTERVIEW = Index("ix_interview_events_interview_id", InterviewEvent.interview_id)
EVENTS_BY_START = Index("ix_interview_events_starts_at", InterviewEvent.starts_at)

DIGEST_INDEXES = (
    CANDIDATES_BY_STATUS,
    CANDIDATES_BY_CREATION,
    OPEN_FEEDBACK_REQUESTS,
    EVENTS_BY_INTERVIEW,
    EVENTS_BY_START,
)
