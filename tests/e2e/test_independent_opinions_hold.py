"""Independent opinions that hold: whatever their role, a panel member reads colleagues'
scorecards for the stage only once their own is in, and can no longer change theirs after."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.container import Container
from models.hiring import AuditEntry, Feedback
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


def test_a_head_of_engineering_on_the_panel_reads_colleagues_only_after_giving_theirs(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = hiring_world(container, interviewers=("U_ENG1", "U_HEAD"))
    clock.at = REVIEW_END + timedelta(minutes=5)
    submit_scorecard(bot_url, "U_ENG1", world.interview_id, scorecard_values(summary=GRACE_SAYS))

    click(bot_url, "see_feedback", str(world.interview_id), "U_HEAD", trigger_id="t-before")
    before = block_text(fake_slack.wait_for("views.open")[0].params["view"])
    answer = submit_scorecard(bot_url, "U_HEAD", world.interview_id)
    click(bot_url, "see_feedback", str(world.interview_id), "U_HEAD", trigger_id="t-after")
    after = block_text(fake_slack.wait_for("views.open", 2)[1].params["view"])

    assert GRACE_SAYS not in before
    assert "1 more scorecard(s) will show" in before
    assert GRACE_SAYS in block_text(answer["view"])
    assert GRACE_SAYS in after
    # The hiring manager, not on this panel, reads everything.
    click(bot_url, "see_feedback", str(world.interview_id), "U_HM", trigger_id="t-hm")
    assert GRACE_SAYS in block_text(fake_slack.wait_for("views.open", 3)[2].params["view"])


def test_a_token_scorecard_does_not_buy_a_look_then_a_rewrite(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = hiring_world(container)
    clock.at = REVIEW_END + timedelta(minutes=5)
    submit_scorecard(bot_url, "U_ENG1", world.interview_id, scorecard_values(summary=GRACE_SAYS))

    token = submit_scorecard(bot_url, "U_ENG2", world.interview_id, scorecard_values(summary="x"))
    assert GRACE_SAYS in block_text(token["view"])  # his own is in: he may read hers
    clock.at += timedelta(minutes=2)
    rewrite = submit_scorecard(
        bot_url,
        "U_ENG2",
        world.interview_id,
        scorecard_values(summary="Agree: the schema design was outstanding."),
        base_version=1,
    )
    click(bot_url, "open_scorecard", str(world.interview_id), "U_ENG2")

    assert rewrite["response_action"] == "errors"
    assert "can no longer be amended" in rewrite["errors"]["summary"]
    reopened = fake_slack.wait_for("views.open")[0].params["view"]
    assert "can no longer be amended" in block_text(reopened)
    with container.unit_of_work() as uow:
        linus = uow.session.scalars(
            select(Feedback).where(Feedback.interviewer_id == world.people["U_ENG2"])
        ).all()
    assert [(f.version, f.summary) for f in linus] == [(1, "x")]


def test_the_first_to_give_feedback_may_amend_until_a_colleagues_is_in(
    bot_url: str, container: Container, clock: FixedClock
) -> None:
    world = hiring_world(container)
    clock.at = REVIEW_END + timedelta(minutes=5)
    submit_scorecard(bot_url, "U_ENG1", world.interview_id)
    amended = submit_scorecard(
        bot_url, "U_ENG1", world.interview_id, scorecard_values(recommendation="no"), base_version=1
    )
    submit_scorecard(bot_url, "U_ENG2", world.interview_id)
    late = submit_scorecard(bot_url, "U_ENG1", world.interview_id, base_version=2)

    assert amended["response_action"] == "update"
    assert late["response_action"] == "errors"


def test_each_read_of_colleagues_feedback_is_audited_without_its_text(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = hiring_world(container)
    clock.at = REVIEW_END + timedelta(minutes=5)
    submit_scorecard(bot_url, "U_ENG1", world.interview_id, scorecard_values(summary=GRACE_SAYS))
    submit_scorecard(bot_url, "U_ENG2", world.interview_id)  # reads Grace's in its answer
    click(bot_url, "see_feedback", str(world.interview_id), "U_HM")
    click(bot_url, "see_feedback", str(world.interview_id), "U_OTHER")  # refused: nothing read
    fake_slack.wait_for("views.open", 2)

    with container.unit_of_work() as uow:
        reads = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "feedback.read").order_by(AuditEntry.id)
        ).all()
    people = world.people
    assert [(r.actor_id, r.subject_type, r.subject_id) for r in reads] == [
        (people["U_ENG2"], "interview", world.interview_id),
        (people["U_HM"], "interview", world.interview_id),
    ]
    assert [len(r.detail["feedback_ids"]) for r in reads] == [1, 2]
    assert all(GRACE_SAYS not in str(r.detail) for r in reads)
