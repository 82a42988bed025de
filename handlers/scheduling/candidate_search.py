"""External select option listeners (the candidate search as you type)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.scheduling.form import find_candidates
from handlers.shared.blocks import option
from handlers.shared.context import services


def candidate_options(ack: Ack, payload: dict[str, Any], context: BoltContext) -> None:
    with services(context).unit_of_work() as uow:
        choices = find_candidates(uow, payload.get("value", ""))
    ack(options=[option(choice.label, str(choice.candidate_id)) for choice in choices])
