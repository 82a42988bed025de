"""Loading pipeline files into the database: insert what is new, update what changed."""

from __future__ import annotations

import tomllib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from models.hiring import Competency, Pool, Role, ScorecardItem, Stage, StageSession
from models.schemas import PipelineFile, PolicySpec, StageSpec


def read_pipeline_file(path: Path) -> PipelineFile:
    with path.open("rb") as handle:
        return PipelineFile.model_validate(tomllib.load(handle))


def upsert_pipeline(session: Session, pipeline: PipelineFile) -> Role:
    """Make the database hold exactly this pipeline; loading it twice changes nothing."""
    for pool_spec in pipeline.pools:
        pool = session.scalar(select(Pool).where(Pool.key == pool_spec.key))
        if pool is None:
            session.add(Pool(key=pool_spec.key, name=pool_spec.name))
        else:
            _assign(pool, name=pool_spec.name)
    role = session.scalar(select(Role).where(Role.key == pipeline.role.key))
    if role is None:
        role = Role(key=pipeline.role.key, title=pipeline.role.title)
        session.add(role)
    _assign(role, title=pipeline.role.title, location=pipeline.role.location)
    competencies = _upsert_competencies(role, pipeline)
    session.flush()
    stages_by_key = {stage.key: stage for stage in role.stages}
    for position, stage_spec in enumerate(pipeline.stages, start=1):
        stage = stages_by_key.get(stage_spec.key)
        if stage is None:
            stage = Stage(key=stage_spec.key, position=position)
            role.stages.append(stage)
        _update_stage(stage, position, stage_spec, competencies)
        _assign(stage, **_policy_columns(pipeline.policy_of(stage_spec)))
    session.flush()
    return role


def _upsert_competencies(role: Role, pipeline: PipelineFile) -> dict[str, Competency]:
    existing = {competency.key: competency for competency in role.competencies}
    for spec in pipeline.competencies:
        competency = existing.get(spec.key)
        if competency is None:
            competency = Competency(key=spec.key)
            role.competencies.append(competency)
            existing[spec.key] = competency
        _assign(competency, name=spec.name, description=spec.description)
    return existing


def _update_stage(
    stage: Stage, position: int, spec: StageSpec, competencies: dict[str, Competency]
) -> None:
    _assign(
        stage,
        position=position,
        name=spec.name,
        format=spec.format,
        location=spec.location,
        gap_minutes=spec.gap_minutes,
        take_home_days=spec.take_home_days,
    )
    for index, session_spec in enumerate(spec.sessions, start=1):
        if index <= len(stage.sessions):
            stage_session = stage.sessions[index - 1]
        else:
            stage_session = StageSession(position=index)
            stage.sessions.append(stage_session)
        _assign(
            stage_session,
            name=session_spec.name,
            duration_minutes=session_spec.minutes,
            pool_key=session_spec.pool,
            interviewer_count=session_spec.interviewers,
        )
    del stage.sessions[len(spec.sessions) :]
    wanted = [competencies[key] for key in spec.scorecard]
    current = [item.competency for item in stage.scorecard]
    if [c.key for c in current] != [c.key for c in wanted]:
        stage.scorecard.clear()
        # Delete the old rows before inserting: (stage, competency) is unique.
        session = object_session(stage)
        if session is not None:
            session.flush()
        stage.scorecard.extend(
            ScorecardItem(competency=competency, position=index)
            for index, competency in enumerate(wanted, start=1)
        )


def _policy_columns(policy: PolicySpec) -> dict[str, object]:
    return {
        "buffer_minutes": policy.buffer_minutes,
        "notice_hours": policy.notice_hours,
        "grid_minutes": policy.grid_minutes,
        "daily_cap": policy.daily_cap,
        "weekly_cap": policy.weekly_cap,
        "window_days": policy.window_days,
    }


def _assign(entity: object, **values: object) -> None:
    """Set only the attributes that differ, so an unchanged load issues no UPDATE."""
    for name, value in values.items():
        if getattr(entity, name) != value:
            setattr(entity, name, value)
