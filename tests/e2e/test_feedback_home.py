"""The App Home tab and /interview-feedback: what is on my plate."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from bot.container import Container
from models import Candidate
from models.people import PeopleRepository
from tests import builders
from tests.clock import FixedClock
from tests.conftest import SIGNING_SECRET
from tests.e2e.feedback_world import (
    REVIEW_END,
    World,
    block_text,
    hiring_world,
    submit_scorecard,
)
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import app_home_opened, event_callback, slash_command


def _world_with_tomorrow(container: Container, clock: FixedClock) -> World:
    world = hiring_world(container)
    with container.unit_of_work() as uow:
        s = uow.session
        ada = s.get(Candidate, world.candidate_id)
        assert ada is not None
        alan = builders.candidate(s, "Alan Turing", "alan@example.com", clock.at, "hr-screening")
        grace = PeopleRepository(s).person_by_slack_id("U_ENG1")
        assert grace is not None
        builders.interview(s, alan, "hr-screening", REVIEW_END + timedelta(days=1), [grace])
        uow.commit()
    clock.at = REVIEW_END + timedelta(minutes=5)
    container.feedback.send_due_requests()
    return world


def _open_home(bot_url: str, user_id: str, event_id: str, tab: str = "home") -> None:
    request = event_callback(app_home_opened(user_id, tab=tab), event_id=event_id)
    assert request.post(bot_url, SIGNING_SECRET).status == 200


def test_app_home_shows_pending_feedback_with_a_button_and_upcoming_interviews(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = _world_with_tomorrow(container, clock)
    _open_home(bot_url, "U_ENG1", "Ev1")
    [call] = fake_slack.wait_for("views.publish")
    assert call.params["user_id"] == "U_ENG1"
    view = call.params["view"]
    assert view["type"] == "home"
    text = block_text(view)
    assert "Feedback you owe" in text and "Ada Lovelace" in text
    buttons = [b["accessory"] for b in view["blocks"] if "accessory" in b]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        ("open_scorecard", str(world.interview_id))
    ]
    assert "Your upcoming interviews" in text and "Alan Turing" in text
    assert "Candidates waiting for a decision" not in text


def test_app_home_lists_what_i_submitted_and_decisions_waiting_for_recruiters(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = _world_with_tomorrow(container, clock)
    submit_scorecard(bot_url, "U_ENG1", world.interview_id)
    submit_scorecard(bot_url, "U_ENG2", world.interview_id)
    fake_slack.wait_for("chat.postMessage", 2, where=lambda c: "Decision" in c.params["text"])

    _open_home(bot_url, "U_ENG1", "Ev2")
    home = fake_slack.wait_for("views.publish")[0].params["view"]
    text = block_text(home)
    assert "Nothing pending" in text
    assert "Feedback you gave lately" in text and "Ada Lovelace" in text
    # Linus's scorecard is in and open to Grace: hers can no longer change (independent opinions).
    [button] = [b["accessory"] for b in home["blocks"] if "accessory" in b]
    assert button["action_id"] == "see_feedback"

    _open_home(bot_url, "U_HR", "Ev3")
    recruiter = fake_slack.wait_for("views.publish", 2)[1].params["view"]
    assert "Candidates waiting for a decision" in block_text(recruiter)
    [waiting] = [b["accessory"] for b in recruiter["blocks"] if "accessory" in b]
    assert (waiting["action_id"], waiting["value"]) == ("see_feedback", str(world.interview_id))


def test_opening_the_messages_tab_publishes_nothing(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    _open_home(bot_url, "U_ENG1", "Ev4", tab="messages")
    time.sleep(0.3)
    assert fake_slack.calls("views.publish") == []


def test_interview_feedback_lists_pending_submitted_and_upcoming(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = _world_with_tomorrow(container, clock)
    submit_scorecard(bot_url, "U_ENG2", world.interview_id)
    fake_slack.wait_for("chat.update")
    result = slash_command("/interview-feedback", user_id="U_ENG1").post(bot_url, SIGNING_SECRET)
    answer = json.loads(result.body)
    assert answer["text"] == "You owe feedback for 1 interview:"
    assert "Alan Turing" in block_text(answer)

    result = slash_command("/interview-feedback", user_id="U_ENG2").post(bot_url, SIGNING_SECRET)
    answer = json.loads(result.body)
    assert "no pending interview feedback" in answer["text"]
    assert "Feedback you gave lately" in block_text(answer)
