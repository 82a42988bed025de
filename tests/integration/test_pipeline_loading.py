"""The default pipeline is data, loaded at start-up; loading it twice changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from bot.app.startup import load_pipelines
from bot.container import Container
from models import Competency, Pool, Role, ScorecardItem, Stage, StageFormat, StageSession


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
