"""A fake Slack Web API served over real HTTP on loopback, for integration tests.

Point a real ``slack_sdk.WebClient`` at it::

    with FakeSlackAPI() as fake:
        client = WebClient(token="xoxb-test", base_url=fake.url)
        client.chat_postMessage(channel="C1", text="hi", blocks=[...])
        call = fake.last("chat.postMessage")
        assert call.params["blocks"][0]["type"] == "section"

The server speaks the wire format ``slack_sdk`` uses: every Web API method is a ``POST
/api/<method>`` whose body is JSON (``application/json``), form-encoded
(``application/x-www-form-urlencoded``) or multipart, with the token in an ``Authorization:
Bearer`` header (a form ``token`` field is accepted too).  Form fields that carry JSON (``blocks``,
``view``, ``files``...) are decoded, so assertions see dicts and lists.

Every request is recorded as a :class:`RecordedCall`, including the ones answered with an injected
failure.  Besides the Web API the fake serves:

* ``POST /response/<name>`` -- a ``response_url`` (see :meth:`FakeSlackAPI.response_url`),
  recorded as method ``"response_url"``;
* ``POST /upload/v1/<file_id>`` -- the upload URL handed out by ``files.getUploadURLExternal``,
  recorded as method ``"file_upload"`` (the bytes are in ``call.body`` and
  :meth:`FakeSlackAPI.uploaded`).

It speaks HTTP/1.1 with keep-alive (every answer has a Content-Length), so a pooled client reuses
its connections; :attr:`FakeSlackAPI.connections` counts the connections accepted.  Give it
``tls=make_self_signed(folder)`` (see ``tests.fakes.tls``) to serve HTTPS: ``url`` then starts with
``https://``.  :attr:`FakeSlackAPI.close_after_answer` and :meth:`FakeSlackAPI.drop_connections`
close connections the way a server's idle timeout does, without saying so beforehand.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import mimetypes
import socket
import ssl
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from tests.fakes.tls import TlsFiles

__all__ = [
    "FakeSlackAPI",
    "RecordedCall",
    "ResponseOverride",
    "RESPONSE_URL_METHOD",
    "FILE_UPLOAD_METHOD",
]

#: ``RecordedCall.method`` of a POST to a :meth:`FakeSlackAPI.response_url`.
RESPONSE_URL_METHOD = "response_url"
#: ``RecordedCall.method`` of a POST of file bytes to an upload URL.
FILE_UPLOAD_METHOD = "file_upload"

# Fields that Slack methods take as JSON; in form posts they arrive as JSON strings.
JSON_FIELDS = frozenset(
    {
        "attachments",
        "blocks",
        "chunks",
        "criteria",
        "domain_restrictions",
        "files",
        "input_parameters",
        "inputs",
        "manifest",
        "message",
        "metadata",
        "option_groups",
        "options",
        "outputs",
        "prefs",
        "primary_provider",
        "property",
        "term_clauses",
        "unfurls",
        "user_auth_blocks",
        "view",
    }
)

# Methods Slack serves without a token.
NO_AUTH_METHODS = frozenset(
    {"api.test", "oauth.access", "oauth.v2.access", "oauth.v2.exchange", "openid.connect.token"}
)

_TS_BASE = 1_700_000_000
_ERROR_FOR_STATUS = {
    400: "invalid_request",
    404: "not_found",
    429: "ratelimited",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "request_timeout",
}


@dataclass
class RecordedCall:
    """One request the fake received.

    Attribute access (``call.params``) and item access (``call["params"]``) both work.
    """

    method: str
    """API method (``"chat.postMessage"``), ``"response_url"`` or ``"file_upload"``."""
    params: dict[str, Any]
    """Decoded parameters: JSON body, or form fields (JSON-valued fields decoded) + query."""
    headers: dict[str, str]
    """Request headers as received."""
    time: float
    """``time.time()`` when the request arrived."""
    path: str = ""
    """Request path, e.g. ``/api/chat.postMessage`` or ``/response/r1``."""
    body: bytes = b""
    """Raw request body (for ``file_upload``: the uploaded bytes)."""
    files: dict[str, bytes] = field(default_factory=dict)
    """File parts of a multipart request, by field name."""
    token: str | None = None
    """Token from ``Authorization: Bearer`` (or a ``token`` form field)."""
    answered_status: int = 200
    """HTTP status the fake answered with."""
    response: Any = None
    """The JSON document (or text) the fake answered with."""
    injected: bool = False
    """True when the answer came from :meth:`FakeSlackAPI.fail_next` / ``error_next``."""

    @property
    def ok(self) -> bool:
        """True when answered HTTP 200 with ``"ok": true``."""
        return (
            self.answered_status == 200
            and isinstance(self.response, dict)
            and self.response.get("ok") is True
        )

    @property
    def error(self) -> str | None:
        """The ``error`` field of the answer, if any."""
        if isinstance(self.response, dict):
            err = self.response.get("error")
            return str(err) if err is not None else None
        return None

    @property
    def response_name(self) -> str | None:
        """For ``response_url`` calls: the name given to :meth:`FakeSlackAPI.response_url`."""
        if self.path.startswith("/response/"):
            return self.path[len("/response/") :]
        return None

    def header(self, name: str, default: str | None = None) -> str | None:
        """Case-insensitive header lookup."""
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return default

    def __getitem__(self, key: str) -> Any:
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)


ResponseOverride = dict[str, Any] | Callable[[RecordedCall], dict[str, Any]]


@dataclass
class _Failure:
    status: int
    payload: dict[str, Any]
    headers: dict[str, str]


@dataclass
class _Answer:
    status: int
    payload: Any
    headers: dict[str, str] = field(default_factory=dict)
    injected: bool = False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeSlackAPI
    tls_context: ssl.SSLContext | None = None

    def process_request(self, request: Any, client_address: Any) -> None:
        self.fake._accepted()
        super().process_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that drops the connection or rejects the certificate is not the fake's fault.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without this, a kept-alive connection waits for the
    # client's delayed ACK (40 ms) before the body.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        context = self.server.tls_context
        if context is not None:
            # The handshake runs here, on the connection's own thread, not in the accept loop.
            self.request.settimeout(10)
            self.request = context.wrap_socket(self.request, server_side=True)
            self.request.settimeout(None)
        self.server.fake._opened(self.request)
        super().setup()

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._closed(self.request)
            if isinstance(self.request, ssl.SSLSocket):
                # The server closes the plain socket it accepted; this one replaced it.
                _shutdown(self.request)
                self.request.close()

    def do_POST(self) -> None:
        self.server.fake._serve(self)

    def do_GET(self) -> None:
        self.server.fake._serve(self)

    def log_message(self, format: str, *args: Any) -> None:
        return


class FakeSlackAPI:
    """A fake Slack Web API on ``127.0.0.1:<random port>``; thread-safe.

    Use as a context manager, or call :meth:`start` / :meth:`stop`.
    """

    def __init__(
        self,
        *,
        team_id: str = "T1",
        team_domain: str = "acme",
        team_name: str = "Acme",
        bot_user_id: str = "U_BOT",
        bot_id: str = "B_BOT",
        bot_name: str = "interview-bot",
        app_id: str = "A1",
        valid_tokens: Iterable[str] | None = None,
        tls: TlsFiles | None = None,
    ) -> None:
        self.team_id = team_id
        self.team_domain = team_domain
        self.team_name = team_name
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.bot_name = bot_name
        self.app_id = app_id
        self.valid_tokens: frozenset[str] | None = (
            frozenset(valid_tokens) if valid_tokens is not None else None
        )

        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._calls: list[RecordedCall] = []
        self._failures: dict[str, deque[_Failure]] = {}
        self._late_failures: dict[str, deque[_Failure]] = {}
        self._overrides: dict[str, ResponseOverride] = {}
        self._users: dict[str, dict[str, Any]] = {}
        self._messages: dict[tuple[str, str], dict[str, Any]] = {}
        self._views: dict[str, dict[str, Any]] = {}
        self._home_views: dict[str, dict[str, Any]] = {}
        self._files: dict[str, dict[str, Any]] = {}
        self._uploads: dict[str, bytes] = {}
        self._ts_seq = itertools.count(1)
        self._id_seq = itertools.count(1)

        self.tls = tls
        self.close_after_answer = False
        """When true, each connection is closed right after its answer, with no
        ``Connection: close`` header (as a server whose idle timeout is shorter than the gap)."""
        self._connections = 0
        self._open: set[socket.socket] = set()

        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._add_bot_user()

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeSlackAPI:
        if self._server is not None:
            return self
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        server.tls_context = self.tls.server_context() if self.tls is not None else None
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"FakeSlackAPI:{server.server_address[1]}",
            daemon=True,
        )
        self._server = server
        self._thread = thread
        thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = None
        self._thread = None
        if server is not None:
            server.shutdown()
            self.drop_connections()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> FakeSlackAPI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSlackAPI is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (``https://`` when serving TLS; no trailing slash)."""
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """Web API base URL for ``WebClient(base_url=...)``: ``http://127.0.0.1:PORT/api/``."""
        return f"{self.base_url}/api/"

    def response_url(self, name: str = "r1") -> str:
        """A response_url served by this fake: ``http://127.0.0.1:PORT/response/<name>``."""
        return f"{self.base_url}/response/{name}"

    @property
    def connections(self) -> int:
        """How many connections the fake has accepted since it started."""
        with self._lock:
            return self._connections

    @property
    def open_connections(self) -> int:
        """How many connections are open now (kept alive between requests, or busy)."""
        with self._lock:
            return len(self._open)

    def drop_connections(self, timeout: float = 5.0) -> None:
        """Close every open connection now, without notice (a server's idle timeout), and wait
        until their handlers have finished."""
        with self._cond:
            for connection in list(self._open):
                _shutdown(connection)
            deadline = time.monotonic() + timeout
            while self._open and (remaining := deadline - time.monotonic()) > 0:
                self._cond.wait(remaining)

    # ------------------------------------------------------------------ test set-up

    def add_user(
        self,
        user_id: str,
        email: str,
        name: str,
        tz: str = "Europe/Paris",
        *,
        display_name: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
    ) -> dict[str, Any]:
        """Register a workspace member for users.info / users.lookupByEmail / users.list."""
        zone = ZoneInfo(tz)  # raises for unknown zones
        now = datetime.now(zone)
        offset = now.utcoffset()
        first, _, last = name.partition(" ")
        display = display_name if display_name is not None else first
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name.lower().replace(" ", "."),
            "deleted": deleted,
            "color": "9f69e7",
            "real_name": name,
            "tz": tz,
            "tz_label": now.tzname() or tz,
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": _TS_BASE,
            "is_email_confirmed": True,
            "profile": {
                "title": "",
                "phone": "",
                "real_name": name,
                "real_name_normalized": name,
                "display_name": display,
                "display_name_normalized": display,
                "first_name": first,
                "last_name": last,
                "email": email,
                "image_72": f"https://avatars.example.invalid/{user_id}_72.png",
                "team": self.team_id,
            },
        }
        with self._lock:
            self._users[user_id] = user
        return user

    def fail_next(
        self, method: str, status: int = 429, retry_after: int | None = 1, count: int = 1
    ) -> None:
        """Answer the next ``count`` calls of ``method`` with HTTP ``status``.

        429 answers carry ``Retry-After: <retry_after>`` and ``{"ok": false, "error":
        "ratelimited"}``; other statuses carry ``{"ok": false, "error": "internal_error"}`` (or
        a similar name).  ``method`` may also be ``"response_url"`` or ``"file_upload"``.
        """
        headers: dict[str, str] = {}
        if status == 429 and retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        error = _ERROR_FOR_STATUS.get(status, f"http_{status}")
        failure = _Failure(status=status, payload={"ok": False, "error": error}, headers=headers)
        self._queue_failure(method, failure, count)

    def error_next(
        self,
        method: str,
        error: str = "channel_not_found",
        count: int = 1,
        *,
        extra: dict[str, Any] | None = None,
    ) -> None:
        """Answer the next ``count`` calls of ``method`` with HTTP 200 ``{"ok": false, error}``."""
        payload: dict[str, Any] = {"ok": False, "error": error, **(extra or {})}
        self._queue_failure(method, _Failure(status=200, payload=payload, headers={}), count)

    def fail_after_next(self, method: str, status: int = 500, count: int = 1) -> None:
        """Carry out the next ``count`` calls of ``method``, then answer HTTP ``status`` anyway
        (Slack took the message but the answer was lost: a retry would post it twice)."""
        error = _ERROR_FOR_STATUS.get(status, f"http_{status}")
        failure = _Failure(status=status, payload={"ok": False, "error": error}, headers={})
        with self._lock:
            queue = self._late_failures.setdefault(method, deque())
            for _ in range(count):
                queue.append(failure)

    def set_response(self, method: str, response: ResponseOverride | None) -> None:
        """Answer every call of ``method`` with ``response`` instead of the built-in answer.

        ``response`` is a dict (``"ok": true`` is added unless given) or a callable receiving the
        :class:`RecordedCall` and returning the dict.  ``None`` removes the override.
        """
        with self._lock:
            if response is None:
                self._overrides.pop(method, None)
            else:
                self._overrides[method] = response

    def _queue_failure(self, method: str, failure: _Failure, count: int) -> None:
        with self._lock:
            queue = self._failures.setdefault(method, deque())
            for _ in range(count):
                queue.append(failure)

    # ------------------------------------------------------------------ inspection

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        """Recorded calls (all, or of one method), oldest first."""
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def methods(self) -> list[str]:
        """Method names of all recorded calls, oldest first."""
        with self._lock:
            return [c.method for c in self._calls]

    def last(self, method: str) -> RecordedCall:
        """The most recent call of ``method``; AssertionError if there is none."""
        found = self.calls(method)
        if not found:
            raise AssertionError(f"no {method} call recorded; calls so far: {self.methods()}")
        return found[-1]

    def clear(self) -> None:
        """Forget the recorded calls (state such as users, messages and views is kept)."""
        with self._lock:
            self._calls.clear()

    def reset(self) -> None:
        """Forget calls, pending failures, overrides, messages, views and files (users stay)."""
        with self._lock:
            self._calls.clear()
            self._failures.clear()
            self._late_failures.clear()
            self._overrides.clear()
            self._messages.clear()
            self._views.clear()
            self._home_views.clear()
            self._files.clear()
            self._uploads.clear()

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        *,
        where: Callable[[RecordedCall], bool] | None = None,
    ) -> list[RecordedCall]:
        """Block until ``count`` calls of ``method`` (matching ``where``) have been recorded.

        Failed/injected calls count too.  Returns the matching calls; raises AssertionError after
        ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                matching = [
                    c for c in self._calls if c.method == method and (where is None or where(c))
                ]
                if len(matching) >= count:
                    return matching
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"timed out after {timeout}s waiting for {count} {method} call(s); "
                        f"got {len(matching)}; calls so far: {[c.method for c in self._calls]}"
                    )
                self._cond.wait(remaining)

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """Current state of a message posted (and maybe updated) through the fake."""
        with self._lock:
            return self._messages.get((channel, ts))

    def view(self, view_id: str) -> dict[str, Any] | None:
        """Current state of a view opened/pushed/updated through the fake."""
        with self._lock:
            return self._views.get(view_id)

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        """The App Home view last published for ``user_id``."""
        with self._lock:
            return self._home_views.get(user_id)

    def uploaded(self, file_id: str | None = None) -> bytes:
        """Bytes uploaded for ``file_id`` (default: the latest upload); KeyError if none."""
        with self._lock:
            if file_id is None:
                if not self._uploads:
                    raise KeyError("no file uploaded")
                return next(reversed(self._uploads.values()))
            return self._uploads[file_id]

    def file(self, file_id: str) -> dict[str, Any] | None:
        """Metadata of a file created through files.getUploadURLExternal."""
        with self._lock:
            return self._files.get(file_id)

    # ------------------------------------------------------------------ HTTP plumbing

    def _accepted(self) -> None:
        with self._lock:
            self._connections += 1

    def _opened(self, connection: socket.socket) -> None:
        with self._lock:
            self._open.add(connection)

    def _closed(self, connection: socket.socket) -> None:
        with self._cond:
            self._open.discard(connection)
            self._cond.notify_all()

    def _serve(self, handler: _Handler) -> None:
        split = urlsplit(handler.path)
        path = split.path
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length > 0 else b""
        headers = dict(handler.headers.items())
        content_type = handler.headers.get("Content-Type", "")
        call = RecordedCall(method="", params={}, headers=headers, time=time.time(), path=path)
        call.body = raw
        parse_error: str | None = None

        if path.startswith("/api/") and len(path) > len("/api/"):
            call.method = path[len("/api/") :]
            try:
                call.params, call.files = _decode_params(raw, content_type, split.query)
            except ValueError:
                parse_error = "invalid_json"
            call.token = _bearer(headers) or _as_str_or_none(call.params.get("token"))
        elif path.startswith("/response/"):
            call.method = RESPONSE_URL_METHOD
            call.params = _decode_response_url_body(raw)
        elif path.startswith("/upload/v1/"):
            call.method = FILE_UPLOAD_METHOD
            call.params = {"file_id": path[len("/upload/v1/") :], "length": len(raw)}
        else:
            call.method = f"unknown:{path}"

        with self._cond:
            try:
                answer = self._answer(call, parse_error)
            except Exception as exc:  # a broken override must not hang the client
                answer = _Answer(500, {"ok": False, "error": f"fake_slack_error: {exc!r}"})
            call.answered_status = answer.status
            call.response = answer.payload
            call.injected = answer.injected
            self._calls.append(call)
            self._cond.notify_all()

        if isinstance(answer.payload, str):
            out = answer.payload.encode("utf-8")
            out_type = "text/plain; charset=utf-8"
        else:
            out = json.dumps(answer.payload).encode("utf-8")
            out_type = "application/json; charset=utf-8"
        handler.send_response(answer.status)
        handler.send_header("Content-Type", out_type)
        handler.send_header("Content-Length", str(len(out)))
        for key, value in answer.headers.items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(out)
        if self.close_after_answer:
            handler.close_connection = True

    def _answer(self, call: RecordedCall, parse_error: str | None) -> _Answer:
        """Compute the answer; called with the lock held."""
        queue = self._failures.get(call.method)
        if queue:
            failure = queue.popleft()
            return _Answer(failure.status, dict(failure.payload), dict(failure.headers), True)

        if call.method == RESPONSE_URL_METHOD:
            return _Answer(200, {"ok": True})
        if call.method == FILE_UPLOAD_METHOD:
            return self._receive_upload(call)
        if call.method.startswith("unknown:"):
            return _Answer(404, {"ok": False, "error": "unknown_path"})

        if parse_error is not None:
            return _Answer(200, {"ok": False, "error": parse_error})
        if call.method not in NO_AUTH_METHODS:
            if not call.token:
                return _Answer(200, {"ok": False, "error": "not_authed"})
            if self.valid_tokens is not None and call.token not in self.valid_tokens:
                return _Answer(200, {"ok": False, "error": "invalid_auth"})

        override = self._overrides.get(call.method)
        if override is not None:
            payload = override(call) if callable(override) else dict(override)
            payload.setdefault("ok", True)
            return _Answer(200, payload)

        handler = _API_HANDLERS.get(call.method)
        answer = _Answer(200, handler(self, call.params) if handler else {"ok": True})
        late = self._late_failures.get(call.method)
        if late:
            failure = late.popleft()
            return _Answer(failure.status, dict(failure.payload), dict(failure.headers), True)
        return answer

    # ------------------------------------------------------------------ ids & helpers

    def _next_ts(self) -> str:
        micros = next(self._ts_seq) * 100
        return f"{_TS_BASE + micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._id_seq):08d}"

    def _add_bot_user(self) -> None:
        bot = self.add_user(self.bot_user_id, f"{self.bot_name}@bots.invalid", self.bot_name)
        bot["is_bot"] = True
        bot["profile"]["bot_id"] = self.bot_id
        bot["profile"]["api_app_id"] = self.app_id

    def _resolve_channel(self, channel: Any) -> str | None:
        """Posting to a user id lands in the app's DM with that user, as on Slack."""
        if not channel:
            return None
        channel_id = str(channel)
        if channel_id[:1] in ("U", "W"):
            return "D" + channel_id
        return channel_id

    def _build_view(
        self, view: dict[str, Any], view_id: str, previous: dict[str, Any] | None
    ) -> dict[str, Any]:
        root = previous.get("root_view_id", view_id) if previous else view_id
        return {
            "id": view_id,
            "team_id": self.team_id,
            "type": view.get("type", "modal"),
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{_TS_BASE}.{next(self._id_seq):08d}",
            "title": view.get("title"),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "close": view.get("close"),
            "submit": view.get("submit"),
            "previous_view_id": None,
            "root_view_id": root,
            "app_id": self.app_id,
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }

    def _receive_upload(self, call: RecordedCall) -> _Answer:
        file_id = str(call.params["file_id"])
        meta = self._files.get(file_id)
        if meta is None:
            return _Answer(404, "Not Found")
        self._uploads[file_id] = call.body
        meta["size"] = len(call.body)
        return _Answer(200, f"OK - {len(call.body)}")

    # ------------------------------------------------------------------ API methods

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_name,
            "user": self.bot_name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(params.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if not any(params.get(k) for k in ("text", "blocks", "attachments")):
            return {"ok": False, "error": "no_text"}
        if "blocks" in params and not isinstance(params["blocks"], list):
            return {"ok": False, "error": "invalid_blocks"}
        ts = self._next_ts()
        message: dict[str, Any] = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": params.get("text") or "",
            "ts": ts,
            "team": self.team_id,
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if params.get(key):
                message[key] = params[key]
        self._messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(params.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        ts = params.get("ts")
        if not ts:
            return {"ok": False, "error": "message_not_found"}
        ts = str(ts)
        message = self._messages.get((channel, ts))
        if message is None:
            message = {"type": "message", "user": self.bot_user_id, "bot_id": self.bot_id, "ts": ts}
            self._messages[(channel, ts)] = message
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in params:
                message[key] = params[key]
        message["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        return {
            "ok": True,
            "channel": channel,
            "ts": ts,
            "text": message.get("text", ""),
            "message": dict(message),
        }

    def _chat_post_ephemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if not params.get("user"):
            return {"ok": False, "error": "user_not_in_channel"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _chat_delete(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(params.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        ts = str(params.get("ts") or "")
        if not ts:
            return {"ok": False, "error": "message_not_found"}
        self._messages.pop((channel, ts), None)
        return {"ok": True, "channel": channel, "ts": ts}

    def _chat_get_permalink(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = str(params.get("channel") or "")
        ts = str(params.get("message_ts") or "")
        if not channel or not ts:
            return {"ok": False, "error": "message_not_found"}
        return {
            "ok": True,
            "channel": channel,
            "permalink": (
                f"https://{self.team_domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
            ),
        }

    def _views_open_or_push(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("trigger_id") and not params.get("interactivity_pointer"):
            return _invalid_arguments("missing required field: trigger_id")
        view = params.get("view")
        if not isinstance(view, dict):
            return _invalid_arguments("missing required field: view")
        view_id = self._next_id("V")
        built = self._build_view(view, view_id, None)
        self._views[view_id] = built
        return {"ok": True, "view": built}

    def _views_update(self, params: dict[str, Any]) -> dict[str, Any]:
        view = params.get("view")
        if not isinstance(view, dict):
            return _invalid_arguments("missing required field: view")
        view_id = params.get("view_id")
        external_id = params.get("external_id")
        previous: dict[str, Any] | None = None
        if view_id:
            view_id = str(view_id)
            previous = self._views.get(view_id)
        elif external_id:
            previous = next(
                (v for v in self._views.values() if v.get("external_id") == external_id), None
            )
            if previous is None:
                return {"ok": False, "error": "not_found"}
            view_id = str(previous["id"])
        else:
            return _invalid_arguments("missing required field: view_id or external_id")
        given_hash = params.get("hash")
        if previous is not None and given_hash and given_hash != previous.get("hash"):
            return {"ok": False, "error": "hash_conflict"}
        built = self._build_view(view, view_id, previous)
        self._views[view_id] = built
        return {"ok": True, "view": built}

    def _views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        user_id = params.get("user_id")
        view = params.get("view")
        if not user_id or not isinstance(view, dict):
            return _invalid_arguments("missing required field: user_id or view")
        previous = self._home_views.get(str(user_id))
        given_hash = params.get("hash")
        if previous is not None and given_hash and given_hash != previous.get("hash"):
            return {"ok": False, "error": "hash_conflict"}
        view_id = str(previous["id"]) if previous else self._next_id("V")
        built = self._build_view({**view, "type": view.get("type", "home")}, view_id, previous)
        self._home_views[str(user_id)] = built
        self._views[view_id] = built
        return {"ok": True, "view": built}

    def _conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("channel"):
            return {"ok": True, "channel": {"id": str(params["channel"])}}
        users = params.get("users")
        if isinstance(users, str):
            ids = [u.strip() for u in users.split(",") if u.strip()]
        elif isinstance(users, list):
            ids = [str(u) for u in users]
        else:
            ids = []
        if not ids:
            return {"ok": False, "error": "users_list_not_supplied"}
        channel_id = "D" + ids[0] if len(ids) == 1 else "G" + "".join(sorted(ids))
        return {"ok": True, "no_op": False, "already_open": False, "channel": {"id": channel_id}}

    def _conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        """Top-level messages of a channel after ``oldest``, newest first (metadata on request)."""
        channel = self._resolve_channel(params.get("channel"))
        oldest = float(params.get("oldest") or 0)
        found = [
            message
            for (where, ts), message in self._messages.items()
            if where == channel and float(ts) > oldest and message.get("thread_ts") in (None, ts)
        ]
        return {"ok": True, "messages": self._listed(found, params), "has_more": False}

    def _conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        """A thread: its parent and replies, oldest first (metadata on request)."""
        channel = self._resolve_channel(params.get("channel"))
        parent = str(params.get("ts") or "")
        if (channel, parent) not in self._messages:
            return {"ok": False, "error": "thread_not_found"}
        found = [
            message
            for (where, ts), message in self._messages.items()
            if where == channel and (ts == parent or message.get("thread_ts") == parent)
        ]
        listed = sorted(self._listed(found, params), key=lambda m: float(m["ts"]))
        return {"ok": True, "messages": listed, "has_more": False}

    @staticmethod
    def _listed(messages: list[dict[str, Any]], params: dict[str, Any]) -> list[dict[str, Any]]:
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        listed = []
        for message in sorted(messages, key=lambda m: float(m["ts"]), reverse=True):
            copy = dict(message)
            if not with_metadata:
                copy.pop("metadata", None)
            listed.append(copy)
        return listed

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self._users.get(str(params.get("user") or ""))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user}

    def _users_lookup_by_email(self, params: dict[str, Any]) -> dict[str, Any]:
        email = str(params.get("email") or "").lower()
        for user in self._users.values():
            if str(user["profile"].get("email", "")).lower() == email:
                return {"ok": True, "user": user}
        return {"ok": False, "error": "users_not_found"}

    def _users_list(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "members": list(self._users.values()),
            "cache_ts": _TS_BASE,
            "response_metadata": {"next_cursor": ""},
        }

    def _files_get_upload_url(self, params: dict[str, Any]) -> dict[str, Any]:
        filename = params.get("filename")
        length = params.get("length")
        if not filename or length in (None, ""):
            return _invalid_arguments("missing required field: filename or length")
        file_id = self._next_id("F")
        self._files[file_id] = {
            "id": file_id,
            "name": str(filename),
            "length": int(length),
            "alt_txt": params.get("alt_txt"),
            "snippet_type": params.get("snippet_type"),
            "size": None,
        }
        return {
            "ok": True,
            "upload_url": f"{self.base_url}/upload/v1/{file_id}",
            "file_id": file_id,
        }

    def _files_complete_upload(self, params: dict[str, Any]) -> dict[str, Any]:
        files = params.get("files")
        if not isinstance(files, list) or not files:
            return _invalid_arguments("missing required field: files")
        channel = params.get("channel_id") or params.get("channels")
        channels = [c for c in str(channel).split(",") if c] if channel else []
        result: list[dict[str, Any]] = []
        for item in files:
            file_id = str(item.get("id", "")) if isinstance(item, dict) else ""
            meta = self._files.get(file_id)
            if meta is None:
                return {"ok": False, "error": "file_not_found"}
            name = meta["name"]
            title = item.get("title") or name
            meta["title"] = title
            meta["channels"] = channels
            mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            result.append(
                {
                    "id": file_id,
                    "title": title,
                    "name": name,
                    "mimetype": mimetype,
                    "filetype": name.rsplit(".", 1)[-1] if "." in name else "binary",
                    "size": len(self._uploads.get(file_id, b"")),
                    "user": self.bot_user_id,
                    "created": _TS_BASE,
                    "timestamp": _TS_BASE,
                    "url_private": f"https://files.slack.com/files-pri/{self.team_id}-{file_id}/{name}",
                    "permalink": f"https://{self.team_domain}.slack.com/files/"
                    f"{self.bot_user_id}/{file_id}/{name}",
                    "channels": channels,
                }
            )
        return {"ok": True, "files": result}


_API_HANDLERS: dict[str, Callable[[FakeSlackAPI, dict[str, Any]], dict[str, Any]]] = {
    "auth.test": FakeSlackAPI._auth_test,
    "chat.postMessage": FakeSlackAPI._chat_post_message,
    "chat.update": FakeSlackAPI._chat_update,
    "chat.postEphemeral": FakeSlackAPI._chat_post_ephemeral,
    "chat.delete": FakeSlackAPI._chat_delete,
    "chat.getPermalink": FakeSlackAPI._chat_get_permalink,
    "views.open": FakeSlackAPI._views_open_or_push,
    "views.push": FakeSlackAPI._views_open_or_push,
    "views.update": FakeSlackAPI._views_update,
    "views.publish": FakeSlackAPI._views_publish,
    "conversations.open": FakeSlackAPI._conversations_open,
    "conversations.history": FakeSlackAPI._conversations_history,
    "conversations.replies": FakeSlackAPI._conversations_replies,
    "users.info": FakeSlackAPI._users_info,
    "users.lookupByEmail": FakeSlackAPI._users_lookup_by_email,
    "users.list": FakeSlackAPI._users_list,
    "files.getUploadURLExternal": FakeSlackAPI._files_get_upload_url,
    "files.completeUploadExternal": FakeSlackAPI._files_complete_upload,
}


# ---------------------------------------------------------------------- request decoding


def _shutdown(connection: socket.socket) -> None:
    """Shut the connection down at the TCP level: a thread blocked reading it (TLS or not) sees
    the end of the stream, and so does the client."""
    try:
        socket.socket.shutdown(connection, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed by the client


def _invalid_arguments(message: str) -> dict[str, Any]:
    return {
        "ok": False,
        "error": "invalid_arguments",
        "response_metadata": {"messages": [f"[ERROR] {message}"]},
    }


def _bearer(headers: dict[str, str]) -> str | None:
    for key, value in headers.items():
        if key.lower() == "authorization" and value.lower().startswith("bearer "):
            return value[len("bearer ") :].strip() or None
    return None


def _as_str_or_none(value: Any) -> str | None:
    return str(value) if value else None


def _decode_json_fields(params: dict[str, Any]) -> None:
    for key in JSON_FIELDS & params.keys():
        value = params[key]
        if isinstance(value, str) and value.lstrip()[:1] in ("[", "{"):
            try:
                params[key] = json.loads(value)
            except ValueError:
                pass  # left as the string Slack would reject


def _decode_params(
    raw: bytes, content_type: str, query: str
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Decode a Web API request the way Slack does; ValueError for a malformed JSON body."""
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    files: dict[str, bytes] = {}
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/json":
        if raw.strip():
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("JSON body is not an object")
            params.update(data)
    elif media_type == "multipart/form-data":
        fields, files = _decode_multipart(raw, content_type)
        params.update(fields)
    elif raw:
        params.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    _decode_json_fields(params)
    return params, files


def _decode_multipart(raw: bytes, content_type: str) -> tuple[dict[str, Any], dict[str, bytes]]:
    document = b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + raw
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(document)
    fields: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    if not message.is_multipart():
        return fields, files
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            files[name] = data
            fields.setdefault("filename", filename)
        else:
            fields[name] = data.decode("utf-8")
    return fields, files


def _decode_response_url_body(raw: bytes) -> dict[str, Any]:
    text = raw.decode("utf-8") if raw else ""
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {"_raw": text}
    return data if isinstance(data, dict) else {"_raw": text}
