"""The calendar sync job: follow the organizer's calendar, then tell whoever scheduled."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

from bot.calendar_sync.ports import CalendarChangeNotifier
from bot.calendar_sync.sync import (
    ORGANIZER_CALENDAR,
    CalendarChange,
    Notice,
    Replacement,
    follow_event,
    pool_alternatives,
)
from bot.scheduling.service import BUFFER, SchedulingService
from bot.shared.clock import Clock
from bot.shared.delivery import DeliveryFailed
from calendars.provider import CalendarProvider, ChangeSet, SyncTokenExpired
from models.hiring import CalendarSyncState, InterviewStatus
from models.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
MAX_REPLACEMENTS = 3


class CalendarSyncService:
    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        clock: Clock,
        calendar: CalendarProvider,
        scheduling: SchedulingService,
        notifier: CalendarChangeNotifier,
    ) -> None:
        self._new_uow = new_uow
        self._clock = clock
        self._calendar = calendar
        self._scheduling = scheduling
        self._notifier = notifier

    def follow_calendar(self) -> list[Notice]:
        """The job: apply the calendar's changes to our interviews, tell each interview's
        scheduler, and return the notices."""
        notices = self._changes()
        for notice in notices:
            self._tell(notice)
        return notices

    def _changes(self) -> list[Notice]:
        token = self._token()
        try:
            changes = self._calendar.list_changes(token)
        except SyncTokenExpired:
            changes = self._calendar.list_changes(None)
        found = self._apply(changes)
        return [
            Notice(self._with_replacements(change), self._scheduling.summary(change.interview_id))
            for change in found
        ]

    def _token(self) -> str | None:
        with self._new_uow() as uow:
            state = uow.interviews.sync_state(ORGANIZER_CALENDAR)
            return state.sync_token if state else None

    def _apply(self, changes: ChangeSet) -> list[CalendarChange]:
        now = self._clock.now()
        found: list[CalendarChange] = []
        with self._new_uow() as uow:
            for event in changes.events:
                row = uow.interviews.interview_event_by_calendar_id(event.event_id)
                if row is not None and row.interview.status == InterviewStatus.SCHEDULED:
                    found.extend(follow_event(uow, row, event, now))
            state = uow.interviews.sync_state(ORGANIZER_CALENDAR)
            if state is None:
                state = CalendarSyncState(calendar_key=ORGANIZER_CALENDAR)
                uow.interviews.add(state)
            state.sync_token, state.synced_at = changes.next_sync_token, now
            uow.commit()
        return found

    def _with_replacements(self, change: CalendarChange) -> CalendarChange:
        """For a declined interviewer: who else from the session's pool is free then."""
        if change.kind != "declined" or change.who_person_id is None:
            return change
        with self._new_uow() as uow:
            options = pool_alternatives(uow, change.interview_id, change.who_person_id)
        if not options:
            return change
        people = options.people
        busy = self._calendar.free_busy(
            [p.email or "" for p in people], options.start - BUFFER, options.end + BUFFER
        )
        free = tuple(
            Replacement(p.id, p.slack_id, p.name) for p in people if not busy.get(p.email or "")
        )
        return dataclasses.replace(change, replacements=free[:MAX_REPLACEMENTS])

    def _tell(self, notice: Notice) -> None:
        scheduler = notice.summary.scheduled_by_slack_id
        if scheduler is None:
            log.warning(
                "no one to tell about %s of interview %s",
                notice.change.kind,
                notice.summary.interview_id,
            )
            return
        try:
            self._notifier.tell_scheduler(scheduler, notice)
            if notice.change.kind in ("moved", "deleted"):
                posted = self._notifier.refresh_confirmation(notice.summary, scheduler)
                if posted is not None:
                    self._scheduling.remember_confirmation(
                        notice.summary.interview_id, posted.channel, posted.ts
                    )
            if notice.change.kind == "deleted":
                self._notifier.tell_interviewers_cancelled(notice.summary)
        except DeliveryFailed as error:
            # The change is recorded; the scheduler still sees it on the confirmation later.
            log.warning("could not tell %s: %s", scheduler, error)
