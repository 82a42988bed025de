"""Candidates' links as use cases: make one (and email it), show its times, book, cancel.

The token names one scheduling request. Every use reads the request afresh: a request that no
longer exists is "unknown"; one whose interview was cancelled, or is booked and less than 24
hours away, is "used up". Times come live from `SchedulingService.propose` (which records what
was offered: only those can be booked), and booking goes through the same path as Slack's. Once
booked, the same link moves the interview (through a move request made on the recruiter's
behalf) or cancels it, until a day before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.candidate_links.ics import IcsSession, invitation
from bot.candidate_links.ports import Attachment, Mailer, MailError, OutgoingMail
from bot.candidate_links.rules import LANGUAGES, Language, first_name, link_expiry, used_up
from bot.candidate_links.texts import (
    CONFIRMATION_SUBJECT,
    CONFIRMATION_TEXT,
    INVITATION_SUBJECT,
    INVITATION_TEXT,
    moment,
    where,
)
from bot.candidate_links.tokens import LinkClaims, LinkRefused, LinkTokens
from bot.scheduling.service import (
    AlreadyBooked,
    Booked,
    BookingOutcome,
    InterviewChanged,
    NotAvailable,
    SchedulingError,
    SchedulingService,
)
from bot.scheduling.summary import SessionTimes
from bot.shared.clock import Clock
from bot.team.people import NOT_AVAILABLE, scheduler_or_none
from models.hiring import Interview, InterviewStatus, SchedulingRequest, SchedulingStatus
from models.schemas import ChosenSlot
from models.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

SCHEDULE_PATH = "/schedule/"


LINKS_NOT_SET_UP = (
    "Candidate links are not set up: PUBLIC_URL (the bot's public address) must be set, and "
    "LINK_SECRET or SLACK_SIGNING_SECRET."
)


@dataclass(frozen=True)
class CandidateLink:
    url: str
    expires_at: datetime
    # Whether the invitation went out by email, and why not when it failed.
    emailed: bool = False
    mail_error: str | None = None


@dataclass(frozen=True)
class LinkRecipient:
    name: str
    email: str


@dataclass(frozen=True)
class SessionTime:
    position: int  # the stage session's
    name: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class CandidateOption:
    """One time the candidate may pick: `starts` (session position -> start) books it."""

    sessions: tuple[SessionTime, ...]

    @property
    def starts(self) -> dict[int, datetime]:
        return {s.position: s.start for s in self.sessions}

    @property
    def start(self) -> datetime:
        return self.sessions[0].start


@dataclass(frozen=True)
class CandidateTimes:
    """What the candidate's page shows: never the interviewers, only times."""

    language: Language
    first_name: str
    role_title: str
    stage_name: str
    stage_format: str
    minutes: int
    address: str | None
    options: tuple[CandidateOption, ...]
    # The interview booked through this link (its sessions), when it is: `options` are then
    # the times it can be moved to.
    booked: tuple[SessionTime, ...] = ()


@dataclass(frozen=True)
class CandidateBooking:
    outcome: BookingOutcome
    emailed: bool = False
    mail_error: str | None = None


@dataclass(frozen=True)
class _Stage:
    first_name: str
    email: str
    role_title: str
    stage_name: str
    stage_format: str
    minutes: int
    address: str | None
    interview_id: int | None


