"""Shared steps of the candidate link tests: a team, an HR screening request to link to."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.container import Container
from models.schemas import ScheduleInput
from tests.e2e.scheduling_helpers import FRI, WED, busy, seed_people, stage_id

CANDIDATE_EMAIL = "ada@example.com"
# Hanna (the recruiter who interviews) is busy Wednesday 09:00-12:00 in Paris.
HANNA_BUSY = (datetime(2026, 11, 25, 8, tzinfo=UTC), datetime(2026, 11, 25, 11, tzinfo=UTC))


def hr_screening_request(container: Container, name: str = "Ada Lovelace") -> str:
    """The team seeded, Hanna busy on Wednesday morning, and an HR screening request for the
    candidate from Wednesday to Friday (requested by the admin); its uid."""
    seed_people(container)
    busy(container, "u_hr@example.com", *HANNA_BUSY, "hr1")
    data = ScheduleInput(
        candidate_name=name,
        candidate_email=CANDIDATE_EMAIL,
        stage_id=stage_id(container, "hr-screening"),
        interviewer_slack_ids=["U_HR"],
        earliest=WED,
        latest=FRI,
    )
    return container.scheduling.start_scheduling("U_ADMIN", data, view_id="V_LINK")


def token_of(url: str) -> str:
    return url.rsplit("/schedule/", 1)[1]
