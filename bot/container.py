"""The container: what every Slack listener and scheduler job is given (built by bot.app.bootstrap).

One service per feature, built from the settings, the database, the clock, the calendar and the
ports through which the features reach Slack.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.scheduling.service import SchedulingService
from bot.settings import Settings
from bot.shared.clock import Clock
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

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)

    @property
    def scheduling(self) -> SchedulingService:
        return SchedulingService(self.unit_of_work, self.calendar, self.clock, self.settings.zone)
