"""Independent opinions: whose feedback on a candidate a viewer may read, without a database.

feedback_on_candidate runs on a fake unit of work; tests/integration/test_feedback_visibility.py
checks the same rule on the real databases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.feedback.visibility import CandidateFeedback, Viewer, feedback_on_candidate, may_see
from models.hiring import Candidate, Interview, Person, Stage, TeamRole
from tests.fakes.unit_of_work import FakeUnitOfWork

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@dataclass
class Pipeline:
    """Ada, past her HR screening (Hanna) and technical interview (Grace and Linus)."""

    uow: FakeUnitOfWork
    ada: Candidate
    screening: Stage
    technical: Stage
    screening_interview: Interview
    technical_interview: Interview
    hanna: Person
    grace: Person
    linus: Person


def _pipeline() -> Pipeline:
    uow = FakeUnitOfWork()
    data = uow.data
    role = data.role("Backend engineer", ["HR screening", "Technical", "Hiring manager"])
    screening, technical, final = role.stages
    hanna = data.person("U_HANNA", "Hanna", TeamRole.INTERVIEWER)
    grace = data.person("U_GRACE", "Grace", TeamRole.INTERVIEWER)
    linus = data.person("U_LINUS", "Linus", TeamRole.INTERVIEWER)
    ada = data.candidate("Ada", final, NOW)
    return Pipeline(
        uow,
        ada,
        screening,
        technical,
        data.interview(ada, screening, NOW - timedelta(days=7), [hanna]),
        data.interview(ada, technical, NOW - timedelta(days=1), [grace, linus]),
        hanna,
        grace,
        linus,
    )


def _seen_by(p: Pipeline, slack_id: str, stage_id: int | None = None) -> CandidateFeedback:
    with p.uow.new_uow() as uow:
        return feedback_on_candidate(uow, slack_id, p.ada.id, stage_id)


def _summaries(seen: CandidateFeedback) -> list[str]:
    return [view.summary for view in seen.visible]


def _submit(p: Pipeline, interview: Interview, author: Person, hours_ago: int) -> None:
    summary = f"{author.name} on {interview.stage.name}"
    p.uow.data.feedback_on(interview, author, summary, NOW - timedelta(hours=hours_ago))


def test_an_interviewer_sees_only_their_own_until_they_submitted_on_that_stage() -> None:
    p = _pipeline()
    _submit(p, p.screening_interview, p.hanna, 160)
    _submit(p, p.technical_interview, p.grace, 20)

    before = _seen_by(p, "U_LINUS")
    _submit(p, p.technical_interview, p.linus, 10)
    after = _seen_by(p, "U_LINUS")

    assert (_summaries(before), before.hidden_count) == ([], 2)
    assert (_summaries(after), after.hidden_count) == (
        ["Grace on Technical", "Linus on Technical"],
        1,
    )


def test_an_interviewer_always_sees_their_own_feedback() -> None:
    p = _pipeline()
    _submit(p, p.technical_interview, p.grace, 20)

    seen = _seen_by(p, "U_GRACE")

    assert (_summaries(seen), seen.hidden_count) == (["Grace on Technical"], 0)
    assert [(v.author_slack_id, v.stage_id) for v in seen.visible] == [("U_GRACE", p.technical.id)]


def test_own_feedback_on_one_stage_does_not_unlock_another_stage() -> None:
    p = _pipeline()
    _submit(p, p.screening_interview, p.hanna, 160)
    _submit(p, p.technical_interview, p.grace, 20)
    _submit(p, p.technical_interview, p.linus, 10)

    seen = _seen_by(p, "U_HANNA")

    assert (_summaries(seen), seen.hidden_count) == (["Hanna on HR screening"], 2)


@pytest.mark.parametrize(
    "role",
    [
        TeamRole.HIRING_MANAGER,
        TeamRole.RECRUITER,
        TeamRole.HEAD_OF_ENGINEERING,
        TeamRole.ADMIN,
    ],
)
def test_decision_makers_see_every_scorecard_in_pipeline_order(role: TeamRole) -> None:
    p = _pipeline()
    p.uow.data.person("U_BOSS", "Boss", role)
    _submit(p, p.technical_interview, p.linus, 10)
    _submit(p, p.technical_interview, p.grace, 20)
    _submit(p, p.screening_interview, p.hanna, 160)

    seen = _seen_by(p, "U_BOSS")

    assert (_summaries(seen), seen.hidden_count) == (
        ["Hanna on HR screening", "Grace on Technical", "Linus on Technical"],
        0,
    )


def test_a_decision_maker_who_left_sees_nothing_of_others() -> None:
    p = _pipeline()
    p.uow.data.person("U_GONE", "Gone", TeamRole.HIRING_MANAGER, active=False)
    _submit(p, p.technical_interview, p.grace, 20)

    seen = _seen_by(p, "U_GONE")

    assert (_summaries(seen), seen.hidden_count) == ([], 1)


def test_an_interviewer_holding_no_deciding_role_does_not_see_everything() -> None:
    p = _pipeline()
    p.uow.data.person("U_ZOE", "Zoe", TeamRole.INTERVIEWER)
    _submit(p, p.technical_interview, p.grace, 20)

    assert _seen_by(p, "U_ZOE").hidden_count == 1


def test_an_unknown_viewer_sees_nothing_and_every_scorecard_counts_as_hidden() -> None:
    p = _pipeline()
    _submit(p, p.screening_interview, p.hanna, 160)
    _submit(p, p.technical_interview, p.grace, 20)

    seen = _seen_by(p, "U_STRANGER")

    assert seen == CandidateFeedback(visible=(), hidden_count=2)


def test_asking_for_one_stage_shows_and_counts_that_stage_only() -> None:
    p = _pipeline()
    _submit(p, p.screening_interview, p.hanna, 160)
    _submit(p, p.technical_interview, p.grace, 20)
    _submit(p, p.technical_interview, p.linus, 10)

    technical = _seen_by(p, "U_GRACE", p.technical.id)
    screening = _seen_by(p, "U_GRACE", p.screening.id)

    assert (_summaries(technical), technical.hidden_count) == (
        ["Grace on Technical", "Linus on Technical"],
        0,
    )
    assert (_summaries(screening), screening.hidden_count) == ([], 1)
    assert [v.interview_id for v in technical.visible] == [p.technical_interview.id] * 2
    assert technical.for_interview(p.screening_interview.id) == []


@given(st.sets(st.sampled_from(["hanna", "grace", "linus"])), st.sampled_from(["grace", "hanna"]))
def test_what_an_interviewer_sees_is_their_own_and_the_stages_they_submitted_on(
    submitted: set[str], viewer_name: str
) -> None:
    p = _pipeline()
    interview_of = {
        "hanna": p.screening_interview,
        "grace": p.technical_interview,
        "linus": p.technical_interview,
    }
    for hours_ago, name in enumerate(sorted(submitted), start=1):
        _submit(p, interview_of[name], getattr(p, name), hours_ago)
    viewer: Person = getattr(p, viewer_name)

    seen = _seen_by(p, viewer.slack_id)

    viewer_stage = interview_of[viewer_name].stage_id
    unlocked = viewer_name in submitted
    expected = {
        name
        for name in submitted
        if name == viewer_name or (unlocked and interview_of[name].stage_id == viewer_stage)
    }
    assert {v.author_slack_id for v in seen.visible} == {f"U_{n.upper()}" for n in expected}
    assert seen.hidden_count == len(submitted) - len(expected)
    as_viewer = Viewer(viewer.id, False, frozenset({viewer_stage} if unlocked else ()))
    assert all(may_see(as_viewer, v.author_id, v.stage_id) for v in seen.visible)
