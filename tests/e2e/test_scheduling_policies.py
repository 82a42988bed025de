"""Scheduling policies are data and every person's limits count: a stage's notice, grid and caps
from the pipeline file, an interviewer's daily cap and own public holidays set in the team modal,
and the modal's default window, which skips the company's holidays. Through /slack/events."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, update

from bot.container import Container
from models import Person, Stage
from tests.clock import FixedClock
from tests.conftest import SIGNING_SECRET
from tests.e2e.scheduling_helpers import (
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
    number_input,
    plain_text_input,
    slash_command,
    timepicker,
    users_select,
    view_submission,
)


def _starts(view: dict[str, Any]) -> list[datetime]:
    return [
        datetime.fromisoformat(json.loads(str(button["value"]))["starts"]["1"])
        for button in proposal_buttons(view)
    ]


def _set_stage(container: Container, key: str, **policy: int | None) -> None:
    with container.unit_of_work() as uow:
        uow.session.execute(update(Stage).where(Stage.key == key).values(**policy))
        uow.commit()


def _save_member(bot_url: str, slack_id: str, **settings: str | None) -> dict[str, Any]:
    values = {
        "person": {"team_person": users_select(slack_id)},
        "roles": {"roles": checkboxes(["recruiter"])},
        "pools": {"pools": checkboxes(["recruiters"])},
        "weekly_cap": {"weekly_cap": number_input(settings.get("weekly_cap"))},
        "daily_cap": {"daily_cap": number_input(settings.get("daily_cap"))},
        "holiday_country": {"holiday_country": plain_text_input(settings.get("holiday_country"))},
        "work_start": {"work_start": timepicker("09:00")},
        "work_end": {"work_end": timepicker("18:00")},
    }
    result = view_submission("team_member", values, user_id="U_ADMIN", view_id="V_TEAM").post(
        bot_url, SIGNING_SECRET
    )
    assert result.status == 200
    return json.loads(result.body) if result.body else {}


def test_a_stages_notice_and_grid_come_from_its_policy(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container, clock: FixedClock
) -> None:
    clock.at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 09:00 in Paris
    seed_people(container)
    _set_stage(container, "hr-screening", notice_hours=72, grid_minutes=60)

    submit(
        bot_url,
        schedule_values(
            stage_id(container, "hr-screening"), ["U_HR"], date(2026, 3, 2), date(2026, 3, 6)
        ),
    )

    starts = _starts(proposals_in(fake_slack, "V_SCHED"))
    assert starts[0] == datetime(2026, 3, 5, 8, 0, tzinfo=UTC)  # Thursday 09:00, 72 h later
    assert all(start.minute == 0 for start in starts)


def test_an_interviewer_at_their_daily_cap_is_not_proposed_that_day_again(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container, clock: FixedClock
) -> None:
    clock.at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    seed_people(container)
    assert _save_member(bot_url, "U_HR", daily_cap="1")["response_action"] == "update"
    screening = stage_id(container, "hr-screening")
    tuesday, wednesday = date(2026, 3, 3), date(2026, 3, 4)
    submit(bot_url, schedule_values(screening, ["U_HR"], tuesday, tuesday))
    first = proposal_buttons(proposals_in(fake_slack, "V_SCHED"))[0]
    click(bot_url, "book_slot", str(first["value"]), view_id="V_SCHED")
    fake_slack.wait_for("chat.postMessage", count=2, timeout=10)

    other = schedule_values(screening, ["U_HR"], tuesday, wednesday, "Alan Turing", "alan@x.org")
    submit(bot_url, other, view_id="V_OTHER")

    starts = _starts(proposals_in(fake_slack, "V_OTHER"))
    assert starts and {start.date() for start in starts} == {wednesday}
    with container.unit_of_work() as uow:
        hanna = uow.session.scalars(select(Person).where(Person.slack_id == "U_HR")).one()
        assert hanna.daily_interview_cap == 1


def test_an_interviewers_own_public_holiday_is_a_day_off_for_them(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container, clock: FixedClock
) -> None:
    clock.at = datetime(2026, 4, 30, 8, 0, tzinfo=UTC)  # Thursday
    seed_people(container)
    assert _save_member(bot_url, "U_HR", holiday_country="gb")["response_action"] == "update"
    bank_holiday, next_day = date(2026, 5, 4), date(2026, 5, 5)  # May Day: in the UK only

    submit(
        bot_url,
        schedule_values(stage_id(container, "hr-screening"), ["U_HR"], bank_holiday, next_day),
    )

    starts = _starts(proposals_in(fake_slack, "V_SCHED"))
    assert starts and {start.date() for start in starts} == {next_day}
    with container.unit_of_work() as uow:
        hanna = uow.session.scalars(select(Person).where(Person.slack_id == "U_HR")).one()
        assert hanna.holiday_country == "GB"


def test_bad_caps_and_an_unknown_country_come_back_on_their_fields(
    bot_url: str, container: Container
) -> None:
    seed_people(container)

    answer = _save_member(bot_url, "U_HR", daily_cap="5", weekly_cap="3", holiday_country="ZZ")

    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"daily_cap", "holiday_country"}
    assert "two-letter country code" in answer["errors"]["holiday_country"]


def _latest_initial(view: dict[str, Any]) -> str:
    latest = next(b for b in view["blocks"] if b.get("block_id") == "latest")
    return str(latest["element"]["initial_date"])


def test_the_modals_default_window_is_the_stages_working_days_without_holidays(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container, clock: FixedClock
) -> None:
    clock.at = datetime(2026, 7, 8, 8, 0, tzinfo=UTC)  # Wednesday; 14 July is Bastille Day
    seed_people(container)
    _set_stage(container, "onsite", window_days=5)
    slash_command("/schedule-interview", "", user_id="U_HR", trigger_id="t").post(
        bot_url, SIGNING_SECRET
    )
    opened = fake_slack.wait_for("views.open", timeout=10)[0].params["view"]
    earliest = next(b for b in opened["blocks"] if b.get("block_id") == "earliest")

    # From Thursday 9 July, ten working days without 14 July: Friday 24 July, not Thursday 23.
    assert earliest["element"]["initial_date"] == "2026-07-09"
    assert _latest_initial(opened) == "2026-07-24"

    # The onsite's 48 h notice allows Friday 10 July at the earliest; then five working days
    # more: 13, 15, 16, 17 and 20 July.
    block_actions(
        "stage",
        user_id="U_HR",
        block_id="stage",
        selected_option=str(stage_id(container, "onsite")),
        view={"id": "V_OPEN", "hash": "h", "private_metadata": "{}"},
    ).post(bot_url, SIGNING_SECRET)
    updated = fake_slack.wait_for("views.update", timeout=10)[0].params["view"]
    earliest_now = next(b for b in updated["blocks"] if b.get("block_id") == "earliest")
    assert earliest_now["element"]["initial_date"] == "2026-07-10"
    assert _latest_initial(updated) == "2026-07-20"
