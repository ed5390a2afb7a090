"""A bounded in-memory record of the JWT ids (jti) already accepted, to refuse replayed tokens.

An entry lives until its token expires (plus the clock leeway, during which the token would still
pass the `exp` check); after that the `exp` check alone refuses a replay. Token lifetime is capped by
the settings, which bounds how many entries can be live. When the cache is still full, the entry
closest to expiry goes first: it is the one whose replay window is shortest.
"""

from __future__ import annotations

import heapq


class ReplayCache:
    def __init__(self, capacity: int, leeway_s: float = 0.0) -> None:
        if capacity <= 0:
            raise ValueError("capacity must be positive")
        self._capacity = capacity
        self._leeway_s = leeway_s
        self._expiry: dict[tuple[str, str], float] = {}
        # (expires at, key) pairs; stale pairs (key removed or re-added) are skipped when popped.
        self._heap: list[tuple[float, tuple[str, str]]] = []

    def __len__(self) -> int:
        return len(self._expiry)

    def first_use(self, issuer: str, jti: str, expires_at: float, now: float) -> bool:
        """Record the token id; False when it was already used by this issuer and has not expired."""
        self._forget_expired(now)
        key = (issuer, jti)
        if key in self._expiry:
            return False
        while len(self._expiry) >= self._capacity:
            self._evict_one()
        until = expires_at + self._leeway_s
        self._expiry[key] = until
        heapq.heappush(self._heap, (until, key))
        return True

    def _forget_expired(self, now: float) -> None:
        while self._heap and self._heap[0][0] < now:
            until, key = heapq.heappop(self._heap)
            if self._expiry.get(key) == until:
                del self._expiry[key]

    def _evict_one(self) -> None:
        while self._heap:
            until, key = heapq.heappop(self._heap)
            if self._expiry.get(key) == until:
                del self._expiry[key]
                return
