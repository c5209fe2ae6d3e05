"""The shared services one bot (or a host bot in plugin mode) carries.

Cogs never build these themselves: ``ensure_services`` creates them on the first cog
load and every later cog reuses them, so the store is opened once per bot.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, TypeVar

from bot.catalog import Catalog, CatalogError, content_hash, default_data_dir, load_catalog
from bot.config import Settings
from bot.library import Library
from bot.models import Fact, Film, Person
from bot.search import Entry, SearchIndex, gc_paused
from bot.store import CatalogReader, Store

log = logging.getLogger(__name__)

ATTR = "bakerbot_services"
#: Films, people and facts above which a catalog is large: features build their
#: structures in worker threads (at start), and the heap is frozen once they are built.
LARGE_CATALOG_RECORDS = 20_000
#: Whether a large catalog's features start building at start rather than at first use
#: (benchmarks turn it off to time the builds on their own).
PREPARE_AT_START = True
#: Seconds a thread may hold the GIL while another waits, during a catalog load.
LOAD_SWITCH_INTERVAL = 0.0005

T = TypeVar("T")


@dataclass
class Services:
    settings: Settings
    store: Store
    library: Library
    index: SearchIndex
    #: Problems found in data/ at the last load; the old data is served meanwhile.
    data_problems: list[str] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)
    #: Curated fact ids each guild has hidden for itself (maintained by moderation).
    hidden: dict[int, set[str]] = field(default_factory=dict)
    #: The connection the Library reads the large tables through (None: all in memory).
    reader: CatalogReader | None = None
    #: The search index's postings being built after start (large catalogs only).
    warming: asyncio.Future[None] | None = None

    #: Per-library structures (the answerer, the trivia index) built in worker threads.
    _prepared: dict[str, tuple[Library, asyncio.Future[Any]]] = field(default_factory=dict)

    async def warmed(self) -> None:
        """Wait until every index is complete (benchmarks, tools)."""
        if self.warming is not None:
            await asyncio.shield(self.warming)
        for _library, future in list(self._prepared.values()):
            await asyncio.shield(future)

    @property
    def large(self) -> bool:
        """A catalog big enough that features prepare their structures at start."""
        library = self.library
        return len(library.films) + len(library.people) + len(library.facts) > LARGE_CATALOG_RECORDS

    async def prepare(self, key: str, build: Callable[[Library], T]) -> T:
        """``build(library)`` once per library, in a worker thread; callers share it.

        Why a thread: at 100k records the answerer or the trivia index takes seconds to
        build, and on the event loop that would stall every command and the gateway's
        heartbeat. In a thread the loop keeps serving while it builds.
        """
        entry = self._prepared.get(key)
        if entry is None or entry[0] is not self.library:
            future = asyncio.ensure_future(asyncio.to_thread(build, self.library))
            if self.large:
                future.add_done_callback(_settle_heap)
            entry = (self.library, future)
            self._prepared[key] = entry
        return await asyncio.shield(entry[1])  # type: ignore[no-any-return]

    def is_prepared(self, key: str) -> bool:
        entry = self._prepared.get(key)
        return entry is not None and entry[0] is self.library and entry[1].done()

    def prepare_in_background(self, key: str, build: Callable[[Library], object]) -> None:
        """Start ``prepare`` now for a large catalog, so the first user does not wait."""
        if not (self.large and PREPARE_AT_START):
            return
        task = asyncio.ensure_future(self.prepare(key, build))
        task.add_done_callback(_log_failure)

    def visible(self, guild_id: int | None, facts: Iterable[Fact]) -> list[Fact]:
        """Facts this guild may see: not hidden here, and curated or its own."""
        hidden = self.hidden.get(guild_id or 0, set())
        return [
            f
            for f in facts
            if f.id not in hidden and (f.guild_id is None or f.guild_id == guild_id)
        ]

    async def close(self) -> None:
        if self.reader is not None:
            self.reader.close()
        await self.store.close()


def _settle_heap(_done: object = None) -> None:
    """Move every object alive now out of the cycle collector's generations.

    What a large catalog builds (the index, its postings, the answerer, the trivia
    index) lives as long as its library, and each full collection walked all of it:
    pauses of 0.5-1.4 s at 100k films and people, on the event loop, in the middle of
    a command. Frozen objects are still freed by reference counting; only cycles among
    them wait for ``gc.unfreeze`` (this code makes none).
    """
    gc.freeze()


def _log_failure(task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("preparing at start failed", exc_info=task.exception())


def _entries(films: Iterable[Film], people: Iterable[Person]) -> list[Entry]:
    """Every film and person under its title or name and its aliases."""
    return [Entry("film", f.id, f.title, f.year, f.aliases) for f in films] + [
        Entry("person", p.id, p.name, None, p.aliases) for p in people
    ]


def build_index(library: Library) -> SearchIndex:
    return SearchIndex.build(_entries(library.films.values(), library.people.values()))


def catalog_entries(catalog: Catalog) -> list[Entry]:
    """The index entries of a parsed catalog, in the order the store reads them."""
    # Two stable sorts on plain keys: a third of the time of one on (year, id) tuples.
    by_id = attrgetter("id")
    films = sorted(sorted(catalog.films, key=by_id), key=attrgetter("year"))
    return _entries(films, sorted(catalog.people, key=by_id))


async def changed_catalog(store: Store, settings: Settings) -> tuple[Catalog | None, list[str]]:
    """data/ parsed if it differs from what the store holds; else None, and the problems.

    The files are hashed before they are parsed, so an unchanged catalog costs one
    hash and one query, not a parse.
    """
    data_dir = settings.data_dir or default_data_dir()
    if await store.catalog_hash() == await asyncio.to_thread(content_hash, data_dir):
        log.info("catalog unchanged")
        return None, []
    try:
        return await asyncio.to_thread(load_catalog, data_dir), []
    except CatalogError as exc:
        log.error("data/ has errors; serving the previous data:\n%s", exc)
        return None, exc.problems


async def refresh_catalog(store: Store, settings: Settings) -> list[str]:
    """Load data/ into the store if it changed; return the problems (old data kept)."""
    catalog, problems = await changed_catalog(store, settings)
    if catalog is not None:
        changed = await store.load_catalog(catalog)
        log.info("catalog %s", "loaded" if changed else "unchanged")
        if changed:
            await store.checkpoint()  # a load leaves its pages in the log
    return problems


async def open_library(
    store: Store, index: SearchIndex | None = None, loaded: Catalog | None = None
) -> tuple[Library, SearchIndex, CatalogReader | None]:
    """The Library over the store's rows, and its search index (unless given).

    The index reads only titles, names and aliases (no model is built for it), and no
    film, person or fact is held in memory until a command asks for it. The sources,
    quotes and questions it holds come from ``loaded``, the catalog just stored, when
    given: the same records, without reading them back.
    """
    reader = store.catalog_reader()
    if reader is None:  # an in-memory database: hold everything
        library = Library.from_catalog(await store.read_catalog())
        return library, index or build_index(library), None
    try:
        library = Library.from_store(reader, loaded or await store.read_catalog(large=False))
        if index is None:
            years: dict[int, int] = {}  # one int object per year, not one per film
            index = SearchIndex.build(
                (
                    Entry(
                        kind,
                        rid,
                        label,
                        year if year is None else years.setdefault(year, year),
                        tuple(aliases.split("\x1f")) if aliases else (),
                    )
                    for kind, rid, label, year, aliases in reader.search_entries()
                ),
                postings=False,
            )
    except BaseException:
        reader.close()
        raise
    return library, index, reader


async def load_and_index(store: Store, catalog: Catalog) -> SearchIndex:
    """Store a changed catalog and, meanwhile, index it from the parsed records in hand.

    Once its rows are serialised, the load is bulk statements that SQLite runs without
    the GIL, so the index, built in a worker thread from then on, takes the time the
    load spends waiting: at 100k films and people the two overlap almost entirely. A
    short switch interval hands the GIL to the load between statements without a 5 ms
    wait each.
    """
    switch = sys.getswitchinterval()
    sys.setswitchinterval(LOAD_SWITCH_INTERVAL)
    try:
        rows_sent = asyncio.Event()
        loading = asyncio.ensure_future(store.load_catalog(catalog, rows_sent))
        try:
            await rows_sent.wait()
            index = await asyncio.to_thread(
                lambda: SearchIndex.build(catalog_entries(catalog), postings=False)
            )
        except BaseException:
            await asyncio.gather(loading, return_exceptions=True)  # never left running
            raise
        changed = await loading
    finally:
        sys.setswitchinterval(switch)
    log.info("catalog %s", "loaded" if changed else "unchanged")
    return index


async def create_services(settings: Settings) -> Services:
    store = await Store.open(settings.database)
    try:
        # What start-up builds is acyclic and stays: with the collector back on mid-way,
        # its young generations would hold millions of new objects, and the first
        # collections after it would walk them all (0.3 s each at 100k films and people).
        with gc_paused():
            catalog, problems = await changed_catalog(store, settings)
            index = None if catalog is None else await load_and_index(store, catalog)
            library, index, reader = await open_library(store, index, catalog)
            services = Services(settings, store, library, index, problems, reader=reader)
            if services.large:
                _settle_heap()
    except BaseException:
        await store.close()
        raise
    finishing = []
    if index.needs_postings:
        finishing.append(_build_postings(index))
    if catalog is not None:
        finishing.append(store.checkpoint())
    if finishing:
        services.warming = asyncio.ensure_future(_finish(finishing))
    if services.large and services.warming is not None:
        services.warming.add_done_callback(_settle_heap)
    return services


async def _finish(work: list[Awaitable[None]]) -> None:
    """What a start-up leaves to do after the bot is ready: all of it, even if one fails."""
    for outcome in await asyncio.gather(*work, return_exceptions=True):
        if isinstance(outcome, BaseException):
            log.error("finishing start-up failed", exc_info=outcome)


async def _build_postings(index: SearchIndex) -> None:
    """Finish a large index in a worker thread: the bot serves meanwhile (see
    ``SearchIndex.build_postings``), seconds sooner at 100k films and people."""
    await asyncio.to_thread(index.build_postings)
    log.info("search index complete: %r", index)


async def ensure_services(bot: Any, settings: Settings | None = None) -> Services:
    """Return the bot's services, creating them on first use (plugin mode).

    Concurrent first loads share one creation task, so the store is opened once.
    """
    services: Services | None = getattr(bot, ATTR, None)
    if services is not None:
        return services
    task: asyncio.Task[Services] | None = getattr(bot, ATTR + "_task", None)
    if task is None:
        task = asyncio.ensure_future(create_services(settings or Settings()))
        setattr(bot, ATTR + "_task", task)
    try:
        services = await asyncio.shield(task)
    finally:
        if task.done():
            setattr(bot, ATTR + "_task", None)
    setattr(bot, ATTR, services)
    return services


async def detach_services(bot: Any) -> None:
    """Close and forget the bot's services (last cog unloaded, or the bot closing)."""
    services: Services | None = getattr(bot, ATTR, None)
    if services is not None:
        setattr(bot, ATTR, None)
        await services.close()


def get_services(bot: Any) -> Services:
    services = getattr(bot, ATTR, None)
    if services is None:
        raise RuntimeError("BakerBot services are not attached; load the 'cogs' extension")
    return services
