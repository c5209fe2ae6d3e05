"""Fuzzy lookup of films and people by title, name or alias.

Tiers, in order: exact key, unique prefix, then edit distance with a length-aware
allowance. A query that lands between two candidates, or only near one, becomes a
"did you mean" with choices: a wrong film is worse than a question back.

Scale: small indexes are scanned whole with rapidfuzz. Past ``FULL_SCAN_KEYS`` distinct
keys a scan costs tens of milliseconds, so the fuzzy tiers first pick candidates from
n-gram postings: the typo tier exactly (a key within ``k`` edits keeps one of any
``k + 1`` spaced bigrams of the query, see ``typo_candidates``), suggestions and
autocomplete by the most shared trigrams. Both postings are kept up to date by ``add``.
"""

from __future__ import annotations

import bisect
import gc
import re
import threading
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from operator import add, itemgetter
from typing import Literal, NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein, Levenshtein

from bot.text import normalize, normalize_many

EntryKind = Literal["film", "person"]

#: Fuzzy candidates scoring below this (0-100) are not even suggested.
SUGGEST_MIN_SCORE = 60.0
#: Autocomplete's typo-tolerant tier: minimum score of the query against a key's start.
PARTIAL_MIN_SCORE = 70.0
#: How many suggestions a did-you-mean offers.
MAX_SUGGESTIONS = 5
#: Discord's limit on autocomplete choices.
AUTOCOMPLETE_LIMIT = 25
#: Prefixes shorter than this are not trusted to name one entry.
MIN_PREFIX = 3
#: Up to this many distinct keys, fuzzy tiers scan every key (exact, and fast enough).
FULL_SCAN_KEYS = 5_000
#: Candidates (by shared trigrams) scored for suggestions and autocomplete past that size.
RANK_CANDIDATES = 400
#: Postings positions counted per ranking, rarest trigrams first ...
RANK_BUDGET = 20_000
#: ... but at least this many trigrams are counted, however common.
MIN_RANK_GRAMS = 2

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


@dataclass
class _CollectorPause:
    """How many builds have the cycle collector paused, and whether to turn it back on."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    builds: int = 0
    was_enabled: bool = False


_PAUSE = _CollectorPause()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector while building large, acyclic structures.

    Building allocates millions of small lists; each allocation burst triggers a
    collection that walks the whole heap (the catalog included), a third of the build
    time at 100k entries. Nothing built here forms a cycle. Counted, so builds in two
    threads at once (a load and its index) keep it paused until both are done.
    """
    with _PAUSE.lock:
        if _PAUSE.builds == 0:
            _PAUSE.was_enabled = gc.isenabled()
            gc.disable()
        _PAUSE.builds += 1
    try:
        yield
    finally:
        with _PAUSE.lock:
            _PAUSE.builds -= 1
            if _PAUSE.builds == 0 and _PAUSE.was_enabled:
                gc.enable()


def _positions() -> array[int]:
    return array("i")


# Named factories, not lambdas, so a built index can be pickled and stored.
def _postings() -> defaultdict[str, array[int]]:
    return defaultdict(_positions)


def _length_lists() -> defaultdict[int, array[int]]:
    return defaultdict(_positions)


def _length_postings() -> defaultdict[int, defaultdict[str, array[int]]]:
    return defaultdict(_postings)


#: The entries under one key: an int for one (most keys), a list for several. A list
#: each would cost 13 MB at 200k keys.
Owners = int | list[int]


def _with_owner(present: Owners | None, owner: int) -> Owners:
    """``present`` with ``owner`` added. Entries are added in index order, so a repeat
    can only be the last one."""
    if present is None:
        return owner
    if isinstance(present, int):
        return present if present == owner else [present, owner]
    if present[-1] != owner:
        present.append(owner)
    return present


def _each(owners: Owners) -> list[int] | tuple[int]:
    return (owners,) if isinstance(owners, int) else owners


