"""The directory's version moves with every write to the team and the pipelines, and only then;
the process's copy is re-read when it moved and never keeps a change that was rolled back."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot.app.startup import load_pipelines
from bot.container import Container
from models import DirectoryVersion, PoolMember, Stage, TeamRole
from models.unit_of_work import UnitOfWork
from tests import builders
from tests.clock import FixedClock


def _version(container: Container) -> int:
    with container.unit_of_work() as uow:
        return uow.session.scalars(select(DirectoryVersion.version)).one()


def _add_person(uow: UnitOfWork) -> None:
    builders.person(uow.session, "U_NEW", "Nina", TeamRole.INTERVIEWER)


def _grant_role(uow: UnitOfWork) -> None:
    person = uow.people.person_by_slack_id("U_ADMIN")
    assert person is not None
    person.set_roles({TeamRole.ADMIN})


def _join_pool(uow: UnitOfWork) -> None:
    person = uow.people.person_by_slack_id("U_ADMIN")
    assert person is not None
    uow.people.set_pools(person, {"recruiters", "cto"})


def _leave_pools(uow: UnitOfWork) -> None:
    for member in uow.session.scalars(select(PoolMember)):
        uow.session.delete(member)


def _rename_stage(uow: UnitOfWork) -> None:
    stage = uow.session.scalars(select(Stage).where(Stage.key == "hr-screening")).one()
    stage.name = "Phone screen"


def _change_cap(uow: UnitOfWork) -> None:
    person = uow.people.person_by_slack_id("U_ADMIN")
    assert person is not None
    person.daily_interview_cap = 2


DIRECTORY_WRITES: dict[str, Callable[[UnitOfWork], None]] = {
    "a new person": _add_person,
    "team roles": _grant_role,
    "pool memberships": _join_pool,
    "leaving pools": _leave_pools,
    "a stage": _rename_stage,
    "a person's cap": _change_cap,
}


@pytest.mark.parametrize("write", DIRECTORY_WRITES)
def test_every_write_to_the_directory_moves_its_version_once(
    container: Container, write: str
) -> None:
    with container.unit_of_work() as uow:
        builders.person(uow.session, "U_HR", "Hanna", TeamRole.RECRUITER, pools=("recruiters",))
        uow.commit()
    before = _version(container)
    with container.unit_of_work() as uow:
        DIRECTORY_WRITES[write](uow)
        uow.flush()
        DIRECTORY_WRITES[write](uow)  # a second flush in the same transaction
        uow.commit()
    assert _version(container) == before + 1


def test_other_writes_and_unchanged_rows_leave_the_version_alone(
    container: Container, clock: FixedClock
) -> None:
    before = _version(container)
    with container.unit_of_work() as uow:
        builders.candidate(uow.session, "Ada", "ada@example.com", clock.now(), "hr-screening")
        person = uow.people.person_by_slack_id("U_ADMIN")
        assert person is not None
        person.name = person.name  # set to what it was: not a change
        uow.commit()
    load_pipelines(container)  # the same pipeline file again changes nothing
    assert _version(container) == before


def test_the_copy_is_reread_only_when_the_version_moved(container: Container) -> None:
    with container.unit_of_work() as uow:
        first = uow.directory
    with container.unit_of_work() as uow:
        assert uow.directory is first
        _add_person(uow)
        uow.commit()
    with container.unit_of_work() as uow:
        second = uow.directory
        assert second is not first and second.person("U_NEW") is not None


def test_a_transaction_sees_its_own_change_and_a_rollback_leaves_no_trace(
    container: Container,
) -> None:
    with container.unit_of_work() as uow:
        assert uow.directory.person("U_NEW") is None
        _add_person(uow)
        assert uow.directory.person("U_NEW") is not None  # its own, not yet committed
        uow.rollback()
    with container.unit_of_work() as uow:
        assert uow.directory.person("U_NEW") is None
    # another transaction's committed change with the version the rolled-back one had seen
    with container.unit_of_work() as uow:
        builders.person(uow.session, "U_OTHER", "Otto", TeamRole.INTERVIEWER)
        uow.commit()
    with container.unit_of_work() as uow:
        assert uow.directory.person("U_OTHER") is not None
        assert uow.directory.person("U_NEW") is None


def test_closed_roles_and_inactive_pool_members_are_left_out(container: Container) -> None:
    with container.unit_of_work() as uow:
        builders.person(uow.session, "U_HR", "Hanna", TeamRole.RECRUITER, pools=("recruiters",))
        person = uow.people.person_by_slack_id("U_HR")
        assert person is not None
        person.is_active = False
        uow.commit()
    with container.unit_of_work() as uow:
        directory = uow.directory
        assert directory.pool_members(["recruiters", "nobody"]) == {"recruiters": [], "nobody": []}
        assert [r.title for r in directory.open_roles] == ["Lead Backend Developer"]
        stages = [s.key for s in directory.open_roles[0].stages]
        assert stages[0] == "hr-screening" and len(stages) == 4
