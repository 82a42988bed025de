"""bootstrap(): the composition root that builds the container.

It opens the database, picks the calendar, makes the Slack client and gives each feature service
what it needs, including the Slack implementations (from handlers/) of the ports it talks through.
"""

from __future__ import annotations

from functools import partial

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.app.mailer import make_mailer
from bot.app.slack_client import make_outbox_client, make_slack_client
from bot.calendar_sync.service import CalendarSyncService
from bot.candidate_links.service import CandidateLinkService
from bot.container import Container
from bot.decisions.service import DecisionService
from bot.digest.delivery import DigestSchedule
from bot.digest.service import DigestService
from bot.feedback.service import FeedbackService
from bot.outbox.service import OutboxService
from bot.privacy.service import PrivacyService
from bot.scheduling.service import SchedulingService
from bot.settings import Settings
from bot.shared.clock import Clock, SystemClock
from bot.shared.working_time import WorkingDays
from bot.team.service import TeamService
from calendars.provider import CalendarProvider
from handlers.calendar_sync.composer import SlackChangeNoticeComposer
from handlers.decisions.composer import SlackDecisionComposer
from handlers.digest.composer import SlackDigestComposer
from handlers.feedback.composer import SlackFeedbackComposer
from handlers.outbox.notices import SlackFailureNotices
from handlers.outbox.sender import SlackMessageSender
from handlers.scheduling.booking_messages import SlackBookingMessages
from models.base import use_field_keys
from models.database import make_engine, make_session_factory
from models.unit_of_work import UnitOfWork


def make_calendar(settings: Settings, session_factory: sessionmaker[Session]) -> CalendarProvider:
    if settings.calendar == "google":
        from calendars.google import GoogleCalendarProvider

        assert settings.google_service_account_file and settings.google_organizer_email
        return GoogleCalendarProvider.from_service_account_file(
            settings.google_service_account_file,
            settings.google_organizer_email,
            settings.google_calendar_api_url,
        )
    from calendars.local import LocalCalendarProvider

    return LocalCalendarProvider(session_factory)


def bootstrap(
    settings: Settings,
    *,
    clock: Clock | None = None,
    calendar: CalendarProvider | None = None,
    slack: WebClient | None = None,
    outbox_slack: WebClient | None = None,
) -> Container:
    use_field_keys(settings.field_encryption_keys)
    engine = make_engine(settings.database_url)
    session_factory = make_session_factory(engine)
    clock = clock or SystemClock()
    slack = slack or make_slack_client(settings)
    outbox_slack = outbox_slack or make_outbox_client(settings)
    new_uow = partial(UnitOfWork, session_factory)
    calendar = calendar or make_calendar(settings, session_factory)
    booking_messages = SlackBookingMessages()
    working_days = WorkingDays.for_country(settings.holiday_country)
    scheduling = SchedulingService(
        new_uow, clock, settings.zone, calendar, booking_messages, working_days=working_days
    )
    outbox = OutboxService(new_uow, clock, SlackMessageSender(outbox_slack), SlackFailureNotices())
    smtp_url = settings.smtp_url.get_secret_value() if settings.smtp_url else None
    candidate_links = CandidateLinkService(
        new_uow,
        clock,
        settings.zone,
        scheduling,
        outbox.deliver,
        link_key=settings.link_key,
        base_url=settings.public_url,
        mailer=make_mailer(smtp_url, settings.mail_from),
        organizer_email=settings.google_organizer_email,
    )
    return Container(
        settings=settings,
        engine=engine,
        session_factory=session_factory,
        clock=clock,
        calendar=calendar,
        slack=slack,
        feedback=FeedbackService(
            new_uow, clock, settings.zone, SlackFeedbackComposer(), outbox.deliver, working_days
        ),
        decisions=DecisionService(
            new_uow,
            clock,
            settings.zone,
            SlackDecisionComposer(),
            outbox.deliver,
            working_days=working_days,
        ),
        digest=DigestService(
            new_uow,
            clock,
            settings.zone,
            SlackDigestComposer(),
            DigestSchedule(settings.digest_time, settings.digest_recipient, working_days),
            outbox.deliver,
        ),
        scheduling=scheduling,
        candidate_links=candidate_links,
        calendar_sync=CalendarSyncService(
            new_uow, clock, calendar, SlackChangeNoticeComposer(), booking_messages, outbox.deliver
        ),
        outbox=outbox,
        team=TeamService(new_uow, clock, settings.zone, settings.admin_slack_ids),
        privacy=PrivacyService(new_uow, clock, calendar, settings.retention_months),
    )
