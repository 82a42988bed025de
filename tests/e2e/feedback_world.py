"""Shared set-up and steps of the feedback end-to-end tests."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.container import Container
from models import TeamRole
from models.feedback_schemas import ScorecardDraft
from tests import builders
from tests.conftest import SIGNING_SECRET
from tests.fakes.slack_api import FakeSlackAPI, RecordedCall
from tests.fakes.slack_requests import (
    PostResult,
    block_actions,
    plain_text_input,
    radio_buttons,
    static_select,
    view_submission,
)

# Tuesday 24 Nov 2026: the technical test review runs 09:00-10:30 UTC (10:00-11:30 in Paris).
REVIEW_START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
REVIEW_END = REVIEW_START + timedelta(minutes=90)
TECHNICAL_TEST = ("java-delivery", "data-modelling", "event-flows", "security", "robustness")


@dataclass(frozen=True)
class World:
    interview_id: int
    candidate_id: int
    people: dict[str, int]


def hiring_world(
    container: Container,
    *,
    interviewers: tuple[str, ...] = ("U_ENG1", "U_ENG2"),
    timezones: dict[str, str] | None = None,
    start: datetime = REVIEW_START,
    minutes: int = 90,
) -> World:
    """A recruiter, a hiring manager, engineers, and Ada's technical test review."""
    zones = timezones or {}
    with container.unit_of_work() as uow:
        s = uow.session
        people = {
            "U_HR": builders.person(s, "U_HR", "Hanna HR", TeamRole.RECRUITER),
            "U_HM": builders.person(s, "U_HM", "Hugo HM", TeamRole.HIRING_MANAGER),
            "U_HEAD": builders.person(s, "U_HEAD", "Margaret", TeamRole.HEAD_OF_ENGINEERING),
            "U_OTHER": builders.person(s, "U_OTHER", "Nosy", TeamRole.INTERVIEWER),
        }
        for slack_id, name in (("U_ENG1", "Grace"), ("U_ENG2", "Linus"), ("U_ENG3", "Barbara")):
            people[slack_id] = builders.person(
                s,
                slack_id,
                name,
                TeamRole.INTERVIEWER,
                timezone=zones.get(slack_id, "Europe/Paris"),
            )
        ada = builders.candidate(s, "Ada Lovelace", "ada@example.com", start, "technical-test")
        review = builders.interview(
            s, ada, "technical-test", start, [people[i] for i in interviewers], minutes=minutes
        )
        review.scheduled_by_id = people["U_HR"].id
        uow.commit()
        return World(review.id, ada.id, {key: person.id for key, person in people.items()})


def scorecard_values(
    ratings: dict[str, str | None] | None = None,
    recommendation: str | None = "yes",
    summary: str | None = "Solid design sense; clear about trade-offs.",
    notes: dict[str, str] | None = None,
) -> dict[str, dict[str, dict[str, Any]]]:
    """The modal's `state.values` as Slack sends them on submit."""
    given = ratings if ratings is not None else dict.fromkeys(TECHNICAL_TEST, "3")
    values: dict[str, dict[str, dict[str, Any]]] = {}
    for key, rating in given.items():
        values[f"rating:{key}"] = {"rating": static_select(rating)}
        values[f"note:{key}"] = {"note": plain_text_input((notes or {}).get(key))}
    values["recommendation"] = {"recommendation": radio_buttons(recommendation)}
    values["summary"] = {"summary": plain_text_input(summary)}
    return values


def submit_scorecard(
    bot_url: str,
    user_id: str,
    interview_id: int,
    values: dict[str, dict[str, dict[str, Any]]] | None = None,
    *,
    base_version: int = 0,
    view_id: str | None = None,
) -> dict[str, Any]:
    metadata = json.dumps({"interview_id": interview_id, "base_version": base_version})
    request = view_submission(
        "scorecard",
        values if values is not None else scorecard_values(),
        user_id=user_id,
        private_metadata=metadata,
        view_id=view_id or f"V_{user_id}_{base_version}",
    )
    result = request.post(bot_url, SIGNING_SECRET)
    assert result.status == 200, result
    answer: dict[str, Any] = json.loads(result.body) if result.body else {}
    return answer


def click(
    bot_url: str,
    action_id: str,
    value: str,
    user_id: str,
    *,
    trigger_id: str = "trigger-1",
    channel_id: str | None = None,
    message_ts: str | None = None,
    response_url: str | None = None,
) -> PostResult:
    message = {"ts": message_ts} if message_ts else None
    request = block_actions(
        action_id,
        value=value,
        user_id=user_id,
        trigger_id=trigger_id,
        channel_id=channel_id or f"D{user_id}",
        message=message,
        response_url=response_url,
    )
    result = request.post(bot_url, SIGNING_SECRET)
    assert result.status == 200, result
    return result


def dms_to(fake: FakeSlackAPI, slack_id: str) -> list[RecordedCall]:
    """Top-level chat.postMessage calls the bot made to someone's DM (not thread replies)."""
    return [
        call
        for call in fake.calls("chat.postMessage")
        if call.params.get("channel") == slack_id and not call.params.get("thread_ts")
    ]


def thread_replies(fake: FakeSlackAPI) -> list[RecordedCall]:
    return [call for call in fake.calls("chat.postMessage") if call.params.get("thread_ts")]


def block_text(call_or_view: dict[str, Any]) -> str:
    """All the text of a message's or a view's blocks, for assertions."""
    return json.dumps(call_or_view.get("blocks", []))


def eventually(check: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait for work the bot does after acknowledging Slack (listeners go on in a thread)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


def submit_directly(container: Container, user_id: str, interview_id: int) -> None:
    """A scorecard stored through the service alone: no listener, so nothing is delivered on
    submit (the request DM's edit, if there is a DM, waits in the outbox for its job)."""
    draft = ScorecardDraft(
        interview_id=interview_id,
        base_version=0,
        view_id=f"V_DIRECT_{user_id}",
        ratings=dict.fromkeys(TECHNICAL_TEST, "3"),
        recommendation="yes",
        summary="Stored directly.",
    )
    container.feedback.submit(user_id, draft)


def at_once(run: Callable[[], object], workers: int = 4) -> None:
    """Run `run` in several threads released together, as several workers would."""
    start = threading.Barrier(workers)
    errors: list[BaseException] = []

    def worker() -> None:
        start.wait()
        try:
            run()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
