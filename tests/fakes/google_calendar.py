"""An in-memory Google Calendar API v3 served over real HTTP on loopback, for tests.

It answers the paths google-api-python-client calls (rootUrl + servicePath "calendar/v3/" +
the method path of the bundled discovery document):

    POST   /calendar/v3/freeBusy
    GET    /calendar/v3/calendars/{calendarId}/events            (list, sync tokens, pages)
    POST   /calendar/v3/calendars/{calendarId}/events            (insert)
    GET    /calendar/v3/calendars/{calendarId}/events/{eventId}  (get)
    PATCH  /calendar/v3/calendars/{calendarId}/events/{eventId}  (patch)
    DELETE /calendar/v3/calendars/{calendarId}/events/{eventId}  (delete: status cancelled)
    POST   /token                                                (OAuth token for a JWT grant)

Calendar calls must carry `Authorization: Bearer fake-token` (else 401, as Google would).
Every request is recorded; failures, dropped connections and slow answers can be injected.

    with FakeGoogleCalendar() as fake:
        provider = GoogleCalendarProvider(..., api_url=fake.url)
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

JsonObject = dict[str, Any]

FAKE_TOKEN = "fake-token"
FREE_BUSY_MAX_CALENDARS = 50
FREE_BUSY_MAX_SPAN = timedelta(days=60)
MAX_PAGE_SIZE = 2500
_EVENT_ID = re.compile(r"^[a-v0-9]{5,1024}$")
_SYNC_FILTERS = ("timeMin", "timeMax", "updatedMin", "q", "orderBy", "iCalUID")

_DEFAULT_REASONS = {
    400: "badRequest",
    401: "authError",
    403: "forbidden",
    404: "notFound",
    409: "duplicate",
    410: "deleted",
    429: "rateLimitExceeded",
    500: "backendError",
    502: "backendError",
    503: "backendError",
    504: "backendError",
}


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # percent-decoded, e.g. /calendar/v3/calendars/a@b.c/events
    query: dict[str, str]
    body: Any  # parsed JSON, form fields (dict) for /token, or None
    headers: dict[str, str]  # names lower-cased

    @property
    def authorization(self) -> str | None:
        return self.headers.get("authorization")


class ApiError(Exception):
    """Raised inside the fake to answer with a Google-style error."""

    def __init__(self, status: int, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.reason = reason or _DEFAULT_REASONS.get(status, "unknown")

    def body(self) -> JsonObject:
        domain = "usageLimits" if self.reason.endswith("LimitExceeded") else "global"
        return {
            "error": {
                "code": self.status,
                "message": self.message,
                "errors": [{"domain": domain, "reason": self.reason, "message": self.message}],
            }
        }


@dataclass
class _Rule:
    """An injected misbehaviour for the next `remaining` matching requests."""

    remaining: int
    path_contains: str | None
    method: str | None
    status: int = 0
    reason: str | None = None
    seconds: float = 0.0

    def take(self, method: str, path: str) -> bool:
        if self.remaining <= 0:
            return False
        if self.path_contains is not None and self.path_contains not in path:
            return False
        if self.method is not None and self.method != method:
            return False
        self.remaining -= 1
        return True


@dataclass
class _Plan:
    """What to do with one request once it is recorded."""

    failure: ApiError | None = None
    drop: bool = False
    delay: float = 0.0


@dataclass
class _Listing:
    """The pages still to serve for one events.list, and the sync token its last page gives."""

    pages: list[list[JsonObject]]
    sync_token: str


@dataclass
class _State:
    calendars: dict[str, dict[str, JsonObject]] = field(default_factory=dict)
    changed_at: dict[tuple[str, str], int] = field(default_factory=dict)
    busy: dict[str, list[tuple[datetime, datetime]]] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)
    sync_tokens: dict[str, int] = field(default_factory=dict)
    listings: dict[str, _Listing] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)
    token_claims: list[JsonObject] = field(default_factory=list)
    failures: list[_Rule] = field(default_factory=list)
    drops: list[_Rule] = field(default_factory=list)
    delays: list[_Rule] = field(default_factory=list)


class FakeGoogleCalendar:
    """The fake server and its test helpers; thread-safe."""

    def __init__(self, *, time_zone: str = "Europe/Paris", require_auth: bool = True) -> None:
        self.time_zone = time_zone
        self.require_auth = require_auth
        self.max_page_size = MAX_PAGE_SIZE  # lower it to force pagination
        self._zone = ZoneInfo(time_zone)
        self._state = _State()
        self._lock = threading.RLock()
        self._sequence = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- life cycle ---------------------------------------------------------------------------

    def start(self) -> FakeGoogleCalendar:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeGoogleCalendar:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The API root to give the client (GOOGLE_CALENDAR_API_URL), with a trailing slash."""
        if self._server is None:
            raise RuntimeError("the fake Google Calendar is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    @property
    def token_uri(self) -> str:
        return self.url + "token"

    # --- recorded traffic -----------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._state.requests)

    def requests_to(self, path_contains: str, method: str | None = None) -> list[RecordedRequest]:
        return [
            r
            for r in self.requests
            if path_contains in r.path and (method is None or r.method == method)
        ]

    @property
    def token_claims(self) -> list[JsonObject]:
        """The (unverified) JWT claims of every /token assertion received."""
        with self._lock:
            return list(self._state.token_claims)

    # --- failure injection ----------------------------------------------------------------------

    def fail_next(
        self,
        n: int,
        status: int,
        reason: str | None = None,
        path_contains: str | None = None,
        method: str | None = None,
    ) -> None:
        """Answer the next n matching requests with `status` and a Google JSON error body."""
        with self._lock:
            self._state.failures.append(_Rule(n, path_contains, method, status, reason))

    def drop_next(
        self, n: int, path_contains: str | None = None, method: str | None = None
    ) -> None:
        """Close the connection of the next n matching requests without answering."""
        with self._lock:
            self._state.drops.append(_Rule(n, path_contains, method))

    def delay_next(
        self, n: int, seconds: float, path_contains: str | None = None, method: str | None = None
    ) -> None:
        """Handle the next n matching requests, then wait `seconds` before answering
        (the change is made even if the client gives up waiting)."""
        with self._lock:
            self._state.delays.append(_Rule(n, path_contains, method, seconds=seconds))

    # --- test helpers: state ---------------------------------------------------------------------

    def add_busy(self, email: str, start: datetime, end: datetime) -> None:
        with self._lock:
            self._state.busy.setdefault(email.lower(), []).append((start, end))

    def mark_unknown(self, email: str) -> None:
        """freeBusy answers `errors: [{reason: notFound}]` for this email."""
        with self._lock:
            self._state.unknown.add(email.lower())

    def events(self, calendar_id: str | None = None) -> list[JsonObject]:
        """Copies of stored events (cancelled ones included), of one calendar or all."""
        with self._lock:
            calendars = self._state.calendars
            chosen = [calendars.get(calendar_id, {})] if calendar_id else list(calendars.values())
            return [json.loads(json.dumps(e)) for events in chosen for e in events.values()]

    def event(self, event_id: str, calendar_id: str | None = None) -> JsonObject:
        with self._lock:
            copy: JsonObject = json.loads(json.dumps(self._find(event_id, calendar_id)[1]))
            return copy

    def set_response_status(
        self, event_id: str, email: str, status: str, calendar_id: str | None = None
    ) -> None:
        """An attendee answers the invitation (as if from their own calendar)."""
        with self._lock:
            calendar, event = self._find(event_id, calendar_id)
            for attendee in event.get("attendees", []):
                if attendee["email"].lower() == email.lower():
                    attendee["responseStatus"] = status
                    self._touch(calendar, event)
                    return
            raise KeyError(f"{email} is not invited to {event_id}")

    def move(
        self, event_id: str, start: datetime, end: datetime, calendar_id: str | None = None
    ) -> None:
        """Someone moves the event in the Google Calendar UI."""
        with self._lock:
            calendar, event = self._find(event_id, calendar_id)
            event["start"] = self._event_time(start)
            event["end"] = self._event_time(end)
            event["sequence"] += 1
            self._touch(calendar, event)

    def delete(self, event_id: str, calendar_id: str | None = None) -> None:
        """Someone deletes the event in the Google Calendar UI."""
        with self._lock:
            calendar, event = self._find(event_id, calendar_id)
            event["status"] = "cancelled"
            self._touch(calendar, event)

    def invalidate_sync_tokens(self) -> None:
        """Every sync token handed out so far now answers 410 GONE."""
        with self._lock:
            self._state.sync_tokens.clear()

    # --- request handling (called by _Handler) ----------------------------------------------------

    def plan(self, request: RecordedRequest) -> _Plan:
        """Record a request and decide whether it fails, is dropped or is slow."""
        with self._lock:
            self._state.requests.append(request)
            state, method, path = self._state, request.method, request.path
            if any(rule.take(method, path) for rule in state.drops):
                return _Plan(drop=True)
            delay = sum(rule.seconds for rule in state.delays if rule.take(method, path))
            for rule in state.failures:
                if rule.take(method, path):
                    error = ApiError(rule.status, _message(rule.status), rule.reason)
                    return _Plan(error, delay=delay)
            return _Plan(delay=delay)

    def dispatch(self, request: RecordedRequest, raw_path: str) -> tuple[int, JsonObject | None]:
        """Answer one request: (status, JSON body or None for 204)."""
        if request.path == "/token" and request.method == "POST":
            return 200, self._token(request.body)
        self._check_auth(request)
        parts = [unquote(part) for part in raw_path.strip("/").split("/")]
        with self._lock:
            return self._route(request, parts)

    def _route(self, request: RecordedRequest, parts: list[str]) -> tuple[int, JsonObject | None]:
        method, query, body = request.method, request.query, request.body
        if parts[:2] != ["calendar", "v3"]:
            raise ApiError(404, f"Not Found: {request.path}", "notFound")
        rest = parts[2:]
        if rest == ["freeBusy"] and method == "POST":
            return 200, self._free_busy(body)
        if len(rest) == 3 and rest[0] == "calendars" and rest[2] == "events":
            if method == "GET":
                return 200, self._list(rest[1], query)
            if method == "POST":
                return 200, self._insert(rest[1], body, query)
        if len(rest) == 4 and rest[0] == "calendars" and rest[2] == "events":
            calendar_id, event_id = rest[1], rest[3]
            if method == "GET":
                return 200, self._find(event_id, calendar_id)[1]
            if method == "PATCH":
                return 200, self._patch(calendar_id, event_id, body, query)
            if method == "DELETE":
                self._delete(calendar_id, event_id)
                return 204, None
        raise ApiError(404, f"Not Found: {method} {request.path}", "notFound")

    def _check_auth(self, request: RecordedRequest) -> None:
        if self.require_auth and request.authorization != f"Bearer {FAKE_TOKEN}":
            raise ApiError(401, "Request had invalid authentication credentials.", "authError")

    def _token(self, form: Any) -> JsonObject:
        assertion = str(form.get("assertion", "")) if isinstance(form, dict) else ""
        with self._lock:
            self._state.token_claims.append(_jwt_claims(assertion))
        return {"access_token": FAKE_TOKEN, "expires_in": 3600, "token_type": "Bearer"}

    # --- events ----------------------------------------------------------------------------------

    def _insert(self, calendar_id: str, body: Any, query: dict[str, str]) -> JsonObject:
        if not isinstance(body, dict):
            raise ApiError(400, "Missing event body.", "required")
        events = self._state.calendars.setdefault(calendar_id, {})
        event_id = str(body.get("id") or uuid.uuid4().hex)
        if not _EVENT_ID.match(event_id):
            raise ApiError(400, "Invalid resource id value.", "invalid")
        if event_id in events:
            raise ApiError(409, "The requested identifier already exists.", "duplicate")
        event = self._new_event(calendar_id, event_id, body)
        self._apply_fields(calendar_id, event, body, query)
        events[event_id] = event
        self._touch(calendar_id, event)
        return event

    def _patch(
        self, calendar_id: str, event_id: str, body: Any, query: dict[str, str]
    ) -> JsonObject:
        _, stored = self._find(event_id, calendar_id)
        if not isinstance(body, dict):
            raise ApiError(400, "Missing event body.", "required")
        event: JsonObject = json.loads(json.dumps(stored))
        self._apply_fields(calendar_id, event, body, query)
        event["sequence"] += int("start" in body or "end" in body)
        self._state.calendars[calendar_id][event_id] = event
        self._touch(calendar_id, event)
        return event

    def _delete(self, calendar_id: str, event_id: str) -> None:
        _, event = self._find(event_id, calendar_id)
        if event["status"] == "cancelled":
            raise ApiError(410, "Resource has been deleted", "deleted")
        event["status"] = "cancelled"
        self._touch(calendar_id, event)

    def _new_event(self, calendar_id: str, event_id: str, body: JsonObject) -> JsonObject:
        now = _rfc3339(datetime.now(UTC))
        return {
            "kind": "calendar#event",
            "id": event_id,
            "status": "confirmed",
            "htmlLink": f"https://www.google.com/calendar/event?eid={event_id}",
            "created": now,
            "updated": now,
            "summary": "",
            "creator": {"email": calendar_id, "self": True},
            "organizer": {"email": calendar_id, "self": True},
            "iCalUID": f"{event_id}@google.com",
            "sequence": 0,
            "reminders": {"useDefault": True},
            "eventType": "default",
        }

    def _apply_fields(
        self, calendar_id: str, event: JsonObject, body: JsonObject, query: dict[str, str]
    ) -> None:
        """Copy the writable fields of an insert/patch body into a stored event."""
        for key, value in body.items():
            if key in ("start", "end"):
                event[key] = self._event_time(_parse_event_time(value))
            elif key == "attendees":
                event[key] = [_attendee(entry, calendar_id) for entry in value]
            elif key == "conferenceData":
                if query.get("conferenceDataVersion") == "1":
                    self._add_conference(event, value)
            elif key not in ("id", "kind", "etag", "sequence", "created", "updated"):
                event[key] = value
        if "start" not in event or "end" not in event:
            raise ApiError(400, "Missing end time.", "required")
        if _parse_event_time(event["end"]) <= _parse_event_time(event["start"]):
            raise ApiError(400, "The specified time range is empty.", "timeRangeEmpty")

    def _add_conference(self, event: JsonObject, conference: Any) -> None:
        request = conference.get("createRequest") if isinstance(conference, dict) else None
        if not isinstance(request, dict):
            return
        solution = request.get("conferenceSolutionKey", {}).get("type")
        if solution != "hangoutsMeet":
            raise ApiError(400, "Invalid conference type value.", "invalid")
        code = _meet_code(str(request.get("requestId", event["id"])))
        link = f"https://meet.google.com/{code}"
        event["hangoutLink"] = link
        event["conferenceData"] = {
            "createRequest": {**request, "status": {"statusCode": "success"}},
            "entryPoints": [
                {"entryPointType": "video", "uri": link, "label": link.removeprefix("https://")}
            ],
            "conferenceSolution": {"key": {"type": "hangoutsMeet"}, "name": "Google Meet"},
            "conferenceId": code,
        }

    def _find(self, event_id: str, calendar_id: str | None) -> tuple[str, JsonObject]:
        for owner, events in self._state.calendars.items():
            if (calendar_id is None or owner == calendar_id) and event_id in events:
                return owner, events[event_id]
        raise ApiError(404, "Not Found", "notFound")

    def _touch(self, calendar_id: str, event: JsonObject) -> None:
        """Mark an event changed now (for sync tokens and `updated`)."""
        event["updated"] = _rfc3339(datetime.now(UTC))
        event["etag"] = f'"{uuid.uuid4().int % 10**16}"'
        self._state.changed_at[(calendar_id, event["id"])] = next(self._sequence)

    def _event_time(self, moment: datetime) -> JsonObject:
        """An event time the way Google echoes it: in the calendar's zone, with its offset."""
        return {
            "dateTime": moment.astimezone(self._zone).isoformat(timespec="seconds"),
            "timeZone": self.time_zone,
        }

    # --- events.list ---------------------------------------------------------------------------

    def _list(self, calendar_id: str, query: dict[str, str]) -> JsonObject:
        page_token = query.get("pageToken")
        listing_id = page_token or self._new_listing(calendar_id, query)
        listing = self._state.listings.get(listing_id)
        if listing is None:
            raise ApiError(400, "Invalid page token value.", "invalid")
        page = listing.pages.pop(0)
        answer: JsonObject = {
            "kind": "calendar#events",
            "summary": calendar_id,
            "timeZone": self.time_zone,
            "accessRole": "owner",
            "items": page,
        }
        if listing.pages:
            answer["nextPageToken"] = listing_id
        else:
            del self._state.listings[listing_id]
            answer["nextSyncToken"] = listing.sync_token
        return answer

    def _new_listing(self, calendar_id: str, query: dict[str, str]) -> str:
        """Snapshot the events to list now, split into pages; returns the listing's page token."""
        since = self._sync_point(query)
        show_deleted = query.get("showDeleted") == "true" or since is not None
        events = self._state.calendars.get(calendar_id, {})
        changed = sorted(
            (self._state.changed_at[(calendar_id, event_id)], event)
            for event_id, event in events.items()
            if show_deleted or event["status"] != "cancelled"
        )
        items = [
            json.loads(json.dumps(event)) for seq, event in changed if since is None or seq > since
        ]
        size = max(1, min(int(query.get("maxResults", "250")), self.max_page_size, MAX_PAGE_SIZE))
        pages = [items[i : i + size] for i in range(0, len(items), size)] or [[]]
        sync_token = f"sync-{uuid.uuid4().hex}"
        self._state.sync_tokens[sync_token] = max(self._state.changed_at.values(), default=0)
        listing_id = f"page-{uuid.uuid4().hex}"
        self._state.listings[listing_id] = _Listing(pages, sync_token)
        return listing_id

    def _sync_point(self, query: dict[str, str]) -> int | None:
        """The change number a sync token stands for (None for a full read)."""
        token = query.get("syncToken")
        if token is None:
            return None
        mixed = [name for name in _SYNC_FILTERS if name in query]
        if mixed or query.get("showDeleted") == "false":
            raise ApiError(400, f"syncToken cannot be combined with {mixed or 'showDeleted'}")
        if token not in self._state.sync_tokens:
            raise ApiError(
                410, "Sync token is no longer valid, a full sync is required.", "fullSyncRequired"
            )
        return self._state.sync_tokens[token]

    # --- freeBusy ---------------------------------------------------------------------------------

    def _free_busy(self, body: Any) -> JsonObject:
        if not isinstance(body, dict):
            raise ApiError(400, "Missing body.", "required")
        start, end = _parse_rfc3339(body["timeMin"]), _parse_rfc3339(body["timeMax"])
        items = [str(item["id"]) for item in body.get("items", [])]
        if end <= start:
            raise ApiError(400, "The specified time range is empty.", "timeRangeEmpty")
        if end - start > FREE_BUSY_MAX_SPAN:
            raise ApiError(400, "The requested time range is too long.", "timeRangeTooLong")
        if len(items) > FREE_BUSY_MAX_CALENDARS:
            raise ApiError(400, "Too many calendars requested.", "tooManyCalendarsRequested")
        return {
            "kind": "calendar#freeBusy",
            "timeMin": _rfc3339(start),
            "timeMax": _rfc3339(end),
            "calendars": {email: self._calendar_busy(email, start, end) for email in items},
        }

    def _calendar_busy(self, email: str, start: datetime, end: datetime) -> JsonObject:
        if email.lower() in self._state.unknown:
            return {"errors": [{"domain": "global", "reason": "notFound"}], "busy": []}
        periods = [
            (max(s, start), min(e, end))
            for s, e in self._busy_periods(email)
            if s < end and e > start
        ]
        return {"busy": [{"start": _rfc3339(s), "end": _rfc3339(e)} for s, e in _merged(periods)]}

    def _busy_periods(self, email: str) -> Iterator[tuple[datetime, datetime]]:
        """Added busy time, plus events the person owns or attends without having declined."""
        yield from self._state.busy.get(email.lower(), [])
        for owner, events in self._state.calendars.items():
            for event in events.values():
                if event["status"] == "cancelled" or event.get("transparency") == "transparent":
                    continue
                if owner.lower() == email.lower() or _attends(event, email):
                    yield _parse_event_time(event["start"]), _parse_event_time(event["end"])


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _handle(self) -> None:
        fake: FakeGoogleCalendar = self.server.fake  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        request = RecordedRequest(
            method=self.command,
            path=unquote(url.path),
            query={k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()},
            body=self._read_body(),
            headers={name.lower(): value for name, value in self.headers.items()},
        )
        plan = fake.plan(request)
        if plan.drop:
            self.close_connection = True
            return
        try:
            if plan.failure is not None:
                raise plan.failure
            status, payload = fake.dispatch(request, url.path)
        except ApiError as error:
            status, payload = error.status, error.body()
        except Exception as bug:  # a request the fake cannot handle: say so, do not hang up
            status, payload = 400, ApiError(400, f"fake server: {bug!r}", "fakeServerBug").body()
        if plan.delay:
            time.sleep(plan.delay)
        self._send(status, payload)

    def _read_body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return None
        if "x-www-form-urlencoded" in (self.headers.get("Content-Type") or ""):
            return {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
        try:
            return json.loads(raw)
        except ValueError:
            return raw.decode(errors="replace")

    def _send(self, status: int, payload: JsonObject | None) -> None:
        data = b"" if payload is None else json.dumps(payload).encode()
        try:
            self.send_response(status)
            if payload is not None:
                self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client stopped waiting (timeout test)


# --- helpers ------------------------------------------------------------------------------------


def _message(status: int) -> str:
    return {
        400: "Bad Request",
        403: "Forbidden",
        404: "Not Found",
        429: "Rate Limit Exceeded",
        500: "Backend Error",
        502: "Bad Gateway",
        503: "The service is currently unavailable.",
        504: "Gateway Timeout",
    }.get(status, f"HTTP {status}")


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_rfc3339(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ApiError(400, f"Invalid value for time: {text}", "invalid")
    return moment.astimezone(UTC)


def _parse_event_time(value: Any) -> datetime:
    if not isinstance(value, dict) or "dateTime" not in value:
        raise ApiError(400, "Invalid start/end: expected dateTime.", "invalid")
    return _parse_rfc3339(str(value["dateTime"]))


def _attendee(entry: Any, calendar_id: str) -> JsonObject:
    if not isinstance(entry, dict) or "email" not in entry:
        raise ApiError(400, "Missing attendee email.", "required")
    attendee: JsonObject = {**entry, "responseStatus": entry.get("responseStatus", "needsAction")}
    if str(entry["email"]).lower() == calendar_id.lower():
        attendee.update(organizer=True, self=True)
    return attendee


def _attends(event: JsonObject, email: str) -> bool:
    return any(
        attendee["email"].lower() == email.lower() and attendee["responseStatus"] != "declined"
        for attendee in event.get("attendees", [])
    )


def _merged(periods: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _meet_code(seed: str) -> str:
    """A Meet code (xxx-yyyy-zzz) derived from the conference request id."""
    digest = hashlib.sha256(seed.encode()).digest()
    letters = "".join(chr(ord("a") + b % 26) for b in digest[:10])
    return f"{letters[:3]}-{letters[3:7]}-{letters[7:10]}"


def _jwt_claims(assertion: str) -> JsonObject:
    """The payload of a JWT, not verified (the fake trusts any key)."""
    try:
        payload = assertion.split(".")[1]
        decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        claims = json.loads(decoded)
    except (IndexError, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}


def write_service_account_key(path: Path, token_uri: str) -> None:
    """A real service-account key file (fresh RSA key) whose token_uri points at the fake."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    info = {
        "type": "service_account",
        "project_id": "interview-bot-test",
        "private_key_id": "test-key-1",
        "private_key": pem,
        "client_email": "bot@interview-bot-test.iam.gserviceaccount.com",
        "client_id": "100000000000000000001",
        "token_uri": token_uri,
    }
    path.write_text(json.dumps(info))
