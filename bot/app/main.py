"""The `interview-bot` command line (also `python -m bot`), on click.

`serve` (the default) runs the web app and the scheduler in one process; the Procfile splits them
into `release` (migrate, load the pipelines, enrol the admins), `web` and `worker`. `check` tries
every setting and outside service, `demo` runs the whole loop offline, and the GDPR commands come
from bot.app.privacy_cli. Heavy modules are imported inside the commands, so that `--help`
starts nothing and answers at once.

A bad setting ends every command with one line naming its variable and exit code 2.
"""

from __future__ import annotations

import logging
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot.app.privacy_cli import COMMANDS as PRIVACY_COMMANDS
from bot.settings import ConfigError

if TYPE_CHECKING:
    from bot.container import Container

log = logging.getLogger("bot")
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def package_version() -> str:
    try:
        return version("interview-bot")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def _print_version(context: click.Context, _option: click.Parameter, value: bool) -> None:
    if value and not context.resilient_parsing:
        click.echo(f"interview-bot {package_version()}")
        context.exit()


class _Commands(click.Group):
    """Lists its commands in the order they were added (serving first), not alphabetically."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@click.group(cls=_Commands, invoke_without_command=True, context_settings=CONTEXT)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
@click.pass_context
def cli(context: click.Context) -> Any:
    """A Slack bot that runs a hiring loop. Without a command it runs `serve`.

    Settings come from the environment and a .env file (see .env.example and the README); a bad
    setting stops any command with one line naming its variable, exit code 2.
    """
    if context.invoked_subcommand is None:
        return context.invoke(serve)
    return None


@cli.command(context_settings=CONTEXT)
def serve() -> None:
    """Web app and scheduler in one process (the default).

    Serves Slack on PORT and runs the scheduled jobs; migrates the database first, like
    `release`."""
    container = _started(serving=True, migrate=True)
    run_web_and_scheduler(container)


@cli.command(context_settings=CONTEXT)
def web() -> None:
    """Only the Slack web app, on PORT (no scheduler).

    Run `release` first. The production server runs the same app: waitress-serve --call
    bot.app.web:create_wsgi_app (see the Procfile)."""
    import waitress

    from bot.app.slack_app import build_bolt_app
    from bot.app.web import MAX_BODY_BYTES, make_wsgi_app

    container = _started(serving=True, migrate=False)
    log.info("interview-bot web listening on port %s", container.settings.port)
    waitress.serve(
        make_wsgi_app(container, build_bolt_app(container)),
        host="0.0.0.0",
        port=container.settings.port,
        threads=8,
        ident="interview-bot",
        max_request_body_size=MAX_BODY_BYTES,
    )


@cli.command(context_settings=CONTEXT)
def worker() -> None:
    """Only the scheduler (jobs, reminders, digest).

    With METRICS_PORT it also serves /metrics and /healthz on that port."""
    run_scheduler(_started(serving=True, migrate=True))


@cli.command(context_settings=CONTEXT)
def release() -> None:
    """Migrate the database, load pipelines, enrol admins.

    Needs no Slack settings. The Procfile's `release`."""
    container = _started(serving=False, migrate=True)
    container.engine.dispose()


@cli.command(context_settings=CONTEXT)
def check() -> int:
    """Check settings, database, schema, Slack and Google.

    One line each: the settings, the database (one attempt), its schema against the code's
    migrations, Slack's token (auth.test, skipped without SLACK_BOT_TOKEN) and, with
    CALENDAR_BACKEND=google, a token for the organizer's calendar. Exit 0 when all pass, 1 when
    one fails, 2 for a bad setting."""
    from bot.app.cli_check import run_check

    return run_check(click.echo)


@cli.command(context_settings=CONTEXT)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("interview-bot-demo"),
    show_default=True,
    help="Where the demo's database and the digest chart (digest.png) go.",
)
def demo(output_dir: Path) -> int:
    """The whole hiring loop offline, no Slack app needed.

    The real bot on SQLite and the local calendar, against a built-in stand-in for Slack's Web
    API, drives one candidate through every stage and prints what each person sees."""
    from bot.app.demo import run_demo

    return run_demo(output_dir)


@cli.command("help", context_settings=CONTEXT)
@click.argument("command", required=False)
@click.pass_context
def help_command(context: click.Context, command: str | None) -> None:
    """Show the commands, or one command's help."""
    group = context.parent
    assert group is not None
    if command is None:
        click.echo(group.get_help())
        return
    chosen = cli.get_command(group, command)
    if chosen is None:
        raise click.UsageError(f"No such command {command!r}.", group)
    click.echo(chosen.get_help(click.Context(chosen, info_name=command, parent=group)))


@cli.command("version", hidden=True)
def version_command() -> None:
    """Show the version."""
    click.echo(f"interview-bot {package_version()}")


for _command in PRIVACY_COMMANDS:
    cli.add_command(_command)


def _started(*, serving: bool, migrate: bool) -> Container:
    """The checked container, logging configured, the database migrated when `migrate`."""
    from bot.app.config_check import checked_container

    container = checked_container(serving=serving)
    from bot.app.observability import configure_logging
    from bot.app.startup import head_revisions, prepare

    configure_logging(container.settings.log_format)
    if migrate:
        prepare(container)
    head_revisions()  # read once now, not on the first /healthz
    return container


def run_web_and_scheduler(container: Container) -> None:
    import waitress

    from bot.app.scheduler import build_scheduler
    from bot.app.slack_app import build_bolt_app
    from bot.app.web import MAX_BODY_BYTES, make_wsgi_app

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


def run_scheduler(container: Container) -> None:
    from bot.app.scheduler import build_scheduler

    port = container.settings.metrics_port
    if port is None:
        build_scheduler(container, blocking=True).start()
        return
    import waitress

    from bot.app.web import make_wsgi_app

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


def main(argv: list[str]) -> int:
    """Run the command line on `argv`; returns the exit code."""
    try:
        result = cli.main(args=argv, standalone_mode=False)
    except ConfigError as exc:
        from bot.app.config_check import error_line

        print(error_line(exc), file=sys.stderr)
        return 2
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        print("Aborted.", file=sys.stderr)
        return 1
    return result if isinstance(result, int) else 0


def run() -> int:
    """The `interview-bot` console script."""
    return main(sys.argv[1:])
