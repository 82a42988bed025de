"""/hiring-digest: the digest now, ephemerally, for whoever may read it; a polite no otherwise."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.digest.build import NotAllowedToReadDigest, digest_for_reader
from handlers.digest.messages import digest_ephemeral, digest_refusal
from handlers.shared.context import services


def hiring_digest(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    container = services(context)
    try:
        with container.unit_of_work() as uow:
            digest = digest_for_reader(
                uow, command["user_id"], container.clock.now(), container.settings.zone
            )
    except NotAllowedToReadDigest:
        ack(**digest_refusal())
        return
    ack(**digest_ephemeral(digest))
