"""Scheduling use cases: the scheduling form, starting a request, proposing times, booking (or
moving) a stage, cancelling it, replacing an interviewer, finishing bookings left pending.

Calendar calls happen outside database transactions. A booking is recorded before the calendar
is touched: the request's claim and the PENDING interview (its events, their calendar ids, times
and participants) in one transaction, then the calendar events, then the booking is marked booked
and its messages enqueued in the outbox in one transaction. A retry (Slack's, a double click, the
user's "Try again") resumes the same request and never books twice; a booking left pending (a
crash, a deploy, a database error) is finished by `reconcile_pending_bookings`.

Cancelling and replacing an interviewer change events the database already knows: they write
the calendar first, then record the change with its messages. A crash in between leaves the
calendar ahead, which the calendar sync reports (a deletion cancels the interview here and tells
everyone), or which clicking the button again (it stays until the change is recorded) finishes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.scheduling import messages
from bot.scheduling.calendar_writes import BookingCalendar
from bot.scheduling.form import (
    CandidateChoice,
    FormRequest,
    RescheduleForm,
    ScheduleForm,
    find_candidates,
    schedule_form,
    stage_window,
)
from bot.scheduling.panels import (
    Panel,
    PoolStanding,
    other_panels,
    pool_standings,
    why_these_people,
)
from bot.scheduling.pending import (
    NotPendingHere,
    Spans,
    forget_pending,
    record_pending,
    release,
    settle_booked,
    settle_undone,
)
from bot.scheduling.plans import (
    BookingContext,
    PendingBooking,
    PlannedSession,
    panel_positions,
)
from bot.scheduling.policy import StagePolicy
from bot.scheduling.ports import BookingMessages, Change
from bot.scheduling.requests import start_rescheduling, start_scheduling
from bot.scheduling.rules import (
    CHECKED_AROUND,
    CompanyDays,
    NotOfferedMark,
    Refusal,
    offered_option,
    offered_panel,
    refusal,
)
from bot.scheduling.search import Company, Found, search_panels
from bot.scheduling.summary import (
    InterviewSummary,
    event_positions,
    summarize_interview,
)
from bot.shared.clock import Clock
from bot.shared.working_time import (
    MONDAY_TO_FRIDAY,
    WorkingDays,
)
from bot.team.people import (
    NOT_AVAILABLE,
    may_schedule,
    unknown_slack_ids,
)
from calendars.provider import CalendarError, CalendarEvent, CalendarProvider
from calendars.slot_types import Proposal
from models.hiring import (
    Interview,
    InterviewEvent,
    InterviewStatus,
    Person,
    SchedulingRequest,
    SchedulingStatus,
    StageFormat,
)
from models.outbox import NewMessage
from models.schemas import ChosenSlot, ScheduleInput
from models.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

# A claim on a request older than this was abandoned (a crash, a deploy): a click may take it
# over, and the reconciler finishes its pending booking. Also the reconciler's grace period.
STALE_BOOKING = timedelta(minutes=2)
# A pending booking the calendar keeps refusing to finish for this long is undone.
GIVE_UP = timedelta(hours=1)
FINISHED_NOTE = "This booking was interrupted; interview-bot finished it."
TEMPORARY_PROBLEM = "a temporary problem on our side"
NOT_OFFERED = "That time was not offered; pick one of the proposals."


@dataclass(frozen=True)
class Proposals:
    request_uid: str
    candidate_name: str
    stage_name: str
    options: list[tuple[PlannedSession, ...]]
    # Per option: why these people (their standing in the stage's pools).
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Booked:
    summary: InterviewSummary
    rescheduled: bool = False
    # The outbox messages the booking enqueued, to deliver right away.
    message_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class AlreadyBooked:
    summary: InterviewSummary


@dataclass(frozen=True)
class InProgress:
    request_uid: str


@dataclass(frozen=True)
class SlotTaken:
    """The time cannot be booked (any more): fresh proposals. `reason` says why when it is not
    simply busy in someone's calendar (another booking, the notice, working hours, a cap)."""

    fresh: Proposals
    reason: str = ""


@dataclass(frozen=True)
class BookingFailed:
    request_uid: str
    reason: str


@dataclass(frozen=True)
class Undone:
    """A pending booking the reconciler could not finish, undone; whoever asked was told."""

    request_uid: str
    reason: str


@dataclass(frozen=True)
class InterviewChanged:
    """A cancellation or a replacement, recorded: the interview now, and the messages enqueued."""

    summary: InterviewSummary
    message_keys: tuple[str, ...] = ()


