"""Bad input never breaks a request (issue 11): long text is a field error, typed text is shown
as text, odd values read as nothing, big bodies are refused unread, a database outage gets a
polite answer, Slack is answered before Slack is called, and nothing is written before the
role check. Every request goes through the real entry point, signed."""

from __future__ import annotations

import http.client
import json
import logging
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from sqlalchemy import event, func, select

from bot.container import Container
from handlers.shared.failures import TRY_AGAIN
from models import AuditEntry, Candidate, Person, SchedulingRequest, TeamRole
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
from tests.fakes.slack_requests import (
    block_actions,
    checkboxes,
    sign,
    slash_command,
    static_select,
    timepicker,
    users_select,
    view_submission,
)

LINK_NAME = "<https://x|Join the video call>"


def _count(container: Container, model: type[Any]) -> int:
    with container.unit_of_work() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def _person(container: Container, slack_id: str) -> Person | None:
    with container.unit_of_work() as uow:
        return uow.session.scalars(select(Person).where(Person.slack_id == slack_id)).first()


# -- long text, odd values -------------------------------------------------------------------


def test_a_ten_thousand_character_name_or_email_is_a_field_error_and_stores_nothing(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    seed_people(container)
    hr = stage_id(container, "hr-screening")
    long_name = submit(bot_url, schedule_values(hr, ["U_HR"], WED, FRI, name="A" * 10_000))
    long_email = submit(
        bot_url, schedule_values(hr, ["U_HR"], WED, FRI, email="a" * 10_000 + "@example.com")
    )
    assert long_name["response_action"] == "errors"
    assert "at most 200 characters" in long_name["errors"]["candidate_name"]
    assert long_email["errors"]["candidate_email"] == "This is not a valid email address."
    assert _count(container, Candidate) == _count(container, SchedulingRequest) == 0


def test_the_modal_limits_what_can_be_typed_to_what_the_service_accepts(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    slash_command("/schedule-interview", user_id="U_ADMIN", text="x" * 3000).post(
        bot_url, SIGNING_SECRET
    )
    modal = fake_slack.wait_for("views.open", timeout=10)[0].params["view"]
    inputs = {b["block_id"]: b["element"] for b in modal["blocks"] if b["type"] == "input"}
    assert inputs["candidate_name"]["max_length"] == 200
    assert len(inputs["candidate_name"]["initial_value"]) <= 200
    assert inputs["candidate_email"]["max_length"] == 254


def test_a_superscript_stage_and_a_date_in_year_9999_are_field_errors(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    seed_people(container)
    values = schedule_values(None, ["U_HR"], "9999-12-31", "9999-12-31")
    values["stage"] = {"stage": static_select("²")}
    answer = submit(bot_url, values)
    assert answer["response_action"] == "errors"
    assert answer["errors"]["stage"] == "Pick the stage to schedule."
    assert "within the next" in answer["errors"]["earliest"]
    far = submit(
        bot_url, schedule_values(stage_id(container, "hr-screening"), ["U_HR"], WED, "9999-12-31")
    )
    assert "at most" in far["errors"]["latest"]


@pytest.mark.parametrize("metadata", ["{}", "not json", "[" * 100_000, '{"channel_id": 5}'])
def test_changing_the_stage_reads_any_private_metadata(
    bot_url: str,
    fake_slack: FakeSlackAPI,
    container: Container,
    metadata: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    seed_people(container)
    hr = stage_id(container, "hr-screening")
    with caplog.at_level(logging.WARNING):
        for value in (str(hr), "²", "99999999999999999999"):
            result = block_actions(
                "stage",
                user_id="U_HR",
                block_id="stage",
                selected_option=value,
                view={
                    "id": "V_S",
                    "callback_id": "schedule_interview",
                    "private_metadata": metadata,
                },
            ).post(bot_url, SIGNING_SECRET)
            assert result.status == 200
        updated = fake_slack.wait_for("views.update", timeout=10)[0].params
    assert updated["view"]["callback_id"] == "schedule_interview"
    assert json.loads(updated["view"]["private_metadata"]) == {"channel_id": ""}
    time.sleep(0.3)  # the two odd values are dropped: nothing else is updated, nothing logged
    assert len(fake_slack.calls("views.update")) == 1
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


# -- typed text is shown as text ------------------------------------------------------------


def test_a_name_that_looks_like_a_link_stays_text_in_the_interviewers_dm(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    seed_people(container)
    values = schedule_values(stage_id(container, "hr-screening"), ["U_HR"], WED, FRI)
    values["candidate_name"]["candidate_name"]["value"] = LINK_NAME
    assert submit(bot_url, values)["response_action"] == "update"
    buttons = proposal_buttons(proposals_in(fake_slack, "V_SCHED"))
    click(bot_url, "book_slot", str(buttons[0]["value"]))
    dm = fake_slack.wait_for(
        "chat.postMessage", timeout=10, where=lambda c: c.params.get("channel") == "U_HR"
    )[0]
    shown = json.dumps([dm.params["text"], dm.params["blocks"]])
    assert "&lt;https://x|Join the video call&gt;" in shown
    assert "<https://x|" not in shown


def test_a_long_name_keeps_every_section_within_slacks_limit(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    seed_people(container)
    values = schedule_values(
        stage_id(container, "hr-screening"), ["U_HR"], WED, FRI, name="<&>" * 66
    )
    submit(bot_url, values)
    buttons = proposal_buttons(proposals_in(fake_slack, "V_SCHED"))
    click(bot_url, "book_slot", str(buttons[0]["value"]))
    fake_slack.wait_for("chat.postMessage", count=2, timeout=10)
    for call in fake_slack.calls("chat.postMessage") + fake_slack.calls("views.update"):
        blocks = call.params.get("blocks") or (call.params.get("view") or {}).get("blocks", [])
        for block in blocks:
            assert len((block.get("text") or {}).get("text", "")) <= 3000


# -- big bodies ------------------------------------------------------------------------------


def _raw_post(bot_url: str, body: bytes, headers: dict[str, str], chunked: bool = False) -> int:
    address = urlparse(bot_url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=30)
    try:
        if chunked:
            connection.request(
                "POST", "/slack/events", body=iter([body]), headers=headers, encode_chunked=True
            )
        else:
            connection.request("POST", "/slack/events", body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def test_a_body_over_a_mebibyte_is_refused_unread_and_bad_utf8_is_a_bad_request(
    bot_url: str, container: Container
) -> None:
    huge = b"payload=" + b"x" * (2 * 1024 * 1024)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert _raw_post(bot_url, huge, form) == 413
    assert _raw_post(bot_url, huge, {**form, "Transfer-Encoding": "chunked"}, chunked=True) == 413
    garbled = b"payload=\xff\xfe"
    assert _raw_post(bot_url, garbled, {**sign(garbled, SIGNING_SECRET), **form}) == 400
    small = slash_command("/schedule-interview", user_id="U_NOBODY")
    assert small.post(bot_url, SIGNING_SECRET).status == 200


# -- the database down -----------------------------------------------------------------------


@pytest.fixture
def database_down(container: Container) -> Iterator[None]:
    """Every new connection fails as a stopped server's would."""
    engine = container.engine
    refused = engine.dialect.loaded_dbapi.OperationalError

    def refuse(*_args: object) -> None:
        raise refused("connection refused")

    engine.dispose()
    event.listen(engine, "do_connect", refuse)
    yield
    event.remove(engine, "do_connect", refuse)


def test_the_database_down_gets_a_polite_answer_not_a_500(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container, database_down: None
) -> None:
    command = slash_command("/schedule-interview", user_id="U_ADMIN").post(bot_url, SIGNING_SECRET)
    assert command.status == 200 and json.loads(command.body)["text"] == TRY_AGAIN
    values = schedule_values(1, ["U_HR"], WED, FRI)
    submitted = view_submission("schedule_interview", values, user_id="U_ADMIN").post(
        bot_url, SIGNING_SECRET
    )
    assert submitted.status == 200
    answer = json.loads(submitted.body)
    assert answer["response_action"] == "errors" and TRY_AGAIN in answer["errors"].values()
    team = view_submission("team_member", {"person": {"team_person": users_select("U_X")}})
    assert json.loads(team.post(bot_url, SIGNING_SECRET).body)["response_action"] == "errors"
    clicked = block_actions("manage_team", value="open", user_id="U_ADMIN")
    assert clicked.post(bot_url, SIGNING_SECRET).status == 200
    told = fake_slack.wait_for("chat.postMessage", timeout=10)[0].params
    assert (told["channel"], told["text"]) == ("U_ADMIN", TRY_AGAIN)


# -- Slack is answered first; the role is checked first ---------------------------------------


def test_an_unknown_interviewer_is_looked_up_after_slack_is_answered(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    seed_people(container)
    fake_slack.add_user("U_NEW", "newbie@example.com", "New Bie", tz="America/New_York")
    fake_slack.fail_next("users.info", status=429, retry_after=2, count=2)
    values = schedule_values(stage_id(container, "hiring-manager"), ["U_NEW"], WED, FRI)
    started = time.perf_counter()
    answer = submit(bot_url, values)
    assert time.perf_counter() - started < 1.5  # two 429s of 2 s each would miss Slack's 3 s
    assert answer["response_action"] == "update"
    assert "Looking up" in json.dumps(answer["view"])
    proposals_in(fake_slack, "V_SCHED")
    newbie = _person(container, "U_NEW")
    assert newbie is not None
    assert (newbie.email, newbie.timezone) == ("newbie@example.com", "America/New_York")


def test_a_lookup_that_fails_after_the_answer_shows_the_form_again_as_it_was(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    seed_people(container)
    values = schedule_values(
        stage_id(container, "hr-screening"), ["U_HR", "U_GHOST"], WED, FRI, name="Grace Hopper"
    )
    answer = submit(bot_url, values)
    assert answer["response_action"] == "update"
    form = fake_slack.wait_for("views.update", timeout=10)[0].params["view"]
    assert form["callback_id"] == "schedule_interview"
    assert "<@U_GHOST>" in form["blocks"][0]["text"]["text"]
    inputs = {b["block_id"]: b["element"] for b in form["blocks"] if b["type"] == "input"}
    assert inputs["candidate_name"]["initial_value"] == "Grace Hopper"
    assert inputs["interviewers"]["initial_users"] == ["U_HR", "U_GHOST"]
    assert inputs["earliest"]["initial_date"] == WED.isoformat()
    assert _count(container, SchedulingRequest) == 0


def test_a_refused_submission_enrols_nobody_and_asks_slack_nothing(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    seed_people(container)
    fake_slack.add_user("U_NEW", "newbie@example.com", "New Bie")
    values = schedule_values(stage_id(container, "hr-screening"), ["U_NEW"], WED, FRI)
    answer = submit(bot_url, values, user="U_ENG")
    assert answer["response_action"] == "errors"
    assert "Only recruiters" in answer["errors"]["candidate"]
    assert _person(container, "U_NEW") is None
    assert fake_slack.calls("users.info") == []


# -- a re-created Slack account --------------------------------------------------------------


def test_a_new_slack_account_with_a_known_email_moves_that_person_to_it(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    seed_people(container)
    with container.unit_of_work() as uow:
        grace = builders.person(uow.session, "U_OLD", "Grace", TeamRole.INTERVIEWER)
        grace.email = "grace@example.com"
        uow.commit()
        grace_id = grace.id
    fake_slack.add_user("U_REBORN", "Grace@example.com", "Grace Again")
    values = schedule_values(stage_id(container, "hiring-manager"), ["U_REBORN"], WED, FRI)
    assert submit(bot_url, values)["response_action"] == "update"
    proposals_in(fake_slack, "V_SCHED")
    moved = _person(container, "U_REBORN")
    assert moved is not None and moved.id == grace_id and _person(container, "U_OLD") is None
    with container.unit_of_work() as uow:
        actions = list(uow.session.scalars(select(AuditEntry.action)))
    assert "person.slack_account_changed" in actions


def test_the_team_modal_saves_a_recreated_account_and_answers_slack_first(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    with container.unit_of_work() as uow:
        builders.person(uow.session, "U_OLD", "Nina", TeamRole.INTERVIEWER, email="nina@x.io")
        uow.commit()
    fake_slack.add_user("U_NINA2", "nina@x.io", "Nina Recruiter")
    values = {
        "person": {"team_person": users_select("U_NINA2")},
        "roles": {"roles": checkboxes(["recruiter"])},
        "work_start": {"work_start": timepicker("09:00")},
        "work_end": {"work_end": timepicker("17:00")},
    }
    result = view_submission("team_member", values, user_id="U_ADMIN", view_id="V_T").post(
        bot_url, SIGNING_SECRET
    )
    assert result.status == 200 and "Saving" in result.body
    saved = fake_slack.wait_for("views.update", timeout=10)[0].params["view"]
    assert "<@U_NINA2>" in json.dumps(saved)
    with container.unit_of_work() as uow:
        nina = uow.people.person_by_slack_id("U_NINA2")
        assert nina is not None and nina.email == "nina@x.io"
        assert {r.role for r in nina.team_roles} == {TeamRole.RECRUITER}
