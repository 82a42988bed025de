"""Reading the scheduling modal's state into a ScheduleInput."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from handlers.shared.state import element_state
from models.schemas import ScheduleInput

INTERVIEWERS_BLOCK = "interviewers"


def _selected_value(values: dict[str, Any], block_id: str) -> str | None:
    option = element_state(values, block_id).get("selected_option") or {}
    value = option.get("value")
    return str(value) if value else None


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _date_or_none(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def interviewers_block_id(values: dict[str, Any]) -> str:
    """The interviewers block's id (it changes when the stage does, to reset its defaults)."""
    return next((b for b in values if b.startswith(INTERVIEWERS_BLOCK)), INTERVIEWERS_BLOCK)


def parse_schedule_state(values: dict[str, Any]) -> ScheduleInput:
    try:
        return ScheduleInput(
            candidate_id=_int_or_none(_selected_value(values, "candidate")),
            candidate_name=element_state(values, "candidate_name").get("value") or "",
            candidate_email=element_state(values, "candidate_email").get("value") or "",
            role_id=_int_or_none(_selected_value(values, "role")),
            stage_id=_int_or_none(_selected_value(values, "stage")),
            interviewer_slack_ids=list(
                element_state(values, interviewers_block_id(values)).get("selected_users") or []
            ),
            earliest=_date_or_none(element_state(values, "earliest").get("selected_date")),
            latest=_date_or_none(element_state(values, "latest").get("selected_date")),
        )
    except ValidationError:
        return ScheduleInput()
