"""External select option listeners (the candidate search as you type)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from handlers.shared.blocks import option
from handlers.shared.context import services


def candidate_options(
    ack: Ack, body: dict[str, Any], payload: dict[str, Any], context: BoltContext
) -> None:
    asker = str((body.get("user") or {}).get("id") or "")
    query = str(payload.get("value") or "")
    choices = services(context).scheduling.find_candidates(asker, query)
    ack(options=[option(choice.label, str(choice.candidate_id)) for choice in choices])
