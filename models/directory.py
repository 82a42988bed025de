"""The directory: who is on the team (people, their roles, the interviewer pools) and the open
roles' pipelines (stages and their sessions), as one immutable snapshot.

It changes a few times a year and nearly every Slack request reads it (the caller's roles first
of all), so each process keeps the latest snapshot in memory. Any write to these tables moves
the version row (`directory_versions`) in the same transaction; a unit of work reads that one
row, a primary-key lookup, and reloads the snapshot only when it moved. So an admin's change is
seen by the next request of every process, which a time-to-live could not promise.

Within one Slack request (`one_directory_per_request`, opened by the web app and carried into
the listener's thread) the version is checked once: the request sees the directory as it was
when it started, or as the request itself changed it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import time
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import BigInteger, Integer, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, selectinload

from models.base import Base
from models.hiring import (
    Person,
    PersonTeamRole,
    Pool,
    PoolMember,
    Role,
    Stage,
    StageFormat,
    StageSession,
    TeamRole,
)

# Writing any of these changes the directory.
DIRECTORY_TYPES = (Person, PersonTeamRole, Pool, PoolMember, Role, Stage, StageSession)
# session.info key: this transaction changed the directory (its snapshot is not shared).
_CHANGED = "directory_changed"
# The directories the current request has read, by cache (see one_directory_per_request).
_REQUEST_READS: ContextVar[dict[int, Directory] | None] = ContextVar(
    "directory_reads", default=None
)


@contextmanager
def one_directory_per_request() -> Iterator[None]:
    """Check the directory's version once in this block (and in the threads that copy its
    context), instead of once per unit of work."""
    token = _REQUEST_READS.set({})
    try:
        yield
    finally:
        _REQUEST_READS.reset(token)


class DirectoryVersion(Base):
    """One row whose `version` moves with every write to the directory's tables."""

    __tablename__ = "directory_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=1)


# Run on the session's connection, as plain SQL (no ORM object is involved).
_VERSION = select(DirectoryVersion.version).where(DirectoryVersion.id == 1)
_BUMP = (
    update(DirectoryVersion)
    .where(DirectoryVersion.id == 1)
    .values(version=DirectoryVersion.version + 1)
)


@dataclass(frozen=True)
class PersonEntry:
    id: int
    slack_id: str
    name: str
    email: str | None
    timezone: str
    is_active: bool
    roles: frozenset[TeamRole]
    work_start: time
    work_end: time
    weekly_interview_cap: int | None
    daily_interview_cap: int | None
    holiday_country: str | None

    def has_role(self, *roles: TeamRole) -> bool:
        return not self.roles.isdisjoint(roles)


@dataclass(frozen=True)
class SessionEntry:
    id: int
    position: int
    name: str
    duration_minutes: int
    pool_key: str
    interviewer_count: int


@dataclass(frozen=True)
class StageEntry:
    """A stage with the columns of its scheduling policy (the names of `models.Stage`)."""

    id: int
    role_id: int
    position: int
    key: str
    name: str
    format: StageFormat
    take_home_days: int | None
    buffer_minutes: int
    notice_hours: int
    grid_minutes: int
    daily_cap: int | None
    weekly_cap: int | None
    window_days: int
    sessions: tuple[SessionEntry, ...]


@dataclass(frozen=True)
class RoleEntry:
    id: int
    title: str
    stages: tuple[StageEntry, ...]


@dataclass(frozen=True)
class PoolEntry:
    key: str
    name: str
    member_ids: tuple[int, ...]


