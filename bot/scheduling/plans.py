"""What a booking is made of: the sessions planned, and what the database knows of the request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.scheduling.policy import StagePolicy
from models.hiring import InterviewEvent, Person, SchedulingRequest
from models.interviews import BookedEvent


@dataclass(frozen=True)
class PlannedSession:
    position: int
    name: str
    start: datetime
    end: datetime
    interviewer_emails: tuple[str, ...]
    interviewer_slack_ids: tuple[str, ...]


@dataclass(frozen=True)
class BookingContext:
    """Everything a search or a booking needs, read from the database in one go.

    `own_events` are the events of the interview this request books or moves (by session
    position): their busy time is not a conflict, and a move gives them new times."""

    request: SchedulingRequest
    # Person ids per stage session position, in order: the request's panel, or the one of the
    # option being booked when pool members stand in.
    panel: list[tuple[int, list[int]]]
    session_pools: dict[int, str]  # stage session position -> its pool's key
    candidate_name: str
    candidate_email: str
    stage_name: str
    people: dict[int, Person]
    # Other interviews' events around the window (pending or booked) of the panel and the
    # candidate (person_id None): busy time the calendar may not show yet.
    booked: list[BookedEvent]
    own_events: dict[int, InterviewEvent]
    durations: dict[int, timedelta]
    names: dict[int, str]
    stage_session_ids: dict[int, int]
    gap: timedelta
    policy: StagePolicy
    take_home: bool
    event_title: str
    with_video: bool
    location: str | None
    # A reschedule: the request moves the events of an interview booked before.
    is_move: bool


@dataclass(frozen=True)
class PendingBooking:
    """A booking (or move) recorded as pending, before its calendar events are written.

    `fresh` when this attempt recorded it (it was not pending already): a failure before any
    event was written can then simply forget it."""

    interview_id: int
    fresh: bool


def calendar_event_id(request_uid: str, position: int) -> str:
    """Google's rules: base32hex characters (a-v, 0-9). A uuid's hex digits and 'ib'/'s' fit."""
    return f"ib{request_uid}s{position}"


def panel_positions(request: SchedulingRequest) -> list[tuple[int, list[int]]]:
    """The request's interviewers (person ids) per stage session position, in order."""
    return sorted((int(position), ids) for position, ids in request.panel.items())
