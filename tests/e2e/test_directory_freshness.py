"""Each web process keeps the team and the pipelines in memory (models/directory.py); an admin's
change made through one process is seen by the very next command in every other one.

Two containers on one database stand for two `web` processes: each has its own engine, session
factory and so its own copy of the directory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from bot.container import Container
from bot.settings import Settings
from models import TeamRole
from tests import builders
from tests.clock import FixedClock
from tests.conftest import SIGNING_SECRET, prepared_container, serve_bot
from tests.e2e.test_team import _save, _values
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import slash_command


@pytest.fixture
def other_process(settings: Settings, clock: FixedClock) -> Iterator[tuple[Container, str]]:
    with prepared_container(settings, clock) as other, serve_bot(other) as url:
        yield other, url


def _open_form(url: str, fake_slack: FakeSlackAPI, user: str, trigger: str) -> dict[str, Any] | str:
    """The modal opened for `user`, or the refusal they were answered with."""
    answer = slash_command("/schedule-interview", user_id=user, trigger_id=trigger).post(
        url, SIGNING_SECRET
    )
    assert answer.status == 200
    if answer.body:
        return str(json.loads(answer.body)["text"])
    opened = fake_slack.wait_for(
        "views.open", timeout=10, where=lambda c: c.params.get("trigger_id") == trigger
    )
    view: dict[str, Any] = opened[0].params["view"]
    return view


def test_a_role_given_in_one_process_lets_the_next_command_in_another_through(
    bot_url: str,
    container: Container,
    fake_slack: FakeSlackAPI,
    other_process: tuple[Container, str],
) -> None:
    _, other_url = other_process
    with container.unit_of_work() as uow:
        builders.person(uow.session, "U_NEW", "Nina", TeamRole.INTERVIEWER, email="n@example.com")
        uow.commit()
    # both processes have read the directory: Nina may not schedule
    for url, trigger in ((bot_url, "t1"), (other_url, "t2")):
        assert "Only recruiters" in str(_open_form(url, fake_slack, "U_NEW", trigger))
    _save(bot_url, _values("U_NEW", ["recruiter", "interviewer"], ["recruiters"], None))
    opened = _open_form(other_url, fake_slack, "U_NEW", "t3")
    assert isinstance(opened, dict) and opened["callback_id"] == "schedule_interview"


def test_a_role_taken_away_in_one_process_refuses_the_next_command_in_another(
    bot_url: str,
    container: Container,
    fake_slack: FakeSlackAPI,
    other_process: tuple[Container, str],
) -> None:
    _, other_url = other_process
    with container.unit_of_work() as uow:
        builders.person(uow.session, "U_HR", "Hanna", TeamRole.RECRUITER, pools=("recruiters",))
        uow.commit()
    assert isinstance(_open_form(other_url, fake_slack, "U_HR", "t1"), dict)
    _save(bot_url, _values("U_HR", ["interviewer"], [], None))
    assert "Only recruiters" in str(_open_form(other_url, fake_slack, "U_HR", "t2"))


def test_a_new_pool_member_is_prefilled_by_the_other_process_at_once(
    bot_url: str,
    container: Container,
    fake_slack: FakeSlackAPI,
    other_process: tuple[Container, str],
) -> None:
    _, other_url = other_process
    before = _open_form(other_url, fake_slack, "U_ADMIN", "t1")
    assert "U_ZED" not in json.dumps(before)
    with container.unit_of_work() as uow:
        builders.person(uow.session, "U_ZED", "Zelda", TeamRole.INTERVIEWER)
        uow.commit()
    # Zelda, in the recruiters' pool and the lightest (no interviews), is prefilled for the
    # HR screening the modal opens on
    _save(bot_url, _values("U_ZED", ["interviewer"], ["recruiters"], None))
    after = _open_form(other_url, fake_slack, "U_ADMIN", "t2")
    assert "U_ZED" in json.dumps(after)
