"""`interview-bot demo`: the real bot, offline, through one whole hiring loop.

The bot is built as in production (bootstrap, migrations, the shipped pipeline, waitress) on a
fresh SQLite file and the local calendar; its Slack Web API is the stand-in on loopback, and the
demo plays Slack's part with signed requests to /slack/events, on an accelerated clock.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.app.bootstrap import bootstrap
from bot.app.demo import cast
from bot.app.demo.clock import AcceleratedClock
from bot.app.demo.narrator import Narrator
from bot.app.demo.records import outcome, pipeline
from bot.app.demo.slack_side import SlackSide
from bot.app.demo.slack_standin import SlackStandIn
from bot.app.demo.story import ROLE_KEY, DemoFailed, Story
from bot.app.demo.summary import Figures, summary_lines
from bot.app.startup import prepare
from bot.container import Container
from bot.settings import load_settings

ZONE = ZoneInfo("Europe/Paris")
# A Monday morning, before the first digest of the week.
DEFAULT_START = datetime(2026, 11, 30, 8, 30, tzinfo=ZONE)
DEFAULT_SPEED = 60.0
# The demo's own credentials: nothing leaves this machine.
SIGNING_SECRET = "demo-signing-secret-offline"
BOT_TOKEN = "xoxb-demo-offline"
CHART_FILE = "digest.png"
DATABASE_FILE = "demo.db"


def run_demo(
    output_dir: Path,
    *,
    out: TextIO = sys.stdout,
    start: datetime | None = None,
    speed: float = DEFAULT_SPEED,
) -> int:
    """Run the whole loop, telling it on `out`; the database and the digest chart are written to
    `output_dir`. Returns 0 on success, 1 when the bot did not do what the story expects."""
    began = time.perf_counter()
    output_dir.mkdir(parents=True, exist_ok=True)
    clock = AcceleratedClock(start or DEFAULT_START, speed)
    narrator = Narrator(out, cast.TEAM, ZONE)
    try:
        with _warnings_collected() as warnings:
            figures = _play(output_dir, clock, narrator)
    except (DemoFailed, OSError, RuntimeError) as error:
        print(f"\nThe demo stopped: {error}", file=out)
        traceback.print_exc(file=sys.stderr)
        return 1
    figures.wall_seconds = time.perf_counter() - began
    figures.warnings = warnings
    for line in summary_lines(figures, ZONE, narrator.name):
        narrator.line(line)
    return 0


def _play(output_dir: Path, clock: AcceleratedClock, narrator: Narrator) -> Figures:
    database = output_dir / DATABASE_FILE
    for stale in (database, database.with_name(database.name + "-wal")):
        stale.unlink(missing_ok=True)
    members = {person.slack_id: person.member for person in cast.TEAM}
    with SlackStandIn(members) as standin:
        container = _container(f"sqlite:///{database}", standin.api_url, clock)
        try:
            prepare(container)
            with _served(container) as bot_url:
                slack = SlackSide(bot_url, SIGNING_SECRET, standin)
                _introduce(narrator, bot_url, standin, database, clock)
                story = Story(container, standin, slack, clock, narrator)
                started_at = clock.now()
                clock.start()
                _tell(story, container)
                chart = output_dir / CHART_FILE
                chart.write_bytes(story.chart or b"")
                return Figures(
                    outcome(container, cast.CANDIDATE_EMAIL),
                    standin.calls(),
                    slack.requests,
                    chart,
                    started_at,
                    clock.now(),
                )
        finally:
            container.engine.dispose()


def _container(database_url: str, slack_api_url: str, clock: AcceleratedClock) -> Container:
    settings = load_settings(
        _env_file=None,
        database_url=database_url,
        slack_api_url=slack_api_url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_app_token=None,
        calendar_backend="local",
        google_service_account_file=None,
        timezone=ZONE.key,
        holiday_country="FR",
        digest_time="09:00",
        digest_recipient=cast.DIGEST_RECIPIENT.slack_id,
        admin_slack_ids=cast.ADMIN.slack_id,
        field_encryption_key=None,
        metrics_port=None,
    )
    return bootstrap(settings, clock=clock)


def _tell(story: Story, container: Container) -> None:
    stages = pipeline(container, ROLE_KEY)
    story.set_up_team()
    answers: dict[str, str | None] = {
        "candidate_name": cast.CANDIDATE_NAME,
        "candidate_email": cast.CANDIDATE_EMAIL,
    }
    modal = None
    for number, stage in enumerate(stages, start=1):
        story.say.heading(f"Stage {number} of {len(stages)}: {stage.name}")
        modal = modal or story.open_scheduling()
        interview = story.book(cast.HANNA.slack_id, modal, answers)
        if interview.stage.key != stage.key:
            raise DemoFailed(f"booked {interview.stage.name} instead of {stage.name}")
        answers = {}
        story.hold(interview)
        story.collect_feedback(interview)
        last = number == len(stages)
        modal = story.decide((cast.HUGO if last else cast.HANNA).slack_id, interview)
    story.say.heading("The next working morning: the daily digest")
    story.next_morning_digest()


def _introduce(
    narrator: Narrator, bot_url: str, standin: SlackStandIn, database: Path, clock: AcceleratedClock
) -> None:
    now = clock.now().astimezone(ZONE)
    for text in (
        "interview-bot demo: one candidate through the whole hiring loop, offline.",
        f"The real bot serves {bot_url}/slack/events (waitress), on SQLite at {database}",
        "and the local calendar. Its Slack Web API is a stand-in on "
        f"{standin.base_url}; the demo plays Slack,",
        "posting signed requests as Slack would. Simulated time starts "
        f"{now:%A %d %B %Y %H:%M} ({ZONE.key}),",
        "runs fast and jumps ahead between interviews; the scheduler's jobs run as the worker "
        "runs them.",
    ):
        narrator.line(text)


@contextmanager
def _served(container: Container) -> Iterator[str]:
    """The bot's WSGI app under waitress (the production server) on a loopback port."""
    from waitress import wasyncore
    from waitress.server import create_server

    from bot.app.slack_app import build_bolt_app
    from bot.app.web import make_wsgi_app

    # waitress's private loop map: the same loop as the test suite's server, closed by its thread.
    server: Any = create_server(
        make_wsgi_app(container, build_bolt_app(container)), host="127.0.0.1", port=0, threads=4
    )
    stop = threading.Event()

    def serve() -> None:
        # Our own loop, so the sockets are closed by the thread that polls them.
        while not stop.is_set():
            wasyncore.loop(timeout=0.05, map=server._map, count=1)
        wasyncore.close_all(server._map)
        server.task_dispatcher.shutdown()

    thread = threading.Thread(target=serve, name="demo-waitress", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop.set()
        thread.join(timeout=10)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname} {record.name}: {record.getMessage()}")


@contextmanager
def _warnings_collected() -> Iterator[list[str]]:
    """The bot's warnings and errors, kept for the summary rather than mixed into the story."""
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield collector.messages
    finally:
        root.removeHandler(collector)
