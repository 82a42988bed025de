"""The SQL each Slack command costs, counted through /slack/events: a fixed number of statements,
whatever the size of the team or the pipeline, once the process has read the directory.

The team, roles, stages and pools come from the process's copy of the directory after a one-row
version check per unit of work (models/directory.py); what remains are the reads that change
with every booking (interviewers' loads, candidates).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

from bot.container import Container
from models import TeamRole
from tests import builders
from tests.clock import FixedClock
from tests.conftest import SIGNING_SECRET
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import block_suggestion, slash_command


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []
    lock = threading.Lock()

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        with lock:
            seen.append(statement.split(None, 1)[0] + " " + statement.split("FROM", 1)[-1][:40])

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _team(container: Container, extra_engineers: int) -> None:
    with container.unit_of_work() as uow:
        builders.person(uow.session, "U_HR", "Hanna", TeamRole.RECRUITER, pools=("recruiters",))
        for i in range(extra_engineers):
            builders.person(
                uow.session,
                f"U_E{i}",
                f"Eng {i}",
                TeamRole.INTERVIEWER,
                pools=("backend-engineers",),
            )
        uow.commit()


def _command_cost(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, text: str, trigger: str
) -> list[str]:
    with _statements(container.engine) as seen:
        answer = slash_command(
            "/schedule-interview", text, user_id="U_ADMIN", trigger_id=trigger
        ).post(bot_url, SIGNING_SECRET)
        assert answer.status == 200 and not answer.body
        fake_slack.wait_for(
            "views.open", timeout=10, where=lambda c: c.params.get("trigger_id") == trigger
        )
    return seen


def test_opening_the_scheduling_modal_costs_two_statements_whatever_the_team(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI
) -> None:
    _team(container, 2)
    _command_cost(bot_url, container, fake_slack, "", "warm")  # this process reads the directory
    small = _command_cost(bot_url, container, fake_slack, "", "t1")
    _team_more(container, 20)
    _command_cost(bot_url, container, fake_slack, "", "warm2")  # the directory changed: re-read
    large = _command_cost(bot_url, container, fake_slack, "", "t2")
    # the directory's version, once per request; the interviewers' loads
    assert len(small) == len(large) == 2, (small, large)


def _team_more(container: Container, count: int) -> None:
    with container.unit_of_work() as uow:
        for i in range(count):
            builders.person(
                uow.session,
                f"U_M{i}",
                f"More {i}",
                TeamRole.INTERVIEWER,
                pools=("backend-engineers",),
            )
        uow.commit()


def test_a_command_naming_a_candidate_adds_the_search_and_their_interviews(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    _team(container, 2)
    with container.unit_of_work() as uow:
        builders.candidate(
            uow.session, "Ada Lovelace", "ada@example.com", clock.now(), "hr-screening"
        )
        uow.commit()
    _command_cost(bot_url, container, fake_slack, "", "warm")
    named = _command_cost(bot_url, container, fake_slack, "lovelace", "t1")
    assert len(named) == 4, named  # + the candidate search, + their upcoming interviews


def test_the_candidate_search_costs_two_statements(
    bot_url: str, container: Container, clock: FixedClock
) -> None:
    _team(container, 2)
    with container.unit_of_work() as uow:
        builders.candidate(
            uow.session, "Ada Lovelace", "ada@example.com", clock.now(), "hr-screening"
        )
        uow.commit()
    search = block_suggestion("candidate_search", "ada", user_id="U_ADMIN")
    search.post(bot_url, SIGNING_SECRET)  # warm
    with _statements(container.engine) as seen:
        answer = search.post(bot_url, SIGNING_SECRET)
    assert "Ada Lovelace" in answer.body
    assert len(seen) == 2, seen  # the version check, the search


def test_a_directory_change_costs_one_reload_then_nothing(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    _team(container, 2)
    _command_cost(bot_url, container, fake_slack, "", "warm")
    _team_more(container, 1)
    reloaded = _command_cost(bot_url, container, fake_slack, "", "t1")
    again = _command_cost(bot_url, container, fake_slack, "", "t2")
    assert len(reloaded) > len(again) == 2
    clock.advance(days=1)  # time alone changes nothing
    assert len(_command_cost(bot_url, container, fake_slack, "", "t3")) == 2
