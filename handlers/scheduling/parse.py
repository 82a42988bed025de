"""Reading the scheduling modal's state into a ScheduleInput (any state Slack could send)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from handlers.scheduling.schedule_modal import SESSION_BLOCK_MARK, SUBSTITUTES_BLOCK
from handlers.shared.ids import id_or_none
from handlers.shared.state import (
    element_state,
    picked,
    selected_users,
    selected_value,
    text_value,
)
from models.schemas import ScheduleInput

INTERVIEWERS_BLOCK = "interviewers"


def _date_or_none(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def interviewers_block_id(values: dict[str, Any]) -> str:
    """The interviewers block's id (it changes when the stage does, to reset its defaults)."""
    return next(
        (
            b
            for b in values
            if isinstance(b, str)
            and b.startswith(INTERVIEWERS_BLOCK)
            and SESSION_BLOCK_MARK not in b
        ),
        INTERVIEWERS_BLOCK,
    )


def session_block_ids(values: dict[str, Any]) -> dict[int, str]:
    """A loop's per-session pickers: the block id of each, by the session's position."""
    blocks: dict[int, str] = {}
    for block_id in values:
        if not isinstance(block_id, str) or not block_id.startswith(INTERVIEWERS_BLOCK):
            continue
        _, mark, position = block_id.partition(SESSION_BLOCK_MARK)
        number = id_or_none(position)
        if mark and number is not None:
            blocks[number] = block_id
    return blocks


def parse_schedule_state(values: dict[str, Any]) -> ScheduleInput:
    if not isinstance(values, dict):
        return ScheduleInput()
    try:
        return ScheduleInput(
            candidate_id=id_or_none(selected_value(values, "candidate")),
            candidate_name=text_value(values, "candidate_name"),
            candidate_email=text_value(values, "candidate_email"),
            role_id=id_or_none(selected_value(values, "role")),
            stage_id=id_or_none(selected_value(values, "stage")),
            interviewer_slack_ids=selected_users(values, interviewers_block_id(values)),
            session_interviewer_slack_ids={
                position: selected_users(values, block_id)
                for position, block_id in session_block_ids(values).items()
            },
            earliest=_date_or_none(picked(values, "earliest", "selected_date")),
            latest=_date_or_none(picked(values, "latest", "selected_date")),
            pool_substitutes=bool(element_state(values, SUBSTITUTES_BLOCK).get("selected_options")),
        )
    except ValidationError:
        return ScheduleInput()
