"""The `daily_digest` job: every minute, send today's digest if it is due and not sent yet."""

from __future__ import annotations

from bot.container import Container
from bot.digest.delivery import DigestSchedule, Outcome, deliver_daily_digest
from handlers.digest.outbox import SlackDigestOutbox


def send_daily_digest(container: Container) -> Outcome:
    settings = container.settings
    schedule = DigestSchedule(settings.zone, settings.digest_time, settings.digest_recipient)
    return deliver_daily_digest(
        container.unit_of_work, container.clock, schedule, SlackDigestOutbox(container.slack)
    )
