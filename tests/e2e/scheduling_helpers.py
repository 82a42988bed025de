"""Shared steps of the scheduling end-to-end tests."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from bot.container import Container
from calendars.local import LocalCalendarProvider
from calendars.provider import EventRequest
from models import Interview, TeamRole
from tests import builders
from tests.conftest import SIGNING_SECRET
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import (
    block_actions,
    datepicker,
    email_input,
    multi_users_select,
    plain_text_input,
    static_select,
    view_submission,
)


def seed_people(container: Container) -> dict[str, int]:
    """Recruiter Hanna, engineers, head of engineering and CTO, each in their pool."""
    with container.unit_of_work() as uow:
        s = uow.session
        people = {
            "U_HR": builders.person(
                s, "U_HR", "Hanna HR", TeamRole.RECRUITER, pools=("recruiters",)
            ),
            "U_HM": builders.person(
                s, "U_HM", "Hugo HM", TeamRole.HIRING_MANAGER, pools=("hiring-managers",)
            ),
            "U_ENG1": builders.person(
                s, "U_ENG1", "Grace", TeamRole.INTERVIEWER, pools=("backend-engineers",)
            ),
            "U_ENG2": builders.person(
                s, "U_ENG2", "Linus", TeamRole.INTERVIEWER, pools=("backend-engineers",)
            ),
            "U_HEAD": builders.person(
                s,
                "U_HEAD",
                "Margaret",
                TeamRole.HEAD_OF_ENGINEERING,
                pools=("head-of-engineering",),
            ),
            "U_CTO": builders.person(s, "U_CTO", "Ken", TeamRole.INTERVIEWER, pools=("cto",)),
            "U_ENG": builders.person(s, "U_ENG", "Plain Engineer", TeamRole.INTERVIEWER),
        }
        admin = builders.person(s, "U_ADMIN", "Ada Admin", TeamRole.ADMIN)
        uow.commit()
        return {key: person.id for key, person in {**people, "U_ADMIN": admin}.items()}


def stage_id(container: Container, key: str) -> int:
    with container.unit_of_work() as uow:
        return builders.stage(uow.session, key).id


def schedule_values(
    stage: int | None,
    interviewers: list[str],
    earliest: date | str | None,
    latest: date | str | None,
    name: str = "Ada Lovelace",
    email: str = "ada@example.com",
    candidate_id: int | None = None,
) -> dict[str, dict[str, dict[str, Any]]]:
    values: dict[str, dict[str, dict[str, Any]]] = {
        "candidate": {
            "candidate_search": {
                "type": "external_select",
                "selected_option": (
                    {"text": {"type": "plain_text", "text": "x"}, "value": str(candidate_id)}
                    if candidate_id
                    else None
                ),
            }
        },
        "candidate_name": {"candidate_name": plain_text_input(name or None)},
        "candidate_email": {"candidate_email": email_input(email or None)},
        "stage": {"stage": static_select(str(stage) if stage else None)},
        "interviewers": {"interviewers": multi_users_select(interviewers)},
        "earliest": {"earliest": datepicker(earliest)},
        "latest": {"latest": datepicker(latest)},
    }
    return values


def submit(
    bot_url: str, values: dict[str, Any], user: str = "U_ADMIN", view_id: str = "V_SCHED"
) -> dict[str, Any]:
    request = view_submission(
        "schedule_interview",
        values,
        user_id=user,
        view_id=view_id,
        private_metadata=json.dumps({"channel_id": "C1"}),
    )
    result = request.post(bot_url, SIGNING_SECRET)
    assert result.status == 200, result.body
    return json.loads(result.body) if result.body else {}


def proposal_buttons(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        b["accessory"]
        for b in view["blocks"]
        if b.get("accessory", {}).get("action_id") == "book_slot"
    ]


def click(
    bot_url: str,
    action_id: str,
    value: str,
    user: str = "U_ADMIN",
    view_id: str = "V_SCHED",
    **kwargs: Any,
) -> None:
    if "message" in kwargs or kwargs.get("container") == "message":
        request = block_actions(action_id, value=value, user_id=user, **kwargs)
    else:
        request = block_actions(
            action_id,
            value=value,
            user_id=user,
            view={"id": view_id, "callback_id": "schedule_proposals"},
            **kwargs,
        )
    assert request.post(bot_url, SIGNING_SECRET).status == 200


def proposals_in(fake_slack: FakeSlackAPI, view_id: str, count: int = 1) -> dict[str, Any]:
    """The `count`-th views.update of `view_id` that shows bookable proposals."""
    calls = fake_slack.wait_for(
        "views.update",
        count=count,
        timeout=10,
        where=lambda c: (
            c.params.get("view_id") == view_id and "book_slot" in json.dumps(c.params.get("view"))
        ),
    )
    view: dict[str, Any] = calls[count - 1].params["view"]
    return view


WED = date(2026, 11, 25)
FRI = date(2026, 11, 27)


def busy(container: Container, email: str, start: datetime, end: datetime, tag: str) -> None:
    calendar = container.calendar
    assert isinstance(calendar, LocalCalendarProvider)
    calendar.create_event(
        EventRequest(
            event_id=f"busy{tag}", summary="Busy", start=start, end=end, attendees=(email,)
        )
    )


def propose_hr_screening(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> list[dict[str, object]]:
    seed_people(container)
    # Hanna is busy Wednesday 09:00-12:00 Paris (08:00-11:00 UTC).
    busy(
        container,
        "u_hr@example.com",
        datetime(2026, 11, 25, 8, tzinfo=UTC),
        datetime(2026, 11, 25, 11, tzinfo=UTC),
        "hr1",
    )
    values = schedule_values(stage_id(container, "hr-screening"), ["U_HR"], WED, FRI)
    answer = submit(bot_url, values)
    assert answer["response_action"] == "update"
    assert "Looking for times" in json.dumps(answer["view"])
    return proposal_buttons(proposals_in(fake_slack, "V_SCHED"))


def book_hr_screening(bot_url: str, fake_slack: FakeSlackAPI, container: Container) -> str:
    buttons = propose_hr_screening(bot_url, fake_slack, container)
    click(bot_url, "book_slot", str(buttons[0]["value"]))
    fake_slack.wait_for("chat.postMessage", count=2, timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the outbox records the confirmation once Slack answers
        with container.unit_of_work() as uow:
            interview = uow.session.scalars(select(Interview)).one()
            if uow.outbox.reference(f"confirmation:{interview.id}") is not None:
                return str(interview.id)
        time.sleep(0.02)
    raise AssertionError("the booking confirmation was not recorded")


def click_on_confirmation(
    bot_url: str, fake_slack: FakeSlackAPI, action_id: str, interview_id: str, **kwargs: Any
) -> Any:
    """Click a button of the scheduler's booking confirmation; returns that recorded post."""
    confirmation = next(
        p for p in fake_slack.calls("chat.postMessage") if p.params["channel"] == "U_ADMIN"
    )
    click(
        bot_url,
        action_id,
        interview_id,
        container="message",
        message={"ts": confirmation.response["ts"]},
        channel_id=confirmation.response["channel"],
        response_url=fake_slack.response_url(),
        **kwargs,
    )
    return confirmation