@dataclass(frozen=True)
class Directory:
    version: int
    people: tuple[PersonEntry, ...]
    open_roles: tuple[RoleEntry, ...]  # by title
    pools: tuple[PoolEntry, ...]  # by key
    _by_slack_id: dict[str, PersonEntry] = field(init=False, repr=False, compare=False)
    _by_id: dict[int, PersonEntry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_slack_id", {p.slack_id: p for p in self.people})
        object.__setattr__(self, "_by_id", {p.id: p for p in self.people})

    def person(self, slack_id: str) -> PersonEntry | None:
        return self._by_slack_id.get(slack_id)

    def person_by_id(self, person_id: int) -> PersonEntry | None:
        return self._by_id.get(person_id)

    def pool_members(self, pool_keys: Iterable[str]) -> dict[str, list[PersonEntry]]:
        """Each pool's active members by name (an unknown pool has none)."""
        pools = {pool.key: pool for pool in self.pools}
        members: dict[str, list[PersonEntry]] = {}
        for key in pool_keys:
            pool = pools.get(key)
            people = [self._by_id[i] for i in pool.member_ids] if pool else []
            members[key] = sorted((p for p in people if p.is_active), key=lambda p: p.name)
        return members

    def pool_names(self) -> dict[str, str]:
        return {pool.key: pool.name for pool in self.pools}


def directory_of(
    version: int,
    people: Iterable[Person],
    roles: Iterable[Role],
    pools: Iterable[tuple[str, str, Sequence[int]]],
) -> Directory:
    """The snapshot of these rows (roles with their stages and sessions loaded; closed roles are
    left out); `pools` are (key, name, member ids)."""
    return Directory(
        version=version,
        people=tuple(_person_entry(person) for person in people),
        open_roles=tuple(
            _role_entry(role) for role in sorted(roles, key=lambda r: r.title) if role.is_open
        ),
        pools=tuple(PoolEntry(key, name, tuple(ids)) for key, name, ids in sorted(pools)),
    )


def load_directory(session: Session, version: int) -> Directory:
    people = session.scalars(select(Person).options(selectinload(Person.team_roles)))
    roles = session.scalars(
        select(Role)
        .where(Role.is_open.is_(True))
        .options(selectinload(Role.stages).selectinload(Stage.sessions))
    )
    pools: dict[str, tuple[str, list[int]]] = {}
    for key, name, person_id in session.execute(
        select(Pool.key, Pool.name, PoolMember.person_id).outerjoin(
            PoolMember, PoolMember.pool_id == Pool.id
        )
    ):
        pools.setdefault(key, (name, []))[1].extend([person_id] if person_id else [])
    return directory_of(
        version, list(people), list(roles), [(k, n, ids) for k, (n, ids) in pools.items()]
    )


class DirectoryCache:
    """The latest snapshot this process has read; safe to share between threads."""

    def __init__(self) -> None:
        self._latest: Directory | None = None
        self._lock = threading.Lock()

    def current(self, session: Session) -> Directory:
        """The directory as `session`'s transaction sees it: one statement when it has not
        changed since it was last read (a transaction's own uncommitted change is read afresh
        and kept out of the cache)."""
        if _has_pending_change(session):
            session.flush()  # a directory change not sent yet: it moves the version
        if session.info.get(_CHANGED):
            return load_directory(session, version=-1)
        reads = _REQUEST_READS.get()
        if reads is not None and id(self) in reads:
            return reads[id(self)]
        latest = self._latest_for(session)
        if reads is not None:
            reads[id(self)] = latest
        return latest

    def _latest_for(self, session: Session) -> Directory:
        version = session.connection().execute(_VERSION).scalar()
        if version is None:  # no version row (a database emptied by hand): nothing is cached
            return load_directory(session, version=-1)
        latest = self._latest
        if latest is not None and latest.version == version:
            return latest
        with self._lock:
            latest = self._latest
            if latest is None or latest.version != version:
                latest = load_directory(session, version)
                self._latest = latest
            return latest


_caches: WeakKeyDictionary[Callable[[], Session], DirectoryCache] = WeakKeyDictionary()
_caches_lock = threading.Lock()


def directory_cache_of(session_factory: Callable[[], Session]) -> DirectoryCache:
    """The cache of the database behind `session_factory` (one per factory and process)."""
    cache = _caches.get(session_factory)
    if cache is None:
        with _caches_lock:
            cache = _caches.setdefault(session_factory, DirectoryCache())
    return cache


@event.listens_for(Session, "before_flush")
def _move_version_on_change(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(_CHANGED):
        return  # moved once in this transaction already
    if any(_changes_directory(session, row) for row in _touched(session)):
        session.connection().execute(_BUMP)
        session.info[_CHANGED] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_change(session: Session, transaction: Any) -> None:
    if transaction.parent is None and session.info.pop(_CHANGED, None):
        reads = _REQUEST_READS.get()
        if reads:
            reads.clear()  # the rest of the request reads what it changed


def _has_pending_change(session: Session) -> bool:
    if not session.identity_map and not session.new:
        return False  # nothing loaded or added: the common case, kept cheap
    return any(_changes_directory(session, row) for row in _touched(session))


def _touched(session: Session) -> Iterable[object]:
    yield from session.new
    yield from session.deleted
    yield from session.dirty


def _changes_directory(session: Session, row: object) -> bool:
    if not isinstance(row, DIRECTORY_TYPES):
        return False
    return row in session.new or row in session.deleted or session.is_modified(row)


def _person_entry(person: Person) -> PersonEntry:
    return PersonEntry(
        id=person.id,
        slack_id=person.slack_id,
        name=person.name,
        email=person.email,
        timezone=person.timezone,
        is_active=person.is_active is not False,
        roles=frozenset(entry.role for entry in person.team_roles),
        work_start=person.work_start,
        work_end=person.work_end,
        weekly_interview_cap=person.weekly_interview_cap,
        daily_interview_cap=person.daily_interview_cap,
        holiday_country=person.holiday_country,
    )


def _role_entry(role: Role) -> RoleEntry:
    stages = sorted(role.stages, key=lambda s: s.position)
    return RoleEntry(role.id, role.title, tuple(_stage_entry(stage) for stage in stages))


def _stage_entry(stage: Stage) -> StageEntry:
    return StageEntry(
        id=stage.id,
        role_id=stage.role_id,
        position=stage.position,
        key=stage.key,
        name=stage.name,
        format=stage.format,
        take_home_days=stage.take_home_days,
        buffer_minutes=stage.buffer_minutes,
        notice_hours=stage.notice_hours,
        grid_minutes=stage.grid_minutes,
        daily_cap=stage.daily_cap,
        weekly_cap=stage.weekly_cap,
        window_days=stage.window_days,
        sessions=tuple(
            SessionEntry(
                s.id, s.position, s.name, s.duration_minutes, s.pool_key, s.interviewer_count
            )
            for s in sorted(stage.sessions, key=lambda s: s.position)
        ),
    )


def directory_changed_in(session: Session) -> bool:
    """Whether this session's transaction wrote to the directory's tables."""
    return bool(session.info.get(_CHANGED))


__all__ = [
    "DIRECTORY_TYPES",
    "Directory",
    "DirectoryCache",
    "DirectoryVersion",
    "PersonEntry",
    "PoolEntry",
    "RoleEntry",
    "SessionEntry",
    "StageEntry",
    "directory_cache_of",
    "directory_of",
    "load_directory",
    "one_directory_per_request",
]
