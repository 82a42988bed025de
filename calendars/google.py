"""GoogleCalendarProvider: the CalendarProvider over Google Calendar API v3.

A service account with domain-wide delegation acts as the organizer; events live in the
organizer's calendar. Calls go through google-api-python-client with its bundled (static)
discovery document, so nothing is fetched but the API calls themselves, all to `api_url`.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin

import google_auth_httplib2
import httplib2
from google.auth.credentials import Credentials
from google.oauth2 import service_account
from googleapiclient import discovery
from tenacity.wait import WaitBaseT

from calendars.google_retry import GoogleApiError, RetryPolicy, call_with_retries, default_wait
from calendars.google_wire import (
    JsonObject,
    batched,
    busy_of,
    event_body,
    free_busy_body,
    merge_busy,
    parse_event,
    patch_body,
    replacement_attendees,
    time_windows,
)
from calendars.provider import (
    BusyInterval,
    CalendarError,
    CalendarEvent,
    ChangeSet,
    EventRequest,
    SyncTokenExpired,
)

__all__ = ["CALENDAR_SCOPE", "DEFAULT_API_URL", "GoogleApiError", "GoogleCalendarProvider"]

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://www.googleapis.com/"
CALENDAR_SCOPE = "https://www.googleapis.com/auth/calendar"
SERVICE_PATH = "calendar/v3/"  # the discovery document's servicePath, appended to api_url
FREE_BUSY_MAX_CALENDARS = 50
FREE_BUSY_MAX_SPAN = timedelta(days=60)
PAGE_SIZE = 250

# A prepared googleapiclient request (HttpRequest); the client ships no type stubs.
ApiRequest = Any
# The googleapiclient Resource for calendar v3.
CalendarService = Any


class GoogleCalendarProvider:
    """Books interviews in the organizer's Google Calendar; safe to share between threads."""

    def __init__(
        self,
        organizer_email: str,
        credentials: Credentials,
        api_url: str = DEFAULT_API_URL,
        *,
        timeout: float = 30.0,
        max_attempts: int = 5,
        retry_wait: WaitBaseT | None = None,
    ) -> None:
        self.organizer_email = organizer_email
        self.api_url = api_url if api_url.endswith("/") else api_url + "/"
        self._credentials = credentials
        self._timeout = timeout
        self._retry = RetryPolicy(max_attempts, retry_wait or default_wait())
        self._local = threading.local()

    @classmethod
    def from_service_account_file(
        cls,
        path: str | os.PathLike[str],
        organizer_email: str,
        api_url: str = DEFAULT_API_URL,
        *,
        timeout: float = 30.0,
        max_attempts: int = 5,
        retry_wait: WaitBaseT | None = None,
    ) -> GoogleCalendarProvider:
        """A provider acting as `organizer_email` through a service-account key file
        (domain-wide delegation must grant the calendar scope to that service account)."""
        credentials = service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
            os.fspath(path), scopes=[CALENDAR_SCOPE], subject=organizer_email
        )
        return cls(
            organizer_email,
            credentials,
            api_url,
            timeout=timeout,
            max_attempts=max_attempts,
            retry_wait=retry_wait,
        )

    # --- CalendarProvider --------------------------------------------------------------------

    def free_busy(
        self, emails: Sequence[str], start: datetime, end: datetime
    ) -> dict[str, list[BusyInterval]]:
        """Asks in pieces of at most 50 calendars and 60 days, then merges the answers."""
        wanted = list(dict.fromkeys(emails))
        busy: dict[str, list[BusyInterval]] = {email: [] for email in wanted}
        for window_start, window_end in time_windows(start, end, FREE_BUSY_MAX_SPAN):
            for group in batched(wanted, FREE_BUSY_MAX_CALENDARS):
                answer = self._query_free_busy(group, window_start, window_end)
                for email in group:
                    busy[email].extend(busy_of(answer, email))
        return {email: merge_busy(intervals, start, end) for email, intervals in busy.items()}

    def create_event(self, request: EventRequest) -> CalendarEvent:
        """Inserts with our own event id; if Google says it exists (409), returns that event."""
        body = event_body(request)
        try:
            created = self._call(
                "events.insert",
                lambda events: events.insert(
                    calendarId=self.organizer_email,
                    body=body,
                    conferenceDataVersion=1,
                    sendUpdates="all",
                ),
            )
        except GoogleApiError as exc:
            if exc.status != 409:
                raise
            log.info("event %s already exists; returning it", request.event_id)
            created = self._get_event(request.event_id)
        return parse_event(created)

    def update_event(
        self,
        event_id: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        attendees: Sequence[str] | None = None,
    ) -> CalendarEvent:
        """Patches only the given fields; attendees who stay keep their answers."""
        new_attendees = None
        if attendees is not None:
            current = self._get_event(event_id)
            new_attendees = replacement_attendees(attendees, current.get("attendees"))
        body = patch_body(start, end, new_attendees)
        if not body:
            return parse_event(self._get_event(event_id))
        patched = self._call(
            "events.patch",
            lambda events: events.patch(
                calendarId=self.organizer_email,
                eventId=event_id,
                body=body,
                sendUpdates="all",
                conferenceDataVersion=1,
            ),
        )
        return parse_event(patched)

    def cancel_event(self, event_id: str, notify: bool = True) -> None:
        """Deletes (and notifies the attendees when `notify`); an event already gone (404, 410)
        counts as cancelled."""
        updates = "all" if notify else "none"
        try:
            self._call(
                "events.delete",
                lambda events: events.delete(
                    calendarId=self.organizer_email, eventId=event_id, sendUpdates=updates
                ),
            )
        except GoogleApiError as exc:
            if exc.status not in (404, 410):
                raise
            log.info("event %s was already gone (HTTP %d)", event_id, exc.status)

    def list_changes(self, sync_token: str | None) -> ChangeSet:
        """Follows every page; a full read (no token) lists all events, as Google needs for
        handing out a sync token usable later. 410 GONE raises SyncTokenExpired."""
        changed: dict[str, CalendarEvent] = {}
        page_token: str | None = None
        while True:
            page = self._list_page(sync_token or None, page_token)
            for item in page.get("items", []):
                event = parse_event(item)
                changed[event.event_id] = event
            page_token = page.get("nextPageToken")
            if not page_token:
                return ChangeSet(events=list(changed.values()), next_sync_token=_sync_token(page))

    # --- calls -------------------------------------------------------------------------------

    def _query_free_busy(self, emails: list[str], start: datetime, end: datetime) -> JsonObject:
        body = free_busy_body(emails, start, end)
        return self._call_service("freebusy.query", lambda api: api.freebusy().query(body=body))

    def _get_event(self, event_id: str) -> JsonObject:
        return self._call(
            "events.get",
            lambda events: events.get(calendarId=self.organizer_email, eventId=event_id),
        )

    def _list_page(self, sync_token: str | None, page_token: str | None) -> JsonObject:
        try:
            return self._call(
                "events.list",
                lambda events: events.list(
                    calendarId=self.organizer_email,
                    syncToken=sync_token,
                    pageToken=page_token,
                    showDeleted=True,
                    singleEvents=True,
                    maxResults=PAGE_SIZE,
                ),
            )
        except GoogleApiError as exc:
            if exc.status == 410:
                raise SyncTokenExpired(f"sync token expired, read everything again: {exc}") from exc
            raise

    def _call(self, what: str, prepare: Callable[[Any], ApiRequest]) -> JsonObject:
        """Run an events() request, building it afresh on this thread's client each attempt."""
        return self._call_service(what, lambda api: prepare(api.events()))

    def _call_service(
        self, what: str, prepare: Callable[[CalendarService], ApiRequest]
    ) -> JsonObject:
        def attempt() -> JsonObject:
            response = prepare(self._service()).execute(num_retries=0)
            return response if isinstance(response, dict) else {}

        return call_with_retries(attempt, what=what, policy=self._retry)

    def _service(self) -> CalendarService:
        """This thread's client: httplib2.Http is not thread-safe, so each thread has its own."""
        service = getattr(self._local, "service", None)
        if service is None:
            service = self._build_service()
            self._local.service = service
        return service

    def _build_service(self) -> CalendarService:
        http = google_auth_httplib2.AuthorizedHttp(
            self._credentials, http=httplib2.Http(timeout=self._timeout)
        )
        # api_endpoint replaces rootUrl + servicePath of the discovery document entirely.
        return discovery.build(
            "calendar",
            "v3",
            http=http,
            static_discovery=True,
            cache_discovery=False,
            client_options={"api_endpoint": urljoin(self.api_url, SERVICE_PATH)},
        )


def _sync_token(last_page: JsonObject) -> str:
    token = last_page.get("nextSyncToken")
    if not token:
        raise CalendarError("Google Calendar events.list ended without a nextSyncToken")
    return str(token)
