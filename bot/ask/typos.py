"""Strings within a few edits of a word, without scanning every string.

The gazetteer forgives typos in names and the answerer in catalog words. Scanning every
key with Damerau-Levenshtein costs tens of milliseconds per phrase at 100k names, and a
question tries many phrases, so past ``FULL_SCAN`` strings the candidates come from
bigram postings per length, as ``bot.search`` does for lookups: a string within ``k``
edits has a length within ``k`` and keeps one of any set of the query's bigrams that
occur more than ``k * BIGRAMS_PER_EDIT`` times in total.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from operator import itemgetter

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein, Levenshtein

from bot.search import BIGRAMS_PER_EDIT

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
            positions: list[int] = list(range(len(self.strings)))
            choices = self.strings
        else:
            positions = sorted(self._candidates(query, limit))
            near = process.extract(
                query,
                self._at(positions),
                scorer=Levenshtein.distance,
                processor=None,
                score_cutoff=2 * limit,
                limit=None,
            )
            positions = sorted(positions[i] for _, _, i in near)
            choices = self._at(positions)
        found = process.extract(
            query,
            choices,
            scorer=DamerauLevenshtein.distance,
            processor=None,
            score_cutoff=limit,
            limit=None,
        )
        return sorted(((positions[i], dist) for _, dist, i in found), key=_nearest)

    def _at(self, positions: list[int]) -> list[str]:
        if len(positions) < 2:
            return [self.strings[p] for p in positions]
        return list(itemgetter(*positions)(self.strings))

    def _candidates(self, query: str, limit: int) -> set[int]:
        size = len(query)
        grams = Counter(query[i : i + 2] for i in range(size - 1))
        need = limit * BIGRAMS_PER_EDIT + 1
        found: set[int] = set()
        for length in range(max(0, size - limit), size + limit + 1):
            postings = self._bigrams.get(length)
            if postings is None or length < 2 or grams.total() < need:
                found.update(self._by_length.get(length, ()))
                continue
            covered = 0
            for gram in sorted(grams, key=lambda g, p=postings: len(p.get(g, ()))):
                found.update(postings.get(gram, ()))
                covered += grams[gram]
                if covered >= need:
                    break
        return found


def _nearest(hit: tuple[int, int]) -> tuple[int, int]:
    return hit[1], hit[0]
