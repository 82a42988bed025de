"""The calendar sync job: follow the organizer's calendar, record what changed and, in the same
transaction, enqueue what each interview's scheduler (and, for a cancellation, its interviewers)
must be told.

One sync at a time, however many workers: a run holds the `calendar_sync` job lease
(models/leases.py) while it reads the calendar's changes and records them, so two workers never
follow the same changes twice. The sync token is advanced in the transaction that records the
changes read with it, after checking that the lease is still this run's. The messages' outbox keys
are made from each change's fingerprint, so a change read twice (an expired token, a run that
overran its lease) is still told once.

Messages, by key (the booking's messages under the scheduling flow's keys, bot.scheduling.messages):
- `calendar-change:{interview}:{kind}:{fingerprint}`: the change, to the scheduler;
- `confirmation:{interview}:{kind}:{fingerprint}`: an edit of the booking's confirmation
  (`confirmation:{interview}`) showing the change; when the booking has no confirmation in the
  outbox, it is posted under `confirmation:{interview}` instead;
- `booking-dm:{interview}:{slack id}:cancelled:0`: "cancelled" to each interviewer (the key of the
  cancellation DM, whoever cancels).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import socket
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from bot.calendar_sync.ports import ChangeNoticeComposer
from bot.calendar_sync.sync import (
    ORGANIZER_CALENDAR,
    CalendarChange,
    Notice,
    PoolAlternatives,
    Replacement,
    follow_event,
    new_answers,
    pool_alternatives,
)
from bot.scheduling import messages as booking
from bot.scheduling.ports import BookingMessages
from bot.scheduling.summary import InterviewSummary, summarize_interview
from bot.shared.clock import Clock
from calendars.provider import CalendarEvent, CalendarProvider, ChangeSet, SyncTokenExpired
from models.hiring import CalendarSyncState, InterviewEvent, InterviewStatus
from models.outbox import NewMessage
from models.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

LEASE_NAME = "calendar_sync"
# Far longer than a run takes (a page of changes, a few free/busy look-ups): a worker that dies
# holding the lease delays the next sync by at most this.
SYNC_LEASE = timedelta(minutes=5)
MAX_REPLACEMENTS = 3
NOTICE_KIND = "calendar_change"
CHANGED_OUTSIDE_THE_BOT = "Changed in the calendar, outside the bot."

# Who declined where: (interview id, the person's id).
DeclineKey = tuple[int, int]


def process_holder() -> str:
    """This process's name on the leases it holds: host, pid, and a random part (a pid is reused
    from one container to the next)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


