"""The operator's GDPR commands of `python -m bot`: erase or export a candidate, export the audit
log, re-encrypt feedback text with the newest key. They need the database, not Slack."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from bot.app.bootstrap import bootstrap
from bot.container import Container
from bot.privacy.service import CandidateFile, NoEncryptionKey
from bot.settings import load_settings

COMMANDS = ("erase-candidate", "export-candidate", "export-audit", "rotate-keys")


def run(argv: list[str]) -> int:
    arguments = _parser().parse_args(argv)
    container = bootstrap(load_settings())
    try:
        if arguments.command == "erase-candidate":
            return _erase(container, arguments.email, arguments.yes)
        if arguments.command == "export-candidate":
            return _export(container, arguments.email, arguments.output)
        if arguments.command == "export-audit":
            return _export_audit(container, arguments.output)
        return _rotate_keys(container)
    finally:
        container.engine.dispose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot")
    commands = parser.add_subparsers(dest="command", required=True)
    erase = commands.add_parser("erase-candidate", help="erase everything about a candidate")
    erase.add_argument("email")
    erase.add_argument("--yes", action="store_true", help="do not ask for a confirmation")
    export = commands.add_parser("export-candidate", help="everything about a candidate, JSON")
    export.add_argument("email")
    export.add_argument("--output", help="write to this file instead of stdout")
    audit = commands.add_parser("export-audit", help="the audit log as CSV")
    audit.add_argument("--output", help="write to this file instead of stdout")
    commands.add_parser("rotate-keys", help="re-encrypt feedback text with the first key")
    return parser


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
