"""Pydantic schemas for what crosses a boundary: pipeline files, modal input."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.hiring import StageFormat

KEY_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoleSpec(_Strict):
    key: str = Field(pattern=KEY_PATTERN, max_length=64)
    title: str
    location: str = ""


class PoolSpec(_Strict):
    key: str = Field(pattern=KEY_PATTERN, max_length=64)
    name: str


class CompetencySpec(_Strict):
    key: str = Field(pattern=KEY_PATTERN, max_length=64)
    name: str
    description: str = ""


class StageSessionSpec(_Strict):
    """One session of a stage in a pipeline file: its length and the pool it draws from."""

    name: str
    minutes: int = Field(gt=0, le=8 * 60)
    pool: str
    interviewers: int = Field(default=1, ge=1, le=10)


class StageSpec(_Strict):
    key: str = Field(pattern=KEY_PATTERN, max_length=64)
    name: str
    format: StageFormat
    location: str | None = None
    gap_minutes: int = Field(default=0, ge=0)
    take_home_days: int | None = Field(default=None, gt=0)
    scorecard: list[str] = Field(min_length=1)
    sessions: list[StageSessionSpec] = Field(min_length=1)


class PipelineFile(_Strict):
    """A role's hiring pipeline as written in `bot/pipelines/*.toml`."""

    role: RoleSpec
    pools: list[PoolSpec]
    competencies: list[CompetencySpec]
    stages: list[StageSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_exist(self) -> PipelineFile:
        competencies = {c.key for c in self.competencies}
        pools = {p.key for p in self.pools}
        for stage in self.stages:
            unknown = set(stage.scorecard) - competencies
            if unknown:
                raise ValueError(f"stage {stage.key}: unknown competencies {sorted(unknown)}")
            for session in stage.sessions:
                if session.pool not in pools:
                    raise ValueError(f"stage {stage.key}: unknown pool {session.pool!r}")
        keys = [s.key for s in self.stages]
        if len(keys) != len(set(keys)):
            raise ValueError("stage keys must be unique")
        return self


class ScheduleInput(_Strict):
    """What the scheduling modal submitted, before the rules are checked."""

    candidate_id: int | None = None
    candidate_name: str = ""
    candidate_email: str = ""
    role_id: int | None = None
    stage_id: int | None = None
    interviewer_slack_ids: list[str] = Field(default_factory=list)
    # A loop's pickers, one per session: who runs it, by the session's position.
    session_interviewer_slack_ids: dict[int, list[str]] = Field(default_factory=dict)
    earliest: date | None = None
    latest: date | None = None


class ChosenSlot(_Strict):
    """A proposal the user picked: the request and each stage session's start."""

    request_uid: str = Field(pattern=r"^[0-9a-f]{32}$")
    starts: dict[int, datetime]
