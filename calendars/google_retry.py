"""Retrying Google Calendar calls with tenacity, and turning what still fails into CalendarError.

Retried: HTTP 429, 500, 502, 503, 504, 403 with reason rateLimitExceeded/userRateLimitExceeded,
and transport failures (timeouts, refused or reset connections, DNS). Anything else fails at once.
"""

from __future__ import annotations

import http.client
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import httplib2
from google.auth import exceptions as auth_exceptions
from googleapiclient.errors import HttpError
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt
from tenacity.wait import WaitBaseT, wait_random_exponential

from calendars.provider import CalendarError

log = logging.getLogger(__name__)

T = TypeVar("T")

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
TRANSPORT_ERRORS: tuple[type[Exception], ...] = (
    TimeoutError,
    ConnectionError,
    http.client.HTTPException,
    httplib2.ServerNotFoundError,
    auth_exceptions.TransportError,
)


class GoogleApiError(CalendarError):
    """Google answered with an HTTP error; `status` and `reasons` (`error.errors[].reason`)."""

    def __init__(self, message: str, *, status: int, reasons: frozenset[str]) -> None:
        super().__init__(message)
        self.status = status
        self.reasons = reasons


def default_wait() -> WaitBaseT:
    return wait_random_exponential(multiplier=0.5, max=20)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry; tests pass `wait=tenacity.wait_none()`."""

    attempts: int = 5
    wait: WaitBaseT = field(default_factory=default_wait)

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")


def http_status(error: HttpError) -> int:
    return int(error.resp.status)


def error_reasons(error: HttpError) -> frozenset[str]:
    """The `reason` of each entry in a Google JSON error body (`{"error": {"errors": [...]}}`)."""
    try:
        payload = json.loads(error.content)
    except ValueError:
        return frozenset()
    details = payload.get("error") if isinstance(payload, dict) else None
    errors = details.get("errors") if isinstance(details, dict) else None
    if not isinstance(errors, list):
        return frozenset()
    return frozenset(
        str(entry["reason"]) for entry in errors if isinstance(entry, dict) and "reason" in entry
    )


def is_transient(exc: BaseException) -> bool:
    """Whether trying the same call again later may succeed."""
    if isinstance(exc, HttpError):
        status = http_status(exc)
        if status == 403:
            return bool(error_reasons(exc) & RATE_LIMIT_REASONS)
        return status in RETRYABLE_STATUSES
    return isinstance(exc, TRANSPORT_ERRORS)


def call_with_retries(call: Callable[[], T], *, what: str, policy: RetryPolicy) -> T:
    """Run `call`, retrying transient failures; raise CalendarError (GoogleApiError for HTTP
    errors) once it fails for good. `what` names the call in messages, e.g. "events.insert"."""
    retrying = Retrying(
        retry=retry_if_exception(is_transient),
        stop=stop_after_attempt(policy.attempts),
        wait=policy.wait,
        before_sleep=_log_retry(what),
        reraise=True,
    )
    try:
        return retrying(call)
    except HttpError as exc:
        raise _api_error(exc, what, policy.attempts) from exc
    except TRANSPORT_ERRORS as exc:
        raise CalendarError(
            f"Google Calendar {what} failed after {policy.attempts} attempts: {exc!r}"
        ) from exc
    except auth_exceptions.RefreshError as exc:
        raise CalendarError(
            f"Google Calendar {what}: could not get an access token: {exc}"
        ) from exc


def _api_error(exc: HttpError, what: str, attempts: int) -> GoogleApiError:
    status = http_status(exc)
    reasons = error_reasons(exc)
    after = f" after {attempts} attempts" if is_transient(exc) else ""
    reason_text = ", ".join(sorted(reasons)) or "no reason given"
    return GoogleApiError(
        f"Google Calendar {what} failed{after}: HTTP {status} ({reason_text}): {exc.reason}",
        status=status,
        reasons=reasons,
    )


def _log_retry(what: str) -> Callable[[RetryCallState], None]:
    def log_attempt(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning(
            "Google Calendar %s failed (attempt %d): %r; retrying",
            what,
            state.attempt_number,
            error,
        )

    return log_attempt
