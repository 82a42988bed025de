"""The pooled Slack client over real HTTPS on loopback: kept-alive connections, one TLS context,
the same answers and errors as slack-sdk's own transport, no debug strings built for nothing."""

from __future__ import annotations

import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.error import URLError

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.app.slack_client import (
    PooledWebClient,
    make_outbox_client,
    make_slack_client,
    shared_ssl_context,
)
from bot.container import Container
from bot.outbox.ports import TemporaryFailure
from bot.settings import Settings
from handlers.outbox.sender import SlackMessageSender
from handlers.shared.slack_calls import SLACK_FAILURES
from tests.conftest import SIGNING_SECRET
from tests.fakes.slack_api import FakeSlackAPI, RecordedCall
from tests.fakes.slack_requests import slash_command
from tests.fakes.tls import TlsFiles, make_self_signed

TOKEN = "xoxb-test-token"
SECRET = "test-signing-secret"
MODAL = {
    "type": "modal",
    "callback_id": "schedule",
    "title": {"type": "plain_text", "text": "Schedule"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Pick a time"}}],
}


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return make_self_signed(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def trusted(monkeypatch: pytest.MonkeyPatch, tls: TlsFiles) -> None:
    """The self-signed certificate trusted through SSL_CERT_FILE alone."""
    monkeypatch.setenv("SSL_CERT_FILE", str(tls.cert))
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)


@pytest.fixture
def fake(tls: TlsFiles) -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI(tls=tls) as served:
        yield served


def settings_for(url: str) -> Settings:
    return Settings(_env_file=None, slack_api_url=url, slack_bot_token=TOKEN)


def open_modal(client: WebClient, n: int) -> SlackResponse:
    return client.views_open(trigger_id=f"trigger-{n}", view={**MODAL, "callback_id": f"cb-{n}"})


def post(client: WebClient, n: int) -> SlackResponse:
    return client.chat_postMessage(channel="C1", text=f"message {n}")


def eventually(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.005)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# ---------------------------------------------------------------------- connections


@pytest.mark.usefixtures("trusted")
def test_twenty_calls_from_one_thread_use_one_connection(fake: FakeSlackAPI) -> None:
    client = make_slack_client(settings_for(fake.url))
    assert fake.url.startswith("https://")

    for n in range(10):
        assert open_modal(client, n)["view"]["callback_id"] == f"cb-{n}"
        assert post(client, n)["message"]["text"] == f"message {n}"

    assert len(fake.calls()) == 20
    assert fake.connections == 1


@pytest.mark.usefixtures("trusted")
def test_eight_threads_at_once_use_at_most_eight_connections(fake: FakeSlackAPI) -> None:
    client = make_slack_client(settings_for(fake.url))
    start = threading.Barrier(8)
    wrong: list[str] = []

    def work(worker: int) -> None:
        start.wait()
        for n in range(worker * 100, worker * 100 + 5):
            if open_modal(client, n)["view"]["callback_id"] != f"cb-{n}":
                wrong.append(f"views.open {n}")
            if post(client, n)["message"]["text"] != f"message {n}":
                wrong.append(f"chat.postMessage {n}")

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert wrong == []
    assert len(fake.calls("views.open")) == 40 and len(fake.calls("chat.postMessage")) == 40
    assert 1 <= fake.connections <= 8


@pytest.mark.usefixtures("trusted")
def test_a_connection_the_server_closed_while_idle_is_replaced_and_nothing_is_sent_twice(
    fake: FakeSlackAPI,
) -> None:
    client = make_outbox_client(settings_for(fake.url))
    post(client, 1)

    fake.drop_connections()  # the server's idle timeout, without notice
    fake.close_after_answer = True  # and from now on after every answer
    for n in range(2, 6):
        eventually(lambda: fake.open_connections == 0)
        assert post(client, n)["ok"]

    texts = [call.params["text"] for call in fake.calls("chat.postMessage")]
    assert texts == [f"message {n}" for n in range(1, 6)]
    assert fake.connections == 5


# ---------------------------------------------------------------------- TLS


@pytest.mark.usefixtures("trusted")
def test_every_connection_is_made_with_the_one_shared_ssl_context(
    fake: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    used: list[ssl.SSLContext] = []
    wrap = ssl.SSLContext.wrap_socket

    def spy(context: ssl.SSLContext, sock: socket.socket, **kwargs: Any) -> ssl.SSLSocket:
        if not kwargs.get("server_side"):
            used.append(context)
        return wrap(context, sock, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "wrap_socket", spy)
    fake.close_after_answer = True  # a new connection, so a new handshake, for every call
    listeners = make_slack_client(settings_for(fake.url))
    outbox = make_outbox_client(settings_for(fake.url))

    for n in range(3):
        eventually(lambda: fake.open_connections == 0)
        open_modal(listeners, n)
        eventually(lambda: fake.open_connections == 0)
        post(outbox, n)

    assert len(used) == 6
    assert all(context is shared_ssl_context() for context in used)
    assert listeners.ssl is outbox.ssl is shared_ssl_context()

    used.clear()  # slack-sdk's own client, for contrast: a context of its own for every call
    plain = WebClient(token=TOKEN, base_url=fake.url)
    for n in range(2):
        eventually(lambda: fake.open_connections == 0)
        post(plain, n)
    assert len(used) == 2 and used[0] is not used[1]


def test_an_untrusted_certificate_fails_clearly(
    fake: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    client = make_outbox_client(settings_for(fake.url))

    with pytest.raises(URLError) as raised:
        post(client, 1)

    assert isinstance(raised.value.reason, ssl.SSLCertVerificationError)
    assert "CERTIFICATE_VERIFY_FAILED" in str(raised.value)
    assert fake.calls() == []


def test_requests_ca_bundle_is_trusted_too(
    fake: FakeSlackAPI, tls: TlsFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tls.cert))

    assert post(make_outbox_client(settings_for(fake.url)), 1)["ok"]


# ---------------------------------------------------------------------- errors, as before


@pytest.mark.usefixtures("trusted")
def test_a_rate_limit_is_waited_out_by_the_listeners_client_only(fake: FakeSlackAPI) -> None:
    listeners = make_slack_client(settings_for(fake.url))
    outbox = SlackMessageSender(make_outbox_client(settings_for(fake.url)))

    fake.fail_next("views.open", 429, retry_after=0)
    assert open_modal(listeners, 1)["ok"]
    assert [call.answered_status for call in fake.calls("views.open")] == [429, 200]

    fake.fail_next("chat.postMessage", 429, retry_after=7)
    with pytest.raises(TemporaryFailure) as raised:
        outbox.post("C1", {"text": "hello"}, "key-1", None)
    assert raised.value.retry_after == 7.0 and raised.value.maybe_sent is False
    assert isinstance(raised.value.__cause__, SlackApiError)
    assert raised.value.__cause__.response["error"] == "ratelimited"
    assert len(fake.calls("chat.postMessage")) == 1


@pytest.mark.usefixtures("trusted")
def test_a_server_error_is_a_slack_api_error_as_before(fake: FakeSlackAPI) -> None:
    listeners = make_slack_client(settings_for(fake.url))
    outbox = SlackMessageSender(make_outbox_client(settings_for(fake.url)))

    fake.fail_next("views.open", 500)
    with pytest.raises(SlackApiError) as raised:
        open_modal(listeners, 1)
    assert raised.value.response.status_code == 500
    assert raised.value.response["error"] == "internal_error"

    fake.fail_next("chat.postMessage", 503)
    with pytest.raises(TemporaryFailure) as failure:
        outbox.post("C1", {"text": "hello"}, "key-1", None)
    assert failure.value.maybe_sent is True
    assert len(fake.calls("views.open")) == 1 and len(fake.calls("chat.postMessage")) == 1


def test_a_closed_port_is_a_connection_failure_the_outbox_tries_again() -> None:
    url = f"https://127.0.0.1:{closed_port()}/api/"
    listeners = make_slack_client(settings_for(url))

    with pytest.raises(URLError) as raised:
        open_modal(listeners, 1)
    assert isinstance(raised.value.reason, ConnectionRefusedError)
    assert isinstance(raised.value, SLACK_FAILURES)

    outbox = SlackMessageSender(make_outbox_client(settings_for(url)))
    with pytest.raises(TemporaryFailure):
        outbox.post("C1", {"text": "hello"}, "key-1", None)


def test_a_read_timeout_is_a_timeout_error(tls: TlsFiles, trusted: None) -> None:
    def answer_late(call: RecordedCall) -> dict[str, Any]:
        time.sleep(0.6)
        return {"ts": "1.0"}

    with FakeSlackAPI(tls=tls) as slow:
        slow.set_response("chat.postMessage", answer_late)
        client = PooledWebClient(token=TOKEN, base_url=slow.url, timeout=0.2, retry_handlers=[])
        with pytest.raises(TimeoutError):
            post(client, 1)
        client.close()


def test_answers_keep_urllib_headers_and_a_proxy_goes_through_slack_sdk(
    fake_slack: FakeSlackAPI,
) -> None:
    pooled = PooledWebClient(token=TOKEN, base_url=fake_slack.url, retry_handlers=[])
    answer = post(pooled, 1)
    assert answer.headers["Content-Type"] == "application/json; charset=utf-8"
    assert fake_slack.connections == 1

    # The fake serves absolute-URI requests too, so it can stand in for an HTTP proxy.
    proxied = PooledWebClient(
        token=TOKEN, base_url="http://slack.invalid/api/", proxy=fake_slack.base_url
    )
    for n in range(2):
        assert post(proxied, n)["ok"]
    assert fake_slack.connections == 3  # urllib: one connection per call


# ---------------------------------------------------------------------- logging


class CountingView(dict[str, Any]):
    reprs = 0

    def __repr__(self) -> str:
        CountingView.reprs += 1
        return super().__repr__()

    __str__ = __repr__


@pytest.mark.usefixtures("trusted")
def test_no_debug_string_is_built_at_info(
    fake: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    client = make_slack_client(settings_for(fake.url))
    CountingView.reprs = 0

    client.views_open(trigger_id="t", view=CountingView(MODAL))

    assert CountingView.reprs == 0
    assert logging.getLogger("slack_sdk.web.base_client").level == logging.INFO
    # slack-sdk's client with a logger of no level of its own formats the whole view.
    plain = WebClient(token=TOKEN, base_url=fake.url, logger=logging.getLogger("test.no_level"))
    plain.views_open(trigger_id="t", view=CountingView(MODAL))
    assert CountingView.reprs > 0


# ---------------------------------------------------------------------- Bolt


def test_the_bots_listeners_reuse_one_connection(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI
) -> None:
    """Through /slack/events: Bolt builds a plain client per request; the bot's middleware hands
    its listeners the process's pooled one instead."""
    for n in range(5):
        request = slash_command("/schedule-interview", user_id="U_ADMIN", trigger_id=f"t-{n}")
        assert request.post(bot_url, SIGNING_SECRET).status == 200
        fake_slack.wait_for("views.open", count=n + 1, timeout=10)
    # one connection for the listeners' five calls, one for Bolt's auth.test on the first
    # request (made before any middleware runs, with Bolt's own per-request client)
    assert fake_slack.methods().count("auth.test") <= 1
    assert fake_slack.connections <= 2
