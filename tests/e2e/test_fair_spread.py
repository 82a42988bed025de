"""A fair spread end to end: `/schedule-interview` prefills the least loaded pool member."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.container import Container
from models import TeamRole
from tests import builders
from tests.conftest import SIGNING_SECRET
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import slash_command


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


def test_with_nobody_loaded_a_recruiter_is_still_prefilled(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    _seed_recruiters(container, aaron_interviews=0)
    slash_command("/schedule-interview", user_id="U_ADMIN").post(bot_url, SIGNING_SECRET)
    assert _hr_screening_picker(fake_slack)["initial_users"] in (["U_AARON"], ["U_ZELDA"])
