"""Fuzzy lookup: typos find the right entry; ambiguity asks instead of guessing."""

from __future__ import annotations

import gc
import random
import threading
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import DamerauLevenshtein

from bot.search import FULL_SCAN_KEYS, Entry, SearchIndex, allowed_edits, gc_paused

FILMS = [
    ("four-letter-words", "Four Letter Words", 2000, ()),
    ("take-out", "Take Out", 2004, ("Takeout",)),
    ("prince-of-broadway", "Prince of Broadway", 2008, ()),
    ("starlet", "Starlet", 2012, ()),
    ("tangerine", "Tangerine", 2015, ()),
    ("the-florida-project", "The Florida Project", 2017, ("Florida Project",)),
    ("red-rocket", "Red Rocket", 2021, ()),
    ("anora", "Anora", 2024, ()),
]
PEOPLE = [
    ("sean-baker", "Sean Baker", ()),
    ("mikey-madison", "Mikey Madison", ()),
    ("yura-borisov", "Yura Borisov", ("Yuri Borisov", "Iura Borisov")),
    ("mark-eydelshteyn", "Mark Eydelshteyn", ("Mark Eidelstein",)),
    ("shih-ching-tsou", "Shih-Ching Tsou", ()),
    ("simon-rex", "Simon Rex", ()),
    ("samantha-quan", "Samantha Quan", ()),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    entries = [Entry("film", i, t, y, a) for i, t, y, a in FILMS]
    entries += [Entry("person", i, n, None, a) for i, n, a in PEOPLE]
    return SearchIndex.build(entries)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Anora", "anora"),
        ("anora", "anora"),
        ("ANORA!", "anora"),
        ("anorra", "anora"),
        ("tangerin", "tangerine"),
        ("tangarine", "tangerine"),
        ("florida project", "the-florida-project"),
        ("the florda projcet", "the-florida-project"),
        ("floridaproject", "the-florida-project"),
        ("red-rocket", "red-rocket"),
        ("redrocket", "red-rocket"),
        ("4 letter words", "four-letter-words"),
        ("four letter word", "four-letter-words"),
        ("take out", "take-out"),
        ("takeout", "take-out"),
        ("prince of brodway", "prince-of-broadway"),
        ("Anora (2024)", "anora"),
        ("starlet 2012", "starlet"),
        ("red", "red-rocket"),
    ],
)
def test_film_lookup_finds_entry(index: SearchIndex, query: str, expected: str) -> None:
    result = index.lookup(query, "film")
    assert result.match is not None, result
    assert result.match.id == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mikey madison", "mikey-madison"),
        ("mikey madsion", "mikey-madison"),
        ("Yuri Borisov", "yura-borisov"),
        ("iura borisov", "yura-borisov"),
        ("mark eidelstein", "mark-eydelshteyn"),
        ("shih ching tsou", "shih-ching-tsou"),
        ("shihching tsou", "shih-ching-tsou"),
        ("sean bakr", "sean-baker"),
        ("madison", "mikey-madison"),
    ],
)
def test_person_lookup_finds_entry(index: SearchIndex, query: str, expected: str) -> None:
    result = index.lookup(query, "person")
    assert result.match is not None, result
    assert result.match.id == expected


@pytest.mark.parametrize("query", ["Oppenheimer", "zzzzzz", "the", "Barbie", "Anatomy of a Fall"])
def test_unknown_titles_never_match(index: SearchIndex, query: str) -> None:
    assert index.lookup(query, "film").match is None


def test_near_miss_suggests_instead_of_guessing(index: SearchIndex) -> None:
    result = index.lookup("starlight express", "film")
    assert result.match is None


def test_year_disambiguates_between_titles() -> None:
    index = SearchIndex.build(
        [Entry("film", "a-2001", "Same Title", 2001), Entry("film", "a-2019", "Same Title", 2019)]
    )
    assert index.lookup("same title", "film").match is None
    assert len(index.lookup("same title", "film").suggestions) == 2
    found = index.lookup("Same Title 2019", "film").match
    assert found is not None and found.id == "a-2019"


