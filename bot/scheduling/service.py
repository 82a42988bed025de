"""Scheduling use cases: the scheduling form, starting a request, proposing times, booking (or
moving) a stage, cancelling it, replacing an interviewer.

Calendar calls happen outside database transactions; a request's state in our tables says what
is done, so a retry (Slack's, a double click, the user's "try again") never books twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.scheduling.form import (
    CandidateChoice,
    RescheduleForm,
    ScheduleForm,
    find_candidates,
    schedule_form,
)
from bot.scheduling.requests import start_rescheduling, start_scheduling
from bot.scheduling.summary import (
    TAKE_HOME_DUE_BEFORE_REVIEW,
    InterviewSummary,
    event_positions,
    summarize_interview,
)
from bot.shared.clock import Clock
from bot.shared.working_time import default_search_window
from bot.team.people import SlackProfile, enrol_interviewers, may_schedule, unknown_slack_ids
from calendars.provider import BusyInterval, CalendarError, CalendarProvider, EventRequest
from calendars.slot_types import Interviewer, Proposal, SessionToPlace, SlotSearch, monday_of
from calendars.slots import find_slots
from models.hiring import (
    Interview,
    InterviewEvent,
    InterviewParticipant,
    InterviewStatus,
    ParticipantKind,
    Person,
    SchedulingRequest,
    SchedulingStatus,
    Stage,
    StageFormat,
)
from models.schemas import ChosenSlot, ScheduleInput
from models.unit_of_work import UnitOfWork

BUFFER = timedelta(minutes=10)
MIN_NOTICE = timedelta(hours=24)
STALE_BOOKING = timedelta(minutes=2)


@dataclass(frozen=True)
class PlannedSession:
    position: int
    name: str
    start: datetime
    end: datetime
    interviewer_emails: tuple[str, ...]
    interviewer_slack_ids: tuple[str, ...]


@dataclass(frozen=True)
class Proposals:
    request_uid: str
    candidate_name: str
    stage_name: str
    options: list[tuple[PlannedSession, ...]]


@dataclass(frozen=True)
class Booked:
    summary: InterviewSummary
    rescheduled: bool = False


@dataclass(frozen=True)
class AlreadyBooked:
    summary: InterviewSummary


@dataclass(frozen=True)
class InProgress:
    request_uid: str


@dataclass(frozen=True)
class SlotTaken:
    fresh: Proposals


@dataclass(frozen=True)
class BookingFailed:
    request_uid: str
    reason: str


BookingOutcome = Booked | AlreadyBooked | InProgress | SlotTaken | BookingFailed


class SchedulingError(Exception):
    """A request that cannot go on (unknown, not allowed); the message is for the user."""


@dataclass(frozen=True)
class _BookingContext:
    """Everything a search or a booking needs, read from the database in one go."""

    request: SchedulingRequest
    candidate_name: str
    candidate_email: str
    stage_name: str
    people: dict[int, Person]
    loads: dict[int, Counter[datetime]]
    own_events: dict[int, InterviewEvent]
    durations: dict[int, timedelta]
    names: dict[int, str]
    stage_session_ids: dict[int, int]
    gap: timedelta
    min_notice: timedelta
    take_home: bool
    event_title: str
    with_video: bool
    location: str | None


class SchedulingService:
    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        clock: Clock,
        zone: ZoneInfo,
        calendar: CalendarProvider,
    ) -> None:
        self._new_uow = new_uow
        self._clock = clock
        self._zone = zone
        self._calendar = calendar

    # -- the scheduling modals ---------------------------------------------------------------

    def schedule_form(self, actor_slack_id: str, text: str = "") -> ScheduleForm:
        """The scheduling modal, prefilled from `text` (a candidate); raises NotAllowed."""
        with self._new_uow() as uow:
            return schedule_form(uow, actor_slack_id, text, self._clock.now(), self._zone)

    def find_candidates(self, query: str) -> list[CandidateChoice]:
        with self._new_uow() as uow:
            return find_candidates(uow, query)

    def reschedule_form(self, interview_id: int) -> RescheduleForm:
        """The reschedule modal: the interview, and the window searched unless changed."""
        earliest, latest = default_search_window(self._clock.now().astimezone(self._zone).date())
        return RescheduleForm(self.summary(interview_id), earliest, latest)

    def unknown_interviewers(self, slack_ids: Iterable[str]) -> list[str]:
        """Those of these Slack users we have no person with an email for."""
        with self._new_uow() as uow:
            return unknown_slack_ids(uow, slack_ids)

    def enrol_interviewers(self, profiles: Iterable[SlackProfile]) -> None:
        """Remember interviewers picked in the modal, as Slack describes them."""
        profiles = list(profiles)
        if not profiles:
            return
        with self._new_uow() as uow:
            enrol_interviewers(uow, profiles, self._zone.key)
            uow.commit()

    def start_scheduling(self, actor_slack_id: str, data: ScheduleInput, view_id: str) -> str:
        """Store the modal's request (a repeated submission gives the first); returns its uid.

        Raises FieldErrors for bad input, NotAllowed for someone who may not schedule."""
        with self._new_uow() as uow:
            request = start_scheduling(
                uow, actor_slack_id, data, view_id=view_id, now=self._clock.now(), zone=self._zone
            )
            uow.commit()
            return request.uid

    def start_rescheduling(
        self,
        actor_slack_id: str,
        interview_id: int,
        earliest: date | None,
        latest: date | None,
        view_id: str,
    ) -> str:
        """A request to move an interview to a new window; returns its uid. Raises as above."""
        with self._new_uow() as uow:
            request = start_rescheduling(
                uow,
                actor_slack_id,
                interview_id,
                earliest,
                latest,
                view_id=view_id,
                now=self._clock.now(),
                zone=self._zone,
            )
            uow.commit()
            return request.uid

    # -- proposing -------------------------------------------------------------------------

    def propose(self, request_uid: str) -> Proposals:
        booking = self._booking_context(request_uid)
        proposals = self._search(booking)
        with self._new_uow() as uow:
            request = uow.interviews.request_by_uid(request_uid)
            if request is not None and request.status == SchedulingStatus.SEARCHING:
                request.status = SchedulingStatus.PROPOSED
                request.updated_at = self._clock.now()
                uow.commit()
        return Proposals(
            request_uid=request_uid,
            candidate_name=booking.candidate_name,
            stage_name=booking.stage_name,
            options=[self._planned_sessions(booking, proposal) for proposal in proposals],
        )

    def _search(self, booking: _BookingContext) -> list[Proposal]:
        request = booking.request
        emails = [p.email for p in booking.people.values() if p.email]
        busy = self._calendar.free_busy(emails, request.window_start, request.window_end)
        interviewers = {
            person.email: _interviewer(person, busy[person.email], booking)
            for person in booking.people.values()
            if person.email
        }
        sessions = tuple(
            SessionToPlace(
                name=str(position),
                duration=booking.durations[position],
                interviewer_keys=tuple(booking.people[i].email or "" for i in ids),
            )
            for position, ids in _panel(request)
        )
        search = SlotSearch(
            sessions=sessions,
            window_start=request.window_start,
            window_end=request.window_end,
            now=self._clock.now(),
            company_timezone=self._zone.key,
            buffer=BUFFER,
            min_notice=booking.min_notice,
            gap_between_sessions=booking.gap,
        )
        return find_slots(search, interviewers)

    # -- booking ---------------------------------------------------------------------------

    def book(self, choice: ChosenSlot, actor_slack_id: str) -> BookingOutcome:
        now = self._clock.now()
        with self._new_uow() as uow:
            self._require_scheduler(uow, actor_slack_id)
            request = uow.interviews.request_by_uid(choice.request_uid)
            if request is None:
                raise SchedulingError("This scheduling request no longer exists.")
            if request.status == SchedulingStatus.BOOKED and request.interview_id is not None:
                return AlreadyBooked(self._summary(uow, request.interview_id))
            claimed = uow.interviews.claim_request(choice.request_uid, now, now - STALE_BOOKING)
            uow.commit()
        if not claimed:
            return self._not_claimed(choice.request_uid)
        booking = self._booking_context(choice.request_uid)
        try:
            sessions = self._chosen_sessions(booking, choice)
            if self._taken(booking, sessions):
                self._set_status(choice.request_uid, SchedulingStatus.PROPOSED)
                return SlotTaken(self.propose(choice.request_uid))
            events = self._write_calendar(booking, sessions)
        except CalendarError as error:
            self._set_status(choice.request_uid, SchedulingStatus.FAILED, str(error))
            return BookingFailed(choice.request_uid, str(error))
        except SchedulingError:
            self._set_status(choice.request_uid, SchedulingStatus.PROPOSED)
            raise
        return self._record_booking(booking, sessions, events, actor_slack_id)

    def _not_claimed(self, request_uid: str) -> BookingOutcome:
        with self._new_uow() as uow:
            request = uow.interviews.request_by_uid(request_uid)
            if request and request.status == SchedulingStatus.BOOKED and request.interview_id:
                return AlreadyBooked(self._summary(uow, request.interview_id))
        return InProgress(request_uid)

    def _chosen_sessions(
        self, booking: _BookingContext, choice: ChosenSlot
    ) -> list[PlannedSession]:
        panel = dict(_panel(booking.request))
        if set(choice.starts) != set(panel):
            raise SchedulingError("That choice does not match the stage's sessions any more.")
        return sorted(
            (
                self._planned_session(booking, position, start, panel[position])
                for position, start in choice.starts.items()
            ),
            key=lambda s: s.start,
        )

    def _taken(self, booking: _BookingContext, sessions: list[PlannedSession]) -> bool:
        """Check free/busy again just before booking: someone may have taken the time."""
        own = {(e.starts_at, e.ends_at) for e in booking.own_events.values()}
        for session in sessions:
            busy = self._calendar.free_busy(
                session.interviewer_emails, session.start - BUFFER, session.end + BUFFER
            )
            for intervals in busy.values():
                if any((i.start, i.end) not in own for i in intervals):
                    return True
        return False

    def _write_calendar(
        self, booking: _BookingContext, sessions: list[PlannedSession]
    ) -> list[str | None]:
        """Create (or move) one event per session; returns each event's video link."""
        links: list[str | None] = []
        candidate_email = booking.candidate_email
        for session in sessions:
            existing = booking.own_events.get(session.position)
            if existing is not None:
                event = self._calendar.update_event(
                    existing.calendar_event_id, start=session.start, end=session.end
                )
            else:
                event = self._calendar.create_event(
                    EventRequest(
                        event_id=calendar_event_id(booking.request.uid, session.position),
                        summary=f"{session.name}: {booking.event_title}",
                        start=session.start,
                        end=session.end,
                        attendees=(*session.interviewer_emails, candidate_email),
                        description=self._description(booking, sessions[0].start),
                        location=booking.location,
                        with_video=booking.with_video,
                    )
                )
            links.append(event.video_link)
        return links

    def _description(self, booking: _BookingContext, first_start: datetime) -> str:
        text = f"{booking.stage_name}, booked by interview-bot."
        if booking.take_home:
            due = (first_start - TAKE_HOME_DUE_BEFORE_REVIEW).astimezone(self._zone)
            text += (
                f" Take-home test: please send your solution by "
                f"{due:%A %d %B %Y, %H:%M} ({self._zone.key}); this meeting reviews it."
            )
        return text

    def _record_booking(
        self,
        booking: _BookingContext,
        sessions: list[PlannedSession],
        links: list[str | None],
        actor_slack_id: str,
    ) -> Booked:
        now = self._clock.now()
        with self._new_uow() as uow:
            request = uow.interviews.request_by_uid(booking.request.uid)
            assert request is not None
            actor = uow.people.person_by_slack_id(actor_slack_id)
            rescheduled = request.interview_id is not None
            if rescheduled:
                interview = self._move_interview(uow, request, sessions, now)
            else:
                interview = self._new_interview(uow, booking, sessions, links, now)
            request.status = SchedulingStatus.BOOKED
            request.interview_id = interview.id
            request.updated_at = now
            interview.scheduled_by_id = interview.scheduled_by_id or request.requested_by_id
            audit(
                uow,
                now,
                actor,
                "interview.rescheduled" if rescheduled else "interview.booked",
                interview.id,
                {"starts_at": sessions[0].start.isoformat(), "request": request.uid},
            )
            uow.commit()
            return Booked(self._summary(uow, interview.id), rescheduled=rescheduled)

    def _new_interview(
        self,
        uow: UnitOfWork,
        booking: _BookingContext,
        sessions: list[PlannedSession],
        links: list[str | None],
        now: datetime,
    ) -> Interview:
        request = booking.request
        interview = Interview(
            uid=request.uid,
            candidate_id=request.candidate_id,
            stage_id=request.stage_id,
            status=InterviewStatus.SCHEDULED,
            starts_at=sessions[0].start,
            ends_at=sessions[-1].end,
            created_at=now,
            updated_at=now,
        )
        for session, link in zip(sessions, links, strict=True):
            interview.events.append(self._event_row(booking, session, link))
        uow.interviews.add(interview)
        uow.flush()
        return interview

    def _event_row(
        self, booking: _BookingContext, session: PlannedSession, link: str | None
    ) -> InterviewEvent:
        participants = [
            InterviewParticipant(
                person_id=person_id,
                email=booking.people[person_id].email or "",
                kind=ParticipantKind.INTERVIEWER,
            )
            for person_id in dict(_panel(booking.request))[session.position]
        ]
        participants.append(
            InterviewParticipant(email=booking.candidate_email, kind=ParticipantKind.CANDIDATE)
        )
        return InterviewEvent(
            stage_session_id=booking.stage_session_ids.get(session.position),
            calendar_event_id=calendar_event_id(booking.request.uid, session.position),
            starts_at=session.start,
            ends_at=session.end,
            video_link=link,
            location=booking.location,
            participants=participants,
        )

    def _move_interview(
        self,
        uow: UnitOfWork,
        request: SchedulingRequest,
        sessions: list[PlannedSession],
        now: datetime,
    ) -> Interview:
        assert request.interview_id is not None
        interview = uow.interviews.interview_with_events(request.interview_id)
        assert interview is not None
        positions = event_positions(interview)
        for session in sessions:
            interview.move_event(positions[session.position], session.start, session.end, now)
        return interview

    # -- cancelling ------------------------------------------------------------------------

    def cancel(self, interview_id: int, actor_slack_id: str) -> InterviewSummary:
        with self._new_uow() as uow:
            self._require_scheduler(uow, actor_slack_id)
            interview = uow.interviews.interview_with_events(interview_id)
            if interview is None:
                raise SchedulingError("This interview no longer exists.")
            if interview.status == InterviewStatus.CANCELLED:
                return self._summary(uow, interview_id)
            event_ids = [e.calendar_event_id for e in interview.events]
        for event_id in event_ids:
            self._calendar.cancel_event(event_id)
        now = self._clock.now()
        with self._new_uow() as uow:
            interview = uow.interviews.interview_with_events(interview_id)
            assert interview is not None
            interview.status = InterviewStatus.CANCELLED
            interview.updated_at = now
            actor = uow.people.person_by_slack_id(actor_slack_id)
            audit(uow, now, actor, "interview.cancelled", interview_id, {})
            uow.commit()
            return self._summary(uow, interview_id)

    def replace_interviewer(
        self, interview_id: int, leaving_id: int, joining_id: int, actor_slack_id: str
    ) -> InterviewSummary:
        """Put another interviewer in the event a colleague declined, and invite them."""
        with self._new_uow() as uow:
            self._require_scheduler(uow, actor_slack_id)
            interview = uow.interviews.interview_with_events(interview_id)
            joining = uow.people.person_by_id(joining_id)
            event = _event_of(interview, leaving_id) if interview else None
            if event is None or joining is None or not joining.email:
                raise SchedulingError("This replacement is no longer possible.")
            emails = [p.email for p in event.participants if p.person_id != leaving_id]
            calendar_event_id = event.calendar_event_id
        self._calendar.update_event(calendar_event_id, attendees=[*emails, joining.email])
        now = self._clock.now()
        with self._new_uow() as uow:
            interview = uow.interviews.interview_with_events(interview_id)
            event = _event_of(interview, leaving_id) if interview else None
            if event is not None:
                for participant in event.participants:
                    if participant.person_id == leaving_id:
                        participant.person_id = joining_id
                        participant.email = joining.email
                        participant.response_status = "needsAction"
                actor = uow.people.person_by_slack_id(actor_slack_id)
                audit(
                    uow,
                    now,
                    actor,
                    "interview.interviewer_replaced",
                    interview_id,
                    {"leaving": leaving_id, "joining": joining_id},
                )
                uow.commit()
            return self._summary(uow, interview_id)

    def remember_confirmation(self, interview_id: int, channel: str, ts: str) -> None:
        with self._new_uow() as uow:
            interview = uow.interviews.interview_by_id(interview_id)
            if interview is not None:
                interview.confirmation_channel, interview.confirmation_ts = channel, ts
                uow.commit()

    def summary(self, interview_id: int) -> InterviewSummary:
        with self._new_uow() as uow:
            return self._summary(uow, interview_id)

    # -- helpers ---------------------------------------------------------------------------

    def _booking_context(self, request_uid: str) -> _BookingContext:
        with self._new_uow() as uow:
            request = uow.interviews.request_by_uid(request_uid)
            if request is None:
                raise SchedulingError("This scheduling request no longer exists.")
            stage = uow.candidates.stage_with_sessions(request.stage_id)
            assert stage is not None
            candidate = request.candidate
            ids = [i for _, members in _panel(request) for i in members]
            people = uow.people.people_by_ids(ids)
            loads = self._loads(uow, ids, request)
            own = self._own_events(uow, request)
            return _BookingContext(
                request=request,
                candidate_name=candidate.name,
                candidate_email=candidate.email,
                stage_name=stage.name,
                people=people,
                loads=loads,
                own_events=own,
                durations={
                    s.position: timedelta(minutes=s.duration_minutes) for s in stage.sessions
                },
                names={s.position: s.name for s in stage.sessions},
                stage_session_ids={s.position: s.id for s in stage.sessions},
                gap=timedelta(minutes=stage.gap_minutes or 10),
                min_notice=_notice(stage),
                take_home=stage.format == StageFormat.TAKE_HOME,
                event_title=f"{candidate.name} ({stage.role.title})",
                with_video=stage.format != StageFormat.ONSITE,
                location=stage.location if stage.format == StageFormat.ONSITE else None,
            )

    def _loads(
        self, uow: UnitOfWork, ids: list[int], request: SchedulingRequest
    ) -> dict[int, Counter[datetime]]:
        """When each panel member already interviews around the window (per start time)."""
        loads: dict[int, Counter[datetime]] = {i: Counter() for i in ids}
        span_start = request.window_start - timedelta(days=7)
        span_end = request.window_end + timedelta(days=7)
        for person_id, starts_at in uow.interviews.interviews_per_person(ids, span_start, span_end):
            loads[person_id][starts_at] += 1
        return loads

    @staticmethod
    def _own_events(uow: UnitOfWork, request: SchedulingRequest) -> dict[int, InterviewEvent]:
        if request.interview_id is None:
            return {}
        interview = uow.interviews.interview_with_events(request.interview_id)
        return event_positions(interview) if interview is not None else {}

    def _planned_sessions(
        self, booking: _BookingContext, proposal: Proposal
    ) -> tuple[PlannedSession, ...]:
        panel = dict(_panel(booking.request))
        return tuple(
            self._planned_session(booking, int(placed.name), placed.start, panel[int(placed.name)])
            for placed in proposal.sessions
        )

    @staticmethod
    def _planned_session(
        booking: _BookingContext, position: int, start: datetime, person_ids: list[int]
    ) -> PlannedSession:
        return PlannedSession(
            position=position,
            name=booking.names[position],
            start=start,
            end=start + booking.durations[position],
            interviewer_emails=tuple(booking.people[i].email or "" for i in person_ids),
            interviewer_slack_ids=tuple(booking.people[i].slack_id for i in person_ids),
        )

    def _set_status(
        self, request_uid: str, status: SchedulingStatus, error: str | None = None
    ) -> None:
        with self._new_uow() as uow:
            request = uow.interviews.request_by_uid(request_uid)
            if request is not None:
                request.status = status
                request.last_error = error
                request.updated_at = self._clock.now()
                uow.commit()

    @staticmethod
    def _require_scheduler(uow: UnitOfWork, actor_slack_id: str) -> None:
        if not may_schedule(uow.people.person_by_slack_id(actor_slack_id)):
            raise SchedulingError(
                "Only recruiters, hiring managers and admins can schedule interviews."
            )

    @staticmethod
    def _summary(uow: UnitOfWork, interview_id: int) -> InterviewSummary:
        interview = uow.interviews.interview_with_events(interview_id)
        assert interview is not None
        scheduler = uow.people.person_by_id(interview.scheduled_by_id or 0)
        return summarize_interview(interview, scheduler.slack_id if scheduler else None)


