"""Admins say who is who from the App Home tab: roles, pools, weekly cap, working hours."""

from __future__ import annotations

import json
from datetime import time
from typing import Any

from sqlalchemy import select

from bot.container import Container
from models import AuditEntry, Person, TeamRole
from tests import builders
from tests.conftest import SIGNING_SECRET
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import (
    app_home_opened,
    block_actions,
    checkboxes,
    event_callback,
    number_input,
    slash_command,
    timepicker,
    users_select,
    view_submission,
)


def _values(
    slack_id: str,
    roles: list[str],
    pools: list[str],
    cap: str | None,
    start: str = "09:30",
    end: str = "17:00",
) -> dict[str, Any]:
    return {
        "person": {"team_person": users_select(slack_id)},
        "roles": {"roles": checkboxes(roles)},
        "pools": {"pools": checkboxes(pools)},
        "weekly_cap": {"weekly_cap": number_input(cap)},
        "work_start": {"work_start": timepicker(start)},
        "work_end": {"work_end": timepicker(end)},
    }


def _save(bot_url: str, values: dict[str, Any], user: str = "U_ADMIN") -> dict[str, Any]:
    result = view_submission("team_member", values, user_id=user, view_id="V_TEAM").post(
        bot_url, SIGNING_SECRET
    )
    assert result.status == 200
    return json.loads(result.body) if result.body else {}


def test_admins_see_manage_team_on_app_home_and_others_do_not(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    with container.unit_of_work() as uow:
        builders.person(uow.session, "U_ENG", "Grace", TeamRole.INTERVIEWER)
        uow.commit()
    for user in ("U_ADMIN", "U_ENG"):
        event_callback(app_home_opened(user), event_id=f"Ev{user}").post(bot_url, SIGNING_SECRET)
    fake_slack.wait_for("views.publish", count=2, timeout=10)
    views = {
        c.params["user_id"]: json.dumps(c.params["view"]) for c in fake_slack.calls("views.publish")
    }
    assert "manage_team" in views["U_ADMIN"]
    assert "manage_team" not in views["U_ENG"]


def test_an_admin_makes_a_new_colleague_a_recruiter_who_can_then_schedule(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    fake_slack.add_user("U_NEW", "nina@example.com", "Nina Recruiter", tz="Europe/London")
    block_actions(
        "manage_team",
        value="open",
        user_id="U_ADMIN",
        trigger_id="trig-team",
        container="message",
        channel_id="DU_ADMIN",
        response_url=fake_slack.response_url(),
    ).post(bot_url, SIGNING_SECRET)
    opened = fake_slack.wait_for("views.open", timeout=10)[0].params
    assert opened["trigger_id"] == "trig-team"
    assert opened["view"]["callback_id"] == "team_member"
    answer = _save(bot_url, _values("U_NEW", ["recruiter", "interviewer"], ["recruiters"], "4"))
    assert answer["response_action"] == "update"  # "Saving…": Slack is asked after the answer
    saved = fake_slack.wait_for("views.update", timeout=10)[0].params["view"]
    assert "<@U_NEW>" in json.dumps(saved)
    with container.unit_of_work() as uow:
        nina = uow.session.scalars(select(Person).where(Person.slack_id == "U_NEW")).one()
        assert (nina.name, nina.email, nina.timezone) == (
            "Nina Recruiter",
            "nina@example.com",
            "Europe/London",
        )
        assert {r.role for r in nina.team_roles} == {TeamRole.RECRUITER, TeamRole.INTERVIEWER}
        assert uow.people.pool_keys_of(nina.id) == {"recruiters"}
        assert nina.weekly_interview_cap == 4
        assert (nina.work_start, nina.work_end) == (time(9, 30), time(17, 0))
        assert list(uow.session.scalars(select(AuditEntry.action))) == ["team.updated"]
    fake_slack.clear()
    slash_command("/schedule-interview", user_id="U_NEW").post(bot_url, SIGNING_SECRET)
    modal = fake_slack.wait_for("views.open", timeout=10)[0].params["view"]
    interviewers = next(b for b in modal["blocks"] if b.get("block_id") == "interviewers")
    assert interviewers["element"]["initial_users"] == ["U_NEW"]


def test_picking_someone_shows_their_current_settings_and_saving_replaces_them(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    with container.unit_of_work() as uow:
        builders.person(
            uow.session, "U_ENG", "Grace", TeamRole.INTERVIEWER, pools=("backend-engineers",)
        )
        uow.commit()
    block_actions(
        "team_person",
        user_id="U_ADMIN",
        block_id="person",
        selected_user="U_ENG",
        view={"id": "V_TEAM", "callback_id": "team_member"},
    ).post(bot_url, SIGNING_SECRET)
    view = fake_slack.wait_for("views.update", timeout=10)[0].params["view"]
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert [o["value"] for o in blocks["pools"]["element"]["initial_options"]] == [
        "backend-engineers"
    ]
    _save(bot_url, _values("U_ENG", ["hiring_manager"], ["hiring-managers"], None))
    with container.unit_of_work() as uow:
        grace = uow.session.scalars(select(Person).where(Person.slack_id == "U_ENG")).one()
        assert {r.role for r in grace.team_roles} == {TeamRole.HIRING_MANAGER}
        assert uow.people.pool_keys_of(grace.id) == {"hiring-managers"}
        assert grace.weekly_interview_cap is None


def test_bad_values_come_back_on_their_fields_and_only_admins_may_save(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    with container.unit_of_work() as uow:
        builders.person(uow.session, "U_HR", "Hanna", TeamRole.RECRUITER)
        uow.commit()
    answer = _save(bot_url, _values("U_HR", [], [], "99", start="18:00", end="09:00"))
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"roles", "weekly_cap", "work_end"}
    own = _save(bot_url, _values("U_ADMIN", ["recruiter"], [], None))
    assert "own admin role" in own["errors"]["roles"]
    refused = _save(bot_url, _values("U_HR", ["admin"], [], None), user="U_HR")
    assert refused["errors"] == {"person": "Only admins manage the team."}
    with container.unit_of_work() as uow:
        hanna = uow.session.scalars(select(Person).where(Person.slack_id == "U_HR")).one()
        assert {r.role for r in hanna.team_roles} == {TeamRole.RECRUITER}
        assert list(uow.session.scalars(select(AuditEntry.action))) == []
