""" "Let the candidate choose" through /slack/events: the button beside the proposals, the
modal it pushes, the link made (and emailed through a real SMTP server on loopback, aiosmtpd),
and the refusals. Run on every database: `--databases=sqlite,mariadb,postgresql`."""

from __future__ import annotations

import email
import json
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from bot.container import Container
from bot.settings import Settings
from models import AuditEntry
from models.schemas import ScheduleInput
from tests.clock import FixedClock
from tests.conftest import SIGNING_SECRET, make_settings, prepared_container, serve_bot
from tests.e2e.scheduling_helpers import (
    FRI,
    WED,
    click,
    proposal_buttons,
    proposals_in,
    propose_hr_screening,
    stage_id,
)
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import radio_buttons, view_submission

PUBLIC_URL = "https://jobs.example.com"
CHOOSE = "let_candidate_choose"
LINK_VIEW = "V_LINK"


@pytest.fixture
def settings(database_url: str, fake_slack: FakeSlackAPI) -> Settings:
    return make_settings(database_url, fake_slack.url, public_url=PUBLIC_URL)


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def mailed_bot(
    database_url: str, fake_slack: FakeSlackAPI, clock: FixedClock
) -> Iterator[tuple[str, Container, _Inbox]]:
    """The bot with SMTP set up, its mail caught by aiosmtpd on loopback."""
    inbox, port = _Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings = make_settings(
        database_url,
        fake_slack.url,
        public_url=PUBLIC_URL,
        smtp_url=f"smtp://127.0.0.1:{port}",
        mail_from="jobs@example.com",
    )
    try:
        with prepared_container(settings, clock) as container, serve_bot(container) as url:
            yield url, container, inbox
    finally:
        controller.stop()


def _proposals(bot_url: str, fake_slack: FakeSlackAPI, container: Container) -> dict[str, Any]:
    propose_hr_screening(bot_url, fake_slack, container)
    return proposals_in(fake_slack, "V_SCHED")


def _choose_button(view: dict[str, Any]) -> dict[str, Any] | None:
    elements = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    return next((e for e in elements if e["action_id"] == CHOOSE), None)


def _request_uid(bot_url: str, fake_slack: FakeSlackAPI, container: Container) -> str:
    """The request the proposals are for (as their Book buttons name it)."""
    [uid] = {
        json.loads(str(b["value"]))["request_uid"]
        for b in proposal_buttons(_proposals(bot_url, fake_slack, container))
    }
    return str(uid)


def _pushed(fake_slack: FakeSlackAPI, count: int = 1) -> dict[str, Any]:
    view: dict[str, Any] = fake_slack.wait_for("views.push", count=count, timeout=10)[-1].params[
        "view"
    ]
    return view


def _submit(bot_url: str, request_uid: str, language: str, user: str = "U_ADMIN") -> Any:
    request = view_submission(
        "candidate_link",
        {"language": {"language": radio_buttons(language)}},
        user_id=user,
        view_id=LINK_VIEW,
        private_metadata=request_uid,
    )
    answer = request.post(bot_url, SIGNING_SECRET)
    assert answer.status == 200, answer.body
    return json.loads(answer.body) if answer.body else {}


def _shown_link(view: dict[str, Any]) -> str:
    text = json.dumps(view["blocks"])
    start = text.index(PUBLIC_URL + "/schedule/")
    return text[start:].split("`", 1)[0]


def _audited(container: Container) -> list[str]:
    with container.unit_of_work() as uow:
        return list(uow.session.scalars(select(AuditEntry.action)))


