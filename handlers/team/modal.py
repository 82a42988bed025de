"""The admins' team modal: a person's team roles, pools, caps, holidays and working hours."""

from __future__ import annotations

from typing import Any

from bot.team.members import ROLE_LABELS, TeamForm
from handlers.shared.blocks import Block, actions, button, context, option, plain, section
from handlers.shared.text import escape
from models.schemas import COUNTRY_CODE_MAX, DAILY_CAP_MAX, WEEKLY_CAP_MAX

TEAM_CALLBACK_ID = "team_member"
MANAGE_TEAM = "manage_team"
PICK_PERSON = "team_person"
MAX_CHECKBOXES = 10
MAX_OPTIONS = 100


def team_modal(form: TeamForm) -> dict[str, Any]:
    member = form.member
    blocks: list[Block] = [_person(member.slack_id)]
    if member.slack_id is not None:
        blocks += [
            _roles(form),
            *_pools(form),
            _number(
                "weekly_cap",
                "Weekly interview cap (empty: no cap)",
                member.weekly_cap,
                WEEKLY_CAP_MAX,
            ),
            _number(
                "daily_cap", "Daily interview cap (empty: no cap)", member.daily_cap, DAILY_CAP_MAX
            ),
            _country(member.holiday_country),
            _time(
                "work_start",
                "Working hours start (their time zone)",
                member.work_start.strftime("%H:%M"),
            ),
            _time("work_end", "Working hours end", member.work_end.strftime("%H:%M")),
        ]
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": TEAM_CALLBACK_ID,
        "title": plain("Team"),
        "close": plain("Close"),
        "blocks": blocks,
    }
    if member.slack_id is not None:
        view["submit"] = plain("Save")
    return view


def _person(slack_id: str | None) -> Block:
    element: dict[str, Any] = {
        "type": "users_select",
        "action_id": PICK_PERSON,
        "placeholder": plain("Pick someone"),
    }
    if slack_id:
        element["initial_user"] = slack_id
    return {
        "type": "input",
        "block_id": "person",
        "dispatch_action": True,
        "label": plain("Person"),
        "element": element,
    }


def _checkboxes(
    block_id: str, label: str, choices: list[tuple[str, str]], chosen: set[str], optional: bool
) -> Block:
    options = [option(name, value) for value, name in choices[:MAX_OPTIONS]]
    # Block Kit shows at most 10 checkboxes; more choices become a multi-select.
    kind = "checkboxes" if len(options) <= MAX_CHECKBOXES else "multi_static_select"
    element: dict[str, Any] = {"type": kind, "action_id": block_id, "options": options}
    initial = [o for o in options if o["value"] in chosen]
    if initial:
        element["initial_options"] = initial
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": plain(label),
        "element": element,
    }


def _roles(form: TeamForm) -> Block:
    choices = [(str(role), label) for role, label in ROLE_LABELS.items()]
    return _checkboxes("roles", "Roles", choices, {str(r) for r in form.member.roles}, False)


def _pools(form: TeamForm) -> list[Block]:
    if not form.pool_choices:
        return []
    return [
        _checkboxes(
            "pools",
            "Interviews for (default interviewer of these stages)",
            form.pool_choices,
            set(form.member.pools),
            True,
        )
    ]


def _number(block_id: str, label: str, value: int | None, largest: int) -> Block:
    element: dict[str, Any] = {
        "type": "number_input",
        "action_id": block_id,
        "is_decimal_allowed": False,
        "min_value": "0",
        "max_value": str(largest),
    }
    if value is not None:
        element["initial_value"] = str(value)
    return {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": plain(label),
        "element": element,
    }


def _country(code: str | None) -> Block:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": "holiday_country"}
    element["max_length"] = COUNTRY_CODE_MAX
    if code:
        element["initial_value"] = code
    return {
        "type": "input",
        "block_id": "holiday_country",
        "optional": True,
        "label": plain("Also off on the public holidays of (country code, e.g. GB)"),
        "hint": plain("Their own country's holidays, on top of the company's."),
        "element": element,
    }


def _time(block_id: str, label: str, value: str) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": {"type": "timepicker", "action_id": block_id, "initial_time": value},
    }


def saved_view(slack_id: str, roles: list[str], pools: list[str]) -> dict[str, Any]:
    text = f"Saved <@{slack_id}>: {', '.join(escape(r) for r in roles)}."
    if pools:
        text += f" Default interviewer for: {', '.join(escape(p) for p in pools)}."
    return message_view(text)


def message_view(text: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "team_saved",
        "title": plain("Team"),
        "close": plain("Done"),
        "blocks": [section(text)],
    }


def home_team_blocks() -> list[Block]:
    """What admins see on the App Home tab to manage who is who."""
    return [
        {"type": "divider"},
        section("*Team* (admins)"),
        context(
            "Give people their roles (recruiter, hiring manager, interviewer...), the "
            "stages they interview for, daily and weekly caps, holidays and working hours."
        ),
        actions("team", button("Manage team", MANAGE_TEAM, "open")),
    ]
