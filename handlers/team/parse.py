"""Reading the team modal's state."""

from __future__ import annotations

from datetime import time
from typing import Any

from bot.team.members import TeamMember
from handlers.shared.state import element_state
from models.hiring import WORKDAY_END, WORKDAY_START, TeamRole


def _time(value: Any, default: time) -> time:
    try:
        return time.fromisoformat(value) if value else default
    except ValueError:
        return default


def _cap(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return -1  # reported as an out-of-range cap


def _checked(values: dict[str, Any], block_id: str) -> set[str]:
    return {o["value"] for o in element_state(values, block_id).get("selected_options") or []}


def parse_team_member(values: dict[str, Any]) -> TeamMember:
    chosen_roles = _checked(values, "roles")
    chosen_pools = _checked(values, "pools")
    return TeamMember(
        slack_id=element_state(values, "person").get("selected_user"),
        roles=frozenset(TeamRole(v) for v in chosen_roles if v in TeamRole._value2member_map_),
        pools=frozenset(chosen_pools),
        weekly_cap=_cap(element_state(values, "weekly_cap").get("value")),
        daily_cap=_cap(element_state(values, "daily_cap").get("value")),
        holiday_country=(element_state(values, "holiday_country").get("value") or "").strip()
        or None,
        work_start=_time(element_state(values, "work_start").get("selected_time"), WORKDAY_START),
        work_end=_time(element_state(values, "work_end").get("selected_time"), WORKDAY_END),
    )
