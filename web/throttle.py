"""Login throttling: too many failed sign-ins from one address, or for one name, wait.

Two sliding windows of failures, kept in memory per app (one process serves the tracker):
per (address, name) a few tries, per address alone some more (one address guessing many
names). A success clears the (address, name) window. The clock is injectable for tests.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

MAX_KEYS = 100_000  # forget everything rather than grow without bound under a flood
ANY_NAME = "\x00any"  # the per-address window (no user name holds a NUL)


@dataclass(frozen=True)
class ThrottleLimits:
    per_name: int = 5
    per_address: int = 20
    window_s: float = 300.0


class LoginThrottle:
    def __init__(
        self,
        limits: ThrottleLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = limits or ThrottleLimits()
        self._clock = clock
        self._failures: defaultdict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        found = self._failures.get(key)
        if found is None:
            return deque()
        while found and found[0] <= now - self.limits.window_s:
            found.popleft()
        if not found:
            del self._failures[key]
        return found

    def retry_after(self, address: str, name: str) -> int:
        """Seconds to wait before another try is heard; 0 when one may try now."""
        now = self._clock()
        with self._lock:
            waits = []
            for key, limit in (
                ((address, name.casefold()), self.limits.per_name),
                ((address, ANY_NAME), self.limits.per_address),
            ):
                recent = self._recent(key, now)
                if len(recent) >= limit:
                    oldest = recent[len(recent) - limit]
                    waits.append(oldest + self.limits.window_s - now)
            return max(1, math.ceil(max(waits))) if waits else 0

    def failed(self, address: str, name: str) -> None:
        now = self._clock()
        with self._lock:
            if len(self._failures) > MAX_KEYS:
                self._failures.clear()
            self._failures[(address, name.casefold())].append(now)
            self._failures[(address, ANY_NAME)].append(now)

    def succeeded(self, address: str, name: str) -> None:
        with self._lock:
            self._failures.pop((address, name.casefold()), None)
