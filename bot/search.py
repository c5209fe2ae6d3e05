"""Fuzzy lookup of films and people by title, name or alias.

Tiers, in order: exact key, unique prefix, then edit distance with a length-aware
allowance. A query that lands between two candidates, or only near one, becomes a
"did you mean" with choices: a wrong film is worse than a question back.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.text import normalize

EntryKind = Literal["film", "person"]

#: Fuzzy candidates scoring below this (0-100) are not even suggested.
SUGGEST_MIN_SCORE = 60.0
#: How many suggestions a did-you-mean offers.
MAX_SUGGESTIONS = 5
#: Discord's limit on autocomplete choices.
AUTOCOMPLETE_LIMIT = 25
#: Prefixes shorter than this are not trusted to name one entry.
MIN_PREFIX = 3

_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


def allowed_edits(length: int) -> int:
    """Typos forgiven for a key of ``length`` characters: none for very short ones."""
    if length <= 3:
        return 0
    if length <= 7:
        return 1
    if length <= 13:
        return 2
    return 3


@dataclass(frozen=True)
class Entry:
    """Something the index can find: a film or a person."""

    kind: EntryKind
    id: str
    label: str
    year: int | None = None
    keys: tuple[str, ...] = ()

    @property
    def display(self) -> str:
        return f"{self.label} ({self.year})" if self.year else self.label


@dataclass(frozen=True)
class Lookup:
    """``match`` when one entry is meant; otherwise ``suggestions`` to choose from."""

    query: str
    match: Entry | None = None
    suggestions: tuple[Entry, ...] = ()
    forgiven: bool = False


@dataclass
class SearchIndex:
    """In-memory index; rebuild (cheap) when the catalog changes."""

    entries: list[Entry] = field(default_factory=list)
    _exact: dict[str, list[int]] = field(default_factory=dict)
    _compact: dict[str, list[int]] = field(default_factory=dict)
    _sorted_keys: list[str] = field(default_factory=list)
    _sorted_owner: list[int] = field(default_factory=list)
    _fuzzy_keys: list[str] = field(default_factory=list)
    _fuzzy_owner: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, entries: Iterable[Entry]) -> SearchIndex:
        index = cls()
        for entry in entries:
            index.add(entry, resort=False)
        index._resort()
        return index

    def add(self, entry: Entry, *, resort: bool = True) -> None:
        """Add one entry; moderators' additions use this without a full rebuild."""
        idx = len(self.entries)
        self.entries.append(entry)
        for raw in (entry.label, *entry.keys):
            key = normalize(raw)
            if not key:
                continue
            self._exact.setdefault(key, []).append(idx)
            self._compact.setdefault(key.replace(" ", ""), []).append(idx)
            self._fuzzy_keys.append(key.replace(" ", ""))
            self._fuzzy_owner.append(idx)
            for word_start in _word_starts(key):
                self._sorted_keys.append(word_start)
                self._sorted_owner.append(idx)
        if resort:
            self._resort()

    def _resort(self) -> None:
        pairs = sorted(zip(self._sorted_keys, self._sorted_owner, strict=True))
        self._sorted_keys = [k for k, _ in pairs]
        self._sorted_owner = [o for _, o in pairs]

    # -- lookup ------------------------------------------------------------------------

    def lookup(self, query: str, kind: EntryKind | None = None) -> Lookup:
        """Resolve ``query`` to one entry, or explain with suggestions."""
        text, year = _split_year(query)
        key = normalize(text)
        if not key:
            return Lookup(query)
        for tier in (self._exact_ids(key), self._prefix_ids(key)):
            found = self._narrow(tier, kind, year)
            if len(found) == 1:
                return Lookup(query, match=self.entries[found[0]])
            if len(found) > 1:
                return Lookup(query, suggestions=self._entries(found))
        return self._fuzzy(query, key, kind, year)

    def _exact_ids(self, key: str) -> list[int]:
        return self._exact.get(key) or self._compact.get(key.replace(" ", ""), [])

    def _prefix_ids(self, key: str) -> list[int]:
        """Entries with a name or alias word sequence starting with ``key``."""
        if len(key) < MIN_PREFIX:
            return []
        start = bisect.bisect_left(self._sorted_keys, key)
        ids: list[int] = []
        for pos in range(start, len(self._sorted_keys)):
            if not self._sorted_keys[pos].startswith(key):
                break
            owner = self._sorted_owner[pos]
            if owner not in ids:
                ids.append(owner)
        return ids

    def _narrow(self, ids: list[int], kind: EntryKind | None, year: int | None) -> list[int]:
        ids = [i for i in ids if kind is None or self.entries[i].kind == kind]
        if year is not None:
            dated = [i for i in ids if self.entries[i].year == year]
            ids = dated or ids
        return list(dict.fromkeys(ids))

    def _entries(self, ids: Iterable[int]) -> tuple[Entry, ...]:
        return tuple(self.entries[i] for i in list(dict.fromkeys(ids))[:MAX_SUGGESTIONS])

    def _fuzzy(self, query: str, key: str, kind: EntryKind | None, year: int | None) -> Lookup:
        """Accept only a clear winner within the typo allowance; otherwise suggest."""
        squashed = key.replace(" ", "")
        best: dict[int, int] = {}
        limit = allowed_edits(len(squashed))
        for _choice, dist, pos in process.extract(
            squashed,
            self._fuzzy_keys,
            scorer=DamerauLevenshtein.distance,
            processor=None,
            score_cutoff=max(limit, 0) + 1,
            limit=None,
        ):
            owner = self._fuzzy_owner[pos]
            if kind is None or self.entries[owner].kind == kind:
                best[owner] = min(dist, best.get(owner, dist))
        within = sorted((d, o) for o, d in best.items() if d <= limit)
        if year is not None:
            within = [(d, o) for d, o in within if self.entries[o].year == year] or within
        if within and (len(within) == 1 or within[1][0] > within[0][0]):
            return Lookup(query, match=self.entries[within[0][1]], forgiven=True)
        return Lookup(query, suggestions=self.suggest(key, kind))

    def suggest(self, key: str, kind: EntryKind | None = None) -> tuple[Entry, ...]:
        """Close entries for a did-you-mean, best first."""
        ranked = self._ranked(key, kind, SUGGEST_MIN_SCORE)
        return self._entries(ranked)

    def _ranked(self, key: str, kind: EntryKind | None, cutoff: float) -> list[int]:
        squashed = key.replace(" ", "")
        if not squashed:
            return []
        scored: dict[int, float] = {}
        for _choice, score, pos in process.extract(
            squashed,
            self._fuzzy_keys,
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=cutoff,
            limit=AUTOCOMPLETE_LIMIT * 4,
        ):
            owner = self._fuzzy_owner[pos]
            if kind is None or self.entries[owner].kind == kind:
                scored[owner] = max(score, scored.get(owner, 0.0))
        return [o for o, _ in sorted(scored.items(), key=lambda kv: -kv[1])]

    # -- autocomplete --------------------------------------------------------------------

    def autocomplete(self, query: str, kind: EntryKind | None = None) -> list[Entry]:
        """Up to 25 entries for a half-typed query: prefixes first, then near misses."""
        key = normalize(query, drop_article=False)
        if not key:
            pool = [i for i, e in enumerate(self.entries) if kind is None or e.kind == kind]
            return [self.entries[i] for i in pool[:AUTOCOMPLETE_LIMIT]]
        bare = normalize(query)
        ids = self._narrow(self._exact_ids(bare), kind, None)
        ids += self._narrow(self._prefix_any(bare), kind, None)
        if len(ids) < AUTOCOMPLETE_LIMIT:
            ids += self._partial(bare, kind)
        return [self.entries[i] for i in list(dict.fromkeys(ids))[:AUTOCOMPLETE_LIMIT]]

    def _prefix_any(self, key: str) -> list[int]:
        start = bisect.bisect_left(self._sorted_keys, key)
        ids: list[int] = []
        for pos in range(start, len(self._sorted_keys)):
            if not self._sorted_keys[pos].startswith(key) or len(ids) >= AUTOCOMPLETE_LIMIT * 4:
                break
            ids.append(self._sorted_owner[pos])
        return ids

    def _partial(self, key: str, kind: EntryKind | None) -> list[int]:
        """Typo-tolerant matches of a partial query against the start of each key."""
        squashed = key.replace(" ", "")
        scored: dict[int, float] = {}
        for _choice, score, pos in process.extract(
            squashed,
            [k[: len(squashed) + 2] for k in self._fuzzy_keys],
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=70,
            limit=AUTOCOMPLETE_LIMIT * 4,
        ):
            owner = self._fuzzy_owner[pos]
            if kind is None or self.entries[owner].kind == kind:
                scored[owner] = max(score, scored.get(owner, 0.0))
        return [o for o, _ in sorted(scored.items(), key=lambda kv: -kv[1])]


def _word_starts(key: str) -> list[str]:
    """Every suffix of ``key`` that starts at a word, for prefix search inside names."""
    words = key.split()
    return [" ".join(words[i:]) for i in range(len(words))]


def _split_year(query: str) -> tuple[str, int | None]:
    """Pull a release year out of the query when something else remains."""
    match = _YEAR.search(query)
    if not match:
        return query, None
    rest = (query[: match.start()] + query[match.end() :]).strip(" ()-,")
    if not normalize(rest):
        return query, None
    return rest, int(match.group(1))
