"""Reading the team modal's state."""

from __future__ import annotations

from datetime import time
from typing import Any

from bot.team import TeamMember
from models.hiring import TeamRole


def _element(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    block = values.get(block_id) or {}
    return next(iter(block.values()), {}) if block else {}


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


def parse_team_member(values: dict[str, Any]) -> TeamMember:
    chosen_roles = {o["value"] for o in _element(values, "roles").get("selected_options") or []}
    chosen_pools = {o["value"] for o in _element(values, "pools").get("selected_options") or []}
    return TeamMember(
        slack_id=_element(values, "person").get("selected_user"),
        roles=frozenset(TeamRole(v) for v in chosen_roles if v in TeamRole._value2member_map_),
        pools=frozenset(chosen_pools),
        weekly_cap=_cap(_element(values, "weekly_cap").get("value")),
        work_start=_time(_element(values, "work_start").get("selected_time"), time(9)),
        work_end=_time(_element(values, "work_end").get("selected_time"), time(18)),
    )