class CalendarSyncService:
    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        clock: Clock,
        calendar: CalendarProvider,
        composer: ChangeNoticeComposer,
        booking_messages: BookingMessages,
        deliver_now: Callable[[Sequence[str]], object],
        holder: str | None = None,
    ) -> None:
        """`booking_messages` words the booking's confirmation and DMs (as the scheduling flow
        does); `deliver_now` hands the keys just enqueued to the outbox (OutboxService.deliver);
        `holder` names this process on the sync's lease (default: process_holder())."""
        self._new_uow = new_uow
        self._clock = clock
        self._calendar = calendar
        self._composer = composer
        self._booking_messages = booking_messages
        self._deliver_now = deliver_now
        self._holder = holder or process_holder()

    def follow_calendar(self) -> list[Notice]:
        """The job: apply the calendar's changes to our interviews, enqueue the notices with them,
        then deliver the notices; returns them ([] when another worker holds the sync)."""
        if not self._take_lease():
            log.info("calendar sync skipped: another worker is following the calendar")
            return []
        try:
            changes = self._read_changes()
            replacements = self._free_replacements(changes)
            notices, keys = self._record(changes, replacements)
        finally:
            self._release_lease()
        if keys:
            self._deliver(keys)
        return notices

    def _deliver(self, keys: Sequence[str]) -> None:
        try:
            self._deliver_now(keys)
        except Exception:  # enqueued for good: the outbox job delivers what this did not
            log.exception("calendar change notices enqueued; the outbox job will deliver them")

    # -- the lease ---------------------------------------------------------------------------

    def _take_lease(self) -> bool:
        now = self._clock.now()
        with self._new_uow() as uow:
            taken = uow.leases.take(LEASE_NAME, self._holder, now, now + SYNC_LEASE)
            uow.commit()
        return taken

    def _release_lease(self) -> None:
        try:
            with self._new_uow() as uow:
                uow.leases.release(LEASE_NAME, self._holder)
                uow.commit()
        except Exception:  # the lease runs out by itself; the run's own error matters more
            log.warning("calendar sync: could not release the lease", exc_info=True)

    # -- reading -----------------------------------------------------------------------------

    def _read_changes(self) -> ChangeSet:
        with self._new_uow() as uow:
            state = uow.interviews.sync_state(ORGANIZER_CALENDAR)
            token = state.sync_token if state else None
        try:
            return self._calendar.list_changes(token)
        except SyncTokenExpired:
            return self._calendar.list_changes(None)

    def _free_replacements(self, changes: ChangeSet) -> dict[DeclineKey, tuple[Replacement, ...]]:
        """For each interviewer who newly declined: who else from the session's pool is free
        then. Looked up before the transaction that records the changes, which then only writes."""
        wanted: list[tuple[DeclineKey, PoolAlternatives]] = []
        with self._new_uow() as uow:
            for event in changes.events:
                row = _followed(uow, event)
                if row is None or event.status == "cancelled":
                    continue
                for participant, answer in new_answers(row, event):
                    person_id = participant.person_id
                    if answer != "declined" or person_id is None:
                        continue
                    options = pool_alternatives(uow, row.interview_id, person_id)
                    if options:
                        wanted.append(((row.interview_id, person_id), options))
        return {key: self._free(options) for key, options in wanted}

    def _free(self, options: PoolAlternatives) -> tuple[Replacement, ...]:
        people = options.people
        busy = self._calendar.free_busy(
            [p.email or "" for p in people],
            options.start - options.buffer,
            options.end + options.buffer,
        )
        free = tuple(
            Replacement(p.id, p.slack_id, p.name) for p in people if not busy.get(p.email or "")
        )
        return free[:MAX_REPLACEMENTS]

    # -- recording ---------------------------------------------------------------------------

    def _record(
        self, changes: ChangeSet, replacements: dict[DeclineKey, tuple[Replacement, ...]]
    ) -> tuple[list[Notice], list[str]]:
        """One transaction: the changes, their messages in the outbox, the next sync token."""
        now = self._clock.now()
        with self._new_uow() as uow:
            if not uow.leases.take(LEASE_NAME, self._holder, now, now + SYNC_LEASE):
                log.warning("calendar sync overran its lease and another worker took it over")
                return [], []
            found: list[CalendarChange] = []
            for event in changes.events:
                row = _followed(uow, event)
                if row is not None:
                    found.extend(follow_event(uow, row, event, now))
            notices = [self._notice(uow, change, replacements) for change in found]
            messages = _unique([m for notice in notices for m in self._messages(uow, notice)])
            uow.outbox.enqueue_all(messages, now)
            _advance(uow, changes.next_sync_token, now)
            uow.commit()
        return notices, [message.key for message in messages]

    def _notice(
        self,
        uow: UnitOfWork,
        change: CalendarChange,
        replacements: dict[DeclineKey, tuple[Replacement, ...]],
    ) -> Notice:
        if change.kind == "declined" and change.who_person_id is not None:
            free = replacements.get((change.interview_id, change.who_person_id), ())
            change = dataclasses.replace(change, replacements=free)
        return Notice(change, _summary(uow, change.interview_id))

    def _messages(self, uow: UnitOfWork, notice: Notice) -> list[NewMessage]:
        change, summary = notice.change, notice.summary
        scheduler = summary.scheduled_by_slack_id
        if scheduler is None:
            log.warning("no one to tell about %s of interview %s", change.kind, change.interview_id)
            return []
        key = f"calendar-change:{change.interview_id}:{change.kind}:{change.fingerprint}"
        about = f"{summary.candidate_name} · {summary.stage_name}"
        messages = [
            NewMessage(
                key=key,
                kind=NOTICE_KIND,
                payload=self._composer.change_notice(notice),
                recipient=scheduler,
                summary=f"the calendar change ({change.kind}) of {about}",
            )
        ]
        if change.kind in ("moved", "deleted"):
            messages.append(
                booking.confirmation(
                    uow,
                    self._booking_messages,
                    summary,
                    scheduler,
                    f"{change.kind}:{change.fingerprint}",
                    CHANGED_OUTSIDE_THE_BOT,
                )
            )
        if change.kind == "deleted":
            messages += booking.interviewer_dms(
                self._booking_messages, summary, "cancelled", "0", scheduler
            )
        return messages


def _followed(uow: UnitOfWork, event: CalendarEvent) -> InterviewEvent | None:
    """Our interview event behind a calendar event, when its interview is still scheduled."""
    row = uow.interviews.interview_event_by_calendar_id(event.event_id)
    if row is None or row.interview.status != InterviewStatus.SCHEDULED:
        return None
    return row


def _summary(uow: UnitOfWork, interview_id: int) -> InterviewSummary:
    """The interview as it stands with this transaction's changes."""
    interview = uow.interviews.interview_with_events(interview_id)
    assert interview is not None
    scheduler = uow.people.person_by_id(interview.scheduled_by_id or 0)
    return summarize_interview(interview, scheduler.slack_id if scheduler else None)


def _unique(messages: list[NewMessage]) -> list[NewMessage]:
    """One message per key (two moves of one interview both post a missing confirmation)."""
    by_key: dict[str, NewMessage] = {}
    for message in messages:
        by_key.setdefault(message.key, message)
    return list(by_key.values())


def _advance(uow: UnitOfWork, token: str, now: datetime) -> None:
    state = uow.interviews.sync_state(ORGANIZER_CALENDAR)
    if state is None:
        state = CalendarSyncState(calendar_key=ORGANIZER_CALENDAR)
        uow.interviews.add(state)
    state.sync_token, state.synced_at = token, now
