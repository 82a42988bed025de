"""The operator's GDPR commands of `interview-bot` (and `python -m bot`): erase or export a
candidate, export the audit log, re-encrypt feedback text with the newest key. They need the
database, not Slack."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

import click

if TYPE_CHECKING:  # imported when a command runs, so that `--help` stays quick
    from bot.container import Container
    from bot.privacy.service import CandidateFile

OUTPUT = click.option(
    "--output", metavar="FILE", help="Write to this file instead of the standard output."
)


@contextmanager
def _container() -> Iterator[Container]:
    from bot.app.config_check import checked_container

    container = checked_container(serving=False)
    try:
        yield container
    finally:
        container.engine.dispose()


@click.command("erase-candidate")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for a confirmation.")
def erase_candidate(email: str, yes: bool) -> int:
    """Erase everything about a candidate (GDPR).

    Erases the candidate(s) with EMAIL, their interviews, feedback and calendar events. Exit 0
    when erased, 1 when nothing was erased, 3 when the calendar could not be reached for some
    (run it again)."""
    with _container() as container:
        return _erase(container, email, yes)


@click.command("export-candidate")
@click.argument("email")
@OUTPUT
def export_candidate(email: str, output: str | None) -> int:
    """Everything held about a candidate, as JSON.

    For the candidate(s) with EMAIL; the export is audited."""
    with _container() as container:
        return _export(container, email, output)


@click.command("export-audit")
@OUTPUT
def export_audit(output: str | None) -> int:
    """The audit log as CSV (the export is audited)."""
    with _container() as container:
        return _export_audit(container, output)


@click.command("rotate-keys")
def rotate_keys() -> int:
    """Re-encrypt feedback text with the newest key.

    The newest key is the first of FIELD_ENCRYPTION_KEY."""
    with _container() as container:
        return _rotate_keys(container)


COMMANDS = (erase_candidate, export_candidate, export_audit, rotate_keys)


def _erase(container: Container, email: str, confirmed: bool) -> int:
    files = container.privacy.files_of(None, email)
    if not files:
        print("No candidate has this email.", file=sys.stderr)
        return 1
    print(_describe(files), file=sys.stderr)
    if not confirmed and not _confirm("Erase them for good? Type 'erase' to confirm: "):
        print("Nothing erased.", file=sys.stderr)
        return 1
    outcome = container.privacy.erase_on_request(None, email)
    print(f"Erased {len(outcome.erased)} candidate file(s).", file=sys.stderr)
    if outcome.waiting_for_calendar:
        print("The calendar could not be reached for the others: run it again.", file=sys.stderr)
        return 3
    return 0


def _describe(files: list[CandidateFile]) -> str:
    lines = [f"{len(files)} candidate file(s):"]
    lines += [
        f"  #{f.candidate_id} {f.name} ({f.role}), {f.interviews} interview(s)" for f in files
    ]
    return "\n".join(lines)


def _confirm(prompt: str) -> bool:
    print(prompt, end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline()
    return answer.strip().lower() == "erase"


def _export(container: Container, email: str, output: str | None) -> int:
    document = container.privacy.export_candidate(None, email)
    if document is None:
        print("No candidate has this email.", file=sys.stderr)
        return 1
    with _opened(output) as out:
        json.dump(document, out, indent=2, ensure_ascii=False)
        out.write("\n")
    return 0


def _export_audit(container: Container, output: str | None) -> int:
    with _opened(output) as out:
        rows = container.privacy.write_audit_csv(None, out)
    print(f"{rows} audit entries exported.", file=sys.stderr)
    return 0


def _rotate_keys(container: Container) -> int:
    from bot.privacy.service import NoEncryptionKey

    try:
        written = container.privacy.rotate_keys()
    except NoEncryptionKey:
        print("FIELD_ENCRYPTION_KEY is not set: nothing to encrypt with.", file=sys.stderr)
        return 2
    print(f"{written} feedback text(s) encrypted with the first key.", file=sys.stderr)
    return 0


@contextmanager
def _opened(path: str | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    with open(path, "w", encoding="utf-8", newline="") as out:
        yield out
