"""/hiring-digest: the digest now, ephemerally, for whoever may read it; a polite no otherwise."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.digest.service import NotAllowedToReadDigest
from handlers.digest.messages import digest_ephemeral, digest_refusal
from handlers.shared.context import services


def hiring_digest(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    try:
        digest = services(context).digest.digest_for_reader(command["user_id"])
    except NotAllowedToReadDigest:
        ack(**digest_refusal())
        return
    ack(**digest_ephemeral(digest))