def test_autocomplete_prefix_first_and_bounded(index: SearchIndex) -> None:
    names = [e.id for e in index.autocomplete("tang", "film")]
    assert names[0] == "tangerine"
    assert len(index.autocomplete("", "film")) <= 25


def test_autocomplete_tolerates_typos(index: SearchIndex) -> None:
    assert "the-florida-project" in [e.id for e in index.autocomplete("florda", "film")]
    assert "mikey-madison" in [e.id for e in index.autocomplete("mikey madsi", "person")]


def test_allowed_edits_grow_with_length() -> None:
    assert allowed_edits(3) == 0
    assert allowed_edits(5) == 1
    assert allowed_edits(10) == 2
    assert allowed_edits(20) == 3


@settings(max_examples=200)
@given(st.text(max_size=300))
def test_lookup_never_raises(text: str) -> None:
    index = SearchIndex.build([Entry("film", i, t, y, a) for i, t, y, a in FILMS])
    result = index.lookup(text, "film")
    assert result.match is None or result.match.kind == "film"
    assert len(index.autocomplete(text, "film")) <= 25


@given(st.sampled_from([t for _, t, _, _ in FILMS]), st.booleans())
def test_lookup_stable_under_case_and_accents(title: str, upper: bool) -> None:
    index = SearchIndex.build([Entry("film", i, t, y, a) for i, t, y, a in FILMS])
    variant = title.upper() if upper else title.lower()
    variant = variant.replace("e", "é").replace("E", "É")
    assert index.lookup(variant, "film").match == index.lookup(title, "film").match


def test_collector_pause_lasts_until_the_last_concurrent_build_ends() -> None:
    """A load and its index build pause the cycle collector in two threads at once; the
    first to finish must not turn it back on under the other, nor leave it off."""
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with gc_paused():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with gc_paused():
            second_in.set()
            first_out.wait(5)
            seen.append(gc.isenabled())

    assert gc.isenabled()
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == [False]
    assert gc.isenabled()


SYLLABLES = ["ba", "ko", "ri", "sen", "ta", "lu", "mar", "vin", "do"]
SYLLABLES += ["el", "ash", "quin", "na", "ro", "be", "ti", "ga", "zo"]


@lru_cache(maxsize=1)
def _large_index() -> SearchIndex:
    """Enough names that typos are found through the bigram postings, not a scan."""
    rng = random.Random(11)
    names = {
        " ".join("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(2))
        for _ in range(FULL_SCAN_KEYS + 2000)
    }
    return SearchIndex.build([Entry("person", f"p{i}", n) for i, n in enumerate(sorted(names))])


def _edit(text: str, op: str, at: int, letter: str) -> str:
    at %= max(len(text), 1)
    if op == "sub":
        return text[:at] + letter + text[at + 1 :]
    if op == "ins":
        return text[:at] + letter + text[at:]
    if op == "del":
        return text[:at] + text[at + 1 :]
    if op == "swap":
        return text[:at] + text[at + 1 : at + 2] + text[at : at + 1] + text[at + 2 :]
    # A transposition across a deleted character: "abc" -> "ca".
    return text[:at] + text[at + 2 : at + 3] + text[at : at + 1] + text[at + 3 :]


@given(
    st.integers(min_value=0),
    st.lists(
        st.tuples(
            st.sampled_from(["sub", "ins", "del", "swap", "skip"]),
            st.integers(0, 40),
            st.sampled_from("aeiknorstz"),
        ),
        min_size=1,
        max_size=4,
    ),
)
@settings(max_examples=150, deadline=None)
def test_typo_tier_finds_what_a_full_scan_finds(pick: int, edits: list) -> None:
    """Past ``FULL_SCAN_KEYS`` the typo tier checks only the candidates the postings
    give: it must still find every key within the allowance, however the typos fall."""
    index = _large_index()
    assert not index.needs_postings and len(index._keys) > FULL_SCAN_KEYS
    query = index._keys[pick % len(index._keys)]
    for op, at, letter in edits:
        query = _edit(query, op, at, letter)
    limit = allowed_edits(len(query))
    found = {index._keys[pos] for pos, _ in index._within(query, limit)}
    every = {k for k in index._keys if DamerauLevenshtein.distance(query, k) <= limit}
    assert found == every