def calendar_event_id(request_uid: str, position: int) -> str:
    """Google's rules: base32hex characters (a-v, 0-9). A uuid's hex digits and 'ib'/'s' fit."""
    return f"ib{request_uid}s{position}"


def audit(
    uow: UnitOfWork,
    now: datetime,
    actor: Person | None,
    action: str,
    interview_id: int,
    detail: dict[str, object],
) -> None:
    uow.audit.record(now, actor.id if actor else None, action, ("interview", interview_id), detail)


def _notice(stage: Stage) -> timedelta:
    """A take-home's review leaves the candidate the stage's days to do the test."""
    if stage.format == StageFormat.TAKE_HOME and stage.take_home_days:
        return max(MIN_NOTICE, timedelta(days=stage.take_home_days) + TAKE_HOME_DUE_BEFORE_REVIEW)
    return MIN_NOTICE


def _panel(request: SchedulingRequest) -> list[tuple[int, list[int]]]:
    return sorted((int(position), ids) for position, ids in request.panel.items())


def _event_of(interview: Interview, person_id: int) -> InterviewEvent | None:
    return next(
        (e for e in interview.events if any(p.person_id == person_id for p in e.participants)),
        None,
    )


def _interviewer(person: Person, busy: list[BusyInterval], booking: _BookingContext) -> Interviewer:
    zone = ZoneInfo(person.timezone)
    per_week: Counter[date] = Counter()
    for starts_at, count in booking.loads.get(person.id, Counter()).items():
        per_week[monday_of(starts_at.astimezone(zone).date())] += count
    own = {(e.starts_at, e.ends_at) for e in booking.own_events.values()}
    return Interviewer(
        key=person.email or "",
        timezone=person.timezone,
        work_start=person.work_start,
        work_end=person.work_end,
        busy=tuple(b for b in busy if (b.start, b.end) not in own),
        weekly_cap=person.weekly_interview_cap,
        booked_per_week=dict(per_week),
    )
