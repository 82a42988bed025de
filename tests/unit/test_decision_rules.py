"""Recording a decision maker's choice and moving the candidate, without a database.

decide() runs on a fake unit of work; tests/e2e/test_decisions.py covers the same flow from Slack
on the real databases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot.decisions.asking import DECIDED
from bot.decisions.deciding import DecisionOutcome, DecisionRefusal, DecisionRefused, decide
from models.hiring import (
    Candidate,
    CandidateStatus,
    Decision,
    Interview,
    InterviewStatus,
    Person,
    Stage,
    TeamRole,
)
from tests.fakes.unit_of_work import FakeUnitOfWork

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ENTERED = NOW - timedelta(days=10)
DECIDING_ROLES = [
    TeamRole.HIRING_MANAGER,
    TeamRole.RECRUITER,
    TeamRole.HEAD_OF_ENGINEERING,
    TeamRole.ADMIN,
]


@dataclass
class Hiring:
    """Ada's interview on one stage of a three-stage pipeline, and who may decide on it."""

    uow: FakeUnitOfWork
    stages: list[Stage]
    ada: Candidate
    interview: Interview
    manager: Person


def _hiring(interview_stage: int = 1, candidate_stage: int | None = None) -> Hiring:
    """Stages are counted from 0: HR screening, Technical, Hiring manager."""
    uow = FakeUnitOfWork()
    data = uow.data
    stages = data.role("Backend engineer", ["HR screening", "Technical", "Hiring manager"]).stages
    manager = data.person("U_HM", "Hannah", TeamRole.HIRING_MANAGER)
    grace = data.person("U_GRACE", "Grace", TeamRole.INTERVIEWER)
    stage = stages[interview_stage]
    at = stages[interview_stage if candidate_stage is None else candidate_stage]
    ada = data.candidate("Ada", at, ENTERED)
    interview = data.interview(ada, stage, NOW - timedelta(days=1), [grace])
    return Hiring(uow, list(stages), ada, interview, manager)


def _decide(
    h: Hiring, choice: Decision, slack_id: str = "U_HM", interview_id: int | None = None
) -> DecisionOutcome:
    with h.uow.new_uow() as uow:
        return decide(uow, slack_id, interview_id or h.interview.id, choice, NOW)


def test_advance_moves_the_candidate_to_the_next_stage_and_commits_once() -> None:
    h = _hiring(interview_stage=1)

    outcome = _decide(h, Decision.ADVANCE)

    final = h.stages[2]
    assert outcome == DecisionOutcome(h.interview.id, h.ada.id, Decision.ADVANCE, True, final.id)
    assert (h.ada.current_stage_id, h.ada.stage_entered_at) == (final.id, NOW)
    assert h.ada.status == CandidateStatus.ACTIVE
    assert (h.interview.decision, h.interview.decided_by_id, h.interview.decided_at) == (
        Decision.ADVANCE,
        h.manager.id,
        NOW,
    )
    [entry] = h.uow.data.audit
    assert (entry.action, entry.actor_id, entry.subject_id) == (
        DECIDED,
        h.manager.id,
        h.interview.id,
    )
    assert entry.detail["from_stage_id"] == h.stages[1].id
    assert entry.detail["to_stage_id"] == final.id
    assert (h.uow.committed, h.uow.rolled_back) == (1, 0)


def test_advance_after_the_last_stage_is_a_hire() -> None:
    h = _hiring(interview_stage=2)

    outcome = _decide(h, Decision.ADVANCE)

    assert (outcome.choice, outcome.applied, outcome.next_stage_id) == (Decision.HIRE, True, None)
    assert h.ada.status == CandidateStatus.HIRED
    assert h.ada.current_stage_id == h.stages[2].id
    assert h.interview.decision == Decision.HIRE
    assert h.uow.committed == 1


@pytest.mark.parametrize(
    ("choice", "status"),
    [(Decision.REJECT, CandidateStatus.REJECTED), (Decision.HOLD, CandidateStatus.ON_HOLD)],
)
def test_reject_and_hold_set_the_status_and_leave_the_stage(
    choice: Decision, status: CandidateStatus
) -> None:
    h = _hiring(interview_stage=1)

    outcome = _decide(h, choice)

    assert (outcome.choice, outcome.applied, outcome.next_stage_id) == (choice, True, None)
    assert h.ada.status == status
    assert (h.ada.current_stage_id, h.ada.stage_entered_at) == (h.stages[1].id, ENTERED)
    assert h.interview.decision == choice
    assert h.uow.committed == 1


@pytest.mark.parametrize("role", DECIDING_ROLES)
def test_every_deciding_role_may_decide(role: TeamRole) -> None:
    h = _hiring()
    someone = h.uow.data.person("U_DECIDER", "Dee", role)

    outcome = _decide(h, Decision.REJECT, "U_DECIDER")

    assert outcome.applied
    assert h.interview.decided_by_id == someone.id