def _word_starts(key: str) -> list[str]:
    """``key`` and each tail of it that starts at a word: "la la land" -> "la land"."""
    tails = [key]
    space = key.find(" ")
    while space >= 0:
        tails.append(key[space + 1 :])
        space = key.find(" ", space + 1)
    return tails


def _index_grams(
    squashed: str,
    pos: int,
    bigrams: defaultdict[int, defaultdict[str, array[int]]],
    trigrams: defaultdict[str, array[int]],
) -> None:
    by_gram = bigrams[len(squashed)]
    pairs = list(map(add, squashed, squashed[1:]))
    for gram in set(pairs):
        by_gram[gram].append(pos)
    for gram in set(map(add, pairs, squashed[2:])):
        trigrams[gram].append(pos)


def typo_candidates(
    query: str,
    limit: int,
    bigrams: Mapping[int, Mapping[str, Sequence[int]]],
    by_length: Mapping[int, Sequence[int]],
) -> set[int]:
    """Every string position that could be within ``limit`` edits of ``query`` (a superset).

    Such a string has a length within ``limit``, and keeps intact one of any ``limit + 1``
    of the query's bigrams that neither overlap nor touch (a pigeonhole: one edit, a
    transposition included, breaks at most one of them; a transposition across deleted
    characters costs one more edit per character it spans). So per length the
    candidates are the strings holding one of the ``limit + 1`` such bigrams with the
    fewest postings. A query too short for them, or a length with no postings (strings
    too short for bigrams), gives every string of that length. Shared by the lookup
    index and /ask's typo search.
    """
    grams = [query[i : i + 2] for i in range(len(query) - 1)]
    found: set[int] = set()
    for length in range(max(0, len(query) - limit), len(query) + limit + 1):
        postings = bigrams.get(length)
        picks = None
        if postings:
            picks = _spaced_picks([len(postings.get(g, ())) for g in grams], limit + 1)
        if picks is None:
            found.update(by_length.get(length, ()))
            continue
        for pick in picks:
            found.update(postings.get(grams[pick], ()))
    return found


def _spaced_picks(costs: list[int], count: int) -> list[int] | None:
    """``count`` bigram positions at least 3 apart (no shared or adjacent characters)
    with the least total cost, or None if the query is too short for that many."""
    size = len(costs)
    if size < 3 * count - 2:
        return None
    # least[j][i]: the least cost of j picks among positions i and after.
    never = sum(costs) + 1
    least = [[0] * (size + 3)] + [[never] * (size + 3) for _ in range(count)]
    for j in range(1, count + 1):
        row, fewer = least[j], least[j - 1]
        for i in range(size - 1, -1, -1):
            row[i] = min(row[i + 1], costs[i] + fewer[i + 3])
    picks: list[int] = []
    i = 0
    while len(picks) < count:
        if least[count - len(picks)][i] == least[count - len(picks)][i + 1]:
            i += 1
        else:
            picks.append(i)
            i += 3
    return picks


def gather(strings: Sequence[str], positions: Sequence[int]) -> Sequence[str]:
    """The strings at ``positions``, gathered in C rather than a Python loop."""
    if isinstance(positions, range) and positions == range(len(strings)):
        return strings  # all of them: no copy
    if len(positions) < 2:
        return [strings[p] for p in positions]
    return list(itemgetter(*positions)(strings))


def within(
    query: str,
    limit: int,
    strings: Sequence[str],
    positions: Sequence[int],
    *,
    prefilter: bool = False,
) -> list[tuple[int, int]]:
    """(position, distance) of the ``strings`` at ``positions`` within ``limit``
    Damerau-Levenshtein edits of ``query``, as ``rapidfuzz.process`` ranks them.

    With ``prefilter`` (many candidates) Levenshtein, bit-parallel and at most twice
    Damerau-Levenshtein, makes a cheap, exact first cut before the slower distance.
    """
    if prefilter:
        near = process.extract(
            query,
            gather(strings, positions),
            scorer=Levenshtein.distance,
            processor=None,
            score_cutoff=2 * limit,
            limit=None,
        )
        positions = [positions[i] for _, _, i in near]
    found = process.extract(
        query,
        gather(strings, positions),
        scorer=DamerauLevenshtein.distance,
        processor=None,
        score_cutoff=limit,
        limit=None,
    )
    return [(positions[i], dist) for _, dist, i in found]


