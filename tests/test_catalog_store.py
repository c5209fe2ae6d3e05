"""Catalog validation and the store's loading guarantees."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from bot import catalog as catalog_module
from bot.catalog import CatalogError, default_data_dir, load_catalog
from bot.config import Settings
from bot.services import create_services, refresh_catalog
from bot.store import Store, StoreError


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(default_data_dir(), target)
    return target


def _edit(path: Path, change) -> None:
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")


def test_bundled_data_is_valid() -> None:
    catalog = load_catalog()
    assert len(catalog.films) >= 8
    assert {f.id for f in catalog.films} >= {"anora", "tangerine", "the-florida-project"}


def test_error_names_file_record_and_field(data_copy: Path) -> None:
    _edit(data_copy / "films.yaml", lambda films: films[0].update(year="soon"))
    with pytest.raises(CatalogError) as info:
        load_catalog(data_copy)
    message = str(info.value)
    assert "films.yaml" in message and "'year'" in message
    assert yaml.safe_load((data_copy / "films.yaml").read_text())[0]["id"] in message


def test_dangling_reference_is_reported(data_copy: Path) -> None:
    _edit(data_copy / "facts.yaml", lambda facts: facts[0].update(film="no-such-film"))
    with pytest.raises(CatalogError, match=r"facts.yaml.*field 'film'.*no-such-film"):
        load_catalog(data_copy)


def test_duplicate_id_is_reported(data_copy: Path) -> None:
    _edit(data_copy / "people.yaml", lambda people: people.append(dict(people[0])))
    with pytest.raises(CatalogError, match=r"people.yaml.*duplicate id"):
        load_catalog(data_copy)


def test_unreadable_yaml_is_reported(data_copy: Path) -> None:
    (data_copy / "quotes.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"quotes.yaml: cannot read"):
        load_catalog(data_copy)


async def test_load_is_idempotent(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        catalog = load_catalog()
        assert await store.load_catalog(catalog) is True
        assert await store.load_catalog(catalog) is False
        counts = await store.counts()
        assert counts.films == len(catalog.films)
        assert counts.facts == len(catalog.facts)
    finally:
        await store.close()


async def test_broken_data_keeps_previous_data(tmp_path: Path, data_copy: Path) -> None:
    settings = Settings(BAKERBOT_DATABASE=str(tmp_path / "db.sqlite3"), BAKERBOT_DATA_DIR=data_copy)
    services = await create_services(settings)
    before = await services.store.counts()
    await services.close()

    _edit(data_copy / "facts.yaml", lambda facts: facts[0].update(text=""))
    services = await create_services(settings)
    try:
        assert services.data_problems and "facts.yaml" in services.data_problems[0]
        assert await services.store.counts() == before
        assert services.library.films
    finally:
        await services.close()


async def test_failed_write_rolls_back(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        catalog = load_catalog()
        await store.load_catalog(catalog)
        before = await store.counts()
        broken = type(catalog)(
            sources=catalog.sources,
            films=catalog.films + catalog.films[:1],  # duplicate primary key mid-load
            people=catalog.people,
            content_hash="different",
        )
        with pytest.raises(Exception, match="UNIQUE"):
            await store.load_catalog(broken)
        assert await store.counts() == before
        assert await store.catalog_hash() == catalog.content_hash
    finally:
        await store.close()


async def test_fts_finds_fact_words(tmp_path: Path) -> None:
    settings = Settings(BAKERBOT_DATABASE=str(tmp_path / "db.sqlite3"))
    services = await create_services(settings)
    try:
        hits = await services.store.search_facts("iPhone")
        assert hits and any("iphone" in h.fact.text.lower() for h in hits)
        assert isinstance(await services.store.search_facts('"*) OR NEAR( -'), list)
    finally:
        await services.close()


async def test_refresh_reports_problems_without_raising(tmp_path: Path, data_copy: Path) -> None:
    (data_copy / "films.yaml").write_text("not: a list\n", encoding="utf-8")
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        problems = await refresh_catalog(store, Settings(BAKERBOT_DATA_DIR=data_copy))
        assert problems[0] == "films.yaml: expected a list of records, got dict"
    finally:
        await store.close()


async def test_corrupt_database_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not usable"):
        await Store.open(path)
    assert path.read_bytes().startswith(b"this is not a database")


async def test_concurrent_transactions_queue_instead_of_failing(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "db.sqlite3")

    async def write(n: int) -> None:
        async with store.transaction() as conn:
            await conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"k{n}", str(n)))
            async with store.transaction() as inner:  # nested: joins the outer one
                await inner.execute(
                    "UPDATE meta SET value = value || '!' WHERE key = ?", (f"k{n}",)
                )

    try:
        await asyncio.gather(*(write(n) for n in range(30)))
        rows = await store._conn.execute_fetchall("SELECT count(*) FROM meta WHERE value LIKE '%!'")
        assert next(iter(rows))[0] == 30
    finally:
        await store.close()


async def test_a_load_leaves_its_log_copied_once_started(tmp_path: Path) -> None:
    """A load skips the checkpoint on commit, to be ready sooner; start-up copies the
    log into the database file afterwards, so nothing lives only in the log for long."""
    path = tmp_path / "db.sqlite3"
    services = await create_services(Settings(BAKERBOT_DATABASE=str(path)))
    try:
        await services.warmed()
        conn = sqlite3.connect(path)
        try:
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        finally:
            conn.close()
        assert pages > 100
        assert path.stat().st_size == pages * page_size  # every page is in the file itself
        # Later commits checkpoint as usual again.
        rows = await services.store._conn.execute_fetchall("PRAGMA wal_autocheckpoint")
        assert next(iter(rows))[0] == 1000
    finally:
        await services.close()


def test_a_large_parse_is_not_kept(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once stored, a large catalog is served from the store: its parse must not stay
    in memory (hundreds of MB at 100k records)."""
    monkeypatch.setattr(catalog_module, "PARSE_CACHE_MAX", 10)
    first = load_catalog(data_copy)
    assert load_catalog(data_copy) is not first
    monkeypatch.setattr(catalog_module, "PARSE_CACHE_MAX", 100_000)
    kept = load_catalog(data_copy)
    assert load_catalog(data_copy) is kept


async def test_a_failed_first_load_fails_start_up_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index is built while the store loads; if the load fails, start-up reports
    that failure (it neither hangs waiting for the load nor leaves it running)."""

    async def broken(*_args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Store, "_replace_curated", staticmethod(broken))
    settings = Settings(BAKERBOT_DATABASE=str(tmp_path / "db.sqlite3"))
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        await asyncio.wait_for(create_services(settings), timeout=30)
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        assert await store.catalog_hash() is None
        assert (await store.counts()).films == 0
    finally:
        await store.close()
