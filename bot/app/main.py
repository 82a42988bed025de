"""`python -m bot` runs the web app and the scheduler in one process.

`python -m bot release` migrates the database, loads the pipelines and enrols the admins (the
Procfile's `release`); `python -m bot worker` runs only the scheduler (the Procfile's `worker`),
and serves /metrics and /healthz on METRICS_PORT when it is set. `erase-candidate EMAIL`,
`export-candidate EMAIL`, `export-audit` and `rotate-keys` are the GDPR commands
(bot.app.privacy_cli).
"""

from __future__ import annotations

import logging
import sys

from bot.app.bootstrap import serving_container
from bot.app.observability import configure_logging
from bot.app.privacy_cli import COMMANDS as PRIVACY_COMMANDS
from bot.app.privacy_cli import run as run_privacy_command
from bot.app.web import MAX_BODY_BYTES, make_wsgi_app
from bot.container import Container
from bot.settings import ConfigError

log = logging.getLogger("bot")


def serve(container: Container) -> None:
    import waitress

    from bot.app.scheduler import build_scheduler
    from bot.app.slack_app import build_bolt_app

    bolt_app = build_bolt_app(container)
    scheduler = build_scheduler(container)
    scheduler.start()
    settings = container.settings
    if settings.slack_app_token is not None:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        handler = SocketModeHandler(bolt_app, settings.slack_app_token.get_secret_value())
        handler.connect()  # type: ignore[no-untyped-call]
    log.info("interview-bot listening on port %s", settings.port)
    try:
        waitress.serve(
            make_wsgi_app(container, bolt_app),
            host="0.0.0.0",
            port=settings.port,
            threads=8,
            ident="interview-bot",
            max_request_body_size=MAX_BODY_BYTES,
        )
    finally:
        scheduler.shutdown(wait=False)


def work(container: Container) -> None:
    from bot.app.scheduler import build_scheduler

    port = container.settings.metrics_port
    if port is None:
        build_scheduler(container, blocking=True).start()
        return
    import waitress

    scheduler = build_scheduler(container)
    scheduler.start()
    log.info("interview-bot worker serving /metrics and /healthz on port %s", port)
    try:
        waitress.serve(
            make_wsgi_app(container, None),
            host="0.0.0.0",
            port=port,
            threads=2,
            ident="interview-bot-worker",
        )
    finally:
        scheduler.shutdown(wait=False)


def _privacy_command(argv: list[str]) -> int:
    try:
        return run_privacy_command(argv)
    except ConfigError as exc:
        print(f"interview-bot: {exc}", file=sys.stderr)
        return 2


def main(argv: list[str]) -> int:
    if argv[:1] and argv[0] in PRIVACY_COMMANDS:
        return _privacy_command(argv)
    try:
        container = serving_container()
    except ConfigError as exc:
        print(f"interview-bot: {exc}", file=sys.stderr)
        return 2
    configure_logging(container.settings.log_format)
    from bot.app.startup import prepare

    prepare(container)
    if argv[:1] == ["release"]:
        return 0
    if argv[:1] == ["worker"]:
        work(container)
    else:
        serve(container)
    return 0
