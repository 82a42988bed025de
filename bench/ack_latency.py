"""How fast the bot answers Slack (Slack allows 3 s): signed requests over real HTTP.

Run: .venv/bin/python -m bench.ack_latency [--requests N]
Serves the real WSGI app with waitress on loopback, SQLite, the local calendar and the fake
Slack Web API, then times slash commands and a modal submission end to end.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime

from bot.app.bootstrap import bootstrap
from bot.app.startup import load_pipelines, migrate
from bot.settings import load_settings
from models import TeamRole
from tests import builders
from tests.clock import FixedClock
from tests.conftest import serve_bot
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import (
    datepicker,
    email_input,
    multi_users_select,
    plain_text_input,
    slash_command,
    static_select,
    view_submission,
)

SECRET = "bench-secret"


def _times(send: Callable[[int], float], count: int) -> tuple[float, float, float]:
    samples = sorted(send(i) * 1000 for i in range(count))
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], samples[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    count = parser.parse_args().requests
    folder = tempfile.mkdtemp()
    url = f"sqlite:///{folder}/bench.db"
    migrate(url)
    with FakeSlackAPI() as slack:
        settings = load_settings(
            _env_file=None,
            database_url=url,
            slack_api_url=slack.url,
            slack_bot_token="xoxb-bench",
            slack_signing_secret=SECRET,
            calendar_backend="local",
            admin_slack_ids="U_ADMIN",
        )
        container = bootstrap(settings, clock=FixedClock(datetime(2026, 11, 24, 8, tzinfo=UTC)))
        load_pipelines(container)
        container.team.enrol_admins()  # U_ADMIN, from the settings
        with container.unit_of_work() as uow:
            builders.person(uow.session, "U_HR", "Hanna", TeamRole.RECRUITER, pools=("recruiters",))
            stage = builders.stage(uow.session, "hr-screening").id
            uow.commit()
        with serve_bot(container) as bot_url:
            rows = [
                (
                    "/schedule-interview (ack, then views.open)",
                    lambda i: (
                        slash_command("/schedule-interview", user_id="U_ADMIN")
                        .post(bot_url, SECRET)
                        .elapsed_seconds
                    ),
                ),
                (
                    "/interview-feedback (ephemeral list)",
                    lambda i: (
                        slash_command("/interview-feedback", user_id="U_HR")
                        .post(bot_url, SECRET)
                        .elapsed_seconds
                    ),
                ),
                (
                    "schedule modal submit (checks + request)",
                    lambda i: (
                        view_submission(
                            "schedule_interview",
                            _values(stage, i),
                            user_id="U_ADMIN",
                            view_id=f"V{i}",
                        )
                        .post(bot_url, SECRET)
                        .elapsed_seconds
                    ),
                ),
            ]
            print(f"{'request':44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  ({count} each)")
            for name, send in rows:
                send(0)  # warm-up
                p50, p95, worst = _times(send, count)
                print(f"{name:44} {p50:8.1f} {p95:8.1f} {worst:8.1f}")
            time.sleep(1)  # let the last searches finish before the server stops


def _values(stage: int, index: int) -> dict[str, dict[str, dict[str, object]]]:
    return {
        "candidate_name": {"candidate_name": plain_text_input(f"Candidate {index}")},
        "candidate_email": {"candidate_email": email_input(f"c{index}@example.com")},
        "stage": {"stage": static_select(str(stage))},
        "interviewers": {"interviewers": multi_users_select(["U_HR"])},
        "earliest": {"earliest": datepicker(date(2026, 11, 25))},
        "latest": {"latest": datepicker(date(2026, 12, 9))},
    }


if __name__ == "__main__":
    main()
