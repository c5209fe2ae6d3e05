"""A per-member rate limit for questions, on the caller's clock (the event loop's)."""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Hashable

#: Questions a member may ask within ``ASK_PER`` seconds.
ASK_RATE = 5
ASK_PER = 30.0
#: Members tracked at most (least recently seen go first).
MAX_TRACKED = 10_000


class RateLimit:
    """At most ``rate`` uses per ``per`` seconds for each key (a sliding window)."""

    def __init__(
        self, rate: int = ASK_RATE, per: float = ASK_PER, limit: int = MAX_TRACKED
    ) -> None:
        self.rate = rate
        self.per = per
        self.limit = limit
        self._uses: OrderedDict[Hashable, deque[float]] = OrderedDict()
        self._warned: set[Hashable] = set()

    def hit(self, key: Hashable, now: float) -> float:
        """Record a use; return 0 if allowed, else the seconds until the next is."""
        uses = self._uses.setdefault(key, deque())
        self._uses.move_to_end(key)
        while uses and now - uses[0] >= self.per:
            uses.popleft()
        if len(uses) >= self.rate:
            return max(0.0, self.per - (now - uses[0]))
        uses.append(now)
        self._warned.discard(key)
        while len(self._uses) > self.limit:
            old, _ = self._uses.popitem(last=False)
            self._warned.discard(old)
        return 0.0

    def first_warning(self, key: Hashable) -> bool:
        """True once per limited stretch, so a spammer is told only once."""
        if key in self._warned:
            return False
        self._warned.add(key)
        return True
