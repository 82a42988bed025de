"""Text people typed is shown as text: a candidate's name or a scorecard cannot become a link or
a channel-wide ping in interviewers' DMs, the colleagues' modal or the decision card."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import update

from bot.container import Container
from models import Candidate
from tests.clock import FixedClock
from tests.e2e.feedback_world import (
    REVIEW_END,
    click,
    dms_to,
    hiring_world,
    scorecard_values,
    submit_scorecard,
)
from tests.fakes.slack_api import FakeSlackAPI

NAME = "<https://evil.example|Join the video call>"
SUMMARY = "<!channel> strong hire, see <https://evil.example|the notes>"


def _raw_markup_in(payload: object) -> bool:
    text = json.dumps(payload)
    return "<https://evil.example" in text or "<!channel>" in text


def test_a_candidates_name_and_a_scorecard_stay_text_wherever_they_are_shown(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = hiring_world(container)
    with container.unit_of_work() as uow:
        uow.session.execute(
            update(Candidate).where(Candidate.id == world.candidate_id).values(name=NAME)
        )
        uow.commit()
    clock.at = REVIEW_END + timedelta(minutes=5)

    container.feedback.send_due_requests()
    (request,) = dms_to(fake_slack, "U_ENG1")
    assert "&lt;https://evil.example|Join the video call&gt;" in json.dumps(request.params)
    assert not _raw_markup_in(request.params)

    submit_scorecard(bot_url, "U_ENG1", world.interview_id, scorecard_values(summary=SUMMARY))
    submit_scorecard(bot_url, "U_ENG2", world.interview_id, scorecard_values(summary=SUMMARY))
    click(bot_url, "see_feedback", str(world.interview_id), "U_ENG2", trigger_id="t-see")
    modal = fake_slack.wait_for("views.open", timeout=10)[0].params["view"]
    assert "&lt;!channel&gt; strong hire" in json.dumps(modal)
    assert not _raw_markup_in(modal)

    cards = fake_slack.wait_for(
        "chat.postMessage", 2, timeout=10, where=lambda call: "decision_" in str(call.params)
    )
    for card in cards:
        assert "&lt;!channel&gt; strong hire" in json.dumps(card.params)
        assert not _raw_markup_in(card.params)
