"""Independent opinions: colleagues' scorecards show only once your own for that stage is in."""

from __future__ import annotations

from datetime import timedelta

from bot.container import Container
from bot.feedback.visibility import feedback_on_candidate
from tests.clock import FixedClock
from tests.e2e.feedback_world import (
    REVIEW_END,
    block_text,
    click,
    hiring_world,
    scorecard_values,
    submit_scorecard,
)
from tests.fakes.slack_api import FakeSlackAPI

GRACE_SAYS = "Grace thinks the schema design was outstanding."
LINUS_SAYS = "Linus found the Kafka answers shallow."


def test_the_second_interviewer_sees_the_first_ones_feedback_only_after_submitting(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = hiring_world(container)
    clock.at = REVIEW_END + timedelta(minutes=5)
    container.feedback.send_due_requests()
    submit_scorecard(bot_url, "U_ENG1", world.interview_id, scorecard_values(summary=GRACE_SAYS))

    # Before submitting, Linus's "See colleagues' feedback" shows nothing of Grace's.
    click(bot_url, "see_feedback", str(world.interview_id), "U_ENG2", trigger_id="t-before")
    before = fake_slack.wait_for("views.open")[0]
    assert before.params["trigger_id"] == "t-before"
    assert GRACE_SAYS not in block_text(before.params["view"])
    assert "1 more scorecard(s) will show" in block_text(before.params["view"])
    with container.unit_of_work() as uow:
        hidden = feedback_on_candidate(uow, "U_ENG2", world.candidate_id)
    assert (hidden.visible, hidden.hidden_count) == ((), 1)

    # His own submission answers with the colleagues' scorecards.
    answer = submit_scorecard(
        bot_url, "U_ENG2", world.interview_id, scorecard_values(summary=LINUS_SAYS)
    )
    assert answer["response_action"] == "update"
    assert GRACE_SAYS in block_text(answer["view"])
    assert LINUS_SAYS in block_text(answer["view"])

    click(bot_url, "see_feedback", str(world.interview_id), "U_ENG2", trigger_id="t-after")
    after = fake_slack.wait_for("views.open", 2)[1]
    assert GRACE_SAYS in block_text(after.params["view"])
    # Both are in: the decision makers are asked (after the acknowledgement).
    fake_slack.wait_for("chat.postMessage", 2, where=lambda call: "decision_" in str(call.params))


def test_decision_makers_see_everything_and_bystanders_nothing(
    bot_url: str, container: Container, clock: FixedClock
) -> None:
    world = hiring_world(container)
    clock.at = REVIEW_END + timedelta(minutes=5)
    container.feedback.send_due_requests()
    submit_scorecard(bot_url, "U_ENG1", world.interview_id, scorecard_values(summary=GRACE_SAYS))
    with container.unit_of_work() as uow:
        seen = {
            who: feedback_on_candidate(uow, who, world.candidate_id)
            for who in ("U_HR", "U_HM", "U_HEAD", "U_ADMIN", "U_OTHER", "U_ENG1", "U_NOBODY")
        }
    for who in ("U_HR", "U_HM", "U_HEAD", "U_ADMIN", "U_ENG1"):
        assert [view.summary for view in seen[who].visible] == [GRACE_SAYS], who
    for who in ("U_OTHER", "U_NOBODY"):
        assert (seen[who].visible, seen[who].hidden_count) == ((), 1), who