class Entry(NamedTuple):
    """Something the index can find: a film or a person.

    A named tuple: immutable like a frozen dataclass, and made in a third of the time,
    which counts when a start-up makes 200k of them.
    """

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


@dataclass(repr=False)
class SearchIndex:
    """In-memory index; ``add`` updates it in place, ``build`` makes a new one."""

    entries: list[Entry] = field(default_factory=list)
    _exact: dict[str, Owners] = field(default_factory=dict)
    #: Every distinct word-start tail of every key, sorted, with the entries it begins.
    _sorted_keys: list[str] = field(default_factory=list)
    _sorted_owners: list[Owners] = field(default_factory=list)
    #: Distinct squashed keys (no spaces) for the fuzzy tiers, and their entries.
    _keys: list[str] = field(default_factory=list)
    _key_owners: list[Owners] = field(default_factory=list)
    _key_pos: dict[str, int] = field(default_factory=dict)
    #: Key positions by key length, then bigram (typo tier); by trigram (ranking). Arrays
    #: of 4-byte ints: half the memory of lists, as fast to append to and to read.
    _bigrams: defaultdict[int, defaultdict[str, array[int]]] = field(
        default_factory=_length_postings
    )
    _trigrams: defaultdict[str, array[int]] = field(default_factory=_postings)
    _by_length: defaultdict[int, array[int]] = field(default_factory=_length_lists)
    #: The first entries of each kind, for an empty autocomplete.
    _first: dict[str, list[int]] = field(default_factory=dict)
    #: False until ``build_postings`` has run (an empty index has complete postings).
    _postings_ready: bool = True

    def __post_init__(self) -> None:
        self._postings_ready = not self._keys

    def __repr__(self) -> str:
        return f"<SearchIndex {len(self.entries)} entries, {len(self._keys)} keys>"

    @classmethod
    def build(cls, entries: Iterable[Entry], *, postings: bool = True) -> SearchIndex:
        """A complete index; with ``postings=False`` the n-gram postings are left for
        ``build_postings`` (a start-up can serve while another thread builds them)."""
        index = cls()
        index._postings_ready = False
        # Word-start tails repeat (surnames, title words): each is stored and sorted once.
        tails: dict[str, Owners] = {}
        with gc_paused():
            index.entries = list(entries)
            texts = [text for entry in index.entries for text in (entry.label, *entry.keys)]
            owners = [
                idx for idx, entry in enumerate(index.entries) for _ in range(1 + len(entry.keys))
            ]
            index._register(normalize_many(texts), owners, tails)
            for idx, entry in enumerate(index.entries):
                index._note_first(entry, idx)
            index._sorted_keys = sorted(tails)
            index._sorted_owners = list(map(tails.__getitem__, index._sorted_keys))
        if postings:
            index.build_postings()
        return index

    @property
    def needs_postings(self) -> bool:
        """Whether the fuzzy tiers would use postings that are not built yet."""
        return not self._postings_ready and len(self._keys) > FULL_SCAN_KEYS

    def build_postings(self) -> None:
        """Index every fuzzy key by its bigrams (per length) and trigrams.

        The postings are built aside and swapped in at the end, so this may run in a
        worker thread while lookups go on: until then the fuzzy tiers scan every key,
        which gives the same answers, only slower (tens of ms at 100k entries).
        """
        if self._postings_ready:
            return
        bigrams: defaultdict[int, defaultdict[str, array[int]]] = _length_postings()
        trigrams: defaultdict[str, array[int]] = _postings()
        keys = self._keys
        with gc_paused():
            for pos in range(len(keys)):
                _index_grams(keys[pos], pos, bigrams, trigrams)
        self._bigrams, self._trigrams = bigrams, trigrams
        self._postings_ready = True

    def add(self, entry: Entry, *, resort: bool = True) -> None:
        """Add one entry in place; moderators' additions use this without a rebuild.

        ``resort`` is kept for callers of the old signature; the prefix list is always
        kept sorted.
        """
        self.build_postings()  # the new key's postings go into complete postings
        idx = len(self.entries)
        self.entries.append(entry)
        self._note_first(entry, idx)
        new: dict[str, Owners] = {}
        texts = [entry.label, *entry.keys]
        self._register(normalize_many(texts), [idx] * len(texts), new)
        tails, owners = self._sorted_keys, self._sorted_owners
        for tail in new:
            pos = bisect.bisect_left(tails, tail)
            if pos < len(tails) and tails[pos] == tail:
                owners[pos] = _with_owner(owners[pos], idx)
            else:
                tails.insert(pos, tail)
                owners.insert(pos, idx)

    def _note_first(self, entry: Entry, idx: int) -> None:
        first = self._first.setdefault(entry.kind, [])
        if len(first) < AUTOCOMPLETE_LIMIT:
            first.append(idx)

    def _register(self, keys: list[str], owners: list[int], tails: dict[str, Owners]) -> None:
        """Index each key under its entry (``owners``, in index order): exactly, without
        spaces for the fuzzy tiers, and by its word-start tails, collected in ``tails``."""
        exact = self._exact
        for key, idx in zip(keys, owners, strict=True):
            if not key:
                continue
            present = exact.get(key)  # most keys are new: no call for those
            exact[key] = idx if present is None else _with_owner(present, idx)
            self._add_fuzzy_key(key.replace(" ", ""), idx)
            for tail in _word_starts(key):
                present = tails.get(tail)
                tails[tail] = idx if present is None else _with_owner(present, idx)

    def _owners(self, pos: int) -> list[int] | tuple[int]:
        return _each(self._key_owners[pos])

    def _add_fuzzy_key(self, squashed: str, owner: int) -> None:
        pos = self._key_pos.get(squashed)
        if pos is not None:
            self._key_owners[pos] = _with_owner(self._key_owners[pos], owner)
            return
        pos = len(self._keys)
        self._key_pos[squashed] = pos
        self._keys.append(squashed)
        self._key_owners.append(owner)
        self._by_length[len(squashed)].append(pos)
        if self._postings_ready:
            _index_grams(squashed, pos, self._bigrams, self._trigrams)

    # -- lookup ------------------------------------------------------------------------

    def lookup(self, query: str, kind: EntryKind | None = None) -> Lookup:
        """Resolve ``query`` to one entry, or explain with suggestions."""
        text, year = _split_year(query)
        key = normalize(text)
        if not key:
            return Lookup(query)
        for tier in (self._exact_ids(key), self._prefix_ids(key, kind, year)):
            found = self._narrow(tier, kind, year)
            if len(found) == 1:
                return Lookup(query, match=self.entries[found[0]])
            if len(found) > 1:
                return Lookup(query, suggestions=self._entries(found))
        return self._fuzzy(query, key, kind, year)

    def exact(self, key: str) -> list[Entry]:
        """Entries with a title, name or alias normalising to exactly ``key``."""
        found = self._exact.get(key)
        return [] if found is None else [self.entries[i] for i in _each(found)]

    def _exact_ids(self, key: str) -> list[int]:
        """Entries under exactly this key, or else under it without spaces."""
        found = self._exact.get(key)
        if found is not None:
            return list(_each(found))
        pos = self._key_pos.get(key.replace(" ", ""))
        return [] if pos is None else list(self._owners(pos))

    def _prefix_ids(self, key: str, kind: EntryKind | None, year: int | None) -> list[int]:
        """Entries with a name or alias word sequence starting with ``key``.

        Without a year, enough entries to make a did-you-mean is enough: the walk stops
        there instead of visiting every key that starts with a common word.
        """
        if len(key) < MIN_PREFIX:
            return []
        limit = MAX_SUGGESTIONS if year is None else None
        return list(islice(self._starting_with(key, kind), limit))

    def _starting_with(self, key: str, kind: EntryKind | None) -> Iterator[int]:
        """Entries (of ``kind``) with a word-start tail beginning with ``key``, each once,
        in tail order: walked lazily, as callers want only the first few."""
        tails, owners, entries = self._sorted_keys, self._sorted_owners, self.entries
        seen: set[int] = set()
        for pos in range(bisect.bisect_left(tails, key), len(tails)):
            if not tails[pos].startswith(key):
                return
            for owner in _each(owners[pos]):
                if owner not in seen and (kind is None or entries[owner].kind == kind):
                    seen.add(owner)
                    yield owner

    def _narrow(self, ids: list[int], kind: EntryKind | None, year: int | None) -> list[int]:
        ids = [i for i in ids if kind is None or self.entries[i].kind == kind]
        if year is not None:
            dated = [i for i in ids if self.entries[i].year == year]
            ids = dated or ids
        return list(dict.fromkeys(ids))

    def _entries(self, ids: Iterable[int]) -> tuple[Entry, ...]:
        return tuple(self.entries[i] for i in list(dict.fromkeys(ids))[:MAX_SUGGESTIONS])

    def _fuzzy(self, query: str, key: str, kind: EntryKind | None, year: int | None) -> Lookup:
        """Accept only a clear winner within the typo allowance; otherwise suggest.

        A large index first looks one edit away, which has few candidates and settles
        most typos; only if nothing is there does it search the whole allowance. Either
        way every key at the smallest distance found is seen, which is all the decision
        needs. A year can prefer a farther entry, so then the whole allowance is searched.
        """
        squashed = key.replace(" ", "")
        limit = allowed_edits(len(squashed))
        staged = year is None and limit > 1 and len(self._keys) > FULL_SCAN_KEYS
        best: dict[int, int] = {}
        for allowance in (1, limit) if staged else (limit,):
            for pos, dist in self._within(squashed, allowance):
                for owner in self._owners(pos):
                    if kind is None or self.entries[owner].kind == kind:
                        best[owner] = min(dist, best.get(owner, dist))
            if best:
                break
        within = sorted((d, o) for o, d in best.items())
        if year is not None:
            within = [(d, o) for d, o in within if self.entries[o].year == year] or within
        if within and (len(within) == 1 or within[1][0] > within[0][0]):
            return Lookup(query, match=self.entries[within[0][1]], forgiven=True)
        return Lookup(query, suggestions=self.suggest(key, kind))

    def _within(self, squashed: str, limit: int) -> list[tuple[int, int]]:
        """(key position, distance) of every key within ``limit`` Damerau-Levenshtein edits."""
        if len(self._keys) <= FULL_SCAN_KEYS or not self._postings_ready:
            return within(squashed, limit, self._keys, range(len(self._keys)))
        candidates = list(typo_candidates(squashed, limit, self._bigrams, self._by_length))
        return within(squashed, limit, self._keys, candidates, prefilter=True)

    def suggest(self, key: str, kind: EntryKind | None = None) -> tuple[Entry, ...]:
        """Close entries for a did-you-mean, best first."""
        ranked = self._ranked(key, kind, SUGGEST_MIN_SCORE)
        return self._entries(ranked)

    def _ranked(self, key: str, kind: EntryKind | None, cutoff: float) -> list[int]:
        squashed = key.replace(" ", "")
        if not squashed:
            return []
        return self._scored(squashed, kind, cutoff, partial=False)

    def _scored(
        self, squashed: str, kind: EntryKind | None, cutoff: float, *, partial: bool
    ) -> list[int]:
        """Entries by their best ``fuzz.ratio`` against ``squashed``, best first.

        With ``partial`` each key is cut to the query's length plus two, so a half-typed
        name is compared with the start of each key.
        """
        if len(self._keys) <= FULL_SCAN_KEYS or not self._postings_ready:
            positions: list[int] | range = range(len(self._keys))
        else:
            positions = self._rank_candidates(squashed, kind)
        keys = (self._keys[p] for p in positions)
        if partial:
            cut = len(squashed) + 2
            keys = (k[:cut] for k in keys)
        scored: dict[int, float] = {}
        for _choice, score, i in process.extract(
            squashed,
            list(keys),
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=cutoff,
            limit=AUTOCOMPLETE_LIMIT * 4,
        ):
            for owner in self._owners(positions[i]):
                if kind is None or self.entries[owner].kind == kind:
                    scored[owner] = max(score, scored.get(owner, 0.0))
        return [o for o, _ in sorted(scored.items(), key=lambda kv: -kv[1])]

    def _rank_candidates(self, squashed: str, kind: EntryKind | None) -> list[int]:
        """Keys sharing the most trigrams with ``squashed`` (of the right kind).

        Postings are counted rarest first up to ``RANK_BUDGET`` positions: a key like
        the query shares its rare trigrams too, and the common ones cost the most.
        """
        grams = set(map(add, map(add, squashed, squashed[1:]), squashed[2:]))
        postings = sorted((p for g in grams if (p := self._trigrams.get(g))), key=len)
        counts: Counter[int] = Counter()
        budget = RANK_BUDGET
        for i, posting in enumerate(postings):
            if budget < len(posting) and i >= MIN_RANK_GRAMS:
                break
            counts.update(posting)
            budget -= len(posting)
        ranked = [p for p, _ in counts.most_common(RANK_CANDIDATES * 2)]
        if kind is not None:
            entries, owners = self.entries, self._owners
            ranked = [p for p in ranked if any(entries[o].kind == kind for o in owners(p))]
        return ranked[:RANK_CANDIDATES]

    # -- autocomplete --------------------------------------------------------------------

    def autocomplete(self, query: str, kind: EntryKind | None = None) -> list[Entry]:
        """Up to 25 entries for a half-typed query: prefixes first, then near misses."""
        key = normalize(query, drop_article=False)
        if not key:
            kinds = [kind] if kind else list(self._first)
            pool = sorted(i for k in kinds for i in self._first.get(k, ()))
            return [self.entries[i] for i in pool[:AUTOCOMPLETE_LIMIT]]
        bare = normalize(query)
        ids = self._narrow(self._exact_ids(bare), kind, None)
        ids += self._prefix_any(bare, kind)
        if len(dict.fromkeys(ids)) < AUTOCOMPLETE_LIMIT:
            ids += self._partial(bare, kind)
        return [self.entries[i] for i in list(dict.fromkeys(ids))[:AUTOCOMPLETE_LIMIT]]

    def _prefix_any(self, key: str, kind: EntryKind | None) -> list[int]:
        return list(islice(self._starting_with(key, kind), AUTOCOMPLETE_LIMIT))

    def _partial(self, key: str, kind: EntryKind | None) -> list[int]:
        """Typo-tolerant matches of a partial query against the start of each key."""
        squashed = key.replace(" ", "")
        if not squashed:
            return []
        return self._scored(squashed, kind, PARTIAL_MIN_SCORE, partial=True)


def _split_year(query: str) -> tuple[str, int | None]:
    """Pull a release year out of the query when something else remains."""
    match = _YEAR.search(query)
    if not match:
        return query, None
    rest = (query[: match.start()] + query[match.end() :]).strip(" ()-,")
    if not normalize(rest):
        return query, None
    return rest, int(match.group(1))
