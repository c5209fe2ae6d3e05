"""Strings within a few edits of a word, without scanning every string.

The gazetteer forgives typos in names and the answerer in catalog words. Scanning every
key with Damerau-Levenshtein costs tens of milliseconds per phrase at 100k names, and a
question tries many phrases, so past ``FULL_SCAN`` strings the candidates come from
bigram postings per length, as ``bot.search`` does for lookups: a string within ``k``
edits has a length within ``k`` and keeps one of any ``k + 1`` of the query's bigrams
that neither overlap nor touch.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable

from bot.search import typo_candidates, within

#: Up to this many strings, a search scans them all (exact, and fast enough).
FULL_SCAN = 5_000


class TypoIndex:
    """An append-only list of strings searchable by edit distance."""

    def __init__(self, strings: Iterable[str] = ()) -> None:
        self.strings: list[str] = []
        self._by_length: defaultdict[int, array[int]] = defaultdict(lambda: array("i"))
        self._bigrams: defaultdict[int, defaultdict[str, array[int]]] = defaultdict(
            lambda: defaultdict(lambda: array("i"))
        )
        for text in strings:
            self.add(text)

    def __len__(self) -> int:
        return len(self.strings)

    def add(self, text: str) -> int:
        """Append ``text``; its position is what searches return."""
        pos = len(self.strings)
        self.strings.append(text)
        size = len(text)
        self._by_length[size].append(pos)
        postings = self._bigrams[size]
        for gram in {text[i : i + 2] for i in range(size - 1)}:
            postings[gram].append(pos)
        return pos

    def within(self, query: str, limit: int) -> list[tuple[int, int]]:
        """(position, distance) of every string within ``limit`` Damerau-Levenshtein
        edits, nearest first, then in insertion order (as ``rapidfuzz.process`` ranks)."""
        if len(self.strings) <= FULL_SCAN:
            found = within(query, limit, self.strings, range(len(self.strings)))
        else:
            candidates = sorted(typo_candidates(query, limit, self._bigrams, self._by_length))
            found = within(query, limit, self.strings, candidates, prefilter=True)
        return sorted(found, key=_nearest)


def _nearest(hit: tuple[int, int]) -> tuple[int, int]:
    return hit[1], hit[0]
