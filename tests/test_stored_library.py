"""The Library over the store and the index built in two steps answer like the
in-memory versions: the scale design must not change what a user sees."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bot.catalog import default_data_dir, load_catalog
from bot.config import Settings
from bot.library import Library
from bot.search import FULL_SCAN_KEYS, Entry, SearchIndex
from bot.services import build_index, catalog_entries, create_services, open_library
from bot.store import Store


@pytest.fixture
async def libraries(tmp_path: Path) -> tuple[Library, Library]:
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        await store.load_catalog(load_catalog(default_data_dir()))
        memory = Library.from_catalog(await store.read_catalog())
        stored, _index, reader = await open_library(store)
        assert reader is not None
        yield memory, stored
        reader.close()
    finally:
        await store.close()


async def test_stored_library_reads_what_the_memory_library_holds(
    libraries: tuple[Library, Library],
) -> None:
    memory, stored = libraries
    for name in ("films", "people", "facts", "sources", "quotes", "questions"):
        assert dict(getattr(stored, name)) == dict(getattr(memory, name)), name
        assert list(getattr(stored, name).values()) == list(getattr(memory, name).values())
    for name in ("credits_by_film", "credits_by_person", "facts_by_film", "facts_by_person"):
        held, read = getattr(memory, name), getattr(stored, name)
        assert sorted(read) == sorted(held), name
        for key, group in held.items():
            assert read[key] == group, (name, key)
        assert dict(read.items()) == dict(held.items()), name
    for person in memory.people:
        assert stored.filmography(person) == memory.filmography(person)
    assert list(stored.catalog.credits) == list(memory.catalog.credits)


async def test_stored_library_misses_like_a_dict(libraries: tuple[Library, Library]) -> None:
    _memory, stored = libraries
    assert stored.films.get("no-such-film") is None
    assert "no-such-film" not in stored.films
    assert stored.credits_by_film.get("no-such-film", []) == []
    with pytest.raises(KeyError):
        stored.people["no-such-person"]
    assert "anora" in stored.films
    assert stored.films["anora"].title == "Anora"


async def test_index_from_the_store_matches_the_index_from_the_library(
    libraries: tuple[Library, Library], tmp_path: Path
) -> None:
    memory, _stored = libraries
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        _lib, index, reader = await open_library(store)
        assert reader is not None
        reader.close()
    finally:
        await store.close()
    assert index.entries == build_index(memory).entries
    # A first load indexes the parsed catalog while the store writes it: same entries.
    assert catalog_entries(load_catalog(default_data_dir())) == index.entries


FIRST = "Ada Bree Cole Dana Eli Fay Gus Hana Ivo Jun Kai Lia Mo Nia Oto Pia Rei Sol Tia Uma"
LAST = "Abbot Barros Chen Dubois Evans Ferreira Garcia Haddad Ivanova Jensen Kowalski Laurent"


def _names(count: int) -> list[Entry]:
    rng = random.Random(3)
    firsts, lasts = FIRST.split(), LAST.split()
    entries = []
    for i in range(count):
        name = f"{rng.choice(firsts)} {rng.choice(lasts)}{'x' * (i % 5)} {i:05d}"
        entries.append(Entry("person", f"p{i}", name))
    return entries


def _transpose(label: str) -> str:
    """Swap the second and third letters of the surname: one typo."""
    first, last, rest = label.split(" ", 2)
    return f"{first} {last[0]}{last[2]}{last[1]}{last[3:]} {rest}"


def test_index_answers_the_same_before_and_after_its_postings() -> None:
    """A large index serves at once and builds its postings later (in a thread): the
    fuzzy tiers scan every key meanwhile, which must give the same answers."""
    entries = _names(FULL_SCAN_KEYS + 1500)
    late = SearchIndex.build(entries, postings=False)
    assert late.needs_postings
    typos = {i: _transpose(entries[i].label) for i in (12, 420, 1999, 6000)}
    queries = [*typos.values(), "Kai Lauernt", "Dubios", "Pia Haddad 0303", "zzzz"]
    before = [(late.lookup(q), late.autocomplete(q)) for q in queries]
    late.build_postings()
    assert not late.needs_postings
    after = [(late.lookup(q), late.autocomplete(q)) for q in queries]
    eager = SearchIndex.build(entries)
    direct = [(eager.lookup(q), eager.autocomplete(q)) for q in queries]
    assert (
        [b[0].match for b in before] == [a[0].match for a in after] == [d[0].match for d in direct]
    )
    assert [b[0].match.id for b in before[:4] if b[0].match] == [f"p{i}" for i in typos]
    assert after == direct


@pytest.mark.parametrize("needle", ["", "anora", "ANORA-", "palme", "50%", "a_b", "zzzz"])
async def test_fact_search_is_the_same_from_the_store(
    libraries: tuple[Library, Library], needle: str
) -> None:
    """The moderators' fact autocomplete: SQL in one case, a scan in the other."""
    memory, stored = libraries
    skip = {fid for fid, _ in memory.find_facts("", 3)}
    assert stored.find_facts(needle, 25, skip) == memory.find_facts(needle, 25, skip)
    for fid, text in stored.find_facts(needle, 25):
        assert fid.startswith(needle.lower()) or needle.lower() in text.lower()


def test_records_share_their_fields_set_without_leaking_changes() -> None:
    """Memory: records given the same fields share one ``fields_set``; a copy with an
    update gets its own, and the originals keep theirs."""
    from bot.models import Fact

    a = Fact.model_validate({"id": "a-1", "text": "One.", "film": "anora", "sources": ["s"]})
    b = Fact.model_validate({"id": "b-2", "text": "Two.", "film": "anora", "sources": ["s"]})
    assert a.model_fields_set is b.model_fields_set
    c = a.model_copy(update={"spoiler": True})
    assert "spoiler" in c.model_fields_set
    assert "spoiler" not in a.model_fields_set and "spoiler" not in b.model_fields_set
    assert a.model_dump(exclude_unset=True) == {
        "id": "a-1",
        "text": "One.",
        "film": "anora",
        "sources": ("s",),
    }


async def test_a_fresh_load_serves_what_a_restart_reads(tmp_path: Path) -> None:
    """The first start holds the catalog it just stored instead of reading it back, and
    indexes it during the load: a restart, which reads everything, sees the same."""
    settings = Settings(BAKERBOT_DATABASE=str(tmp_path / "db.sqlite3"))
    fresh = await create_services(settings)
    try:
        await fresh.warmed()
        first = fresh.library
        seen = [dict(getattr(first, name)) for name in ("sources", "quotes", "questions")]
        entries = fresh.index.entries
    finally:
        await fresh.close()
    again = await create_services(settings)
    try:
        second = again.library
        read = [dict(getattr(second, name)) for name in ("sources", "quotes", "questions")]
        assert read == seen
        assert list(second.quotes) == list(first.quotes)
        assert again.index.entries == entries
    finally:
        await again.close()
