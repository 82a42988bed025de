"""The GDPR use cases: the daily retention job, erasure and export on request, the audit export,
re-encrypting feedback text with the newest key.

Erasing a candidate takes three steps, so that no calendar call happens inside a transaction:
their interviews are cancelled here (quietly: the calendar sync follows only scheduled
interviews), their calendar events are cancelled, then one transaction deletes their rows, scrubs
their audit entries and records `candidate.erased`. When the calendar fails, the rows stay: the
retention job finds the candidate idle again on its next run and tries again (cancelling an event
twice is harmless); an erasure on request says so and is asked again.

A caller given as a Slack id must be an admin; None is the operator at the command line.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TextIO

from bot.calendar_sync.service import process_holder
from bot.privacy.export import candidate_file
from bot.privacy.retention import months_before
from bot.scheduling.plans import calendar_event_id
from bot.shared.clock import Clock
from bot.team.members import is_admin
from calendars.provider import CalendarError, CalendarProvider
from models.base import field_encryption_on
from models.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

LEASE_NAME = "retention"
RETENTION_LEASE = timedelta(hours=1)
# Candidates erased per run at most; the rest wait for the next day.
BATCH = 200
ERASED = "candidate.erased"
EXPORTED = "candidate.exported"
AUDIT_EXPORTED = "audit.exported"
AUDIT_COLUMNS = ("at", "actor_slack_id", "actor_name", "action", "subject", "detail")


class NotAllowed(Exception):
    """Only admins erase and export."""


class NoEncryptionKey(Exception):
    """FIELD_ENCRYPTION_KEY is not set: there is nothing to re-encrypt with."""


@dataclass(frozen=True)
class CandidateFile:
    """What an admin confirms before erasing: one candidate file found by email."""

    candidate_id: int
    name: str
    role: str
    interviews: int


@dataclass(frozen=True)
class ErasureOutcome:
    erased: list[int]
    # Their calendar could not be reached: nothing was deleted yet.
    waiting_for_calendar: list[int]


class PrivacyService:
    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        clock: Clock,
        calendar: CalendarProvider,
        retention_months: int,
        holder: str | None = None,
    ) -> None:
        self._new_uow = new_uow
        self._clock = clock
        self._calendar = calendar
        self._retention_months = retention_months
        self._holder = holder or process_holder()

    # -- retention -------------------------------------------------------------------------

    def erase_idle_candidates(self) -> list[int]:
        """The daily job: erase the candidates idle for the retention period; returns their ids
        ([] when another worker holds the job)."""
        if not self._take_lease():
            return []
        try:
            cutoff = months_before(self._clock.now(), self._retention_months)
            with self._new_uow() as uow:
                idle = uow.privacy.idle_candidates(cutoff, BATCH)
            erased = [cid for cid in idle if self._erase(cid, None, "retention")]
        finally:
            self._release_lease()
        if erased:
            log.info("retention: %d candidate file(s) erased", len(erased))
        return erased

    # -- on request ------------------------------------------------------------------------

    def may_erase(self, actor_slack_id: str) -> bool:
        with self._new_uow() as uow:
            return is_admin(uow, actor_slack_id)

    def files_of(self, actor_slack_id: str | None, email: str) -> list[CandidateFile]:
        """The candidate files with this email, to confirm before erasing; raises NotAllowed."""
        with self._new_uow() as uow:
            self._check(uow, actor_slack_id)
            return [
                CandidateFile(c.id, c.name, c.role.title, len(uow.privacy.interviews_of(c.id)))
                for c in uow.privacy.candidates_by_email(email)
            ]

    def erase_on_request(self, actor_slack_id: str | None, email: str) -> ErasureOutcome:
        """Erase every candidate file with this email; raises NotAllowed."""
        with self._new_uow() as uow:
            actor_id = self._check(uow, actor_slack_id)
            ids = [c.id for c in uow.privacy.candidates_by_email(email)]
        erased = [cid for cid in ids if self._erase(cid, actor_id, "request")]
        return ErasureOutcome(erased, [cid for cid in ids if cid not in erased])

    def export_candidate(self, actor_slack_id: str | None, email: str) -> dict[str, Any] | None:
        """Everything held about the candidate files with this email (None: no such candidate);
        the export is audited. Raises NotAllowed."""
        now = self._clock.now()
        with self._new_uow() as uow:
            actor_id = self._check(uow, actor_slack_id)
            candidates = uow.privacy.candidates_by_email(email)
            if not candidates:
                return None
            files = [candidate_file(uow, candidate) for candidate in candidates]
            for candidate in candidates:
                uow.audit.record(now, actor_id, EXPORTED, ("candidate", candidate.id), {})
            uow.commit()
        return {"exported_at": now.isoformat(), "candidate_files": files}

    def write_audit_csv(self, actor_slack_id: str | None, out: TextIO) -> int:
        """The whole audit log as CSV into `out`; the export is audited. Returns the rows
        written. Raises NotAllowed."""
        now = self._clock.now()
        with self._new_uow() as uow:
            actor_id = self._check(uow, actor_slack_id)
            writer = csv.writer(out)
            writer.writerow(AUDIT_COLUMNS)
            count = 0
            for row in uow.audit.rows():
                writer.writerow(
                    [
                        row.at.isoformat(),
                        _cell(row.actor_slack_id),
                        _cell(row.actor_name),
                        _cell(row.action),
                        _cell(f"{row.subject_type}:{row.subject_id}"),
                        _cell(_detail(row.detail)),
                    ]
                )
                count += 1
            uow.audit.record(now, actor_id, AUDIT_EXPORTED, ("audit_log", None), {"rows": count})
            uow.commit()
        return count

    # -- encryption at rest ----------------------------------------------------------------

    def rotate_keys(self) -> int:
        """Re-encrypt every feedback text with the first FIELD_ENCRYPTION_KEY; returns the rows
        written. Raises NoEncryptionKey."""
        if not field_encryption_on():
            raise NoEncryptionKey
        with self._new_uow() as uow:
            written = uow.privacy.reencrypt_feedback_text()
            uow.commit()
        return written

    # -- erasing one candidate file --------------------------------------------------------

    def _erase(self, candidate_id: int, actor_id: int | None, reason: str) -> bool:
        """Erase the candidate file; False when the calendar failed (nothing deleted)."""
        now = self._clock.now()
        with self._new_uow() as uow:
            event_ids = self._calendar_events(uow, candidate_id)
            uow.privacy.withdraw_interviews(candidate_id, now)
            uow.commit()
        if not self._cancel_events(candidate_id, event_ids):
            return False
        with self._new_uow() as uow:
            uow.privacy.erase(candidate_id, event_ids)
            uow.audit.record(now, actor_id, ERASED, ("candidate", candidate_id), {"why": reason})
            uow.commit()
        return True

    @staticmethod
    def _calendar_events(uow: UnitOfWork, candidate_id: int) -> list[str]:
        """Their interviews' events, and those a booking may have written before it failed."""
        found = [
            event.calendar_event_id
            for interview in uow.privacy.interviews_of(candidate_id)
            for event in interview.events
        ]
        for request in uow.privacy.scheduling_requests_of(candidate_id):
            found += [calendar_event_id(request.uid, int(p)) for p in request.panel]
        return list(dict.fromkeys(found))

    def _cancel_events(self, candidate_id: int, event_ids: Sequence[str]) -> bool:
        try:
            for event_id in event_ids:
                # No cancellation emails: for an old file they would only alarm people, and the
                # candidate asked to be forgotten, not to be written to.
                self._calendar.cancel_event(event_id, notify=False)
        except CalendarError:  # the erasure is tried again next run; nothing is lost
            log.warning(
                "candidate %s: the calendar failed; the erasure will be tried again",
                candidate_id,
                exc_info=True,
            )
            return False
        return True

    # -- who may, and the job's lease ------------------------------------------------------

    @staticmethod
    def _check(uow: UnitOfWork, actor_slack_id: str | None) -> int | None:
        """The actor's person id (None at the command line); raises NotAllowed."""
        if actor_slack_id is None:
            return None
        if not is_admin(uow, actor_slack_id):
            raise NotAllowed(actor_slack_id)
        actor = uow.people.person_by_slack_id(actor_slack_id)
        return actor.id if actor else None

    def _take_lease(self) -> bool:
        now = self._clock.now()
        with self._new_uow() as uow:
            taken = uow.leases.take(LEASE_NAME, self._holder, now, now + RETENTION_LEASE)
            uow.commit()
        return taken

    def _release_lease(self) -> None:
        with self._new_uow() as uow:
            uow.leases.release(LEASE_NAME, self._holder)
            uow.commit()


def _detail(detail: dict[str, object]) -> str:
    return json.dumps(detail, sort_keys=True, ensure_ascii=False, default=str)


def _cell(text: str | None) -> str:
    """Spreadsheets run a cell starting with = + - @ as a formula: such text is quoted."""
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text or ""
