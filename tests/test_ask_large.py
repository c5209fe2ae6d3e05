"""The bounded answerer for large store-backed catalogs (``bot.ask.large``), tried on the
bundled catalog with the size threshold lowered: what the core covers it answers as
the full answerer does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.ask import Asker, large
from bot.ask.engine import FTS_LIMIT
from bot.ask.linker import Entity, Gazetteer
from bot.catalog import default_data_dir, load_catalog
from bot.library import Library
from bot.search import SearchIndex
from bot.services import open_library
from bot.store import Store

CORE_QUESTIONS = (
    "who directed Anora?",
    "when did Tangerine come out?",
    "who plays Igor in Anora?",
    "what was the budget of anora",
    "who is Yura Borisov?",
    "what is the capital of France?",
)


@pytest.fixture
async def stored(tmp_path: Path) -> AsyncIterator[tuple[Store, Library, Library, SearchIndex]]:
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        await store.load_catalog(load_catalog(default_data_dir()))
        memory = Library.from_catalog(await store.read_catalog())
        library, index, reader = await open_library(store)
        assert reader is not None
        yield store, memory, library, index
        reader.close()
    finally:
        await store.close()


async def test_large_answerer_answers_the_core_like_the_full_one(
    stored: tuple[Store, Library, Library, SearchIndex], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Questions about the director's films get the same answers either way."""
    store, memory, library, index = stored
    full = Asker.build(memory)
    monkeypatch.setattr(large, "LARGE_CATALOG", 0)
    bounded = Asker.build(library, index)
    assert bounded.records.text is None

    async def search(text: str) -> list:
        return await store.search_facts(text, None, FTS_LIMIT)

    for question in CORE_QUESTIONS:
        want = await full.ask(question, search=search)
        got = await bounded.ask(question, search=search)
        assert (got.known, got.text) == (want.known, want.text), question


def test_gazetteer_fallback_links_question_phrases_only() -> None:
    """Names outside the keys are looked up exactly in questions, never in statements."""
    far = Entity("film", "dusty-pilgrims", "Dusty Pilgrims", film="dusty-pilgrims")
    gaz = Gazetteer(fallback=lambda key: [far] if key == ("dusty", "pilgrims") else [])
    words = ("who", "was", "in", "dusty", "pilgrims")
    assert [m.entity for m in gaz.scan(words, fuzzy=True)] == [far]
    assert gaz.scan(words) == []
    assert gaz.named(("dusty", "pilgrims")) == [far]


def test_pick_keeps_own_records_and_the_closest_others(
    stored: tuple[Store, Library, Library, SearchIndex],
) -> None:
    """Past the budget, facts sharing the question's ideas are kept before others."""
    _store, _memory, library, _index = stored
    facts = library.facts_by_film["anora"]
    assert len(facts) > large.MAX_UNITS
    by_id = {f.id: f for f in facts}
    units = [("film", "anora"), *[("fact", f.id) for f in facts]]
    budget = next(f for f in facts if "budget" in f.text)
    picked = large.pick(units, {"budget"}, set(), {}, by_id, library)
    assert len(picked) <= large.MAX_UNITS + 1
    assert ("film", "anora") in picked
    assert ("fact", budget.id) in picked


def test_store_finds_facts_naming_a_film_besides_its_own(
    stored: tuple[Store, Library, Library, SearchIndex],
) -> None:
    """The full-text phrase lookup skips the facts filed under the entity itself."""
    _store, _memory, library, _index = stored
    everywhere = library.facts_naming(("anora",), 500)
    found = library.facts_naming(("anora",), 500, "anora")
    assert found
    assert len(found) < len(everywhere)
    assert all("anora" in f.text.lower() and f.film != "anora" for f in found)
    assert "tangerine" in library.fact_words()
    assert "tangerine" not in library.fact_words(len(library.facts))
