"""The /schedule-interview modal."""

from __future__ import annotations

import json
from typing import Any

from bot.scheduling.form import RescheduleForm, ScheduleForm, StageChoice
from handlers.scheduling.booking_messages import manage_buttons
from handlers.shared.blocks import Block, context, option, plain, section, slack_time
from handlers.shared.text import escape
from models.schemas import CANDIDATE_NAME_MAX, EMAIL_MAX

SCHEDULE_CALLBACK_ID = "schedule_interview"
SUBSTITUTES_BLOCK = "pool_substitutes"
# Block Kit: a select has at most 100 options, a modal 100 blocks (two per booked interview).
MAX_OPTIONS = 100
MAX_UPCOMING_SHOWN = 10
NOT_ALLOWED_TEXT = (
    "Only recruiters, hiring managers and admins can schedule interviews. "
    "Ask a recruiter or an admin to give you access."
)


def schedule_modal(
    form: ScheduleForm, channel_id: str, interviewers_block: str = "interviewers"
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": SCHEDULE_CALLBACK_ID,
        "title": plain("Schedule an interview"),
        "submit": plain("Find times"),
        "close": plain("Cancel"),
        "private_metadata": json.dumps({"channel_id": channel_id}),
        "blocks": [
            *_upcoming(form),
            _candidate_select(form),
            context("…or a new candidate:"),
            _text_input(
                "candidate_name",
                "New candidate's name",
                form.new_candidate_name[:CANDIDATE_NAME_MAX],
                CANDIDATE_NAME_MAX,
            ),
            _text_input("candidate_email", "New candidate's email", "", EMAIL_MAX, email=True),
            _role_select(form),
            _stage_select(form),
            *_interviewers(form, interviewers_block),
            _substitutes(),
            _date("earliest", "Earliest day", form.earliest.isoformat()),
            _date("latest", "Latest day", form.latest.isoformat()),
        ],
    }


def _upcoming(form: ScheduleForm) -> list[Block]:
    """A scheduled candidate's booked interviews, to move or cancel them from here."""
    blocks: list[Block] = []
    for item in form.upcoming[:MAX_UPCOMING_SHOWN]:
        stage = escape(item.stage_name)
        blocks.append(section(f"Already booked: *{stage}* {slack_time(item.start)}"))
        blocks.append(manage_buttons(item.interview_id, block_id=f"upcoming_{item.interview_id}"))
    return blocks


def _candidate_select(form: ScheduleForm) -> Block:
    element: dict[str, Any] = {
        "type": "external_select",
        "action_id": "candidate_search",
        "placeholder": plain("Search by name or email"),
        "min_query_length": 1,
    }
    if form.candidate is not None:
        element["initial_option"] = option(form.candidate.label, str(form.candidate.candidate_id))
    return {
        "type": "input",
        "block_id": "candidate",
        "optional": True,
        "label": plain("Candidate"),
        "element": element,
    }


def _text_input(
    block_id: str, label: str, initial: str, max_length: int, email: bool = False
) -> Block:
    element: dict[str, Any] = {
        "type": "email_text_input" if email else "plain_text_input",
        "action_id": block_id,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial
    return {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": plain(label),
        "element": element,
    }


def _role_select(form: ScheduleForm) -> Block:
    choices = form.role_choices[:MAX_OPTIONS]
    options = [option(title, str(role_id)) for role_id, title in choices]
    element: dict[str, Any] = {"type": "static_select", "action_id": "role", "options": options}
    selected = next((o for o in options if o["value"] == str(form.selected_role_id)), None)
    if selected is not None:
        element["initial_option"] = selected
    return {"type": "input", "block_id": "role", "label": plain("Role"), "element": element}


def _stage_select(form: ScheduleForm) -> Block:
    choices = form.stage_choices[:MAX_OPTIONS]
    options = [option(choice.label, str(choice.stage_id)) for choice in choices]
    element: dict[str, Any] = {"type": "static_select", "action_id": "stage", "options": options}
    selected = next((o for o in options if o["value"] == str(form.selected_stage_id)), None)
    if selected is not None:
        element["initial_option"] = selected
    return {
        "type": "input",
        "block_id": "stage",
        "label": plain("Stage"),
        "dispatch_action": True,
        "element": element,
    }


def session_block_id(interviewers_block: str, position: int) -> str:
    """A loop session's picker: its id follows the interviewers block's, which changes with the
    stage so that Slack shows the new stage's defaults."""
    return f"{interviewers_block}{SESSION_BLOCK_MARK}{position}"


SESSION_BLOCK_MARK = ":session-"


def _interviewers(form: ScheduleForm, block_id: str) -> list[Block]:
    """One picker for the stage, or one per session of a loop (each with its pool's defaults)."""
    stage = _selected_stage(form)
    if stage is None or len(stage.sessions) < 2:
        defaults = stage.default_interviewer_slack_ids if stage is not None else ()
        return [_people_picker(block_id, "Interviewers", defaults)]
    return [
        _people_picker(
            session_block_id(block_id, session.position),
            f"Who runs “{session.name}”",
            session.default_interviewer_slack_ids,
        )
        for session in stage.sessions
    ]


def _substitutes() -> Block:
    """Checked by default: the bot may propose other free members of the same pools."""
    choice = option("Other members of the same pools may stand in, for earlier times", "yes")
    return {
        "type": "input",
        "block_id": SUBSTITUTES_BLOCK,
        "optional": True,
        "label": plain("Stand-ins"),
        "element": {
            "type": "checkboxes",
            "action_id": SUBSTITUTES_BLOCK,
            "options": [choice],
            "initial_options": [choice],
        },
    }


def _people_picker(block_id: str, label: str, defaults: tuple[str, ...]) -> Block:
    element: dict[str, Any] = {"type": "multi_users_select", "action_id": "interviewers"}
    if defaults:
        element["initial_users"] = list(defaults)
    return {"type": "input", "block_id": block_id, "label": plain(label), "element": element}


def _selected_stage(form: ScheduleForm) -> StageChoice | None:
    return next((s for s in form.stage_choices if s.stage_id == form.selected_stage_id), None)


def _date(block_id: str, label: str, initial: str) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": {"type": "datepicker", "action_id": block_id, "initial_date": initial},
    }


RESCHEDULE_CALLBACK_ID = "reschedule_interview"


def reschedule_modal(form: RescheduleForm) -> dict[str, Any]:
    summary = form.summary
    return {
        "type": "modal",
        "callback_id": RESCHEDULE_CALLBACK_ID,
        "title": plain("Reschedule"),
        "submit": plain("Find new times"),
        "close": plain("Cancel"),
        "private_metadata": json.dumps({"interview_id": summary.interview_id}),
        "blocks": [
            context(
                f"*{escape(summary.stage_name)}* with *{escape(summary.candidate_name)}*: same "
                "interviewers, new time. The calendar events move; nobody is booked twice."
            ),
            _date("earliest", "Earliest day", form.earliest.isoformat()),
            _date("latest", "Latest day", form.latest.isoformat()),
        ],
    }