class CandidateLinkService:
    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        clock: Clock,
        zone: ZoneInfo,
        scheduling: SchedulingService,
        deliver: Callable[[Sequence[str]], object],
        *,
        link_key: bytes | None,
        base_url: str | None,
        mailer: Mailer | None = None,
        organizer_email: str | None = None,
    ) -> None:
        """`deliver` sends the Slack messages a booking enqueued; without `link_key` or
        `base_url` (PUBLIC_URL) no link can be made (refused), without `mailer` no email is
        sent."""
        self._new_uow = new_uow
        self._clock = clock
        self._zone = zone
        self._scheduling = scheduling
        self._deliver = deliver
        self._tokens = LinkTokens(link_key, clock) if link_key else None
        self._base_url = base_url.rstrip("/") if base_url else None
        self._mailer = mailer
        self._organizer = organizer_email

    # -- making a link ---------------------------------------------------------------------

    @property
    def links_enabled(self) -> bool:
        """Whether links can be made at all (PUBLIC_URL and a signing key are set)."""
        return self._tokens is not None and self._base_url is not None

    @property
    def emails_enabled(self) -> bool:
        return self._mailer is not None

    def recipient(self, actor_slack_id: str, request_uid: str) -> LinkRecipient:
        """Who a link to the request would go to; raises NotAvailable as `create` does."""
        with self._new_uow() as uow:
            request = uow.interviews.request_by_uid(request_uid)
            if scheduler_or_none(uow, actor_slack_id) is None or request is None:
                raise NotAvailable(NOT_AVAILABLE)
            return LinkRecipient(request.candidate.name, request.candidate.email)

    def create(self, actor_slack_id: str, request_uid: str, language: str) -> CandidateLink:
        """A link to the request for its candidate, emailed to them when mail is set up.
        Raises NotAvailable to someone who may not schedule, or for an unknown request."""
        if language not in LANGUAGES:
            raise SchedulingError("Pick French or English for the candidate's link.")
        lang: Language = "fr" if language == "fr" else "en"
        now = self._clock.now()
        with self._new_uow() as uow:
            actor = scheduler_or_none(uow, actor_slack_id)
            request = uow.interviews.request_by_uid(request_uid)
            if actor is None or request is None:
                raise NotAvailable(NOT_AVAILABLE)
            if self._tokens is None or self._base_url is None:
                raise SchedulingError(LINKS_NOT_SET_UP)
            expires = link_expiry(request.window_end, now)
            token = self._tokens.sign(request_uid, lang, expires)
            stage = _stage_of(uow, request)
            subject = ("scheduling_request", request.id)
            uow.audit.record(now, actor.id, "candidate_link.created", subject, {"language": lang})
            uow.commit()
        url = f"{self._base_url}{SCHEDULE_PATH}{token}"
        error = self._send(_invitation(stage, lang, url, expires, self._zone))
        return CandidateLink(url, expires, self._mailer is not None and error is None, error)

    # -- using it --------------------------------------------------------------------------

    def times(self, token: str) -> CandidateTimes:
        """The times the whole panel is free now (read live); once booked, the booking and the
        times it may move to (until a day before it)."""
        claims, stage = self._check(token)
        booked: tuple[SessionTime, ...] = ()
        if stage.interview_id is not None:
            booked = self._booked_sessions(stage.interview_id)
        proposals = self._scheduling.propose(self._bookable_uid(claims, stage))
        options = tuple(
            CandidateOption(tuple(SessionTime(s.position, s.name, s.start, s.end) for s in option))
            for option in proposals.options
        )
        current = sorted(s.start for s in booked)
        options = tuple(o for o in options if sorted(o.starts.values()) != current)
        return _times(claims, stage, options, booked)

    def book(self, token: str, starts: dict[int, datetime]) -> CandidateBooking:
        """Book one of the times offered (a double submit books once: AlreadyBooked); the
        recruiter and the panel are told in Slack, the candidate by email with an .ics."""
        claims, stage = self._check(token)
        if stage.interview_id is not None:
            summary = self._scheduling.summary(stage.interview_id)
            if _same_times(summary.sessions, starts):  # a second submit of a move
                return CandidateBooking(AlreadyBooked(summary))
        choice = ChosenSlot(request_uid=self._bookable_uid(claims, stage), starts=starts)
        outcome = self._scheduling.book_for_candidate(choice)
        if not isinstance(outcome, Booked):
            return CandidateBooking(outcome)
        self._deliver(outcome.message_keys)
        mail = self._confirmation(claims, stage, outcome, token)
        error = self._send(mail)
        return CandidateBooking(outcome, self._mailer is not None and error is None, error)

    def cancel(self, token: str) -> InterviewChanged:
        """Cancel the interview booked through the link (until 24 hours before it)."""
        claims, stage = self._check(token)
        if stage.interview_id is None:
            raise LinkRefused("used_up")
        changed = self._scheduling.cancel_for_candidate(stage.interview_id, claims.request_uid)
        self._deliver(changed.message_keys)
        return changed

    def booked_sessions(self, token: str) -> tuple[IcsSession, ...]:
        """The events of the interview booked through the link, with their video link or
        address (none when nothing is booked); raises LinkRefused."""
        _claims, stage = self._check(token)
        if stage.interview_id is None:
            return ()
        with self._new_uow() as uow:
            return self._ics_sessions(uow, stage.interview_id, stage)

    def invitation_file(self, token: str) -> bytes | None:
        """The booked interview as an `.ics` for the candidate; None when nothing is booked."""
        _claims, stage = self._check(token)
        if stage.interview_id is None:
            return None
        with self._new_uow() as uow:
            sessions = self._ics_sessions(uow, stage.interview_id, stage)
        if not sessions:
            return None
        return invitation(list(sessions), stage.email, self._organizer, self._clock.now())

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _ics_sessions(uow: UnitOfWork, interview_id: int, stage: _Stage) -> tuple[IcsSession, ...]:
        interview = uow.interviews.interview_with_events(interview_id)
        events = sorted(interview.events, key=lambda e: e.starts_at) if interview else []
        return tuple(
            IcsSession(
                e.calendar_event_id,
                f"{stage.stage_name} ({stage.role_title})",
                e.starts_at,
                e.ends_at,
                e.video_link,
                e.location or stage.address,
            )
            for e in events
        )

    def _bookable_uid(self, claims: LinkClaims, stage: _Stage) -> str:
        """The link's request, or once it is booked the request that moves its interview."""
        if stage.interview_id is None:
            return claims.request_uid
        return self._scheduling.start_rescheduling_for_candidate(claims.request_uid)

    def _check(self, token: str) -> tuple[LinkClaims, _Stage]:
        """The token's claims and its request's stage; raises LinkRefused."""
        if self._tokens is None:
            raise LinkRefused("unknown")
        claims = self._tokens.read(token)
        with self._new_uow() as uow:
            request = uow.interviews.request_by_uid(claims.request_uid)
            if request is None:
                raise LinkRefused("unknown")
            interview = _interview_of(uow, request)
            cancelled = interview is not None and interview.status == InterviewStatus.CANCELLED
            booked = request.status == SchedulingStatus.BOOKED and interview is not None
            start = min(e.starts_at for e in interview.events) if booked and interview else None
            if used_up(cancelled, start, self._clock.now()):
                raise LinkRefused("used_up")
            stage = _stage_of(uow, request)
            if booked and interview is not None:
                stage = _with_interview(stage, interview.id)
            return claims, stage

    def _booked_sessions(self, interview_id: int) -> tuple[SessionTime, ...]:
        summary = self._scheduling.summary(interview_id)
        return tuple(
            SessionTime(i, s.name, s.start, s.end) for i, s in enumerate(summary.sessions, 1)
        )

    def _confirmation(
        self, claims: LinkClaims, stage: _Stage, outcome: Booked, token: str
    ) -> OutgoingMail:
        interview_id, moved = outcome.summary.interview_id, outcome.rescheduled
        with self._new_uow() as uow:
            sessions = list(self._ics_sessions(uow, interview_id, stage))
        lang = claims.language
        first = sessions[0]
        values = {
            "first_name": stage.first_name,
            "stage": stage.stage_name,
            "role": stage.role_title,
            "when": moment(first.start, self._zone, lang),
            "zone": self._zone.key,
            "where": where(first.video_link, first.location, lang),
            "url": f"{self._base_url}{SCHEDULE_PATH}{token}",
        }
        now = self._clock.now()
        # A move sends the same events again: a higher SEQUENCE makes calendars update them.
        sequence = int(now.timestamp()) // 60 if moved else 0
        ics = invitation(sessions, stage.email, self._organizer, now, sequence)
        return OutgoingMail(
            to=stage.email,
            subject=CONFIRMATION_SUBJECT[lang].format(**values),
            text=CONFIRMATION_TEXT[lang].format(**values),
            language=lang,
            attachments=(Attachment("invitation.ics", "text/calendar; method=REQUEST", ics),),
        )

    def _send(self, mail: OutgoingMail) -> str | None:
        """Send when mail is set up; the error (logged, never raised) when it failed."""
        if self._mailer is None:
            return None
        try:
            self._mailer.send(mail)
        except MailError as error:
            log.warning("could not send the candidate an email: %s", error)
            return str(error)
        return None


