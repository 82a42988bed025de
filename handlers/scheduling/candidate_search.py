"""External select option listeners (the candidate search as you type)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from handlers.shared.blocks import option
from handlers.shared.context import services


def candidate_options(ack: Ack, payload: dict[str, Any], context: BoltContext) -> None:
    choices = services(context).scheduling.find_candidates(payload.get("value", ""))
    ack(options=[option(choice.label, str(choice.candidate_id)) for choice in choices])
