"""Reading the scheduling modal's state into a ScheduleInput."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from handlers.scheduling.schedule_modal import SESSION_BLOCK_MARK, SUBSTITUTES_BLOCK
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
    return next(
        (b for b in values if b.startswith(INTERVIEWERS_BLOCK) and SESSION_BLOCK_MARK not in b),
        INTERVIEWERS_BLOCK,
    )


def session_block_ids(values: dict[str, Any]) -> dict[int, str]:
    """A loop's per-session pickers: the block id of each, by the session's position."""
    blocks: dict[int, str] = {}
    for block_id in values:
        _, mark, position = block_id.partition(SESSION_BLOCK_MARK)
        if block_id.startswith(INTERVIEWERS_BLOCK) and mark and position.isdigit():
            blocks[int(position)] = block_id
    return blocks


def _selected_users(values: dict[str, Any], block_id: str) -> list[str]:
    return list(element_state(values, block_id).get("selected_users") or [])


def parse_schedule_state(values: dict[str, Any]) -> ScheduleInput:
    try:
        return ScheduleInput(
            candidate_id=_int_or_none(_selected_value(values, "candidate")),
            candidate_name=element_state(values, "candidate_name").get("value") or "",
            candidate_email=element_state(values, "candidate_email").get("value") or "",
            role_id=_int_or_none(_selected_value(values, "role")),
            stage_id=_int_or_none(_selected_value(values, "stage")),
            interviewer_slack_ids=_selected_users(values, interviewers_block_id(values)),
            session_interviewer_slack_ids={
                position: _selected_users(values, block_id)
                for position, block_id in session_block_ids(values).items()
            },
            earliest=_date_or_none(element_state(values, "earliest").get("selected_date")),
            latest=_date_or_none(element_state(values, "latest").get("selected_date")),
            pool_substitutes=bool(element_state(values, SUBSTITUTES_BLOCK).get("selected_options")),
        )
    except ValidationError:
        return ScheduleInput()
