"""Scheduling listeners: command, modal, candidate search, booking, reschedule, cancel."""

from __future__ import annotations

from slack_bolt import App

from handlers.scheduling.book import book_slot, search_again
from handlers.scheduling.candidate_link import (
    CANDIDATE_LINK_CALLBACK,
    open_candidate_link,
    submit_candidate_link,
)
from handlers.scheduling.candidate_search import candidate_options
from handlers.scheduling.command import schedule_interview
from handlers.scheduling.manage import cancel_interview, open_reschedule, submit_reschedule
from handlers.scheduling.proposals import LET_CANDIDATE_CHOOSE
from handlers.scheduling.schedule_modal import RESCHEDULE_CALLBACK_ID, SCHEDULE_CALLBACK_ID
from handlers.scheduling.stage_changed import stage_changed
from handlers.scheduling.submit import submit_schedule


def register(app: App) -> None:
    app.command("/schedule-interview")(schedule_interview)
    app.options("candidate_search")(candidate_options)
    app.view(SCHEDULE_CALLBACK_ID)(submit_schedule)
    app.view(RESCHEDULE_CALLBACK_ID)(submit_reschedule)
    app.action("stage")(stage_changed)
    app.action("book_slot")(book_slot)
    app.action("search_again")(search_again)
    app.action(LET_CANDIDATE_CHOOSE)(open_candidate_link)
    app.view(CANDIDATE_LINK_CALLBACK)(submit_candidate_link)
    app.action("reschedule_interview")(open_reschedule)
    app.action("cancel_interview")(cancel_interview)