def _interview_of(uow: UnitOfWork, request: SchedulingRequest) -> Interview | None:
    if request.interview_id is not None:
        return uow.interviews.interview_with_events(request.interview_id)
    return uow.interviews.interview_by_uid(request.uid)


def _stage_of(uow: UnitOfWork, request: SchedulingRequest) -> _Stage:
    stage = uow.candidates.stage_with_sessions(request.stage_id)
    assert stage is not None
    sessions = stage.sessions
    minutes = sum(s.duration_minutes for s in sessions) + stage.gap_minutes * (len(sessions) - 1)
    return _Stage(
        first_name=first_name(request.candidate.name),
        email=request.candidate.email,
        role_title=stage.role.title,
        stage_name=stage.name,
        stage_format=str(stage.format),
        minutes=minutes,
        address=stage.location,
        interview_id=None,
    )


def _same_times(sessions: Sequence[SessionTimes], starts: dict[int, datetime]) -> bool:
    return sorted(s.start for s in sessions) == sorted(starts.values())


def _with_interview(stage: _Stage, interview_id: int) -> _Stage:
    return _Stage(**{**stage.__dict__, "interview_id": interview_id})


def _times(
    claims: LinkClaims,
    stage: _Stage,
    options: tuple[CandidateOption, ...],
    booked: tuple[SessionTime, ...],
) -> CandidateTimes:
    return CandidateTimes(
        language=claims.language,
        first_name=stage.first_name,
        role_title=stage.role_title,
        stage_name=stage.stage_name,
        stage_format=stage.stage_format,
        minutes=stage.minutes,
        address=stage.address,
        options=options,
        booked=booked,
    )


def _invitation(
    stage: _Stage, lang: Language, url: str, expires: datetime, zone: ZoneInfo
) -> OutgoingMail:
    values = {
        "first_name": stage.first_name,
        "stage": stage.stage_name,
        "role": stage.role_title,
        "minutes": stage.minutes,
        "url": url,
        "expires": moment(expires, zone, lang),
    }
    return OutgoingMail(
        to=stage.email,
        subject=INVITATION_SUBJECT[lang].format(**values),
        text=INVITATION_TEXT[lang].format(**values),
        language=lang,
    )