def test_a_second_decision_is_not_applied_and_answers_the_first() -> None:
    h = _hiring(interview_stage=1)
    h.uow.data.person("U_HEAD", "Heidi", TeamRole.HEAD_OF_ENGINEERING)
    _decide(h, Decision.REJECT)

    second = _decide(h, Decision.ADVANCE, "U_HEAD")

    assert (second.choice, second.applied, second.next_stage_id) == (
        Decision.REJECT,
        False,
        None,
    )
    assert h.ada.status == CandidateStatus.REJECTED
    assert h.ada.current_stage_id == h.stages[1].id
    assert (h.interview.decision, h.interview.decided_by_id) == (Decision.REJECT, h.manager.id)
    assert len(h.uow.data.audit) == 1
    assert h.uow.committed == 1  # the second wrote nothing


def test_a_hold_can_still_be_turned_into_a_decision() -> None:
    h = _hiring(interview_stage=1)
    _decide(h, Decision.HOLD)

    outcome = _decide(h, Decision.ADVANCE)

    assert (outcome.choice, outcome.applied) == (Decision.ADVANCE, True)
    assert h.ada.status == CandidateStatus.ACTIVE
    assert h.ada.current_stage_id == h.stages[2].id
    assert h.interview.decision == Decision.ADVANCE
    assert [e.detail["decision"] for e in h.uow.data.audit] == ["hold", "advance"]
    assert h.uow.committed == 2


@pytest.mark.parametrize("candidate_stage", [1, 2])
def test_a_card_of_a_stage_the_candidate_has_left_is_stale_and_changes_nothing(
    candidate_stage: int,
) -> None:
    h = _hiring(interview_stage=0, candidate_stage=candidate_stage)

    with pytest.raises(DecisionRefused) as refused:
        _decide(h, Decision.ADVANCE)

    assert refused.value.reason == DecisionRefusal.STALE
    assert "no longer at the HR screening stage" in refused.value.why
    assert h.ada.current_stage_id == h.stages[candidate_stage].id
    assert h.ada.stage_entered_at == ENTERED
    assert h.interview.decision is None
    assert h.uow.committed == 0


@pytest.mark.parametrize(
    "status", [CandidateStatus.REJECTED, CandidateStatus.HIRED, CandidateStatus.WITHDRAWN]
)
def test_a_card_of_a_candidate_no_longer_in_the_process_is_stale(status: CandidateStatus) -> None:
    h = _hiring(interview_stage=1)
    _decide(h, Decision.HOLD)
    h.ada.status = status  # decided elsewhere meanwhile

    with pytest.raises(DecisionRefused) as refused:
        _decide(h, Decision.ADVANCE)

    assert refused.value.reason == DecisionRefusal.STALE
    assert (h.ada.status, h.ada.current_stage_id) == (status, h.stages[1].id)
    assert h.interview.decision == Decision.HOLD


def test_a_cancelled_or_future_interview_cannot_be_decided() -> None:
    h = _hiring(interview_stage=1)
    h.interview.status = InterviewStatus.CANCELLED
    with pytest.raises(DecisionRefused) as cancelled:
        _decide(h, Decision.REJECT)
    h.interview.status = InterviewStatus.SCHEDULED
    h.interview.ends_at = NOW + timedelta(days=10)
    with pytest.raises(DecisionRefused) as future:
        _decide(h, Decision.REJECT)

    assert (cancelled.value.why, future.value.why) == (
        "this interview was cancelled",
        "this interview has not taken place yet",
    )
    assert (h.ada.status, h.interview.decision) == (CandidateStatus.ACTIVE, None)


@pytest.mark.parametrize("slack_id", ["U_GRACE", "U_STRANGER", "U_GONE"])
def test_someone_without_a_deciding_role_is_refused(slack_id: str) -> None:
    h = _hiring()
    h.uow.data.person("U_GONE", "Gone", TeamRole.HIRING_MANAGER, active=False)

    with pytest.raises(DecisionRefused) as refused:
        _decide(h, Decision.ADVANCE, slack_id)

    assert refused.value.reason == DecisionRefusal.NOT_ALLOWED
    assert h.interview.decision is None
    assert h.ada.current_stage_id == h.stages[1].id
    assert h.uow.committed == 0


def test_a_decision_on_an_unknown_interview_is_refused() -> None:
    h = _hiring()

    with pytest.raises(DecisionRefused) as refused:
        _decide(h, Decision.ADVANCE, interview_id=h.interview.id + 1000)

    assert refused.value.reason == DecisionRefusal.NOT_FOUND
    assert h.uow.committed == 0
    assert h.uow.data.audit == []


def test_of_two_decision_claims_the_first_wins() -> None:
    h = _hiring()
    with h.uow.new_uow() as uow:
        first = uow.decisions.claim_decision(h.interview.id, Decision.REJECT, h.manager.id, NOW)
        second = uow.decisions.claim_decision(h.interview.id, Decision.HIRE, h.manager.id, NOW)
    assert (first, second) == (True, False)
    assert h.interview.decision == Decision.REJECT
