"""A fair spread end to end: `/schedule-interview` prefills the least loaded pool member, each
proposal says why these people, and pool members may stand in for an earlier time."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.container import Container
from models import InterviewStatus, SchedulingRequest, TeamRole
from tests import builders
from tests.clock import FixedClock
from tests.conftest import SIGNING_SECRET
from tests.e2e.scheduling_helpers import (
    busy,
    click,
    proposal_buttons,
    proposals_in,
    schedule_values,
    stage_id,
    submit,
)
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import checkboxes, slash_command


def _seed_recruiters(container: Container, aaron_interviews: int) -> None:
    """Aaron and Zelda in the recruiters pool; Aaron holds interviews around now."""
    now = container.clock.now()
    with container.unit_of_work() as uow:
        s = uow.session
        builders.person(s, "U_ADMIN", "Ada Admin", TeamRole.ADMIN)
        aaron = builders.person(s, "U_AARON", "Aaron", TeamRole.RECRUITER, pools=("recruiters",))
        builders.person(s, "U_ZELDA", "Zelda", TeamRole.RECRUITER, pools=("recruiters",))
        for n in range(aaron_interviews):
            someone = builders.candidate(
                s, f"Candidate {n}", f"c{n}@example.com", now, "hr-screening"
            )
            # one last week, the others in the coming days: all inside the four-week window
            start = now + timedelta(days=2 * n - 5, hours=1)
            builders.interview(s, someone, "hr-screening", start, [aaron])
        uow.commit()


def _hr_screening_picker(fake_slack: FakeSlackAPI) -> dict[str, Any]:
    view = fake_slack.wait_for("views.open", timeout=10)[0].params["view"]
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert blocks["stage"]["element"]["initial_option"]["text"]["text"] == "HR screening"
    element: dict[str, Any] = blocks["interviewers"]["element"]
    return element


def test_the_lighter_recruiter_is_prefilled_not_the_first_by_name(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    _seed_recruiters(container, aaron_interviews=3)
    response = slash_command("/schedule-interview", user_id="U_ADMIN").post(bot_url, SIGNING_SECRET)
    assert response.status == 200
    assert _hr_screening_picker(fake_slack)["initial_users"] == ["U_ZELDA"]
    view = fake_slack.wait_for("views.open", timeout=10)[0].params["view"]
    stand_ins = next(b for b in view["blocks"] if b.get("block_id") == "pool_substitutes")
    assert [o["value"] for o in stand_ins["element"]["initial_options"]] == ["yes"]


def test_with_nobody_loaded_a_recruiter_is_still_prefilled(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    _seed_recruiters(container, aaron_interviews=0)
    slash_command("/schedule-interview", user_id="U_ADMIN").post(bot_url, SIGNING_SECRET)
    assert _hr_screening_picker(fake_slack)["initial_users"] in (["U_AARON"], ["U_ZELDA"])


TUESDAY = date(2026, 3, 3)
WEDNESDAY = date(2026, 3, 4)


def _propose(
    bot_url: str,
    fake_slack: FakeSlackAPI,
    container: Container,
    picked: str,
    stand_ins: bool,
) -> dict[str, Any]:
    values = schedule_values(stage_id(container, "hr-screening"), [picked], TUESDAY, WEDNESDAY)
    if stand_ins:
        values["pool_substitutes"] = {"pool_substitutes": checkboxes(["yes"])}
    submit(bot_url, values)
    return proposals_in(fake_slack, "V_SCHED")


def _options(view: dict[str, Any]) -> list[tuple[datetime, str, str]]:
    """Each option: its start, who runs it, and the "why these people" line under it."""
    blocks = view["blocks"]
    options = []
    for index, block in enumerate(blocks):
        if block.get("accessory", {}).get("action_id") != "book_slot":
            continue
        value = json.loads(block["accessory"]["value"])
        why = blocks[index + 1]["elements"][0]["text"]
        who = block["text"]["text"].split(" with ")[-1]
        options.append((datetime.fromisoformat(value["starts"]["1"]), who, why))
    return options


def _zelda_busy_on_tuesday(container: Container) -> None:
    busy(
        container,
        "u_zelda@example.com",
        datetime(2026, 3, 3, 7, tzinfo=UTC),
        datetime(2026, 3, 3, 18, tzinfo=UTC),
        "zelda-tuesday",
    )


def test_each_proposal_says_why_these_people(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container, clock: FixedClock
) -> None:
    clock.at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    _seed_recruiters(container, aaron_interviews=3)

    options = _options(_propose(bot_url, fake_slack, container, "U_ZELDA", stand_ins=False))

    assert options
    assert {why for _, _, why in options} == {
        "Why these people: Zelda: lightest load in HR recruiters (0 interviews in 4 weeks)"
    }


def test_a_heavier_pick_is_explained_as_such(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container, clock: FixedClock
) -> None:
    clock.at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    _seed_recruiters(container, aaron_interviews=3)

    options = _options(_propose(bot_url, fake_slack, container, "U_AARON", stand_ins=False))

    assert options[0][2] == (
        "Why these people: Aaron: 2nd lightest of 2 in HR recruiters (3 interviews in 4 weeks)"
    )


def test_without_stand_ins_only_the_picked_recruiter_is_proposed(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container, clock: FixedClock
) -> None:
    clock.at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    _seed_recruiters(container, aaron_interviews=3)
    _zelda_busy_on_tuesday(container)

    options = _options(_propose(bot_url, fake_slack, container, "U_ZELDA", stand_ins=False))

    assert {who for _, who, _ in options} == {"<@U_ZELDA>"}
    assert options[0][0].date() == WEDNESDAY


def test_a_stand_in_from_the_pool_gives_an_earlier_time_and_is_the_one_booked(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container, clock: FixedClock
) -> None:
    clock.at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    _seed_recruiters(container, aaron_interviews=3)
    _zelda_busy_on_tuesday(container)

    view = _propose(bot_url, fake_slack, container, "U_ZELDA", stand_ins=True)
    options = _options(view)

    # Tuesday (Zelda is busy all day) with Aaron standing in, at most twice; then Zelda.
    assert options[0][:2] == (datetime(2026, 3, 3, 8, 0, tzinfo=UTC), "<@U_AARON>")
    assert [who for _, who, _ in options].count("<@U_AARON>") == 2
    assert "Aaron: 2nd lightest of 2 in HR recruiters" in options[0][2]
    assert {who for start, who, _ in options if start.date() == WEDNESDAY} == {"<@U_ZELDA>"}

    click(bot_url, "book_slot", str(proposal_buttons(view)[0]["value"]), view_id="V_SCHED")
    fake_slack.wait_for("chat.postMessage", count=2, timeout=10)
    with container.unit_of_work() as uow:
        aaron = uow.people.person_by_slack_id("U_AARON")
        assert aaron is not None
        request = uow.session.scalars(select(SchedulingRequest)).one()
        interview = uow.interviews.interview_by_uid(request.uid)
        assert interview is not None and interview.status == InterviewStatus.SCHEDULED
        (event,) = interview.events
        interviewers = [p.person_id for p in event.participants if p.person_id is not None]
        assert interviewers == [aaron.id]
        assert request.panel == {"1": [aaron.id]}
    start = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    booked = container.calendar.free_busy(
        ["u_aaron@example.com"], start, start + timedelta(hours=1)
    )
    assert booked["u_aaron@example.com"], "the event is in Aaron's calendar"


def test_a_panel_slipped_into_the_button_is_refused_and_nothing_is_booked(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container, clock: FixedClock
) -> None:
    clock.at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    _seed_recruiters(container, aaron_interviews=3)
    view = _propose(bot_url, fake_slack, container, "U_ZELDA", stand_ins=False)
    value = json.loads(str(proposal_buttons(view)[0]["value"]))
    with container.unit_of_work() as uow:
        aaron = uow.people.person_by_slack_id("U_AARON")
        assert aaron is not None
    value["panel"] = {"1": [aaron.id]}

    click(bot_url, "book_slot", json.dumps(value), view_id="V_SCHED")

    answer = fake_slack.wait_for("views.update", count=2, timeout=10)[-1].params["view"]
    assert "That choice could not be read" in json.dumps(answer)
    with container.unit_of_work() as uow:
        request = uow.session.scalars(select(SchedulingRequest)).one()
        assert uow.interviews.interview_by_uid(request.uid) is None
    assert fake_slack.calls("chat.postMessage") == []
