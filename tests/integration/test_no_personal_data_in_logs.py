"""No personal data in logs (issue 11): the logs of a whole flow, at every level, hold no email
and no feedback text; database errors carry no parameters; and the log handler blanks out any
email a driver's message quotes."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError

from bot.app.observability import configure_logging
from bot.container import Container
from models import Interview
from tests.clock import FixedClock
from tests.conftest import SIGNING_SECRET
from tests.e2e.scheduling_helpers import book_hr_screening
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import (
    block_actions,
    plain_text_input,
    radio_buttons,
    static_select,
    view_submission,
)

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
SUMMARY = "Confided that her current employer underpays her badly"
NOTE = "Struggled with the salary question"


def _scorecard_values(view: dict[str, object]) -> dict[str, dict[str, dict[str, object]]]:
    values: dict[str, dict[str, dict[str, object]]] = {}
    for block in view["blocks"]:  # type: ignore[attr-defined]
        block_id = str(block.get("block_id", ""))
        if block_id.startswith("rating:"):
            values[block_id] = {"rating": static_select("3")}
        elif block_id.startswith("note:"):
            values[block_id] = {"note": plain_text_input(NOTE)}
    values["recommendation"] = {"recommendation": radio_buttons("yes")}
    values["summary"] = {"summary": plain_text_input(SUMMARY)}
    return values


def _give_feedback(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container, clock: FixedClock
) -> None:
    with container.unit_of_work() as uow:
        interview = uow.session.scalars(select(Interview)).one()
        interview_id, ends_at = interview.id, interview.ends_at
    clock.at = ends_at + timedelta(minutes=5)
    container.feedback.send_due_requests()
    block_actions(
        "open_scorecard", value=str(interview_id), user_id="U_HR", trigger_id="trig-log"
    ).post(bot_url, SIGNING_SECRET)
    view = fake_slack.wait_for("views.open", timeout=10)[-1].params["view"]
    metadata = json.dumps({"interview_id": interview_id, "base_version": 0})
    answer = view_submission(
        "scorecard", _scorecard_values(view), user_id="U_HR", private_metadata=metadata
    ).post(bot_url, SIGNING_SECRET)
    assert answer.status == 200 and "errors" not in answer.body, answer.body


@contextmanager
def debug_logging(stream: io.StringIO) -> Iterator[None]:
    """The bot's own logging set-up (`configure_logging`) at DEBUG, undone afterwards."""
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("slack_sdk", "slack_bolt")}
    levels["sqlalchemy"], root_level = logging.getLogger("sqlalchemy").level, root.level
    handler = configure_logging("text", stream=stream, level=logging.DEBUG)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(root_level)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def test_the_logs_of_a_whole_flow_hold_no_email_and_no_feedback_text(
    bot_url: str,
    fake_slack: FakeSlackAPI,
    container: Container,
    clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    stream = io.StringIO()
    with debug_logging(stream), caplog.at_level(logging.DEBUG):
        book_hr_screening(bot_url, fake_slack, container)
        _give_feedback(bot_url, fake_slack, container, clock)
        container.outbox.deliver_due()
    logged = "\n".join(
        f"{r.getMessage()} {r.exc_text or ''} {json.dumps(r.args, default=str)}"
        for r in caplog.records
    )
    logged += stream.getvalue()
    assert len(caplog.records) >= 4 and "slack/events" in stream.getvalue()  # it was logged
    assert "ada@example.com" not in logged.lower()
    assert EMAIL.findall(logged) == []
    assert SUMMARY not in logged and NOTE not in logged
    assert "Ada Lovelace" not in logged


def test_a_database_error_names_no_parameter(
    container: Container, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="sqlalchemy.engine"):
        with pytest.raises(StatementError) as raised, container.engine.connect() as connection:
            connection.execute(
                text("SELECT * FROM no_such_table WHERE email = :email"),
                {"email": "secret.candidate@example.com"},
            )
    assert "secret.candidate" not in str(raised.value)
    assert "secret.candidate" not in caplog.text
    assert "parameters hidden" in caplog.text or "parameters hidden" in str(raised.value)


def test_the_log_handler_blanks_out_emails_in_messages_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = configure_logging("text", stream=stream)
    log = logging.getLogger("tests.personal_data")
    try:
        log.warning("refused %s", "duplicate entry 'ada@example.com' for key 'email'")
        try:
            raise ValueError("Key (email)=(grace@example.com) already exists.")
        except ValueError:
            log.exception("a write failed")
    finally:
        logging.getLogger().removeHandler(handler)
    written = stream.getvalue()
    assert "a write failed" in written and "ValueError" in written
    assert "example.com" not in written
    assert written.count("<email>") >= 2