BookingOutcome = Booked | AlreadyBooked | InProgress | SlotTaken | BookingFailed


class SchedulingError(Exception):
    """A request that cannot go on (unknown, not allowed); the message is for the user."""


class NotAvailable(SchedulingError):
    """Someone who may not see it, or something unknown: the same polite refusal."""


class NotOffered(SchedulingError):
    """A booking of a time the bot did not propose for that request (a crafted button value)."""


class SchedulingService:
    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        clock: Clock,
        zone: ZoneInfo,
        calendar: CalendarProvider,
        composer: BookingMessages,
        *,
        working_days: WorkingDays = MONDAY_TO_FRIDAY,
    ) -> None:
        """`working_days` (from HOLIDAY_COUNTRY) are the company's: nothing is proposed on its
        public holidays."""
        self._new_uow = new_uow
        self._clock = clock
        self._zone = zone
        self._working_days = working_days
        self._calendar = calendar
        self._events = BookingCalendar(calendar, zone)
        self._composer = composer

    # -- the scheduling modals ---------------------------------------------------------------

    def schedule_form(
        self,
        actor_slack_id: str,
        text: str = "",
        stage_id: int | None = None,
        on_allowed: Callable[[], object] = lambda: None,
    ) -> ScheduleForm:
        """The scheduling modal, prefilled from `text` (a candidate) and for `stage_id` (by
        default the candidate's next stage); raises NotAllowed, else calls `on_allowed` (the
        caller may be answered) before the form is built."""
        asked = FormRequest(actor_slack_id, text, stage_id)
        now = self._clock.now()
        with self._new_uow() as uow:
            return schedule_form(uow, asked, now, self._zone, self._working_days, on_allowed)

    def find_candidates(self, actor_slack_id: str, query: str) -> list[CandidateChoice]:
        """The candidate search as the scheduler types; nothing for anyone else."""
        with self._new_uow() as uow:
            return find_candidates(uow, actor_slack_id, query)

    def reschedule_form(self, actor_slack_id: str, interview_id: int) -> RescheduleForm:
        """The reschedule modal: the interview, and the window searched unless changed. Raises
        NotAvailable to someone who may not schedule, or for an unknown interview."""
        now = self._clock.now()
        with self._new_uow() as uow:
            self._require_scheduler(uow, actor_slack_id, NOT_AVAILABLE)
            interview = uow.interviews.interview_with_events(interview_id)
            if interview is None:
                raise NotAvailable(NOT_AVAILABLE)
            earliest, latest = stage_window(interview.stage, now, self._zone, self._working_days)
            return RescheduleForm(self._summary(uow, interview_id), earliest, latest)

    def unknown_interviewers(self, slack_ids: Iterable[str]) -> list[str]:
        """Those of these Slack users we have no person with an email for."""
        with self._new_uow() as uow:
            return unknown_slack_ids(uow, slack_ids)

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

    def start_rescheduling_for_candidate(self, request_uid: str) -> str:
        """A request to move the interview `request_uid` booked, on behalf of the recruiter who
        asked for it (the candidate moves it through their link), searching the stage's usual
        window. One per state of the interview: asking again gives the same request until the
        interview changes (its `updated_at` is in the request's view id)."""
        now = self._clock.now()
        with self._new_uow() as uow:
            request = uow.interviews.request_by_uid(request_uid)
            booked = request.interview_id if request else None
            interview = uow.interviews.interview_with_events(booked) if booked else None
            requester = uow.people.person_by_id(request.requested_by_id) if request else None
            if interview is None or requester is None:
                raise NotAvailable(NOT_AVAILABLE)
            earliest, latest = stage_window(interview.stage, now, self._zone, self._working_days)
            version = int(interview.updated_at.timestamp() * 1_000_000)
            moving = start_rescheduling(
                uow,
                requester.slack_id,
                interview.id,
                earliest,
                latest,
                view_id=f"link:{request_uid}:{version}",
                now=now,
                zone=self._zone,
            )
            uow.commit()
            return moving.uid

    # -- proposing -------------------------------------------------------------------------

    def propose_again(self, actor_slack_id: str, request_uid: str) -> Proposals:
        """ "Search again" on a request: `propose`, for someone who may schedule only (a request's
        uid is no secret: it is in its calendar events' ids). Raises NotAvailable."""
        with self._new_uow() as uow:
            self._require_scheduler(uow, actor_slack_id, NOT_AVAILABLE)
            if uow.interviews.request_by_uid(request_uid) is None:
                raise NotAvailable(NOT_AVAILABLE)
        return self.propose(request_uid)

    def propose(self, request_uid: str) -> Proposals:
        """Up to five times for the request, each with its panel and why these people; only
        these can then be booked. Where the recruiter lets pool members stand in, other panels
        from the same pools are tried too (see `bot.scheduling.panels.other_panels`)."""
        now = self._clock.now()
        standings, panels = self._panels_to_try(request_uid, now)
        booking = self._booking_context(request_uid, also={i for p in panels for i in _ids(p)})
        request = booking.request
        busy = self._calendar.free_busy(
            [p.email for p in booking.people.values() if p.email],
            request.window_start,
            request.window_end,
        )
        company = Company(
            self._zone, self._company_holidays(request.window_start, request.window_end)
        )
        found = search_panels(booking, panels, busy, now, company, standings)
        options = [self._planned_sessions(booking, f.proposal) for f in found]
        names = {person.id: person.name for person in booking.people.values()}
        pools = booking.session_pools
        self._offer(request_uid, found, panels[0], now)
        return Proposals(
            request_uid=request_uid,
            candidate_name=booking.candidate_name,
            stage_name=booking.stage_name,
            options=options,
            reasons=[why_these_people(f.panel, pools, standings, names) for f in found],
        )

    def _panels_to_try(
        self, request_uid: str, now: datetime
    ) -> tuple[dict[str, PoolStanding], list[Panel]]:
        """The pools' standings, and the panels to search: the request's, then stand-ins."""
        with self._new_uow() as uow:
            request = uow.interviews.request_by_uid(request_uid)
            if request is None:
                raise SchedulingError("This scheduling request no longer exists.")
            stage = uow.candidates.stage_with_sessions(request.stage_id)
            pools = {s.position: s.pool_key for s in stage.sessions} if stage else {}
            standings = pool_standings(uow, pools.values(), now, self._zone)
            panel = dict(panel_positions(request))
            if not request.pool_substitutes or request.interview_id is not None:
                return standings, [panel]
            return standings, [panel, *other_panels(panel, pools, standings)]

    def _offer(self, request_uid: str, found: list[Found], panel: Panel, now: datetime) -> None:
        """Remember what is shown now: only these options can be booked (see book())."""
        with self._new_uow() as uow:
            request = uow.interviews.request_by_uid(request_uid)
            if request is None or request.status == SchedulingStatus.BOOKED:
                return
            request.offered = [
                offered_option(
                    {int(s.name): s.start for s in f.proposal.sessions},
                    None if f.panel == panel else f.panel,
                )
                for f in found
            ]
            if request.status == SchedulingStatus.SEARCHING:
                request.status = SchedulingStatus.PROPOSED
                request.updated_at = now
            uow.commit()

    def _company_holidays(self, start: datetime, end: datetime) -> frozenset[date]:
        """The company's holidays on the local days from `start` to `end`."""
        first, last = (moment.astimezone(self._zone).date() for moment in (start, end))
        return self._working_days.holidays_between(first, last)

    # -- booking ---------------------------------------------------------------------------

    def book(self, choice: ChosenSlot, actor_slack_id: str) -> BookingOutcome:
        """Book (or move) the chosen time. A database error is raised as it is, after the claim
        is given back when possible: trying again resumes the same request."""
        return self._book_choice(choice, actor_slack_id)

    def book_for_candidate(self, choice: ChosenSlot) -> BookingOutcome:
        """The candidate books one of the times offered for the request (through their link):
        the same claims, events and idempotence as `book`; the recruiter who asked for the
        request is told as if they had booked it, and the audit names no person (the
        candidate booked it)."""
        return self._book_choice(choice, None)

    def _book_choice(self, choice: ChosenSlot, actor_slack_id: str | None) -> BookingOutcome:
        """`book` for a scheduler, or for the candidate when `actor_slack_id` is None."""
        uid = choice.request_uid
        with self._new_uow() as uow:
            if actor_slack_id is not None:
                self._require_scheduler(uow, actor_slack_id)
            request = uow.interviews.request_by_uid(uid)
            if request is None:
                raise SchedulingError("This scheduling request no longer exists.")
            requester = None if actor_slack_id else uow.people.person_by_id(request.requested_by_id)
            told = actor_slack_id or (requester.slack_id if requester else "")
            if request.status == SchedulingStatus.BOOKED and request.interview_id is not None:
                return AlreadyBooked(self._summary(uow, request.interview_id))
            if self._held(request):
                return InProgress(uid)
            panel = offered_panel(request.offered, choice.starts)
            if isinstance(panel, NotOfferedMark):
                raise NotOffered(NOT_OFFERED)
        chosen = {int(p): list(ids) for p, ids in panel.items()} if panel else None
        booking = self._booking_context(uid, panel=chosen)
        sessions = self._chosen_sessions(booking, choice)
        try:
            if self._events.taken(booking, sessions):
                return self._slot_taken(uid)
        except CalendarError as error:
            return BookingFailed(uid, str(error))
        return self._book(booking, sessions, told, by_candidate=actor_slack_id is None)

    def booking_outcome(self, request_uid: str) -> BookingOutcome:
        """Where a request's booking stands (for a click that found it held by another)."""
        with self._new_uow() as uow:
            request = uow.interviews.request_by_uid(request_uid)
            if request is None:
                raise SchedulingError("This scheduling request no longer exists.")
            if request.status == SchedulingStatus.BOOKED and request.interview_id is not None:
                return AlreadyBooked(self._summary(uow, request.interview_id))
            if request.status == SchedulingStatus.FAILED:
                return BookingFailed(request_uid, request.last_error or TEMPORARY_PROBLEM)
            return InProgress(request_uid)

    def _held(self, request: SchedulingRequest) -> bool:
        """Another click (or the reconciler) is booking this request right now."""
        fresh_since = self._clock.now() - STALE_BOOKING
        return request.status == SchedulingStatus.BOOKING and request.updated_at >= fresh_since

    def _slot_taken(self, request_uid: str) -> BookingOutcome:
        """The time is busy: fresh proposals, unless what took it is this very booking (a second
        click while the first books)."""
        with self._new_uow() as uow:
            request = uow.interviews.request_by_uid(request_uid)
            ours = request is not None and (
                request.status == SchedulingStatus.BOOKED or self._held(request)
            )
        if ours:
            return self.booking_outcome(request_uid)
        return SlotTaken(self.propose(request_uid))

    def _book(
        self,
        booking: BookingContext,
        sessions: list[PlannedSession],
        actor_slack_id: str,
        *,
        by_candidate: bool = False,
    ) -> BookingOutcome:
        uid = booking.request.uid
        before = _spans(booking.own_events)
        pending = self._record_pending(booking, sessions)
        if pending is None:
            return self.booking_outcome(uid)
        if isinstance(pending, Refusal):
            log.info("booking of request %s refused: %s", uid, pending.reason)
            reason = "" if pending.taken else pending.reason
            return SlotTaken(self.propose(uid), reason)
        written: list[CalendarEvent] = []
        try:
            try:
                self._events.write(booking, sessions, written)
            except CalendarError as error:
                self._give_back(booking, pending, before, bool(written), str(error))
                return BookingFailed(uid, str(error))
            return self._finish(
                booking, pending, sessions, written, actor_slack_id, by_candidate=by_candidate
            )
        except Exception as error:
            self._release(uid, error)
            raise

    def _record_pending(
        self, booking: BookingContext, sessions: list[PlannedSession]
    ) -> PendingBooking | Refusal | None:
        """Claim the request and record its booking as pending, in one transaction; None when
        another click (or the reconciler) holds the request.

        Two bookings sharing an interviewer (or the candidate) are serialised here: each locks
        its participants' rows first, then checks the rules against what is booked or pending
        now, so the second sees the first's pending interview and is refused (nothing kept)."""
        now = self._clock.now()
        with self._new_uow() as uow:
            uid = booking.request.uid
            if not uow.interviews.claim_request(uid, now, now - STALE_BOOKING):
                uow.rollback()
                return None
            person_ids = sorted({i for _, ids in booking.panel for i in ids})
            uow.interviews.lock_participants(person_ids, booking.request.candidate_id)
            booked = uow.interviews.booked_events(
                person_ids,
                booking.request.candidate_id,
                sessions[0].start - CHECKED_AROUND,
                sessions[-1].end + CHECKED_AROUND,
                _own_interview_id(booking),
            )
            if not booking.is_move and self._stage_booked_meanwhile(uow, booking):
                uow.rollback()
                raise SchedulingError(
                    f"“{booking.stage_name}” was booked for {booking.candidate_name} meanwhile "
                    "by another request. To change its time, use Reschedule on its confirmation."
                )
            holidays = self._company_holidays(sessions[0].start, sessions[-1].end)
            refused = refusal(booking, sessions, booked, now, CompanyDays(self._zone, holidays))
            if refused is not None:
                uow.rollback()
                return refused
            _keep_panel(uow, booking)
            try:
                pending = record_pending(uow, booking, sessions, now)
            except NotPendingHere as refused:
                raise SchedulingError(str(refused)) from refused
            uow.commit()
            return pending

    @staticmethod
    def _stage_booked_meanwhile(uow: UnitOfWork, booking: BookingContext) -> bool:
        """One active interview per candidate and stage, checked under the candidate's lock: a
        second request started before the first was booked cannot book it twice."""
        request = booking.request
        active = uow.interviews.active_interview(request.candidate_id, request.stage_id)
        return active is not None and active.uid != request.uid

    def _give_back(
        self,
        booking: BookingContext,
        pending: PendingBooking,
        before: Spans,
        written: bool,
        reason: str,
    ) -> None:
        """The calendar refused: a booking this attempt recorded and wrote nothing of is
        forgotten; one with events written stays pending for "Try again" or the reconciler."""
        now = self._clock.now()
        with self._new_uow() as uow:
            if pending.fresh and not written:
                forget_pending(uow, booking, pending, before, now)
            release(uow, booking.request.uid, reason, now)
            uow.commit()

    def _release(self, request_uid: str, error: Exception) -> None:
        """After a database error: give the claim back if the database answers, so "Try again"
        can go on at once (else the claim goes stale in STALE_BOOKING)."""
        log.warning("booking of request %s failed: %r", request_uid, error)
        try:
            with self._new_uow() as uow:
                release(uow, request_uid, TEMPORARY_PROBLEM, self._clock.now())
                uow.commit()
        except Exception as again:
            log.warning("could not give back the claim on request %s: %r", request_uid, again)

    def _finish(
        self,
        booking: BookingContext,
        pending: PendingBooking,
        sessions: list[PlannedSession],
        events: list[CalendarEvent],
        scheduler_slack_id: str,
        note: str = "",
        *,
        by_candidate: bool = False,
    ) -> BookingOutcome:
        """The calendar has the events: mark the interview booked and enqueue its messages."""
        now = self._clock.now()
        request = booking.request
        with self._new_uow() as uow:
            interview = settle_booked(uow, booking, pending, sessions, events, now)
            if interview is None:
                uow.rollback()
                return self.booking_outcome(request.uid)
            actor = None if by_candidate else uow.people.person_by_slack_id(scheduler_slack_id)
            action = "interview.rescheduled" if booking.is_move else "interview.booked"
            detail: dict[str, object] = {
                "starts_at": sessions[0].start.isoformat(),
                "request": request.uid,
            }
            if by_candidate:
                detail["by"] = "candidate"
            if note:
                detail["finished_after_interruption"] = True
            audit(uow, now, actor, action, interview.id, detail)
            uow.flush()
            summary = self._summary(uow, interview.id)
            change: Change = "moved" if booking.is_move else "booked"
            version = str(request.id)
            keys = messages.enqueue(
                uow,
                [
                    *messages.interviewer_dms(
                        self._composer, summary, change, version, scheduler_slack_id
                    ),
                    messages.confirmation(
                        uow,
                        self._composer,
                        summary,
                        scheduler_slack_id,
                        f"{change}:{version}",
                        note,
                    ),
                ],
                now,
            )
            uow.commit()
            return Booked(summary, rescheduled=booking.is_move, message_keys=keys)

    def _chosen_sessions(self, booking: BookingContext, choice: ChosenSlot) -> list[PlannedSession]:
        panel = dict(booking.panel)
        if set(choice.starts) != set(panel):
            raise SchedulingError("That choice does not match the stage's sessions any more.")
        return sorted(
            (
                self._planned_session(booking, position, start, panel[position])
                for position, start in choice.starts.items()
            ),
            key=lambda s: s.start,
        )

    # -- finishing bookings left pending ---------------------------------------------------

    def reconcile_pending_bookings(self) -> list[Booked | Undone]:
        """The job: finish each booking (or move) left pending for longer than STALE_BOOKING.

        The rule is to finish: the time was found free just before the booking was recorded, so
        write what the calendar lacks (the same event ids: nobody is invited twice, and an event
        already there gives its video link back), mark it booked and send what the booking sends,
        the confirmation telling whoever asked. This is also what their "Try again" does, so the
        two never disagree. Only a booking the calendar keeps refusing for GIVE_UP is undone: its
        events are cancelled (a move keeps the times the calendar has) and whoever asked is told.
        Until then the request is FAILED (it left BOOKING) and the next run tries again. The
        request's claim (a conditional UPDATE) lets one reconciler only handle a booking."""
        now = self._clock.now()
        with self._new_uow() as uow:
            request_uids = uow.interviews.stale_pending_bookings(now - STALE_BOOKING)
        done: list[Booked | Undone] = []
        for request_uid in request_uids:
            try:
                outcome = self._reconcile(request_uid)
            except Exception:
                log.exception("could not finish the pending booking of request %s", request_uid)
                continue
            if outcome is not None:
                done.append(outcome)
        return done

    def _reconcile(self, request_uid: str) -> Booked | Undone | None:
        now = self._clock.now()
        with self._new_uow() as uow:
            if not uow.interviews.take_over_request(request_uid, now, now - STALE_BOOKING):
                uow.rollback()
                return None
            uow.commit()
            interview = uow.interviews.interview_by_uid(request_uid)
            request = uow.interviews.request_by_uid(request_uid)
            assert request is not None
            requester = uow.people.person_by_id(request.requested_by_id)
            if interview is None or interview.status != InterviewStatus.PENDING or not requester:
                release(uow, request_uid, "nothing pending to finish", now)
                uow.commit()
                return None
            pending = PendingBooking(interview.id, fresh=False)
            pending_since = interview.updated_at
            asker = requester.slack_id
        booking = self._booking_context(request_uid)
        sessions = self._pending_sessions(booking)
        written: list[CalendarEvent] = []
        try:
            self._events.write(booking, sessions, written)
        except CalendarError as error:
            if pending_since >= now - GIVE_UP:
                self._set_status(request_uid, SchedulingStatus.FAILED, str(error))
                return None  # tried again at a later run
            return self._undo(booking, pending, f"the calendar refused it ({error})", asker)
        outcome = self._finish(booking, pending, sessions, written, asker, FINISHED_NOTE)
        return outcome if isinstance(outcome, Booked) else None

    def _undo(
        self, booking: BookingContext, pending: PendingBooking, reason: str, asker: str
    ) -> Undone | None:
        """Cancel a new booking's events; for a move, keep the times the calendar has. When the
        calendar does not answer either, a later run tries again."""
        spans: Spans = {}
        try:
            if booking.is_move:
                for position, event in booking.own_events.items():
                    current = self._events.current(event.calendar_event_id)
                    spans[position] = (current.start, current.end)
            else:
                self._events.cancel(e.calendar_event_id for e in booking.own_events.values())
        except CalendarError as error:
            self._set_status(booking.request.uid, SchedulingStatus.FAILED, str(error))
            return None
        now = self._clock.now()
        with self._new_uow() as uow:
            interview = settle_undone(uow, booking, pending, spans, reason, now)
            if interview is None:
                uow.rollback()
                return None
            action = "interview.move_undone" if booking.is_move else "interview.booking_undone"
            audit(uow, now, None, action, interview.id, {"request": booking.request.uid})
            uow.flush()
            summary = self._summary(uow, interview.id)
            told: list[NewMessage] = [
                messages.booking_undone(self._composer, summary, asker, reason)
            ]
            if booking.is_move:
                revision = f"undone:{booking.request.id}"
                told.append(messages.confirmation(uow, self._composer, summary, asker, revision))
            messages.enqueue(uow, told, now)
            uow.commit()
        log.warning("undid the pending booking of request %s: %s", booking.request.uid, reason)
        return Undone(booking.request.uid, reason)

    def _pending_sessions(self, booking: BookingContext) -> list[PlannedSession]:
        """The sessions as the pending booking recorded them."""
        panel = dict(booking.panel)
        return sorted(
            (
                self._planned_session(booking, position, event.starts_at, panel[position])
                for position, event in booking.own_events.items()
            ),
            key=lambda s: s.start,
        )

    # -- cancelling ------------------------------------------------------------------------

    def cancel(self, interview_id: int, actor_slack_id: str) -> InterviewChanged:
        return self._cancel(interview_id, actor_slack_id)

    def cancel_for_candidate(self, interview_id: int, request_uid: str) -> InterviewChanged:
        """The candidate cancels the interview their link's request booked: as `cancel`, the
        recruiter who asked for the request being told, and the audit naming no person."""
        with self._new_uow() as uow:
            request = uow.interviews.request_by_uid(request_uid)
            requester = uow.people.person_by_id(request.requested_by_id) if request else None
            if request is None or request.interview_id != interview_id or requester is None:
                raise NotAvailable(NOT_AVAILABLE)
            told = requester.slack_id
        return self._cancel(interview_id, told, by_candidate=True)

    def _cancel(
        self, interview_id: int, actor_slack_id: str, *, by_candidate: bool = False
    ) -> InterviewChanged:
        with self._new_uow() as uow:
            if not by_candidate:
                self._require_scheduler(uow, actor_slack_id)
            interview = uow.interviews.interview_with_events(interview_id)
            if interview is None:
                raise SchedulingError("This interview no longer exists.")
            if interview.status == InterviewStatus.CANCELLED:
                return InterviewChanged(self._summary(uow, interview_id))
            if interview.status == InterviewStatus.PENDING:
                raise SchedulingError(
                    "This interview is being booked or moved right now: try again in a minute."
                )
            event_ids = [e.calendar_event_id for e in interview.events]
        self._events.cancel(event_ids)
        now = self._clock.now()
        with self._new_uow() as uow:
            cancelled = uow.interviews.settle(
                interview_id, InterviewStatus.CANCELLED, now, InterviewStatus.SCHEDULED
            )
            if not cancelled:  # the calendar sync (or another click) recorded it first
                uow.rollback()
                return InterviewChanged(self._summary(uow, interview_id))
            actor = None if by_candidate else uow.people.person_by_slack_id(actor_slack_id)
            detail: dict[str, object] = {"by": "candidate"} if by_candidate else {}
            audit(uow, now, actor, "interview.cancelled", interview_id, detail)
            summary = self._summary(uow, interview_id)
            note = f"Cancelled by <@{actor_slack_id}>; the attendees were told."
            if by_candidate:
                note = "Cancelled by the candidate through their link; the attendees were told."
            keys = messages.enqueue(
                uow,
                [
                    *messages.interviewer_dms(
                        self._composer, summary, "cancelled", "0", actor_slack_id
                    ),
                    messages.confirmation(
                        uow, self._composer, summary, actor_slack_id, "cancelled", note
                    ),
                ],
                now,
            )
            uow.commit()
            return InterviewChanged(summary, keys)

    def replace_interviewer(
        self, interview_id: int, leaving_id: int, joining_id: int, actor_slack_id: str
    ) -> InterviewChanged:
        """Put another interviewer in the event a colleague declined, and invite them. Clicking
        again after a failure finishes it (the calendar update is the same)."""
        with self._new_uow() as uow:
            self._require_scheduler(uow, actor_slack_id)
            interview = uow.interviews.interview_with_events(interview_id)
            joining = uow.people.person_by_id(joining_id)
            event = _event_of(interview, leaving_id) if interview else None
            if event is None or joining is None or not joining.email:
                raise SchedulingError("This replacement is no longer possible.")
            emails = [p.email for p in event.participants if p.person_id != leaving_id]
            calendar_event = event.calendar_event_id
            joining_email, joining_slack_id = joining.email, joining.slack_id
        self._calendar.update_event(calendar_event, attendees=[*emails, joining_email])
        now = self._clock.now()
        with self._new_uow() as uow:
            interview = uow.interviews.interview_with_events(interview_id)
            event = _event_of(interview, leaving_id) if interview else None
            if event is None:  # recorded meanwhile by another click
                return InterviewChanged(self._summary(uow, interview_id))
            for participant in event.participants:
                if participant.person_id == leaving_id:
                    participant.person_id = joining_id
                    participant.email = joining_email
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
            uow.flush()
            summary = self._summary(uow, interview_id)
            change = f"r{leaving_id}"
            keys = messages.enqueue(
                uow,
                [
                    *messages.interviewer_dms(
                        self._composer,
                        summary,
                        "booked",
                        change,
                        actor_slack_id,
                        slack_ids=[joining_slack_id],
                    ),
                    messages.confirmation(
                        uow,
                        self._composer,
                        summary,
                        actor_slack_id,
                        f"replaced:{leaving_id}:{joining_id}",
                    ),
                ],
                now,
            )
            uow.commit()
            return InterviewChanged(summary, keys)

    def summary(self, interview_id: int) -> InterviewSummary:
        with self._new_uow() as uow:
            return self._summary(uow, interview_id)

    # -- helpers ---------------------------------------------------------------------------

    def _booking_context(
        self, request_uid: str, panel: Panel | None = None, also: Collection[int] = ()
    ) -> BookingContext:
        """What the database knows of a request, for `panel` (by default the request's own),
        with the people `also` named (other panels a search tries)."""
        with self._new_uow() as uow:
            request = uow.interviews.request_by_uid(request_uid)
            if request is None:
                raise SchedulingError("This scheduling request no longer exists.")
            stage = uow.candidates.stage_with_sessions(request.stage_id)
            assert stage is not None
            candidate = request.candidate
            positions = sorted(panel.items()) if panel else panel_positions(request)
            ids = sorted({i for _, members in positions for i in members} | set(also))
            people = uow.people.people_by_ids(ids)
            own = self._own_events(uow, request)
            booked = uow.interviews.booked_events(
                ids,
                request.candidate_id,
                request.window_start - timedelta(days=7),
                request.window_end + timedelta(days=7),
                _own_interview_id_of(own),
            )
            return BookingContext(
                request=request,
                panel=positions,
                session_pools={s.position: s.pool_key for s in stage.sessions},
                candidate_name=candidate.name,
                candidate_email=candidate.email,
                stage_name=stage.name,
                people=people,
                booked=booked,
                own_events=own,
                durations={
                    s.position: timedelta(minutes=s.duration_minutes) for s in stage.sessions
                },
                names={s.position: s.name for s in stage.sessions},
                stage_session_ids={s.position: s.id for s in stage.sessions},
                gap=timedelta(minutes=stage.gap_minutes or 10),
                policy=StagePolicy.of(stage),
                take_home=stage.format == StageFormat.TAKE_HOME,
                event_title=f"{candidate.name} ({stage.role.title})",
                with_video=stage.format != StageFormat.ONSITE,
                location=stage.location if stage.format == StageFormat.ONSITE else None,
                is_move=request.interview_id is not None,
            )

    @staticmethod
    def _own_events(uow: UnitOfWork, request: SchedulingRequest) -> dict[int, InterviewEvent]:
        """The events this request moves, or those of its own pending booking."""
        if request.interview_id is not None:
            interview = uow.interviews.interview_with_events(request.interview_id)
        else:
            interview = uow.interviews.interview_by_uid(request.uid)
        if interview is None or interview.status == InterviewStatus.CANCELLED:
            return {}
        return event_positions(interview)

    def _planned_sessions(
        self, booking: BookingContext, proposal: Proposal
    ) -> tuple[PlannedSession, ...]:
        """The proposal's sessions with their interviewers (known by email to the slot finder)."""
        by_email = {person.email: person.id for person in booking.people.values() if person.email}
        return tuple(
            self._planned_session(
                booking,
                int(placed.name),
                placed.start,
                [by_email[email] for email in placed.interviewer_keys],
            )
            for placed in proposal.sessions
        )

    @staticmethod
    def _planned_session(
        booking: BookingContext, position: int, start: datetime, person_ids: list[int]
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
    def _require_scheduler(uow: UnitOfWork, actor_slack_id: str, refusal: str = "") -> None:
        if not may_schedule(uow.directory.person(actor_slack_id)):
            raise NotAvailable(
                refusal or "Only recruiters, hiring managers and admins can schedule interviews."
            )

    @staticmethod
    def _summary(uow: UnitOfWork, interview_id: int) -> InterviewSummary:
        interview = uow.interviews.interview_with_events(interview_id)
        if interview is None:
            raise NotAvailable(NOT_AVAILABLE)
        scheduler = uow.people.person_by_id(interview.scheduled_by_id or 0)
        return summarize_interview(interview, scheduler.slack_id if scheduler else None)


def audit(
    uow: UnitOfWork,
    now: datetime,
    actor: Person | None,
    action: str,
    interview_id: int,
    detail: dict[str, object],
) -> None:
    uow.audit.record(now, actor.id if actor else None, action, ("interview", interview_id), detail)


def _keep_panel(uow: UnitOfWork, booking: BookingContext) -> None:
    """The request books the panel of the option chosen (pool members may stand in): recorded
    with the pending booking, so that whoever finishes it invites the same people."""
    request = uow.interviews.request_by_uid(booking.request.uid)
    panel = {str(position): ids for position, ids in booking.panel}
    if request is not None and request.panel != panel:
        request.panel = panel


def _ids(panel: Panel) -> list[int]:
    return [i for ids in panel.values() for i in ids]


def _own_interview_id(booking: BookingContext) -> int | None:
    return _own_interview_id_of(booking.own_events)


def _own_interview_id_of(own_events: dict[int, InterviewEvent]) -> int | None:
    """The interview a request books or moves, when it exists already."""
    return next((e.interview_id for e in own_events.values()), None)


def _spans(events: dict[int, InterviewEvent]) -> Spans:
    """The events' times now, kept apart from the rows (which a pending record changes)."""
    return {position: (e.starts_at, e.ends_at) for position, e in events.items()}


def _event_of(interview: Interview, person_id: int) -> InterviewEvent | None:
    return next(
        (e for e in interview.events if any(p.person_id == person_id for p in e.participants)),
        None,
    )
