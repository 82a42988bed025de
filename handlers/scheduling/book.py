"""Booking the time the user picked, and searching again after a failure.

Whatever goes wrong, the modal ends on a result or on a "Try again" that resumes the same
request (which books once: the request's state says what is done)."""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any

from pydantic import ValidationError
from slack_bolt import Respond
from slack_sdk import WebClient

from bot.container import Container
from bot.scheduling.service import (
    TEMPORARY_PROBLEM,
    AlreadyBooked,
    Booked,
    BookingFailed,
    BookingOutcome,
    InProgress,
    Proposals,
    SchedulingError,
    SlotTaken,
)
from bot.team.people import NOT_AVAILABLE
from calendars.provider import CalendarError
from handlers.scheduling.proposals import (
    booked_view,
    error_view,
    failed_view,
    in_progress_view,
    proposals_view,
    search_failed_view,
    working_view,
)
from handlers.shared.after_answer import acknowledged_click
from handlers.shared.replies import MISPLACED, clicked_view_id, reply_privately
from models.schemas import ChosenSlot

log = logging.getLogger(__name__)

TAKEN_NOTICE = "That time was just taken in someone's calendar. Here are fresh proposals."
# How long a click that finds the request held by another waits for that booking's outcome.
WAIT_FOR_OTHER_CLICK = 10.0
POLL_EVERY = 0.2
REQUEST_UID = re.compile(r"[0-9a-f]{32}")


def _book(
    container: Container,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
) -> None:
    view_id = clicked_view_id(body)
    user = body["user"]["id"]
    if view_id is None:  # the proposals are only ever shown in the scheduling modal
        reply_privately(client, respond, user, MISPLACED)
        return
    value = action.get("value")
    if not isinstance(value, str) or (choice := _chosen_slot(value)) is None:
        client.views_update(view_id=view_id, view=error_view("That choice could not be read."))
        return
    client.views_update(view_id=view_id, view=working_view("Booking…"))
    try:
        outcome = container.scheduling.book(choice, user)
        if isinstance(outcome, InProgress):
            outcome = _outcome_once_settled(container, choice.request_uid)
    except SchedulingError as error:
        client.views_update(view_id=view_id, view=error_view(str(error)))
        return
    except Exception:  # the database, a calendar bug...: never leave the modal spinning
        log.exception("booking request %s failed", choice.request_uid)
        client.views_update(view_id=view_id, view=failed_view(TEMPORARY_PROBLEM, value))
        return
    _show(container, client, view_id, outcome, value)


def _chosen_slot(value: str) -> ChosenSlot | None:
    """The button's choice as we wrote it (JSON of a ChosenSlot); None for anything else."""
    try:
        return ChosenSlot.model_validate(json.loads(value))
    except (ValidationError, ValueError, RecursionError):  # not JSON, nested too deep, not ours
        return None


def _outcome_once_settled(container: Container, request_uid: str) -> BookingOutcome:
    """A double click: wait a little for the click holding the request to finish."""
    deadline = time.monotonic() + WAIT_FOR_OTHER_CLICK
    outcome: BookingOutcome = InProgress(request_uid)
    while isinstance(outcome, InProgress) and time.monotonic() < deadline:
        time.sleep(POLL_EVERY)
        outcome = container.scheduling.booking_outcome(request_uid)
    return outcome


def _show(
    container: Container,
    client: WebClient,
    view_id: str,
    outcome: BookingOutcome,
    choice_value: str,
) -> None:
    if isinstance(outcome, Booked):
        client.views_update(view_id=view_id, view=booked_view(outcome.summary))
        container.outbox.deliver(outcome.message_keys)
    elif isinstance(outcome, AlreadyBooked):
        client.views_update(view_id=view_id, view=booked_view(outcome.summary))
    elif isinstance(outcome, SlotTaken):
        notice = TAKEN_NOTICE
        if outcome.reason:
            notice = (
                f"That time cannot be booked any more: {outcome.reason}. Here are fresh proposals."
            )
        client.views_update(view_id=view_id, view=_proposals(container, outcome.fresh, notice))
    elif isinstance(outcome, BookingFailed):
        client.views_update(view_id=view_id, view=failed_view(outcome.reason, choice_value))
    else:
        client.views_update(view_id=view_id, view=in_progress_view(choice_value))


def _search_again(
    container: Container,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
) -> None:
    view_id = clicked_view_id(body)
    user = body["user"]["id"]
    if view_id is None:  # "Search again" is only ever shown in the scheduling modal
        reply_privately(client, respond, user, MISPLACED)
        return
    request_uid = action.get("value")
    if not isinstance(request_uid, str) or not REQUEST_UID.fullmatch(request_uid):
        client.views_update(view_id=view_id, view=error_view(NOT_AVAILABLE))
        return
    client.views_update(view_id=view_id, view=working_view("Looking for times again…"))
    try:
        proposals = container.scheduling.propose_again(user, request_uid)
    except SchedulingError as refused:
        client.views_update(view_id=view_id, view=error_view(str(refused)))
        return
    except CalendarError as error:
        client.views_update(view_id=view_id, view=search_failed_view(str(error), request_uid))
        return
    except Exception:
        log.exception("could not propose times again for request %s", request_uid)
        failed = search_failed_view(TEMPORARY_PROBLEM, request_uid)
        client.views_update(view_id=view_id, view=failed)
        return
    client.views_update(view_id=view_id, view=_proposals(container, proposals))


def _proposals(container: Container, proposals: Proposals, notice: str = "") -> dict[str, Any]:
    links = container.candidate_links.links_enabled
    return proposals_view(proposals, notice, candidate_links=links)


# Acknowledge the click, then book or search on the slow-work pool.
book_slot = acknowledged_click(_book)
search_again = acknowledged_click(_search_again)
