"""/hiring-digest through signed requests to /slack/events."""

from __future__ import annotations

import json
import time

import pytest

from bot.container import Container
from models import DigestDelivery, TeamRole
from tests import builders, digest_scenario
from tests.conftest import SIGNING_SECRET
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import slash_command


@pytest.fixture
def hiring_week(container: Container) -> None:
    with container.unit_of_work() as uow:
        digest_scenario.hiring_week(uow.session, digest_scenario.team(uow.session))
        uow.commit()


def _ask(bot_url: str, user_id: str) -> dict[str, object]:
    result = slash_command("/hiring-digest", user_id=user_id).post(bot_url, SIGNING_SECRET)
    assert result.status == 200
    assert result.elapsed_seconds < 3
    answer = json.loads(result.body)
    assert isinstance(answer, dict)
    return answer


@pytest.mark.usefixtures("hiring_week")
def test_the_head_of_engineering_sees_the_digest_now_ephemerally(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    answer = _ask(bot_url, "U_HEAD")
    assert answer["response_type"] == "ephemeral"
    assert str(answer["text"]).startswith("Hiring digest · Tuesday 24 November: 1 interview today")
    blocks = json.dumps(answer["blocks"])
    for title in (":calendar:", ":inbox_tray:", ":hourglass:", ":scales:", ":bar_chart:"):
        assert title in blocks
    assert "The chart is in the thread" not in blocks
    time.sleep(0.2)
    assert fake_slack.calls("chat.postMessage") == []
    with container.unit_of_work() as uow:
        assert uow.session.query(DigestDelivery).count() == 0


@pytest.mark.usefixtures("hiring_week")
def test_recruiters_and_admins_see_it_too(bot_url: str) -> None:
    assert _ask(bot_url, "U_HR")["response_type"] == "ephemeral"
    assert "blocks" in _ask(bot_url, "U_HR")
    assert "blocks" in _ask(bot_url, "U_ADMIN")


@pytest.mark.usefixtures("hiring_week")
def test_an_interviewer_is_refused_politely(bot_url: str, fake_slack: FakeSlackAPI) -> None:
    answer = _ask(bot_url, "U_ENG")
    assert answer == {
        "response_type": "ephemeral",
        "text": "Sorry, the hiring digest is for the Head of Engineering, recruiters and admins. "
        "Ask a recruiter if you need something from it.",
    }
    time.sleep(0.2)
    assert [c.method for c in fake_slack.calls() if c.method != "auth.test"] == []


def test_someone_unknown_or_inactive_is_refused(bot_url: str, container: Container) -> None:
    with container.unit_of_work() as uow:
        gone = builders.person(uow.session, "U_GONE", "Gone", TeamRole.HEAD_OF_ENGINEERING)
        gone.is_active = False
        uow.commit()
    assert "blocks" not in _ask(bot_url, "U_STRANGER")
    assert "blocks" not in _ask(bot_url, "U_GONE")


def test_on_an_empty_pipeline_the_digest_says_so(bot_url: str) -> None:
    answer = _ask(bot_url, "U_ADMIN")
    assert "nothing today" in str(answer["text"])
