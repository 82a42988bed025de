"""The demo's clock: simulated time that runs faster than the wall clock and jumps ahead."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta


class AcceleratedClock:
    """Implements bot.shared.clock.Clock: once started, `speed` simulated seconds pass per real
    second, and `jump_to` moves time forward at once (never back), as days between interviews
    pass. Until `start` it stands still (the set-up takes no simulated time)."""

    def __init__(self, start: datetime, speed: float = 60.0) -> None:
        if start.tzinfo is None:
            raise ValueError("the demo's clock needs an aware datetime")
        self._lock = threading.Lock()
        self._base = start.astimezone(UTC)
        self._since: float | None = None
        self._speed = speed

    def start(self) -> None:
        with self._lock:
            self._since = time.monotonic()

    def now(self) -> datetime:
        with self._lock:
            return self._now()

    def jump_to(self, moment: datetime) -> None:
        with self._lock:
            self._base = max(self._now(), moment.astimezone(UTC))
            if self._since is not None:
                self._since = time.monotonic()

    def _now(self) -> datetime:
        if self._since is None:
            return self._base
        return self._base + timedelta(seconds=(time.monotonic() - self._since) * self._speed)

    def advance(self, delta: timedelta) -> None:
        self.jump_to(self.now() + delta)
