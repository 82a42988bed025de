"""Who may see and do what: every command, action, view submission, options request and App Home
view, for every kind of caller, through signed requests to /slack/events.

One world: Ada's technical test review is over; Linus (on its panel) gave his feedback, Grace (on
it too) not yet; a request to book Ada's HR screening exists. Each cell checks what the caller
gets, and that a caller who may not see Ada finds neither her name nor her email in the HTTP answer
or in any call the bot made to Slack. A refusal is the same polite message whatever it refuses.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.container import Container
from bot.settings import Settings
from models import AuditEntry
from models.feedback_schemas import ScorecardDraft
from models.hiring import Interview, InterviewStatus, SchedulingRequest, SchedulingStatus
from tests import builders
from tests.clock import FixedClock
from tests.conftest import SIGNING_SECRET, make_settings
from tests.e2e.feedback_world import (
    REVIEW_END,
    TECHNICAL_TEST,
    eventually,
    hiring_world,
    scorecard_values,
)
from tests.e2e.scheduling_helpers import FRI, WED, schedule_values
from tests.fakes.slack_api import RESPONSE_URL_METHOD, FakeSlackAPI
from tests.fakes.slack_requests import (
    SlackRequest,
    app_home_opened,
    block_actions,
    block_suggestion,
    datepicker,
    event_callback,
    radio_buttons,
    slash_command,
    static_select,
    users_select,
    view_submission,
)

ADA, ADA_EMAIL = "Ada Lovelace", "ada@example.com"
LINUS_SAYS = "Linus found the Kafka answers shallow."
CALLERS = {
    "admin": "U_ADMIN",
    "recruiter": "U_HR",
    "hiring manager": "U_HM",
    "interviewer on the panel": "U_ENG1",
    "interviewer not on it": "U_OTHER",
    "head of engineering": "U_HEAD",
    "unknown to the bot": "U_STRANGER",
}
SCHEDULERS = {"U_ADMIN", "U_HR", "U_HM"}
DECIDERS = SCHEDULERS | {"U_HEAD"}
DIGEST_READERS = {"U_ADMIN", "U_HR", "U_HEAD"}
PANEL = {"U_ENG1"}
EVERYONE = set(CALLERS.values())
NOT_AVAILABLE = "This isn't available to you."
ONLY_SCHEDULERS = "Only recruiters, hiring managers and admins"


@dataclass(frozen=True)
class World:
    interview_id: int
    request_uid: str
    people: dict[str, int]
    response_url: str


@dataclass
class Answer:
    """What the caller got: the HTTP answer and what the bot then sent to Slack."""

    body: str
    slack: str

    @property
    def everything(self) -> str:
        return self.body + self.slack


@dataclass(frozen=True)
class Entry:
    """One entry point: how to call it, and what each caller is to get."""

    send: Callable[[World, str], SlackRequest]
    # Slack calls the answer is made of, for callers allowed / refused (waited for).
    answered_by: tuple[str, int] | None
    refused_by: tuple[str, int] | None
    allowed: set[str]
    # Who is shown Ada (must); who may be (others must not find her anywhere).
    shows_ada: set[str]
    may_show_ada: set[str]
    allowed_says: str = ""
    refused_says: str = ""


def _schedule_submission(world: World, user: str) -> SlackRequest:
    values = schedule_values(None, ["U_HR"], WED, FRI, candidate_id=world.people["ada"])
    values["stage"] = {"stage": static_select(str(world.people["hr-screening"]))}
    metadata = json.dumps({"channel_id": "C1"})
    return view_submission(
        "schedule_interview", values, user_id=user, view_id="V_SCHED", private_metadata=metadata
    )


def _reschedule_submission(world: World, user: str) -> SlackRequest:
    values = {"earliest": {"earliest": datepicker(WED)}, "latest": {"latest": datepicker(FRI)}}
    metadata = json.dumps({"interview_id": world.interview_id})
    return view_submission(
        "reschedule_interview", values, user_id=user, view_id="V_RESC", private_metadata=metadata
    )


def _candidate_link_submission(world: World, user: str) -> SlackRequest:
    values = {"language": {"language": radio_buttons("fr")}}
    return view_submission(
        "candidate_link", values, user_id=user, view_id="V_LINK", private_metadata=world.request_uid
    )


def _scorecard_submission(world: World, user: str) -> SlackRequest:
    metadata = json.dumps({"interview_id": world.interview_id, "base_version": 0})
    return view_submission(
        "scorecard", scorecard_values(), user_id=user, view_id="V_CARD", private_metadata=metadata
    )


def _in_modal(action_id: str, value: str | None = None, **extra: Any) -> Callable[..., Any]:
    def send(world: World, user: str) -> SlackRequest:
        return block_actions(
            action_id,
            value=value(world) if callable(value) else value,
            user_id=user,
            view={"id": "V_MODAL", "callback_id": "schedule_interview"},
            **extra,
        )

    return send


def _on_message(action_id: str, value: Callable[[World], str]) -> Callable[..., Any]:
    def send(world: World, user: str) -> SlackRequest:
        return block_actions(
            action_id,
            value=value(world),
            user_id=user,
            channel_id=f"D{user}",
            response_url=world.response_url,
        )

    return send


def _interview(world: World) -> str:
    return str(world.interview_id)


def _replacement(world: World) -> str:
    people = world.people
    return json.dumps(
        {
            "interview_id": world.interview_id,
            "leaving": people["U_ENG2"],
            "joining": people["U_ENG3"],
            "slack_id": "U_ENG3",
        }
    )


def _chosen_slot(world: World) -> str:
    return json.dumps({"request_uid": world.request_uid, "starts": {"1": "2026-11-25T09:00:00Z"}})


def _command(name: str, text: str = "") -> Callable[..., Any]:
    return lambda world, user: slash_command(name, text, user_id=user)


ENTRIES: dict[str, Entry] = {
    "/schedule-interview": Entry(
        _command("/schedule-interview"),
        ("views.open", 1),
        None,
        SCHEDULERS,
        set(),
        set(),
        refused_says="Only recruiters, hiring managers and admins",
    ),
    "/interview-feedback": Entry(
        _command("/interview-feedback"), None, None, EVERYONE, PANEL, PANEL
    ),
    "/hiring-digest": Entry(
        _command("/hiring-digest"),
        None,
        None,
        DIGEST_READERS,
        set(),
        DIGEST_READERS,
        allowed_says='"blocks"',
        refused_says="the hiring digest is for",
    ),
    "candidate search": Entry(
        lambda world, user: block_suggestion("candidate_search", "ada", user_id=user),
        None,
        None,
        EVERYONE,
        SCHEDULERS,
        SCHEDULERS,
    ),
    "candidate search for _": Entry(
        lambda world, user: block_suggestion("candidate_search", "_", user_id=user),
        None,
        None,
        EVERYONE,
        set(),
        set(),
        allowed_says='"options": []',
    ),
    "scheduling modal submitted": Entry(
        _schedule_submission,
        ("views.update", 1),
        None,
        SCHEDULERS,
        set(),
        SCHEDULERS,
        allowed_says='"update"',
        refused_says='"errors"',
    ),
    "reschedule modal submitted": Entry(
        _reschedule_submission,
        ("views.update", 1),
        None,
        SCHEDULERS,
        set(),
        SCHEDULERS,
        allowed_says='"update"',
        refused_says=ONLY_SCHEDULERS,
    ),
    "scorecard submitted": Entry(
        _scorecard_submission,
        None,
        None,
        PANEL,
        PANEL,
        PANEL,
        allowed_says='"update"',
        refused_says="Only this interview's interviewers",
    ),
    "stage picked": Entry(
        lambda world, user: block_actions(
            "stage",
            user_id=user,
            view={"id": "V_MODAL", "callback_id": "schedule_interview"},
            selected_option=str(world.people["hr-screening"]),
        ),
        ("views.update", 1),
        None,
        SCHEDULERS,
        set(),
        set(),
    ),
    "book a time": Entry(
        _in_modal("book_slot", _chosen_slot),
        ("views.update", 2),
        ("views.update", 2),
        SCHEDULERS,
        set(),
        SCHEDULERS,
        allowed_says="not offered",
        refused_says=ONLY_SCHEDULERS,
    ),
    "search again": Entry(
        _in_modal("search_again", lambda world: world.request_uid),
        ("views.update", 2),
        ("views.update", 2),
        SCHEDULERS,
        SCHEDULERS,
        SCHEDULERS,
        refused_says=NOT_AVAILABLE,
    ),
    "let the candidate choose": Entry(
        _in_modal("let_candidate_choose", lambda world: world.request_uid),
        ("views.push", 1),
        ("views.push", 1),
        SCHEDULERS,
        SCHEDULERS,
        SCHEDULERS,
        refused_says=NOT_AVAILABLE,
    ),
    "candidate link submitted": Entry(
        _candidate_link_submission,
        None,
        None,
        SCHEDULERS,
        SCHEDULERS,
        SCHEDULERS,
        allowed_says="https://jobs.example.com/schedule/",
        refused_says=NOT_AVAILABLE,
    ),
    "reschedule panel": Entry(
        _on_message("reschedule_interview", _interview),
        ("views.open", 1),
        ("views.open", 1),
        SCHEDULERS,
        SCHEDULERS,
        SCHEDULERS,
        refused_says=NOT_AVAILABLE,
    ),
    "cancel": Entry(
        _on_message("cancel_interview", _interview),
        ("chat.postMessage", 1),
        (RESPONSE_URL_METHOD, 1),
        SCHEDULERS,
        set(),
        SCHEDULERS,
        refused_says=ONLY_SCHEDULERS,
    ),
    "open the scorecard": Entry(
        _on_message("open_scorecard", _interview),
        ("views.open", 1),
        ("views.open", 1),
        PANEL,
        PANEL,
        PANEL,
        allowed_says='"callback_id": "scorecard"',
        refused_says="Only this interview's interviewers",
    ),
    "see feedback": Entry(
        _on_message("see_feedback", _interview),
        ("views.open", 1),
        ("views.open", 1),
        DECIDERS | PANEL,
        DECIDERS | PANEL,
        DECIDERS | PANEL,
        refused_says=NOT_AVAILABLE,
    ),
    "replace a declined interviewer": Entry(
        _on_message("replace_interviewer_1", _replacement),
        None,
        ("chat.postEphemeral", 1),
        SCHEDULERS,
        set(),
        SCHEDULERS,
        refused_says=ONLY_SCHEDULERS,
    ),
    "decide": Entry(
        _on_message("decision_reject", _interview),
        None,
        (RESPONSE_URL_METHOD, 1),
        DECIDERS,
        set(),
        DECIDERS,
        refused_says="Only hiring managers, recruiters, the Head of Engineering and admins",
    ),
    "manage the team": Entry(
        _on_message("manage_team", lambda world: "x"),
        ("views.open", 1),
        None,
        {"U_ADMIN"},
        set(),
        set(),
    ),
    "team member picked": Entry(
        lambda world, user: block_actions(
            "team_person",
            user_id=user,
            view={"id": "V_TEAM", "callback_id": "team_member"},
            selected_user="U_ENG3",
        ),
        ("views.update", 1),
        None,
        {"U_ADMIN"},
        set(),
        set(),
    ),
    "team modal submitted": Entry(
        lambda world, user: view_submission(
            "team_member",
            {"person": {"team_person": users_select("U_ENG3")}},
            user_id=user,
            view_id="V_TEAM",
        ),
        None,
        None,
        {"U_ADMIN"},
        set(),
        set(),
    ),
    "App Home": Entry(
        lambda world, user: event_callback(
            app_home_opened(user), event_id=f"Ev{uuid.uuid4().hex[:8]}"
        ),
        ("views.publish", 1),
        ("views.publish", 1),
        EVERYONE,
        PANEL,
        PANEL | DECIDERS,
    ),
}


@pytest.fixture
def settings(database_url: str, fake_slack: FakeSlackAPI) -> Settings:
    """Candidate links set up (no SMTP: the link is shown in the answer)."""
    return make_settings(database_url, fake_slack.url, public_url="https://jobs.example.com")


def _world(container: Container, clock: FixedClock, fake: FakeSlackAPI) -> World:
    hiring = hiring_world(container)
    clock.at = REVIEW_END + timedelta(hours=1)
    container.feedback.send_due_requests()
    draft = ScorecardDraft(
        interview_id=hiring.interview_id,
        base_version=0,
        view_id="V_LINUS",
        ratings=dict.fromkeys(TECHNICAL_TEST, "2"),
        recommendation="no",
        summary=LINUS_SAYS,
    )
    container.feedback.submit("U_ENG2", draft)
    with container.unit_of_work() as uow:
        s = uow.session
        screening = builders.stage(s, "hr-screening")
        ada = uow.session.get(Interview, hiring.interview_id).candidate  # type: ignore[union-attr]
        request = SchedulingRequest(
            uid=uuid.uuid4().hex,
            candidate_id=ada.id,
            stage_id=screening.id,
            requested_by_id=hiring.people["U_HR"],
            panel={"1": [hiring.people["U_HR"]]},
            window_start=clock.at + timedelta(days=1),
            window_end=clock.at + timedelta(days=4),
            status=SchedulingStatus.PROPOSED,
            created_at=clock.at,
            updated_at=clock.at,
        )
        s.add(request)
        uow.commit()
        people = {**hiring.people, "ada": ada.id, "hr-screening": screening.id}
        return World(hiring.interview_id, request.uid, people, fake.response_url())


def _ask(bot_url: str, fake: FakeSlackAPI, request: SlackRequest, wait: tuple[str, int] | None):
    result = request.post(bot_url, SIGNING_SECRET)
    assert result.status == 200, result
    if wait is not None:
        fake.wait_for(wait[0], wait[1], timeout=10)
    time.sleep(0.3)  # anything else the listener would send after its answer
    calls = [{"method": c.method, "params": c.params} for c in fake.calls()]
    return Answer(result.body, json.dumps(calls, ensure_ascii=False))


CELLS = [(entry, caller) for entry in ENTRIES for caller in CALLERS]


@pytest.mark.parametrize(("entry_name", "caller"), CELLS)
def test_authorization_matrix(
    entry_name: str,
    caller: str,
    bot_url: str,
    container: Container,
    fake_slack: FakeSlackAPI,
    clock: FixedClock,
) -> None:
    entry, user = ENTRIES[entry_name], CALLERS[caller]
    world = _world(container, clock, fake_slack)
    fake_slack.clear()
    allowed = user in entry.allowed

    answer = _ask(
        bot_url,
        fake_slack,
        entry.send(world, user),
        entry.answered_by if allowed else entry.refused_by,
    )

    if allowed and entry.allowed_says:
        assert entry.allowed_says in answer.everything
    if not allowed and entry.refused_says:
        assert entry.refused_says in answer.everything
    if user in entry.shows_ada:
        assert ADA in answer.everything
    if user not in entry.may_show_ada:
        assert ADA not in answer.everything and "Lovelace" not in answer.everything
        assert ADA_EMAIL not in answer.everything
    _effects(entry_name, container, world, allowed)


def _effects(entry_name: str, container: Container, world: World, allowed: bool) -> None:
    """What the cell changed in the database: only what an allowed caller may change."""
    if entry_name == "decide" and allowed:  # nothing is sent to Slack: wait for the database
        eventually(lambda: _decision(container, world) is not None)
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, world.interview_id)
        assert interview is not None
        requests = uow.session.scalars(select(SchedulingRequest)).all()
    if entry_name == "decide":
        assert (interview.decision is not None) == allowed
    elif entry_name == "cancel" and not allowed:
        assert interview.status == InterviewStatus.SCHEDULED
    elif entry_name in ("scheduling modal submitted", "reschedule modal submitted"):
        assert (len(requests) > 1) == allowed
    elif entry_name == "candidate link submitted":
        assert _audited(container, "candidate_link.created") == allowed


def _audited(container: Container, action: str) -> bool:
    with container.unit_of_work() as uow:
        found = uow.session.scalars(select(AuditEntry.id).where(AuditEntry.action == action))
        return found.first() is not None


def _decision(container: Container, world: World) -> object:
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, world.interview_id)
        return interview.decision if interview else None


def test_the_independent_opinions_rule_holds_in_see_feedback(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    """Grace is on the panel and has not given hers: she sees Ada, not Linus's opinion; the
    Head of Engineering (not on it) reads it."""
    world = _world(container, clock, fake_slack)
    fake_slack.clear()
    for user in ("U_ENG1", "U_HEAD"):
        _ask(bot_url, fake_slack, _on_message("see_feedback", _interview)(world, user), None)
    opened = fake_slack.wait_for("views.open", 2, timeout=10)
    grace, head = (json.dumps(call.params["view"]) for call in opened)
    assert LINUS_SAYS not in grace and "1 more scorecard(s) will show" in grace
    assert LINUS_SAYS in head


def test_a_search_for_an_underscore_finds_only_names_with_one(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    _world(container, clock, fake_slack)
    with container.unit_of_work() as uow:
        builders.candidate(uow.session, "Bob_Smith", "bob@example.com", clock.at, "hr-screening")
        uow.commit()
    for query, expected in (("_", ["Bob_Smith"]), ("%", []), ("ada", [ADA])):
        request = block_suggestion("candidate_search", query, user_id="U_HR")
        result = request.post(bot_url, SIGNING_SECRET)
        options = json.loads(result.body)["options"]
        assert [o["text"]["text"].split(" <")[0] for o in options] == expected, query


def test_an_unknown_interview_gets_the_same_refusal_as_someone_elses(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = _world(container, clock, fake_slack)
    fake_slack.clear()
    for action_id in ("reschedule_interview", "see_feedback"):
        for user, interview in (("U_OTHER", world.interview_id), ("U_HR", 987654)):
            request = block_actions(
                action_id, value=str(interview), user_id=user, channel_id=f"D{user}"
            )
            assert request.post(bot_url, SIGNING_SECRET).status == 200
    opened = fake_slack.wait_for("views.open", 4, timeout=10)
    assert all(NOT_AVAILABLE in json.dumps(call.params["view"]) for call in opened)
