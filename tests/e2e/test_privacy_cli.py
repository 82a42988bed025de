"""`python -m bot erase-candidate / export-candidate / export-audit / rotate-keys`, as an operator
runs them (main(argv) with the environment's settings)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app.main import main
from bot.container import Container
from models import AuditEntry, Candidate
from tests.clock import FixedClock
from tests.e2e.privacy_world import ADA_EMAIL, SUMMARY, booked_and_reviewed, rows_mentioning
from tests.fakes.slack_api import FakeSlackAPI


@pytest.fixture
def operator_env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("CALENDAR_BACKEND", "local")


def _actions(container: Container) -> list[str]:
    with container.unit_of_work() as uow:
        return list(uow.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.mark.usefixtures("operator_env")
def test_export_candidate_writes_their_interviews_and_feedback_as_json(
    bot_url: str,
    container: Container,
    fake_slack: FakeSlackAPI,
    clock: FixedClock,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ada = booked_and_reviewed(bot_url, fake_slack, container, clock)
    assert main(["export-candidate", "Ada@Example.com"]) == 0
    [held] = json.loads(capsys.readouterr().out)["candidate_files"]
    assert held["candidate"]["email"] == ADA_EMAIL
    [interview] = held["interviews"]
    assert interview["id"] == ada.interview_id and interview["stage"] == "HR screening"
    assert {e["calendar_event_id"] for e in interview["events"]} == set(ada.calendar_event_ids)
    [feedback] = held["feedback"]
    assert (feedback["interviewer"], feedback["summary"]) == ("Hanna HR", SUMMARY)
    assert len(feedback["ratings"]) == 3
    assert held["scheduling_requests"] and held["feedback_requests"]
    assert "interview.booked" in {entry["action"] for entry in held["audit"]}

    output = tmp_path / "ada.json"
    assert main(["export-candidate", ADA_EMAIL, "--output", str(output)]) == 0
    assert json.loads(output.read_text())["candidate_files"][0]["feedback"][0]["summary"] == SUMMARY
    assert _actions(container).count("candidate.exported") == 2
    assert main(["export-candidate", "nobody@example.com"]) == 1


@pytest.mark.usefixtures("operator_env")
def test_erase_candidate_asks_first_and_erases_on_erase(
    bot_url: str,
    container: Container,
    fake_slack: FakeSlackAPI,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ada = booked_and_reviewed(bot_url, fake_slack, container, clock)
    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))
    assert main(["erase-candidate", ADA_EMAIL]) == 1
    assert "Nothing erased" in capsys.readouterr().err
    with container.unit_of_work() as uow:
        assert uow.session.get(Candidate, ada.candidate_id) is not None

    monkeypatch.setattr("sys.stdin", io.StringIO("erase\n"))
    assert main(["erase-candidate", ADA_EMAIL]) == 0
    assert "Erased 1 candidate file(s)" in capsys.readouterr().err
    assert rows_mentioning(container, ADA_EMAIL, SUMMARY) == []
    assert main(["erase-candidate", ADA_EMAIL, "--yes"]) == 1  # nothing left to erase


@pytest.mark.usefixtures("operator_env")
def test_erase_candidate_yes_needs_no_answer(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    booked_and_reviewed(bot_url, fake_slack, container, clock)
    assert main(["erase-candidate", ADA_EMAIL, "--yes"]) == 0
    assert rows_mentioning(container, ADA_EMAIL) == []
    assert _actions(container)[-1] == "candidate.erased"


@pytest.mark.usefixtures("operator_env")
def test_export_audit_writes_every_entry_as_csv_and_is_audited(
    bot_url: str,
    container: Container,
    fake_slack: FakeSlackAPI,
    clock: FixedClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    booked_and_reviewed(bot_url, fake_slack, container, clock)
    before = _actions(container)
    assert main(["export-audit"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["at", "actor_slack_id", "actor_name", "action", "subject", "detail"]
    assert [row[3] for row in rows[1:]] == before
    booked = next(row for row in rows if row[3] == "interview.booked")
    assert booked[1:3] == ["U_ADMIN", "Ada Admin"]
    assert _actions(container)[-1] == "audit.exported"


@pytest.mark.usefixtures("operator_env")
def test_rotate_keys_without_a_key_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rotate-keys"]) == 2
    assert "FIELD_ENCRYPTION_KEY is not set" in capsys.readouterr().err
