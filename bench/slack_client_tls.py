"""CPU per Slack Web API call over loopback HTTPS: slack-sdk's client against the pooled one.

    python -m bench.slack_client_tls              # 5 runs of 200 views.open per client
    python -m bench.slack_client_tls --runs 3 --calls 100

The fake Slack Web API serves HTTPS in this process with a self-signed certificate; the clients
trust it through SSL_CERT_FILE pointing at the system's CA bundle followed by that certificate, as
a deployment trusts a real CA. The figure is the calling thread's CPU (`time.thread_time`) per
`views.open` of a 40-block modal, so the server's own work is not counted. It also counts how
often httplib2 (the Google Calendar client's transport) builds an SSL context. Prints figures; it
is not a pass/fail test.
"""

from __future__ import annotations

import argparse
import logging
import os
import ssl
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httplib2
from slack_sdk import WebClient

from bench.machine import add_runs_argument, print_header, spread
from bot.app.slack_client import PooledWebClient, quiet_sdk_debug_logging
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.tls import make_self_signed, trust_bundle

TOKEN = "xoxb-bench"
WARM_UP_CALLS = 5
MODAL = {
    "type": "modal",
    "callback_id": "bench",
    "title": {"type": "plain_text", "text": "Pick a time"},
    "submit": {"type": "plain_text", "text": "Book"},
    "blocks": [
        {
            "type": "section",
            "block_id": f"slot-{n}",
            "text": {"type": "mrkdwn", "text": f"*Tue 24 Nov, {9 + n % 8}:00* with <@U{n:04d}>"},
            "accessory": {
                "type": "button",
                "action_id": f"book-{n}",
                "text": {"type": "plain_text", "text": "Book"},
                "value": f"request-1|slot-{n}",
            },
        }
        for n in range(40)
    ],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_runs_argument(parser)
    parser.add_argument("--calls", type=int, default=200, help="calls per run (default 200)")
    args = parser.parse_args()
    print_header("bench.slack_client_tls", args.runs)
    print(f"OpenSSL {ssl.OPENSSL_VERSION.split()[1]}, {args.calls} views.open per run")
    with tempfile.TemporaryDirectory(prefix="bench_tls_") as folder:
        tls = make_self_signed(Path(folder))
        os.environ["SSL_CERT_FILE"] = str(trust_bundle(tls, Path(folder) / "bundle.pem"))
        os.environ.pop("REQUESTS_CA_BUNDLE", None)
        with FakeSlackAPI(tls=tls) as fake:
            _slack(fake, args.runs, args.calls)
            _google(fake)


def _slack(fake: FakeSlackAPI, runs: int, calls: int) -> None:
    unquieted = logging.getLogger("bench.logger_without_level")  # as slack-sdk's by default
    quiet_sdk_debug_logging()
    quieted = logging.getLogger("slack_sdk.web.base_client")
    clients: dict[str, Callable[[], WebClient]] = {
        "WebClient (ssl=None)": lambda: WebClient(TOKEN, fake.url, logger=unquieted),
        "WebClient, one shared SSLContext": lambda: WebClient(
            TOKEN, fake.url, ssl=ssl.create_default_context(), logger=unquieted
        ),
        "PooledWebClient, logger without level": lambda: PooledWebClient(
            TOKEN, fake.url, logger=unquieted
        ),
        "PooledWebClient, quieted (make_slack_client)": lambda: PooledWebClient(
            TOKEN, fake.url, logger=quieted
        ),
    }
    print("CPU ms per views.open (calling thread) min / median, wall ms median, connections made")
    for name, build in clients.items():
        client = build()
        before = fake.connections
        for n in range(WARM_UP_CALLS):
            _open(client, n)
        cpu: list[float] = []
        wall: list[float] = []
        for _ in range(runs):
            run_cpu, run_wall = _run(client, calls)
            cpu.append(run_cpu)
            wall.append(run_wall)
        connections = fake.connections - before
        print(
            f"  {name:<46} {spread(cpu).text(2):>13} ms   wall {spread(wall).median:6.2f} ms"
            f"   {connections} connections for {WARM_UP_CALLS + runs * calls} calls"
        )
        if isinstance(client, PooledWebClient):
            client.close()


def _run(client: WebClient, calls: int) -> tuple[float, float]:
    cpu0, wall0 = time.thread_time(), time.perf_counter()
    for n in range(calls):
        _open(client, n)
    cpu1, wall1 = time.thread_time(), time.perf_counter()
    return (cpu1 - cpu0) * 1000 / calls, (wall1 - wall0) * 1000 / calls


def _open(client: WebClient, n: int) -> None:
    client.views_open(trigger_id=f"trigger-{n}", view=MODAL)


def _google(fake: FakeSlackAPI) -> None:
    """httplib2 (under google-api-python-client) builds its SSL context per connection object,
    which one `Http` keeps per host and reuses, reconnecting with the same context."""
    built = _count_context_builds()
    bundle = os.environ["SSL_CERT_FILE"]  # httplib2 reads certifi unless told, not SSL_CERT_FILE
    url = fake.base_url + "/api/api.test"
    print("httplib2.Http (Google Calendar transport), GET over HTTPS:")
    for label, close_after_answer in (("kept alive", False), ("server closes each", True)):
        fake.close_after_answer = close_after_answer
        http = httplib2.Http(ca_certs=bundle, timeout=10)
        built.clear()
        before = fake.connections
        cpu0 = time.thread_time()
        for _ in range(100):
            response, _content = http.request(url, "GET")
            assert response.status == 200, response.status
            if close_after_answer:
                _wait_until_closed(fake)
        cpu = (time.thread_time() - cpu0) * 1000 / 100
        print(
            f"  one Http, 100 calls, {label:<18}: SSL contexts built {len(built)}, "
            f"connections {fake.connections - before}, {cpu:.2f} CPU ms per call"
        )
    fake.close_after_answer = False
    built.clear()
    threads = [threading.Thread(target=_ten_calls, args=(url, bundle)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"  4 threads, one Http each, 10 calls each: SSL contexts built {len(built)}")


def _ten_calls(url: str, bundle: str) -> None:
    http = httplib2.Http(ca_certs=bundle, timeout=10)
    for _ in range(10):
        http.request(url, "GET")


def _count_context_builds() -> list[object]:
    built: list[object] = []
    original = httplib2._build_ssl_context  # type: ignore[attr-defined]

    def counting(*args: Any, **kwargs: Any) -> object:
        context = original(*args, **kwargs)
        built.append(context)
        return context

    httplib2._build_ssl_context = counting  # type: ignore[attr-defined]
    return built


def _wait_until_closed(fake: FakeSlackAPI) -> None:
    deadline = time.monotonic() + 5
    while fake.open_connections and time.monotonic() < deadline:
        time.sleep(0.001)


if __name__ == "__main__":
    main()
