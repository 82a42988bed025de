"""The default pipeline is data, loaded at start-up; loading it twice changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from bot.app.startup import PIPELINES_DIR, load_pipelines
from bot.container import Container
from models import Competency, Pool, Role, ScorecardItem, Stage, StageFormat, StageSession
from models.pipelines import read_pipeline_file, upsert_pipeline
from models.schemas import PipelineFile


def _snapshot(container: Container) -> list[tuple[object, ...]]:
    with container.unit_of_work() as uow:
        session = uow.session
        rows: list[tuple[object, ...]] = []
        for model in (Role, Pool, Competency, Stage, StageSession, ScorecardItem):
            for entity in session.scalars(select(model)):
                columns = entity.__table__.columns  # type: ignore[attr-defined]
                rows.append((model.__name__, *(getattr(entity, c.key) for c in columns)))
        return sorted(rows, key=repr)


def test_lead_backend_pipeline_has_the_four_stages_of_the_posting(container: Container) -> None:
    with container.unit_of_work() as uow:
        role = uow.session.scalars(select(Role)).one()
        assert role.title == "Lead Backend Developer"
        stages = [(s.key, s.format, [x.duration_minutes for x in s.sessions]) for s in role.stages]
    assert stages == [
        ("hr-screening", StageFormat.VIDEO, [30]),
        ("hiring-manager", StageFormat.VIDEO, [60]),
        ("technical-test", StageFormat.TAKE_HOME, [90]),
        ("onsite", StageFormat.ONSITE, [45, 45, 45]),
    ]


def test_onsite_is_a_loop_of_hr_head_of_engineering_and_cto(container: Container) -> None:
    with container.unit_of_work() as uow:
        onsite = uow.session.scalars(select(Stage).where(Stage.key == "onsite")).one()
        assert onsite.gap_minutes == 10
        assert onsite.location is not None and "Courbevoie" in onsite.location
        assert [s.pool_key for s in onsite.sessions] == ["recruiters", "head-of-engineering", "cto"]
        technical = uow.session.scalars(select(Stage).where(Stage.key == "technical-test")).one()
        assert technical.sessions[0].interviewer_count == 2
        assert technical.take_home_days == 5


def test_each_stage_scorecard_takes_a_few_competencies(container: Container) -> None:
    with container.unit_of_work() as uow:
        for stage in uow.session.scalars(select(Stage)):
            keys = [item.competency.key for item in stage.scorecard]
            assert 3 <= len(keys) <= 6, stage.key
            assert len(set(keys)) == len(keys)


def test_loading_twice_changes_nothing(container: Container) -> None:
    before = _snapshot(container)
    assert len(before) > 20
    load_pipelines(container)
    assert _snapshot(container) == before


def test_each_stage_stores_its_scheduling_policy(container: Container) -> None:
    with container.unit_of_work() as uow:
        stages = {s.key: s for s in uow.session.scalars(select(Stage))}
        policies = {
            key: (s.buffer_minutes, s.notice_hours, s.grid_minutes, s.daily_cap, s.window_days)
            for key, s in stages.items()
        }
    assert policies == {
        "hr-screening": (10, 24, 15, 4, 10),
        "hiring-manager": (10, 24, 15, 4, 10),
        "technical-test": (10, 24, 15, 4, 15),
        "onsite": (10, 48, 30, 4, 10),
    }


def test_a_changed_policy_in_the_file_updates_the_stage(container: Container) -> None:
    pipeline = read_pipeline_file(PIPELINES_DIR / "lead_backend_developer.toml")
    data = pipeline.model_dump()
    data["stages"][0]["policy"] = {"notice_hours": 72, "weekly_cap": 6}
    with container.unit_of_work() as uow:
        upsert_pipeline(uow.session, PipelineFile.model_validate(data))
        uow.commit()
    with container.unit_of_work() as uow:
        screening = uow.session.scalars(select(Stage).where(Stage.key == "hr-screening")).one()
        assert (screening.notice_hours, screening.weekly_cap, screening.daily_cap) == (72, 6, 4)
