"""The container: what every Slack listener and scheduler job is given (built by bot.app.bootstrap).

One service per feature, built from the settings, the database, the clock, the calendar and the
ports through which the features reach Slack.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.calendar_sync.service import CalendarSyncService
from bot.candidate_links.service import CandidateLinkService
from bot.decisions.service import DecisionService
from bot.digest.service import DigestService
from bot.feedback.service import FeedbackService
from bot.outbox.service import OutboxService
from bot.privacy.service import PrivacyService
from bot.scheduling.service import SchedulingService
from bot.settings import Settings
from bot.shared.clock import Clock
from bot.team.service import TeamService
from calendars.provider import CalendarProvider
from models.unit_of_work import UnitOfWork


@dataclass
class Container:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Clock
    calendar: CalendarProvider
    slack: WebClient
    feedback: FeedbackService
    decisions: DecisionService
    digest: DigestService
    scheduling: SchedulingService
    calendar_sync: CalendarSyncService
    team: TeamService
    outbox: OutboxService
    privacy: PrivacyService
    candidate_links: CandidateLinkService

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)
