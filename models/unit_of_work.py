"""The unit of work: one transaction, and the repositories that read and write through it."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session

from models.audit import AuditLog
from models.candidates import CandidateRepository
from models.database import SessionFactory, conflicts_reported
from models.decisions import DecisionRepository
from models.digest.deliveries import DigestDeliveries
from models.digest.queries import DigestQueries
from models.directory import Directory, directory_cache_of, directory_changed_in
from models.feedback import FeedbackRepository
from models.interviews import InterviewRepository
from models.leases import LeaseRepository
from models.outbox import OutboxRepository
from models.people import PeopleRepository
from models.privacy import PrivacyRepository


class UnitOfWork:
    """Use it in a `with` block; what was not committed is rolled back when the block ends."""

    people: PeopleRepository
    candidates: CandidateRepository
    interviews: InterviewRepository
    feedback: FeedbackRepository
    decisions: DecisionRepository
    digest: DigestQueries
    digest_deliveries: DigestDeliveries
    audit: AuditLog
    outbox: OutboxRepository
    leases: LeaseRepository
    privacy: PrivacyRepository

    def __init__(self, session_factory: SessionFactory) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None
        self._directory_cache = directory_cache_of(session_factory)
        self._directory: Directory | None = None

    @property
    def session(self) -> Session:
        """For tests and data loading only: services go through the repositories."""
        if self._session is None:
            raise RuntimeError("unit of work used outside its `with` block")
        return self._session

    @property
    def directory(self) -> Directory:
        """The team and the open pipelines, as this transaction sees them (read from the
        process's copy after a one-row version check, once per unit of work)."""
        if self._directory is None or directory_changed_in(self.session):
            self._directory = self._directory_cache.current(self.session)
        return self._directory

    def __enter__(self) -> UnitOfWork:
        session = self._session = self._session_factory()
        self._directory = None
        self.people = PeopleRepository(session)
        self.candidates = CandidateRepository(session)
        self.interviews = InterviewRepository(session)
        self.feedback = FeedbackRepository(session)
        self.decisions = DecisionRepository(session)
        self.digest = DigestQueries(session)
        self.digest_deliveries = DigestDeliveries(session)
        self.audit = AuditLog(session)
        self.outbox = OutboxRepository(session)
        self.leases = LeaseRepository(session)
        self.privacy = PrivacyRepository(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back what was not committed and, unlike rollback(), leaves the loaded
        # objects readable after the block.
        self.session.close()
        self._session = None

    def commit(self) -> None:
        """Keep what this transaction did; raises WriteConflict when a concurrent write won."""
        with conflicts_reported(self.session):
            self.session.commit()

    def rollback(self) -> None:
        """Forget what this transaction did (a claim lost to another worker)."""
        self.session.rollback()

    def flush(self) -> None:
        """Send pending writes so new rows get their ids, without committing."""
        self.session.flush()
