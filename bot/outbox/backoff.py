"""When to try a message again: exponential backoff with jitter, or Slack's own Retry-After."""

from __future__ import annotations

from datetime import datetime, timedelta

from tenacity import RetryCallState, wait_exponential_jitter

# Slack's 5xx and rate limits clear within minutes; eight attempts span about ten minutes.
MAX_ATTEMPTS = 8
_WAIT = wait_exponential_jitter(multiplier=5, max=20 * 60, exp_base=2, jitter=5)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt (1 for the first)."""
    state = RetryCallState(retry_object=None, fn=None, args=(), kwargs={})  # type: ignore[arg-type]
    state.attempt_number = attempts
    return timedelta(seconds=_WAIT(state))


def next_attempt_at(now: datetime, attempts: int, retry_after: float | None) -> datetime:
    """Slack's Retry-After when it gave one, else the backoff."""
    if retry_after is not None:
        return now + timedelta(seconds=retry_after)
    return now + backoff(attempts)


def gives_up(attempts: int) -> bool:
    return attempts >= MAX_ATTEMPTS
