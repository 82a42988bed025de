"""Onsite loops end to end: one people picker per session, pools only prefill them."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.container import Container
from models import Interview, SchedulingRequest, TeamRole
from tests import builders
from tests.conftest import SIGNING_SECRET
from tests.e2e.scheduling_helpers import (
    FRI,
    WED,
    click,
    proposal_buttons,
    proposals_in,
    schedule_values,
    seed_people,
    stage_id,
    submit,
)
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import block_actions, multi_users_select

SESSIONS = ("Onsite: HR", "Onsite: Head of Engineering", "Onsite: CTO")


def _fresh_install(container: Container) -> None:
    """A recruiter and three colleagues, nobody in any pool yet."""
    with container.unit_of_work() as uow:
        s = uow.session
        builders.person(s, "U_REC", "Rita Recruiter", TeamRole.RECRUITER)
        builders.person(s, "U_PEOPLE", "Paula People", TeamRole.INTERVIEWER)
        builders.person(s, "U_VPE", "Victor VPE", TeamRole.HEAD_OF_ENGINEERING)
        builders.person(s, "U_BOSS", "Bea CTO", TeamRole.INTERVIEWER)
        uow.commit()


def _pick_stage(bot_url: str, fake_slack: FakeSlackAPI, stage: int, user: str) -> dict[str, Any]:
    """The recruiter picks `stage` in the modal: the rebuilt modal's blocks by id."""
    request = block_actions(
        "stage",
        user_id=user,
        block_id="stage",
        selected_option=str(stage),
        view={
            "id": "V_FORM",
            "hash": "h1",
            "callback_id": "schedule_interview",
            "private_metadata": json.dumps({"channel_id": "C1"}),
        },
    )
    assert request.post(bot_url, SIGNING_SECRET).status == 200
    update = fake_slack.wait_for("views.update", timeout=10)[0].params
    fake_slack.clear()
    return {b.get("block_id"): b for b in update["view"]["blocks"]}


def _session_blocks(blocks: dict[str, Any], stage: int) -> list[dict[str, Any]]:
    return [blocks.get(f"interviewers-{stage}:session-{position}") for position in (1, 2, 3)]


def _loop_values(stage: int, picks: list[list[str]]) -> dict[str, Any]:
    values = schedule_values(stage, [], WED, FRI)
    del values["interviewers"]
    for position, slack_ids in enumerate(picks, start=1):
        values[f"interviewers-{stage}:session-{position}"] = {
            "interviewers": multi_users_select(slack_ids)
        }
    return values


def test_on_a_fresh_install_the_onsite_loop_is_booked_with_the_people_picked(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    _fresh_install(container)
    onsite = stage_id(container, "onsite")
    blocks = _pick_stage(bot_url, fake_slack, onsite, "U_REC")
    pickers = _session_blocks(blocks, onsite)
    assert all(p is not None for p in pickers), [b for b in blocks if b]
    assert [p["label"]["text"] for p in pickers] == [f"Who runs “{n}”" for n in SESSIONS]
    assert all("initial_users" not in p["element"] for p in pickers)
    assert f"interviewers-{onsite}" not in blocks

    values = _loop_values(onsite, [["U_PEOPLE"], ["U_VPE"], ["U_BOSS"]])
    answer = submit(bot_url, values, user="U_REC", view_id="V_FORM")
    assert answer["response_action"] == "update", answer
    buttons = proposal_buttons(proposals_in(fake_slack, "V_FORM"))
    click(bot_url, "book_slot", str(buttons[0]["value"]), user="U_REC", view_id="V_FORM")
    fake_slack.wait_for("chat.postMessage", count=4, timeout=10)

    with container.unit_of_work() as uow:
        request = uow.session.scalars(select(SchedulingRequest)).one()
        people = uow.people.people_by_slack_ids(["U_PEOPLE", "U_VPE", "U_BOSS"])
        assert request.panel == {
            "1": [people["U_PEOPLE"].id],
            "2": [people["U_VPE"].id],
            "3": [people["U_BOSS"].id],
        }
        interview = uow.session.scalars(select(Interview)).one()
        events = sorted(interview.events, key=lambda e: e.starts_at)
        by_event = [(e.calendar_event_id, sorted(p.email for p in e.participants)) for e in events]
    assert [emails for _, emails in by_event] == [
        ["ada@example.com", "u_people@example.com"],
        ["ada@example.com", "u_vpe@example.com"],
        ["ada@example.com", "u_boss@example.com"],
    ]
    calendar = {e.event_id: e for e in container.calendar.list_changes(None).events}
    for event_id, emails in by_event:
        assert sorted(a.email for a in calendar[event_id].attendees) == emails
    dms = {p.params["channel"] for p in fake_slack.calls("chat.postMessage")}
    assert dms == {"U_REC", "U_PEOPLE", "U_VPE", "U_BOSS"}


def test_a_session_left_empty_is_an_error_on_its_picker(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    _fresh_install(container)
    onsite = stage_id(container, "onsite")
    values = _loop_values(onsite, [["U_PEOPLE"], [], ["U_BOSS"]])
    answer = submit(bot_url, values, user="U_REC", view_id="V_FORM")
    assert answer["response_action"] == "errors"
    assert answer["errors"] == {
        f"interviewers-{onsite}:session-2": "Pick who runs “Onsite: Head of Engineering”."
    }
    with container.unit_of_work() as uow:
        assert uow.session.scalars(select(SchedulingRequest)).first() is None


def test_with_pools_each_session_picker_is_prefilled_from_its_pool(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    seed_people(container)
    onsite = stage_id(container, "onsite")
    blocks = _pick_stage(bot_url, fake_slack, onsite, "U_HR")
    pickers = _session_blocks(blocks, onsite)
    assert [p["element"].get("initial_users") for p in pickers] == [
        ["U_HR"],
        ["U_HEAD"],
        ["U_CTO"],
    ]
    # Going back to a single-session stage shows the one picker again.
    technical = stage_id(container, "technical-test")
    blocks = _pick_stage(bot_url, fake_slack, technical, "U_HR")
    assert sorted(blocks[f"interviewers-{technical}"]["element"]["initial_users"]) == [
        "U_ENG1",
        "U_ENG2",
    ]
    assert not [b for b in blocks if b and ":session-" in b]


def test_a_second_request_for_a_booked_stage_offers_to_reschedule(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    from tests.e2e.scheduling_helpers import book_hr_screening

    interview_id = book_hr_screening(bot_url, fake_slack, container)
    with container.unit_of_work() as uow:
        interview = uow.interviews.interview_by_id(int(interview_id))
        assert interview is not None
        candidate_id = interview.candidate_id
    values = schedule_values(
        stage_id(container, "hr-screening"), ["U_HR"], WED, FRI, candidate_id=candidate_id
    )
    answer = submit(bot_url, values, view_id="V_AGAIN")
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"stage"}
    message = answer["errors"]["stage"]
    assert "already booked" in message and "Reschedule" in message
    with container.unit_of_work() as uow:
        assert len(uow.session.scalars(select(SchedulingRequest)).all()) == 1
        assert len(uow.session.scalars(select(Interview)).all()) == 1
