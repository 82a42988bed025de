"""Pydantic schemas for what crosses a boundary: pipeline files, modal input."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.hiring import StageFormat

KEY_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

# What people may type, as long as the columns that keep it: each modal's text input has it as
# its `max_length`, and the service refuses anything longer on the field (Slack's client
# enforces `max_length`, a crafted request does not).
CANDIDATE_NAME_MAX = 200
EMAIL_MAX = 254
COUNTRY_CODE_MAX = 2
WEEKLY_CAP_MAX = 40
DAILY_CAP_MAX = 10
# A Slack user id as our column keeps it (Slack's are a letter and a few capitals and digits).
SLACK_ID_PATTERN = r"^[A-Za-z0-9_]{1,32}$"


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


class PolicySpec(_Strict):
    """A scheduling policy: the company's `[defaults]`, or what a stage's `[stages.policy]`
    changes of them (a field left out keeps the default)."""

    buffer_minutes: int | None = Field(default=None, ge=0, le=120)
    notice_hours: int | None = Field(default=None, ge=0, le=24 * 30)
    grid_minutes: int | None = Field(default=None, ge=5, le=60)
    daily_cap: int | None = Field(default=None, ge=1, le=20)
    weekly_cap: int | None = Field(default=None, ge=1, le=60)
    window_days: int | None = Field(default=None, ge=1, le=60)

    @model_validator(mode="after")
    def _consistent(self) -> PolicySpec:
        if self.grid_minutes is not None and 60 % self.grid_minutes:
            raise ValueError("grid_minutes must divide an hour (5, 10, 15, 20, 30 or 60)")
        return self

    def over(self, defaults: PolicySpec) -> PolicySpec:
        """This policy, with `defaults` wherever it says nothing."""
        mine = self.model_dump(exclude_none=True)
        return PolicySpec.model_validate(defaults.model_dump() | mine)


# What a pipeline file without `[defaults]` gets.
COMPANY_DEFAULTS = PolicySpec(buffer_minutes=10, notice_hours=24, grid_minutes=15, window_days=10)


class StageSpec(_Strict):
    key: str = Field(pattern=KEY_PATTERN, max_length=64)
    name: str
    format: StageFormat
    location: str | None = None
    gap_minutes: int = Field(default=0, ge=0)
    take_home_days: int | None = Field(default=None, gt=0)
    scorecard: list[str] = Field(min_length=1)
    sessions: list[StageSessionSpec] = Field(min_length=1)
    policy: PolicySpec = PolicySpec()


class PipelineFile(_Strict):
    """A role's hiring pipeline as written in `bot/pipelines/*.toml`."""

    role: RoleSpec
    defaults: PolicySpec = COMPANY_DEFAULTS
    pools: list[PoolSpec]
    competencies: list[CompetencySpec]
    stages: list[StageSpec] = Field(min_length=1)

    def policy_of(self, stage: StageSpec) -> PolicySpec:
        """The stage's policy: its own choices over the file's defaults over the company's."""
        return stage.policy.over(self.defaults.over(COMPANY_DEFAULTS))

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
        for stage in self.stages:
            policy = self.policy_of(stage)
            if policy.daily_cap and policy.weekly_cap and policy.daily_cap > policy.weekly_cap:
                raise ValueError(f"stage {stage.key}: daily_cap is above weekly_cap")
        return self


class ScheduleInput(_Strict):
    """What the scheduling modal submitted, before the rules are checked (the lengths too:
    CANDIDATE_NAME_MAX, EMAIL_MAX, refused on their fields by the scheduling service)."""

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
    # Other free members of the stage's pools may stand in, per proposed time.
    pool_substitutes: bool = False


class ChosenSlot(_Strict):
    """A proposal the user picked: the request and each stage session's start."""

    request_uid: str = Field(pattern=r"^[0-9a-f]{32}$")
    starts: dict[int, datetime]
