"""Reading the team modal's state (any state Slack could send)."""

from __future__ import annotations

from datetime import time
from typing import Any

from bot.team.members import TeamMember
from handlers.shared.state import picked, selected_values, text_value
from models.hiring import WORKDAY_END, WORKDAY_START, TeamRole

# Out of every cap's range: reported on its field.
_NOT_A_CAP = -1


def _time(value: str | None, default: time) -> time:
    try:
        return time.fromisoformat(value) if value else default
    except ValueError:
        return default


def _cap(value: str) -> int | None:
    text = value.strip()
    if not text:
        return None
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else _NOT_A_CAP


def parse_team_member(values: dict[str, Any]) -> TeamMember:
    chosen_roles = selected_values(values, "roles")
    return TeamMember(
        slack_id=picked(values, "person", "selected_user"),
        roles=frozenset(TeamRole(v) for v in chosen_roles if v in TeamRole._value2member_map_),
        pools=frozenset(selected_values(values, "pools")),
        weekly_cap=_cap(text_value(values, "weekly_cap")),
        daily_cap=_cap(text_value(values, "daily_cap")),
        holiday_country=text_value(values, "holiday_country").strip() or None,
        work_start=_time(picked(values, "work_start", "selected_time"), WORKDAY_START),
        work_end=_time(picked(values, "work_end", "selected_time"), WORKDAY_END),
    )
