"""Booking the time the user picked, and searching again after a failure."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.container import Container
from bot.scheduling.service import (
    AlreadyBooked,
    Booked,
    BookingFailed,
    BookingOutcome,
    SchedulingError,
    SlotTaken,
)
from handlers.scheduling.notify import post_confirmation, tell_interviewers, unreachable_note
from handlers.scheduling.proposals import (
    booked_view,
    error_view,
    failed_view,
    proposals_view,
    working_view,
)
from handlers.scheduling.submit import show_proposals
from handlers.shared.context import services
from models.schemas import ChosenSlot

TAKEN_NOTICE = "That time was just taken in someone's calendar. Here are fresh proposals."


def book_slot(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    context: BoltContext,
) -> None:
    ack()
    container = services(context)
    view_id = body["view"]["id"]
    user = body["user"]["id"]
    try:
        choice = ChosenSlot.model_validate(json.loads(action["value"]))
    except (ValidationError, ValueError):
        client.views_update(view_id=view_id, view=error_view("That choice could not be read."))
        return
    client.views_update(view_id=view_id, view=working_view("Booking…"))
    try:
        outcome = container.scheduling.book(choice, user)
    except SchedulingError as error:
        client.views_update(view_id=view_id, view=error_view(str(error)))
        return
    _show(container, client, view_id, user, outcome, action["value"])


def _show(
    container: Container,
    client: WebClient,
    view_id: str,
    user: str,
    outcome: BookingOutcome,
    choice_value: str,
) -> None:
    if isinstance(outcome, Booked):
        client.views_update(view_id=view_id, view=booked_view(outcome.summary))
        change = "moved" if outcome.rescheduled else "booked"
        unreachable = tell_interviewers(client, outcome.summary, change)
        post_confirmation(
            client,
            container.scheduling,
            outcome.summary,
            to=user,
            note=unreachable_note(unreachable),
        )
    elif isinstance(outcome, AlreadyBooked):
        client.views_update(view_id=view_id, view=booked_view(outcome.summary))
    elif isinstance(outcome, SlotTaken):
        client.views_update(view_id=view_id, view=proposals_view(outcome.fresh, TAKEN_NOTICE))
    elif isinstance(outcome, BookingFailed):
        client.views_update(view_id=view_id, view=failed_view(outcome.reason, choice_value))
    # InProgress: the click that holds the booking updates the view.


def search_again(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    context: BoltContext,
) -> None:
    ack()
    view_id = body["view"]["id"]
    client.views_update(view_id=view_id, view=working_view("Looking for times again…"))
    show_proposals(services(context), client, view_id, action["value"])
