"""Property-based fuzzing of every entry point (issue 11): generated payloads for every command,
action, view submission and options request, signed and posted to /slack/events. Whatever they
hold, Slack gets an answer (no HTTP 500, no Bolt 404), a refusal is a field error or a message,
nothing is logged as an error, and what the bot sends to Slack keeps to Block Kit's limits.

Each test prints the payloads it sent (`FUZZ_EXAMPLES` sets the examples per entry point)."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.container import Container
from tests.conftest import SIGNING_SECRET
from tests.e2e.block_kit_limits import problems
from tests.e2e.feedback_world import hiring_world
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import (
    FORM_CONTENT_TYPE,
    SlackRequest,
    block_actions,
    block_suggestion,
    slash_command,
    view_submission,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: a failing listener costs Slack's 3 s
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
USERS = ("U_ADMIN", "U_HR", "U_HM", "U_HEAD", "U_ENG1", "U_OTHER", "U_NOBODY")
COMMANDS = ("/schedule-interview", "/interview-feedback", "/hiring-digest")


ACTIONS = (
    "stage",
    "book_slot",
    "search_again",
    "reschedule_interview",
    "cancel_interview",
    "manage_team",
    "team_person",
    "open_scorecard",
    "see_feedback",
    "replace_interviewer_1",
    "decision_advance",
    "decision_reject",
    "decision_hold",
    "privacy_erase",
)
VIEWS = (
    "schedule_interview",
    "reschedule_interview",
    "team_member",
    "scorecard",
    "privacy_erase_find",
    "privacy_erase_confirm",
)
BLOCK_IDS = (
    "candidate",
    "candidate_name",
    "candidate_email",
    "role",
    "stage",
    "interviewers",
    "interviewers:session-1",
    "interviewers-1:session-²",
    "pool_substitutes",
    "earliest",
    "latest",
    "person",
    "roles",
    "pools",
    "weekly_cap",
    "daily_cap",
    "holiday_country",
    "work_start",
    "work_end",
    "summary",
    "recommendation",
    "rating:java-delivery",
    "note:java-delivery",
    "email",
    "confirm",
)
# Values people (or forgers) send that broke requests before: a digit that int() refuses, a
# number past any column, year 9999, markup, a name of 10,000 characters.
ODD = (
    "²",
    "٣",
    "-1",
    "0",
    "99999999999999999999",
    "1e3",
    " 1",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "{}",
    "[]",
    "null",
    "<https://x|Join the video call>",
    "<!channel>",
    "a" * 10_000,
    "ada@example.com",
    "25:99",
)

texts = st.one_of(st.text(max_size=40), st.sampled_from(ODD), st.integers().map(str))
anything = st.recursive(
    st.none() | st.booleans() | st.integers() | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=6,
)
ids = st.one_of(st.sampled_from(("1", "2", "3")), texts)
users = st.sampled_from(USERS)
option = st.builds(lambda value: {"text": {"type": "plain_text", "text": "x"}, "value": value}, ids)
json_values = st.one_of(
    st.builds(
        lambda uid, starts: json.dumps({"request_uid": uid, "starts": starts}),
        st.one_of(st.just("0" * 32), texts),
        st.dictionaries(ids, texts, max_size=2),
    ),
    st.builds(lambda item: json.dumps(item), anything),
)
values = st.one_of(ids, json_values)
metadata = st.one_of(
    st.just(""),
    st.just("{}"),
    texts,
    st.builds(
        lambda interview, channel: json.dumps({"interview_id": interview, "channel_id": channel}),
        st.one_of(st.integers(), ids, anything),
        st.one_of(texts, anything),
    ),
)
element_states = st.one_of(
    st.builds(lambda v: {"type": "plain_text_input", "value": v}, st.one_of(texts, anything)),
    st.builds(lambda v: {"type": "static_select", "selected_option": v}, st.none() | option),
    st.builds(lambda v: {"type": "external_select", "selected_option": v}, option),
    st.builds(
        lambda v: {"type": "multi_users_select", "selected_users": v},
        st.lists(users | texts, max_size=3) | anything,
    ),
    st.builds(lambda v: {"type": "users_select", "selected_user": v}, users | texts | anything),
    st.builds(lambda v: {"type": "datepicker", "selected_date": v}, texts | st.dates().map(str)),
    st.builds(lambda v: {"type": "timepicker", "selected_time": v}, texts),
    st.builds(lambda v: {"type": "checkboxes", "selected_options": v}, st.lists(option) | anything),
    st.builds(lambda v: {"type": "number_input", "value": v}, texts),
    st.builds(lambda v: {"type": "radio_buttons", "selected_option": v}, option | anything),
    anything,
)
state_values = st.dictionaries(
    st.sampled_from(BLOCK_IDS) | st.text(max_size=8),
    st.dictionaries(
        st.sampled_from(("a", "value")) | st.text(max_size=4), element_states, max_size=1
    )
    | anything,
    max_size=8,
)


def _with(request: SlackRequest, change: Callable[[dict[str, Any]], None]) -> SlackRequest:
    payload = request.payload
    change(payload)
    return SlackRequest(urlencode({"payload": json.dumps(payload)}), FORM_CONTENT_TYPE)


class Fuzzer:
    """Posts payloads, checks each answer, and counts them."""

    def __init__(
        self, bot_url: str, fake_slack: FakeSlackAPI, caplog: pytest.LogCaptureFixture
    ) -> None:
        self.bot_url = bot_url
        self.fake_slack = fake_slack
        self.response_url = fake_slack.response_url()
        self.caplog = caplog
        self.sent = 0

    def check_aftermath(self) -> None:
        """Once the listeners running after their acknowledgement are done: no error was
        logged, and Slack got only valid Block Kit."""
        _quiet(self.fake_slack)
        print(f"\nfuzz: {self.sent} payloads sent, 0 answered 500")
        errors = [r for r in self.caplog.records if r.levelno >= logging.ERROR]
        assert not errors, [f"{r.name}: {r.getMessage()[:200]} {r.exc_text or ''}" for r in errors]
        assert problems(self.fake_slack) == []

    def post(self, request: SlackRequest, kind: str) -> None:
        result = request.post(self.bot_url, SIGNING_SECRET)
        self.sent += 1
        assert result.status == 200, (result.status, result.body[:300])
        answer = _json_or_none(result.body)
        if kind == "view_submission" and answer is not None:
            assert answer.get("response_action") in ("errors", "update", "push", "clear"), answer
            if answer["response_action"] == "errors":
                assert answer["errors"] and all(
                    isinstance(m, str) and m for m in answer["errors"].values()
                )
        if kind == "options":
            assert answer is not None and isinstance(answer.get("options"), list), result.body
        if kind == "command" and result.body:
            assert answer is None or answer.get("text") or answer.get("blocks"), result.body


def _json_or_none(body: str) -> dict[str, Any] | None:
    try:
        decoded = json.loads(body) if body else None
    except ValueError:
        return None
    return decoded if isinstance(decoded, dict) else None


@pytest.fixture
def fuzzer(
    bot_url: str,
    fake_slack: FakeSlackAPI,
    container: Container,
    caplog: pytest.LogCaptureFixture,
) -> Any:
    """A world with people and an interview (the ids 1-3 name real rows)."""
    hiring_world(container)
    for user in USERS:
        fake_slack.add_user(user, f"{user.lower()}@example.com", user)
    with caplog.at_level(logging.WARNING):
        yield Fuzzer(bot_url, fake_slack, caplog)


def _quiet(fake_slack: FakeSlackAPI, settle: float = 1.0) -> None:
    """Wait until the listeners running after their acknowledgement stop calling Slack."""
    count, deadline = -1, time.monotonic() + 30
    while time.monotonic() < deadline:
        now = len(fake_slack.calls())
        if now == count:
            return
        count = now
        time.sleep(settle)


@pytest.mark.parametrize("command", COMMANDS)
def test_commands(fuzzer: Fuzzer, command: str) -> None:
    @FUZZ
    @given(text=texts, user=users)
    def run(text: str, user: str) -> None:
        fuzzer.post(slash_command(command, text=text, user_id=user), "command")

    run()
    fuzzer.check_aftermath()


@pytest.mark.parametrize("action_id", ACTIONS)
def test_actions(fuzzer: Fuzzer, action_id: str) -> None:
    @FUZZ
    @given(
        value=values,
        user=users,
        in_view=st.booleans(),
        private=metadata,
        picked=st.none() | option,
        odd_value=st.none() | anything,
    )
    def run(
        value: str,
        user: str,
        in_view: bool,
        private: str,
        picked: dict[str, Any] | None,
        odd_value: Any,
    ) -> None:
        view = {"id": "V_FUZZ", "callback_id": "fuzz", "private_metadata": private}
        request = block_actions(
            action_id,
            value=value,
            user_id=user,
            view=view if in_view else None,
            selected_option=picked,
            selected_user=user if action_id == "team_person" else None,
            response_url=None if in_view else fuzzer.response_url,
        )
        if odd_value is not None:  # a wrong type where Slack puts a string
            request = _with(request, lambda p: p["actions"][0].__setitem__("value", odd_value))
        fuzzer.post(request, "action")

    run()
    fuzzer.check_aftermath()


@pytest.mark.parametrize("callback_id", VIEWS)
def test_view_submissions(fuzzer: Fuzzer, callback_id: str) -> None:
    @FUZZ
    @given(state=state_values, user=users, private=metadata, view_id=st.sampled_from(("V1", "V2")))
    def run(state: dict[str, Any], user: str, private: str, view_id: str) -> None:
        request = view_submission(
            callback_id, state, user_id=user, private_metadata=private, view_id=view_id
        )
        fuzzer.post(request, "view_submission")

    run()
    fuzzer.check_aftermath()


def test_options_requests(fuzzer: Fuzzer) -> None:
    @FUZZ
    @given(typed=texts, user=users)
    def run(typed: str, user: str) -> None:
        fuzzer.post(block_suggestion("candidate_search", typed, user_id=user), "options")

    run()
    fuzzer.check_aftermath()
