"""A button clicked where we never put it (a forged or replayed payload): the click is answered
privately, where an answer can go, and nothing breaks (issue 11)."""

from __future__ import annotations

import json
from typing import Any

from bot.container import Container
from handlers.shared.replies import MISPLACED
from tests.conftest import SIGNING_SECRET
from tests.e2e.feedback_world import hiring_world
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import block_actions

IN_A_MODAL = {"id": "V_ELSEWHERE", "callback_id": "elsewhere"}


def _post_click(
    bot_url: str,
    action_id: str,
    value: str,
    *,
    response_url: str | None = None,
    view: dict[str, Any] | None = None,
) -> None:
    request = block_actions(
        action_id, value=value, user_id="U_HR", response_url=response_url, view=view
    )
    result = request.post(bot_url, SIGNING_SECRET)
    assert result.status == 200, result


def test_a_booking_button_in_a_message_is_answered_there(
    bot_url: str, fake_slack: FakeSlackAPI
) -> None:
    chosen = json.dumps({"request_uid": "0" * 32, "starts": {}})
    _post_click(bot_url, "book_slot", chosen, response_url=fake_slack.response_url())

    answer = fake_slack.wait_for("response_url")[0].params
    assert answer["text"] == MISPLACED
    assert answer["response_type"] == "ephemeral"
    assert fake_slack.calls("views.update") == []


def test_search_again_in_a_message_is_answered_there(
    bot_url: str, fake_slack: FakeSlackAPI
) -> None:
    _post_click(bot_url, "search_again", "0" * 32, response_url=fake_slack.response_url())

    assert fake_slack.wait_for("response_url")[0].params["text"] == MISPLACED
    assert fake_slack.calls("views.update") == []


def test_a_replacement_button_in_a_modal_is_answered_in_a_dm(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI
) -> None:
    world = hiring_world(container)
    choice = {"interview_id": world.interview_id, "leaving": 1, "joining": 2, "slack_id": "U_X"}
    _post_click(bot_url, "replace_interviewer_2", json.dumps(choice), view=IN_A_MODAL)

    dm = fake_slack.wait_for("chat.postMessage")[0].params
    assert (dm["channel"], dm["text"]) == ("U_HR", MISPLACED)
    assert fake_slack.calls("chat.update") == []


def test_a_decision_refused_in_a_modal_is_explained_in_a_dm(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI
) -> None:
    world = hiring_world(container)
    request = block_actions(
        "decision_reject", value=str(world.interview_id), user_id="U_OTHER", view=IN_A_MODAL
    )
    assert request.post(bot_url, SIGNING_SECRET).status == 200

    dm = fake_slack.wait_for("chat.postMessage")[0].params
    assert dm["channel"] == "U_OTHER"
    assert dm["text"].startswith("Only hiring managers"), dm["text"]
    assert fake_slack.calls("response_url") == []
