"""Candidates and the pipeline they move through: roles, stages and their sessions."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from models.hiring import (
    Candidate,
    Role,
    Stage,
)
from models.pipelines import upsert_pipeline
from models.schemas import PipelineFile

# Not a backslash: MariaDB reads that as a string escape too.
LIKE_ESCAPE = "/"


def _escape_like(text: str) -> str:
    """`text` matched literally inside a LIKE pattern."""
    for special in (LIKE_ESCAPE, "%", "_"):
        text = text.replace(special, LIKE_ESCAPE + special)
    return text


class CandidateRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, entity: object) -> None:
        """Stage a new row; it gets its id at the next flush."""
        self._session.add(entity)

    def upsert_pipeline(self, pipeline: PipelineFile) -> Role:
        """Create or update a role's pipeline from its file; loading it twice changes nothing."""
        return upsert_pipeline(self._session, pipeline)

    def open_roles(self) -> list[Role]:
        return list(
            self._session.scalars(
                select(Role)
                .where(Role.is_open.is_(True))
                .options(selectinload(Role.stages).selectinload(Stage.sessions))
                .order_by(Role.title)
            )
        )

    def search_candidates(self, query: str, limit: int = 20) -> list[Candidate]:
        """Candidates whose name or email contains `query` as typed (`%` and `_` are letters)."""
        pattern = f"%{_escape_like(query.strip().lower())}%"
        return list(
            self._session.scalars(
                select(Candidate)
                .where(
                    or_(
                        Candidate.name.ilike(pattern, escape=LIKE_ESCAPE),
                        Candidate.email.ilike(pattern, escape=LIKE_ESCAPE),
                    )
                )
                .order_by(Candidate.name)
                .limit(limit)
            )
        )

    def candidate_by_id(self, candidate_id: int) -> Candidate | None:
        return self._session.get(Candidate, candidate_id)

    def stage_with_sessions(self, stage_id: int) -> Stage | None:
        return self._session.scalar(
            select(Stage)
            .where(Stage.id == stage_id)
            .options(selectinload(Stage.sessions), selectinload(Stage.role))
        )

    def candidate_by_email(self, role_id: int, email: str) -> Candidate | None:
        return self._session.scalar(
            select(Candidate).where(
                Candidate.role_id == role_id, func.lower(Candidate.email) == email.lower()
            )
        )

    def next_stage(self, stage: Stage) -> Stage | None:
        return self._session.scalar(
            select(Stage)
            .where(Stage.role_id == stage.role_id, Stage.position > stage.position)
            .order_by(Stage.position)
            .limit(1)
        )
