"""Scheduling policies are data: the pipeline file's [defaults], each stage's [stages.policy],
validated at load; a stage's caps meet each person's own (the lower wins)."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.app.startup import PIPELINES_DIR
from bot.scheduling.form import stage_window
from bot.scheduling.policy import StagePolicy
from bot.shared.working_time import MONDAY_TO_FRIDAY
from models.hiring import Person, Stage, StageFormat
from models.schemas import PipelineFile, PolicySpec

SHIPPED = PIPELINES_DIR / "lead_backend_developer.toml"


def _shipped() -> dict[str, Any]:
    with SHIPPED.open("rb") as handle:
        return tomllib.load(handle)


def _stage(**policy: Any) -> Stage:
    columns = {
        "buffer_minutes": 10,
        "notice_hours": 24,
        "grid_minutes": 15,
        "window_days": 10,
        "daily_cap": None,
        "weekly_cap": None,
    }
    return Stage(format=StageFormat.VIDEO, take_home_days=None, **(columns | policy))


def test_the_shipped_pipeline_sets_company_defaults_and_an_onsite_policy() -> None:
    pipeline = PipelineFile.model_validate(_shipped())
    screening, *_, onsite = pipeline.stages

    assert pipeline.policy_of(screening) == PolicySpec(
        buffer_minutes=10, notice_hours=24, grid_minutes=15, daily_cap=4, window_days=10
    )
    onsite_policy = pipeline.policy_of(onsite)
    assert (onsite_policy.notice_hours, onsite_policy.grid_minutes) == (48, 30)
    assert onsite_policy.daily_cap == 4  # the company default it did not change


def test_a_file_without_defaults_gets_the_companys() -> None:
    data = _shipped()
    del data["defaults"]
    pipeline = PipelineFile.model_validate(data)

    policy = pipeline.policy_of(pipeline.stages[0])

    assert (policy.buffer_minutes, policy.notice_hours, policy.grid_minutes) == (10, 24, 15)
    assert (policy.daily_cap, policy.weekly_cap, policy.window_days) == (None, None, 10)


@pytest.mark.parametrize(
    ("where", "policy", "message"),
    [
        ("defaults", {"grid_minutes": 7}, "grid_minutes must divide an hour"),
        ("defaults", {"buffer_minutes": -5}, "greater than or equal to 0"),
        ("defaults", {"notice_hours": 10_000}, "less than or equal to 720"),
        ("defaults", {"buffer": 10}, "Extra inputs are not permitted"),
        ("stage", {"window_days": 0}, "greater than or equal to 1"),
        ("stage", {"daily_cap": 5, "weekly_cap": 3}, "daily_cap is above weekly_cap"),
    ],
)
def test_a_bad_policy_is_refused_at_load_with_what_is_wrong(
    where: str, policy: dict[str, Any], message: str
) -> None:
    data = _shipped()
    if where == "defaults":
        data["defaults"] = data["defaults"] | policy
    else:
        data["stages"][0]["policy"] = policy

    with pytest.raises(ValidationError, match=message):
        PipelineFile.model_validate(data)


def test_a_stage_policy_becomes_timedeltas() -> None:
    policy = StagePolicy.of(_stage(buffer_minutes=5, notice_hours=48, grid_minutes=30))

    assert (policy.buffer, policy.notice, policy.grid) == (
        timedelta(minutes=5),
        timedelta(hours=48),
        timedelta(minutes=30),
    )


def test_a_take_home_review_leaves_the_candidate_the_days_of_the_test() -> None:
    stage = _stage(notice_hours=24)
    stage.format, stage.take_home_days = StageFormat.TAKE_HOME, 5

    assert StagePolicy.of(stage).notice == timedelta(days=6)


@pytest.mark.parametrize(
    ("person_cap", "stage_cap", "applies"),
    [(None, None, None), (3, None, 3), (None, 2, 2), (1, 4, 1), (5, 2, 2)],
)
def test_the_lower_of_a_persons_cap_and_the_stages_applies(
    person_cap: int | None, stage_cap: int | None, applies: int | None
) -> None:
    person = Person(daily_interview_cap=person_cap, weekly_interview_cap=person_cap)
    policy = StagePolicy.of(_stage(daily_cap=stage_cap, weekly_cap=stage_cap))

    assert policy.daily_cap_of(person) == applies
    assert policy.weekly_cap_of(person) == applies


def test_a_take_home_reviews_default_window_starts_when_its_notice_allows() -> None:
    paris = ZoneInfo("Europe/Paris")
    thursday = datetime(2026, 3, 5, 8, 0, tzinfo=UTC)
    review = _stage(window_days=3)
    review.format, review.take_home_days = StageFormat.TAKE_HOME, 5  # six days' notice

    earliest, latest = stage_window(review, thursday, paris, MONDAY_TO_FRIDAY)

    assert (earliest, latest) == (date(2026, 3, 11), date(2026, 3, 16))  # Wed, then 3 days more


def test_a_stage_with_a_days_notice_searches_from_the_next_working_day() -> None:
    paris = ZoneInfo("Europe/Paris")
    friday = datetime(2026, 3, 6, 8, 0, tzinfo=UTC)

    assert stage_window(_stage(), friday, paris, MONDAY_TO_FRIDAY)[0] == date(2026, 3, 9)
