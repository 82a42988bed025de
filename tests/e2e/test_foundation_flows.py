"""The first flows through the real entry point: signed requests to /slack/events."""

from __future__ import annotations

import json
import time
import urllib.request
from datetime import timedelta

from bot.container import Container
from models import TeamRole
from tests import builders
from tests.conftest import SIGNING_SECRET
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import block_suggestion, slash_command


def _get(url: str) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_healthz_reports_the_database_up(bot_url: str) -> None:
    assert _get(f"{bot_url}/healthz") == (200, {"status": "ok", "database": "up"})


def test_interview_feedback_with_nothing_pending_answers_ephemerally(
    bot_url: str, fake_slack: FakeSlackAPI
) -> None:
    result = slash_command("/interview-feedback", user_id="U_ENG").post(bot_url, SIGNING_SECRET)
    assert result.status == 200
    answer = json.loads(result.body)
    assert answer["response_type"] == "ephemeral"
    assert "no pending interview feedback" in answer["text"]
    assert answer["blocks"]


def test_interview_feedback_lists_what_the_caller_owes(bot_url: str, container: Container) -> None:
    now = container.clock.now()
    with container.unit_of_work() as uow:
        engineer = builders.person(uow.session, "U_ENG", "Grace", TeamRole.INTERVIEWER)
        other = builders.person(uow.session, "U_OTHER", "Linus", TeamRole.INTERVIEWER)
        ada = builders.candidate(
            uow.session, "Ada Lovelace", "ada@example.com", now, "hr-screening"
        )
        done = builders.interview(
            uow.session, ada, "hr-screening", now - timedelta(hours=3), [engineer, other]
        )
        builders.feedback_request(uow.session, done, engineer, sent_at=now - timedelta(hours=2))
        builders.feedback_request(uow.session, done, other, sent_at=now - timedelta(hours=2))
        uow.commit()
    result = slash_command("/interview-feedback", user_id="U_ENG").post(bot_url, SIGNING_SECRET)
    answer = json.loads(result.body)
    assert answer["response_type"] == "ephemeral"
    assert answer["text"] == "You owe feedback for 1 interview:"
    rows = [b for b in answer["blocks"] if b.get("accessory")]
    assert len(rows) == 1
    assert "Ada Lovelace" in rows[0]["text"]["text"]
    assert "<!date^" in rows[0]["text"]["text"]
    assert rows[0]["accessory"]["value"] == str(done.id)


def test_schedule_interview_opens_the_modal_for_that_trigger(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    with container.unit_of_work() as uow:
        builders.person(uow.session, "U_HR", "Hanna HR", TeamRole.RECRUITER, pools=("recruiters",))
        uow.commit()
    request = slash_command("/schedule-interview", user_id="U_ADMIN", trigger_id="trig-42")
    result = request.post(bot_url, SIGNING_SECRET)
    assert result.status == 200
    assert result.elapsed_seconds < 3
    call = fake_slack.wait_for("views.open")[0]
    assert call.params["trigger_id"] == "trig-42"
    view = call.params["view"]
    assert view["callback_id"] == "schedule_interview"
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert {
        "candidate",
        "candidate_name",
        "candidate_email",
        "role",
        "stage",
        "interviewers",
        "earliest",
        "latest",
    } <= set(blocks)
    assert blocks["stage"]["element"]["initial_option"]["text"]["text"] == "HR screening"
    assert blocks["role"]["element"]["initial_option"]["text"]["text"] == "Lead Backend Developer"
    assert blocks["interviewers"]["element"]["initial_users"] == ["U_HR"]
    # Tuesday 24 Nov 2026: from Wednesday to ten working days later.
    assert blocks["earliest"]["element"]["initial_date"] == "2026-11-25"
    assert blocks["latest"]["element"]["initial_date"] == "2026-12-09"


def test_schedule_interview_text_prefills_a_known_candidate(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    with container.unit_of_work() as uow:
        builders.candidate(
            uow.session, "Ada Lovelace", "ada@example.com", container.clock.now(), "onsite"
        )
        uow.commit()
    slash_command("/schedule-interview", "ada@", user_id="U_ADMIN").post(bot_url, SIGNING_SECRET)
    view = fake_slack.wait_for("views.open")[0].params["view"]
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert "Ada Lovelace" in blocks["candidate"]["element"]["initial_option"]["text"]["text"]
    assert blocks["stage"]["element"]["initial_option"]["text"]["text"] == "Onsite"


def test_schedule_interview_is_refused_to_an_interviewer(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    with container.unit_of_work() as uow:
        builders.person(uow.session, "U_ENG", "Grace", TeamRole.INTERVIEWER)
        uow.commit()
    result = slash_command("/schedule-interview", user_id="U_ENG").post(bot_url, SIGNING_SECRET)
    assert result.status == 200
    answer = json.loads(result.body)
    assert answer["response_type"] == "ephemeral"
    assert "Only recruiters, hiring managers and admins" in answer["text"]
    time.sleep(0.2)
    assert fake_slack.calls("views.open") == []


def test_candidate_search_offers_matches_as_you_type(bot_url: str, container: Container) -> None:
    now = container.clock.now()
    with container.unit_of_work() as uow:
        builders.candidate(uow.session, "Ada Lovelace", "ada@example.com", now, "hr-screening")
        builders.candidate(uow.session, "Alan Turing", "alan@example.com", now, "hr-screening")
        uow.commit()
    request = block_suggestion("candidate_search", "LOVE", user_id="U_ADMIN", block_id="candidate")
    result = request.post(bot_url, SIGNING_SECRET)
    assert result.status == 200
    labels = [o["text"]["text"] for o in json.loads(result.body)["options"]]
    assert labels == ["Ada Lovelace <ada@example.com>"]


def test_wrong_secret_or_stale_timestamp_is_refused_without_slack_calls(
    bot_url: str, fake_slack: FakeSlackAPI
) -> None:
    request = slash_command("/schedule-interview", user_id="U_ADMIN")
    assert request.post(bot_url, "not-the-secret").status == 401
    ten_minutes_ago = int(time.time()) - 600
    assert request.post(bot_url, SIGNING_SECRET, timestamp=ten_minutes_ago).status == 401
    time.sleep(0.2)
    assert fake_slack.calls() == []
