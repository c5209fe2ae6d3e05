"""Choosing quotes: filters by film, speaker and words, then a random pick."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from bot.models import Quote


@dataclass(frozen=True)
class QuoteFilter:
    film: str | None = None
    speaker: str | None = None
    #: Ids allowed by a text search; None when there was no search.
    ids: frozenset[str] | None = None

    def accepts(self, quote: Quote) -> bool:
        return (
            (self.film is None or quote.film == self.film)
            and (self.speaker is None or quote.speaker == self.speaker)
            and (self.ids is None or quote.id in self.ids)
        )


def pick_quote(
    quotes: Iterable[Quote],
    flt: QuoteFilter,
    *,
    exclude: str | None = None,
    rng: random.Random | None = None,
) -> tuple[Quote | None, int]:
    """A random matching quote (avoiding ``exclude`` when there is another) and the count."""
    matches = [q for q in quotes if flt.accepts(q)]
    if not matches:
        return None, 0
    fresh = [q for q in matches if q.id != exclude] or matches
    return (rng or random).choice(fresh), len(matches)
