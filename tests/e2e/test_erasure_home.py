"""Erasure on request from the App Home tab: an admin's button, the email, a confirmation."""

from __future__ import annotations

import json
import time
from typing import Any

from bot.container import Container
from handlers.privacy.routes import privacy_home_blocks
from models import Candidate
from tests.clock import FixedClock
from tests.conftest import SIGNING_SECRET
from tests.e2e.feedback_world import hiring_world
from tests.e2e.privacy_world import ADA_EMAIL, rows_mentioning
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import block_actions, email_input, view_submission


def _open(bot_url: str, user_id: str) -> None:
    request = block_actions("privacy_erase", value="open", user_id=user_id, trigger_id="trig-9")
    assert request.post(bot_url, SIGNING_SECRET).status == 200


def _find(bot_url: str, user_id: str, email: str) -> dict[str, Any]:
    values = {"email": {"email": email_input(email)}}
    request = view_submission("privacy_erase_find", values, user_id=user_id, view_id="V_ERASE")
    result = request.post(bot_url, SIGNING_SECRET)
    assert result.status == 200
    answer: dict[str, Any] = json.loads(result.body)
    return answer


def _confirm(bot_url: str, user_id: str, email: str) -> dict[str, Any]:
    request = view_submission(
        "privacy_erase_confirm",
        {},
        user_id=user_id,
        view_id="V_ERASE",
        private_metadata=json.dumps({"email": email}),
    )
    result = request.post(bot_url, SIGNING_SECRET)
    assert result.status == 200
    answer: dict[str, Any] = json.loads(result.body)
    return answer


def _candidate_exists(container: Container, candidate_id: int) -> bool:
    with container.unit_of_work() as uow:
        return uow.session.get(Candidate, candidate_id) is not None


def test_an_admin_erases_a_candidate_after_confirming(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = hiring_world(container)
    _open(bot_url, "U_ADMIN")
    [opened] = fake_slack.wait_for("views.open")
    assert opened.params["view"]["callback_id"] == "privacy_erase_find"

    confirmation = _find(bot_url, "U_ADMIN", "ADA@example.com ")
    assert confirmation["response_action"] == "update"
    assert "Ada Lovelace" in json.dumps(confirmation["view"]["blocks"])
    assert _candidate_exists(container, world.candidate_id)

    working = _confirm(
        bot_url, "U_ADMIN", json.loads(confirmation["view"]["private_metadata"])["email"]
    )
    assert working["response_action"] == "update"
    [done] = fake_slack.wait_for("views.update")
    assert done.params["view_id"] == "V_ERASE"
    assert "Erased 1 candidate file" in json.dumps(done.params["view"])
    assert not _candidate_exists(container, world.candidate_id)
    assert rows_mentioning(container, ADA_EMAIL, "Ada Lovelace") == []


def test_a_non_admin_can_neither_open_find_nor_erase(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI
) -> None:
    world = hiring_world(container)
    for user in ("U_HR", "U_ENG1", "U_STRANGER"):
        _open(bot_url, user)
        answer = _find(bot_url, user, ADA_EMAIL)
        assert answer == {
            "response_action": "errors",
            "errors": {"email": "Only admins erase candidates."},
        }
        refused = _confirm(bot_url, user, ADA_EMAIL)
        assert "Only admins erase candidates." in json.dumps(refused["view"])
    time.sleep(0.3)  # what a listener would do after acknowledging
    assert fake_slack.calls("views.open") == []
    assert fake_slack.calls("views.update") == []
    assert _candidate_exists(container, world.candidate_id)


def test_an_unknown_email_is_said_so_in_the_field(bot_url: str, container: Container) -> None:
    hiring_world(container)
    answer = _find(bot_url, "U_ADMIN", "nobody@example.com")
    assert answer["errors"] == {"email": "No candidate has this email."}


def test_only_admins_see_the_erase_button_in_app_home() -> None:
    assert privacy_home_blocks(False) == []
    buttons = [
        element
        for block in privacy_home_blocks(True)
        for element in block.get("elements", [])
        if element.get("type") == "button"
    ]
    assert [b["action_id"] for b in buttons] == ["privacy_erase"]
