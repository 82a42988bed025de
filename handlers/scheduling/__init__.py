"""Listeners of the scheduling flow: modal, proposals, booking, reschedule, cancel."""

from __future__ import annotations

from slack_bolt import App

from handlers.scheduling.book import book_slot, search_again
from handlers.scheduling.calendar_changes import REPLACE_ACTION, replace_interviewer
from handlers.scheduling.manage import cancel_interview, open_reschedule, submit_reschedule
from handlers.scheduling.stage_changed import stage_changed
from handlers.scheduling.submit import submit_schedule
from handlers.views.schedule_modal import CALLBACK_ID, RESCHEDULE_CALLBACK_ID


def register(app: App) -> None:
    app.view(CALLBACK_ID)(submit_schedule)
    app.view(RESCHEDULE_CALLBACK_ID)(submit_reschedule)
    app.action("stage")(stage_changed)
    app.action("book_slot")(book_slot)
    app.action("search_again")(search_again)
    app.action("reschedule_interview")(open_reschedule)
    app.action("cancel_interview")(cancel_interview)
    app.action(REPLACE_ACTION)(replace_interviewer)
