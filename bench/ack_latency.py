"""How fast the bot answers Slack, side by side with a bare Bolt app (the floor).

Run: .venv/bin/python -m bench.ack_latency [--requests 400] [--concurrency 20] [--runs 3]
                                           [--legs plain,tls] [--bot-path DIR]

Both apps run under the Procfile's production server and flags (`waitress-serve --threads=8
--max-request-body-size=1048576`), each in its own process, against the same fake Slack Web API
(in this process). The bot has SQLite, the local calendar, the shipped pipeline and a team of 12;
the floor (bench.floor_app) acknowledges and opens a one-block modal with slack-sdk's defaults.
Signed `/schedule-interview` commands are sent at the given concurrency, each on a new connection,
and timed until the acknowledgement is read. The server's CPU per command (user + system, from
/proc) includes the work after the ack, since the count waits for every `views.open` to arrive.

The `tls` leg serves the fake Slack Web API over HTTPS with a self-signed certificate, trusted by
both servers through SSL_CERT_FILE (a bundle of the system's CA certificates plus that one, as a
production client would load), so the cost of TLS to slack.com is measured, not assumed.

`--bot-path` runs the bot's server from another checkout (e.g. a `git worktree` of an older
commit), to measure before and after on the same machine.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench.machine import describe_machine, spread
from bot.app.bootstrap import bootstrap
from bot.app.startup import load_pipelines, migrate
from bot.settings import load_settings
from models import TeamRole
from tests import builders
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import sign, slash_command
from tests.fakes.tls import make_self_signed, trust_bundle

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench-token"
SERVER_FLAGS = ("--threads=8", "--max-request-body-size=1048576")
BOT_APP = "bot.app.web:create_wsgi_app"
FLOOR_APP = "bench.floor_app:create_wsgi_app"
WARM_UP = 40
TEAM = (  # slack id, name, roles, pools
    ("U_ADMIN", "Ada Admin", (TeamRole.ADMIN, TeamRole.RECRUITER), ("recruiters",)),
    ("U_HR2", "Hanna", (TeamRole.RECRUITER,), ("recruiters",)),
    ("U_HR3", "Hugo", (TeamRole.RECRUITER,), ("recruiters",)),
    ("U_HM", "Marta", (TeamRole.INTERVIEWER,), ("hiring-managers",)),
    ("U_HM2", "Mehdi", (TeamRole.INTERVIEWER,), ("hiring-managers",)),
    ("U_HEAD", "Grace", (TeamRole.HEAD_OF_ENGINEERING,), ("head-of-engineering",)),
    ("U_CTO", "Linus", (TeamRole.INTERVIEWER,), ("cto",)),
    *(
        (f"U_ENG{i}", f"Engineer {i}", (TeamRole.INTERVIEWER,), ("backend-engineers",))
        for i in range(1, 6)
    ),
)


@dataclass(frozen=True)
class Figures:
    p50_ms: float
    p99_ms: float
    worst_ms: float
    cpu_ms_per_command: float
    commands_per_second: float


def main() -> None:
    options = _options()
    folder = Path(tempfile.mkdtemp(prefix="ack-bench-"))
    print(describe_machine())
    print(
        f"{options.requests} /schedule-interview commands per app and run, concurrency "
        f"{options.concurrency}, {options.runs} runs; waitress-serve {' '.join(SERVER_FLAGS)}"
    )
    for leg in options.legs.split(","):
        _leg(leg, folder, options)


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--legs", default="plain,tls")
    parser.add_argument("--bot-path", type=Path, default=None)
    return parser.parse_args()


def _leg(leg: str, folder: Path, options: argparse.Namespace) -> None:
    tls = make_self_signed(folder / "tls") if leg == "tls" else None
    bundle = trust_bundle(tls, folder / "tls" / "bundle.pem") if tls else None
    env = _environment(bundle)
    with FakeSlackAPI(tls=tls) as slack:
        env["SLACK_API_URL"] = slack.url
        database = _seeded_database(folder / f"bot-{leg}.db", slack.url)
        results: dict[str, list[Figures]] = {"floor": [], "bot": []}
        for _ in range(options.runs):
            for name, app in (("floor", FLOOR_APP), ("bot", BOT_APP)):
                path = options.bot_path if name == "bot" else None
                server_env = {**env, "DATABASE_URL": database}
                results[name].append(_measure(app, server_env, slack, options, path))
    _print_leg(leg, results)


def _environment(ca_bundle: Path | None) -> dict[str, str]:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "CALENDAR_BACKEND": "local",
        "ADMIN_SLACK_IDS": "U_ADMIN",
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
    }
    if ca_bundle is not None:
        env["SSL_CERT_FILE"] = str(ca_bundle)
    return env


def _seeded_database(path: Path, slack_url: str) -> str:
    url = f"sqlite:///{path}"
    migrate(url)
    settings = load_settings(
        _env_file=None,
        database_url=url,
        slack_api_url=slack_url,
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        calendar_backend="local",
        admin_slack_ids="U_ADMIN",
    )
    container = bootstrap(settings)
    load_pipelines(container)
    with container.unit_of_work() as uow:
        for slack_id, name, roles, pools in TEAM:
            builders.person(uow.session, slack_id, name, *roles, pools=pools)
        uow.commit()
    container.engine.dispose()
    return url


def _measure(
    app: str,
    env: dict[str, str],
    slack: FakeSlackAPI,
    options: argparse.Namespace,
    bot_path: Path | None,
) -> Figures:
    port = _free_port()
    if bot_path is not None:
        env = {**env, "PYTHONPATH": f"{bot_path}{os.pathsep}{env['PYTHONPATH']}"}
    command = [
        str(Path(sys.executable).with_name("waitress-serve")),
        f"--listen=127.0.0.1:{port}",
        *SERVER_FLAGS,
        "--call",
        app,
    ]
    log = open(Path(tempfile.gettempdir()) / f"ack-bench-{port}.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(command, env=env, stdout=log, stderr=log)
    try:
        _wait_until_listening(port)
        slack.clear()
        _send_all(port, WARM_UP, options.concurrency)
        _wait_for_modals(slack, WARM_UP)
        cpu_before = _cpu_seconds(server.pid)
        started = time.perf_counter()
        latencies = _send_all(port, options.requests, options.concurrency)
        wall = time.perf_counter() - started
        _wait_for_modals(slack, WARM_UP + options.requests)
        cpu = _cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
    ordered = sorted(latencies)
    return Figures(
        p50_ms=statistics.median(ordered) * 1000,
        p99_ms=ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000,
        worst_ms=ordered[-1] * 1000,
        cpu_ms_per_command=cpu * 1000 / options.requests,
        commands_per_second=options.requests / wall,
    )


def _send_all(port: int, count: int, concurrency: int) -> list[float]:
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(lambda i: _send_command(port, i), range(count)))


def _send_command(port: int, index: int) -> float:
    body, content_type = slash_command(
        "/schedule-interview", user_id="U_ADMIN", trigger_id=f"T{index}.{time.monotonic_ns()}"
    )
    headers = sign(body, SECRET, content_type=content_type)
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/slack/events", body=body.encode(), headers=headers)
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise RuntimeError(f"the server answered {response.status}")
    return elapsed


def _wait_until_listening(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the server did not listen on port {port} within {timeout} s")


def _wait_for_modals(slack: FakeSlackAPI, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while len(slack.calls("views.open")) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {len(slack.calls('views.open'))} of {count} modals opened")
        time.sleep(0.02)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of process `pid` (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _print_leg(leg: str, results: dict[str, list[Figures]]) -> None:
    title = "HTTPS to Slack (self-signed, via SSL_CERT_FILE)" if leg == "tls" else "HTTP to Slack"
    print(f"\n== {leg}: {title}; min / median of {len(results['bot'])} runs")
    headings = ("ack p50 ms", "ack p99 ms", "max ms", "CPU ms/cmd", "cmd/s")
    print(f"{'':8} " + " ".join(f"{heading:>15}" for heading in headings))
    for name, runs in results.items():
        columns = [
            spread([getattr(run, field) for run in runs])
            for field in (
                "p50_ms",
                "p99_ms",
                "worst_ms",
                "cpu_ms_per_command",
                "commands_per_second",
            )
        ]
        cells = " ".join(f"{c.min:6.1f} / {c.median:6.1f}" for c in columns)
        print(f"{name:8} {cells}")
    bot, floor = results["bot"], results["floor"]
    for field, label in (("p99_ms", "ack p99"), ("cpu_ms_per_command", "CPU per command")):
        ratios = [getattr(b, field) / getattr(f, field) for b, f in zip(bot, floor, strict=True)]
        print(
            f"bot / floor, {label}: min {min(ratios):.2f}x, median {statistics.median(ratios):.2f}x"
        )


if __name__ == "__main__":
    main()