def test_the_button_is_beside_the_proposals_and_pushes_the_modal(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    request_uid = _request_uid(bot_url, fake_slack, container)
    button = _choose_button(proposals_in(fake_slack, "V_SCHED"))
    assert button is not None and button["value"] == request_uid
    click(bot_url, CHOOSE, request_uid)
    form = _pushed(fake_slack)
    assert form["callback_id"] == "candidate_link"
    assert form["private_metadata"] == request_uid
    text = json.dumps(form["blocks"])
    assert "Ada Lovelace" in text and "ada@example.com" in text
    assert "No email is set up" in text
    [language] = [b for b in form["blocks"] if b.get("block_id") == "language"]
    assert language["element"]["initial_option"]["value"] == "fr"
    values = [o["value"] for o in language["element"]["options"]]
    assert values == ["fr", "en"]


def test_without_smtp_the_modal_shows_the_link_and_says_it_was_not_emailed(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    request_uid = _request_uid(bot_url, fake_slack, container)
    answer = _submit(bot_url, request_uid, "en")
    assert answer["response_action"] == "update"
    link = _shown_link(answer["view"])
    assert "Not emailed" in json.dumps(answer["view"])
    token = link.rsplit("/schedule/", 1)[1]
    assert container.candidate_links.times(token).language == "en"
    assert "candidate_link.created" in _audited(container)


def test_french_is_emailed_and_the_modal_shows_the_same_link(
    mailed_bot: tuple[str, Container, _Inbox], fake_slack: FakeSlackAPI
) -> None:
    bot_url, container, inbox = mailed_bot
    request_uid = _request_uid(bot_url, fake_slack, container)
    click(bot_url, CHOOSE, request_uid)
    assert "will be emailed to ada@example.com" in json.dumps(_pushed(fake_slack)["blocks"])
    answer = _submit(bot_url, request_uid, "fr")
    assert answer["response_action"] == "update"  # "working…" while the mail goes out
    shown = fake_slack.wait_for(
        "views.update", timeout=10, where=lambda c: c.params.get("view_id") == LINK_VIEW
    )[-1].params["view"]
    assert "Emailed to ada@example.com" in json.dumps(shown["blocks"])
    link = _shown_link(shown)
    [message] = inbox.messages
    assert message["To"] == "ada@example.com" and message["Content-Language"] == "fr"
    assert str(message["Subject"]).startswith("Choisissez")
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and link in str(body.get_content())


def test_someone_who_may_not_schedule_is_refused_and_no_link_is_made(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    request_uid = _request_uid(bot_url, fake_slack, container)
    click(bot_url, CHOOSE, request_uid, user="U_ENG")
    refused = _pushed(fake_slack)
    assert "callback_id" not in refused or refused["callback_id"] != "candidate_link"
    assert "isn't available to you" in json.dumps(refused["blocks"])
    answer = _submit(bot_url, request_uid, "fr", user="U_ENG")
    assert answer["response_action"] == "errors"
    assert "isn't available to you" in answer["errors"]["language"]
    assert "candidate_link.created" not in _audited(container)


def test_an_unreadable_request_is_answered_politely(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    _request_uid(bot_url, fake_slack, container)
    click(bot_url, CHOOSE, "not-a-request")
    assert "isn't available to you" in json.dumps(_pushed(fake_slack)["blocks"])
    answer = _submit(bot_url, "0" * 32, "fr")
    assert set(answer["errors"]) == {"language"}
    assert _submit(bot_url, "../../etc", "fr")["response_action"] == "errors"
    assert "candidate_link.created" not in _audited(container)


def test_a_click_outside_a_modal_is_answered_privately(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    request_uid = _request_uid(bot_url, fake_slack, container)
    click(bot_url, CHOOSE, request_uid, container="message", response_url=fake_slack.response_url())
    reply = fake_slack.wait_for("response_url", timeout=10)[-1].params
    assert "does not work from here" in reply["text"]
    assert fake_slack.calls("views.push") == []


def test_without_public_url_there_is_no_button_and_no_link(
    database_url: str, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    settings = make_settings(database_url, fake_slack.url)
    with prepared_container(settings, clock) as container, serve_bot(container) as bot_url:
        assert _choose_button(_proposals(bot_url, fake_slack, container)) is None
        request_uid = container.scheduling.start_scheduling("U_ADMIN", _input(container), "V2")
        answer = _submit(bot_url, request_uid, "fr")
        assert "PUBLIC_URL" in answer["errors"]["language"]
        assert "candidate_link.created" not in _audited(container)


def _input(container: Container) -> ScheduleInput:
    return ScheduleInput(
        candidate_name="Alan Turing",
        candidate_email="alan@example.com",
        stage_id=stage_id(container, "hr-screening"),
        interviewer_slack_ids=["U_HR"],
        earliest=WED,
        latest=FRI,
    )


def test_a_mail_server_that_fails_is_reported_beside_the_link(
    database_url: str, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    closed = _free_port()  # nothing listens there
    settings = make_settings(
        database_url,
        fake_slack.url,
        public_url=PUBLIC_URL,
        smtp_url=f"smtp://127.0.0.1:{closed}",
        mail_from="jobs@example.com",
    )
    with prepared_container(settings, clock) as container, serve_bot(container) as bot_url:
        request_uid = _request_uid(bot_url, fake_slack, container)
        _submit(bot_url, request_uid, "en")
        shown = fake_slack.wait_for(
            "views.update", timeout=10, where=lambda c: c.params.get("view_id") == LINK_VIEW
        )[-1].params["view"]
    text = json.dumps(shown["blocks"])
    assert "Not emailed:" in text and "Emailed to" not in text
    assert _shown_link(shown).startswith(PUBLIC_URL + "/schedule/")
