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
        pattern = f"%{query.strip().lower()}%"
        return list(
            self._session.scalars(
                select(Candidate)
                .options(selectinload(Candidate.current_stage))
                .where(or_(Candidate.name.ilike(pattern), Candidate.email.ilike(pattern)))
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
