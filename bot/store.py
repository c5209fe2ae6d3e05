"""SQLite persistence: the only module that speaks SQL.

Records are stored as validated JSON next to the columns that queries filter on, so the
models stay the single definition of a record while SQLite does indexing, FTS5 search and
atomic writes. Every write runs in one transaction: a failure leaves the old rows.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite
from pydantic import BaseModel, TypeAdapter

from bot.catalog import Catalog
from bot.models import Credit, Fact, Film, Person, Question, Quote, Source
from bot.moderation.records import (
    ID_PREFIX,
    AuditEntry,
    FactVersion,
    GuildConfig,
    GuildRecord,
    RecordKind,
    StoredRecord,
    Suggestion,
)
from bot.search import gc_paused

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)


class StoreError(Exception):
    """The database cannot be used (unreadable, read-only, corrupt, too new)."""


# Numbered migrations, applied in order inside one transaction each; PRAGMA user_version
# records how far a database file has come.
MIGRATIONS: tuple[str, ...] = (
    # 1: the curated catalog and its full-text index.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE sources (id TEXT PRIMARY KEY, data TEXT NOT NULL);
    CREATE TABLE films (id TEXT PRIMARY KEY, year INTEGER NOT NULL, data TEXT NOT NULL);
    CREATE TABLE people (id TEXT PRIMARY KEY, data TEXT NOT NULL);
    CREATE TABLE credits (
        film TEXT NOT NULL, person TEXT NOT NULL, role TEXT NOT NULL, data TEXT NOT NULL
    );
    CREATE INDEX credits_film ON credits (film);
    CREATE INDEX credits_person ON credits (person);
    CREATE TABLE facts (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        guild_id INTEGER,
        film TEXT,
        person TEXT,
        text TEXT NOT NULL,
        spoiler INTEGER NOT NULL DEFAULT 0,
        data TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0
    );
    CREATE UNIQUE INDEX facts_id ON facts (id);
    CREATE INDEX facts_guild ON facts (guild_id);
    CREATE INDEX facts_film ON facts (film);
    CREATE INDEX facts_person ON facts (person);
    CREATE TABLE quotes (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        guild_id INTEGER,
        speaker TEXT NOT NULL,
        film TEXT,
        text TEXT NOT NULL,
        data TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0
    );
    CREATE UNIQUE INDEX quotes_id ON quotes (id);
    CREATE INDEX quotes_guild ON quotes (guild_id);
    CREATE TABLE questions (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        guild_id INTEGER,
        film TEXT,
        data TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0
    );
    CREATE UNIQUE INDEX questions_id ON questions (id);
    CREATE INDEX questions_guild ON questions (guild_id);
    CREATE VIRTUAL TABLE facts_fts USING fts5(
        text, content='facts', content_rowid='pk', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER facts_ai AFTER INSERT ON facts BEGIN
        INSERT INTO facts_fts (rowid, text) VALUES (new.pk, new.text);
    END;
    CREATE TRIGGER facts_ad AFTER DELETE ON facts BEGIN
        INSERT INTO facts_fts (facts_fts, rowid, text) VALUES ('delete', old.pk, old.text);
    END;
    CREATE TRIGGER facts_au AFTER UPDATE OF text ON facts BEGIN
        INSERT INTO facts_fts (facts_fts, rowid, text) VALUES ('delete', old.pk, old.text);
        INSERT INTO facts_fts (rowid, text) VALUES (new.pk, new.text);
    END;
    CREATE VIRTUAL TABLE quotes_fts USING fts5(
        text, content='quotes', content_rowid='pk', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER quotes_ai AFTER INSERT ON quotes BEGIN
        INSERT INTO quotes_fts (rowid, text) VALUES (new.pk, new.text);
    END;
    CREATE TRIGGER quotes_ad AFTER DELETE ON quotes BEGIN
        INSERT INTO quotes_fts (quotes_fts, rowid, text) VALUES ('delete', old.pk, old.text);
    END;
    CREATE TRIGGER quotes_au AFTER UPDATE OF text ON quotes BEGIN
        INSERT INTO quotes_fts (quotes_fts, rowid, text) VALUES ('delete', old.pk, old.text);
        INSERT INTO quotes_fts (rowid, text) VALUES (new.pk, new.text);
    END;
    """,
    # 2: trivia scores, games in progress, rounds already scored.
    """
    CREATE TABLE trivia_scores (
        guild_id INTEGER NOT NULL,
        user_id INTEGER NOT NULL,
        points INTEGER NOT NULL DEFAULT 0,
        correct INTEGER NOT NULL DEFAULT 0,
        games INTEGER NOT NULL DEFAULT 0,
        wins INTEGER NOT NULL DEFAULT 0,
        streak INTEGER NOT NULL DEFAULT 0,
        best_streak INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (guild_id, user_id)
    );
    CREATE INDEX trivia_scores_rank ON trivia_scores (guild_id, points DESC);
    CREATE TABLE trivia_film_scores (
        guild_id INTEGER NOT NULL,
        film TEXT NOT NULL,
        user_id INTEGER NOT NULL,
        points INTEGER NOT NULL DEFAULT 0,
        correct INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (guild_id, film, user_id)
    );
    CREATE INDEX trivia_film_scores_user ON trivia_film_scores (guild_id, user_id);
    CREATE TABLE trivia_games (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guild_id INTEGER NOT NULL,
        channel_id INTEGER NOT NULL,
        starter_id INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'running',
        state TEXT NOT NULL,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        ended_at TEXT
    );
    CREATE UNIQUE INDEX trivia_games_running ON trivia_games (channel_id)
        WHERE status = 'running';
    CREATE TABLE trivia_rounds (
        game_id INTEGER NOT NULL REFERENCES trivia_games (id),
        round INTEGER NOT NULL,
        question_id TEXT NOT NULL,
        outcome TEXT NOT NULL,
        points INTEGER NOT NULL,
        winners TEXT NOT NULL,
        PRIMARY KEY (game_id, round)
    );
    CREATE TABLE trivia_recent (
        channel_id INTEGER NOT NULL,
        question_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (channel_id, question_id)
    );
    CREATE INDEX trivia_recent_seq ON trivia_recent (channel_id, seq);
    """,
    # 3: moderator facts' history, audit trail, hidden facts, suggestions, guild config.
    """
    CREATE TABLE fact_versions (
        fact_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        guild_id INTEGER NOT NULL,
        author_id INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (fact_id, version)
    );
    CREATE TABLE audit (
        pk INTEGER PRIMARY KEY,
        guild_id INTEGER NOT NULL,
        actor_id INTEGER NOT NULL,
        action TEXT NOT NULL,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        before TEXT,
        after TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX audit_target ON audit (guild_id, kind, target);
    CREATE TABLE hidden_facts (
        guild_id INTEGER NOT NULL,
        fact_id TEXT NOT NULL,
        PRIMARY KEY (guild_id, fact_id)
    );
    CREATE TABLE suggestions (
        pk INTEGER PRIMARY KEY,
        guild_id INTEGER NOT NULL,
        channel_id INTEGER,
        author_id INTEGER NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        reviewer_id INTEGER,
        record_id TEXT,
        reason TEXT,
        created_at TEXT NOT NULL,
        decided_at TEXT
    );
    CREATE INDEX suggestions_queue ON suggestions (guild_id, status, pk);
    CREATE TABLE guild_config (
        guild_id INTEGER PRIMARY KEY,
        mod_role_id INTEGER,
        log_channel_id INTEGER
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class Counts:
    films: int
    people: int
    facts: int
    quotes: int
    questions: int
    sources: int


@dataclass(frozen=True)
class FactHit:
    """A full-text hit with SQLite's bm25 score (lower is better)."""

    fact: Fact
    score: float


def _dump(model: BaseModel) -> str:
    return model.model_dump_json(exclude_none=True)


@cache
def _list_adapter(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def _json_array(records: Sequence[BaseModel]) -> str:
    """``records`` as one JSON array of what ``_dump`` gives each: serialised in one
    call, several times faster than a call per record at 100k records."""
    if not records:
        return "[]"
    adapter = _list_adapter(type(records[0]))
    return adapter.dump_json(list(records), exclude_none=True).decode()


#: The columns each curated table fills from its records' JSON, besides ``data``.
_RECORD_COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": ("id",),
    "films": ("id", "year"),
    "people": ("id",),
    "credits": ("film", "person", "role"),
    "facts": ("id", "guild_id", "film", "person", "text", "spoiler"),
    "quotes": ("id", "guild_id", "speaker", "film", "text"),
    "questions": ("id", "guild_id", "film"),
}


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    """Insert every element of a JSON array (the one parameter) as a row, in order.

    One statement however many rows: SQLite parses the array and picks the columns out
    of each element without returning to Python (and without the GIL), where
    ``executemany`` binds row by row. A JSON ``true`` becomes 1, as the column expects.
    The columns come from one ``json_extract`` per element (with several paths it gives
    a short array), not one per column: each call parses the element anew.
    """
    if len(columns) == 1:
        picks, source = f"json_extract(value, '$.{columns[0]}')", "value"
    else:
        picks = ", ".join(f"picked ->> {i}" for i in range(len(columns)))
        paths = ", ".join(f"'$.{column}'" for column in columns)
        source = f"json_extract(value, {paths}) AS picked, value"
    return (
        f"INSERT INTO {table} ({', '.join(columns)}, data)"
        f" SELECT {picks}, value FROM (SELECT {source} FROM json_each(?) ORDER BY key)"
    )


def _curated_tables(catalog: Catalog) -> Iterator[tuple[str, Sequence[BaseModel]]]:
    """The tables in the order they are sent: facts first, quick to serialise and the
    longest to insert, so SQLite starts early on the longest part of a load."""
    yield "facts", catalog.facts
    yield "credits", catalog.credits
    # In key order, so each row lands at the end of the primary-key B-tree.
    yield "films", sorted(catalog.films, key=_by_id)
    yield "people", sorted(catalog.people, key=_by_id)
    yield "sources", catalog.sources
    yield "quotes", catalog.quotes
    yield "questions", catalog.questions


_INSERT_SQL = {table: _insert_sql(table, columns) for table, columns in _RECORD_COLUMNS.items()}
#: SQLite's default: checkpoint once the write-ahead log passes this many pages.
AUTOCHECKPOINT_PAGES = 1000


def _checkpoint(path: str) -> None:
    conn = sqlite3.connect(path, timeout=10)
    try:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    finally:
        conn.close()


def _by_id(record: Film | Person) -> str:
    return record.id


def _fts_query(text: str) -> str:
    """Quote each word so user text can never be read as FTS5 syntax."""
    words = [w.replace('"', "").replace("\x00", "") for w in text.split()]
    return " OR ".join(f'"{w}"' for w in words if w)


#: The curated tables the ``Library`` reads row by row: table, key column, filter, order.
_READ_TABLES: dict[str, tuple[str, str, str, str]] = {
    "films": ("films", "id", "1", "year, id"),
    "people": ("people", "id", "1", "id"),
    "facts": ("facts", "id", "guild_id IS NULL", "pk"),
    "credits": ("credits", "rowid", "1", "rowid"),
}
#: Columns a group of rows may be fetched by (the joins the Library offers).
_GROUP_COLUMNS = {
    ("facts", "film"),
    ("facts", "person"),
    ("credits", "film"),
    ("credits", "person"),
}


class CatalogReader:
    """Synchronous, read-only access to the curated rows, behind the ``Library``.

    Why synchronous: the Library is a plain ``Mapping`` that rendering, trivia and /ask
    read in tight loops, and these are primary-key or indexed lookups served from
    SQLite's page cache in microseconds, less than one hop to aiosqlite's thread. Why a
    second connection: in WAL mode it reads beside the writer and only ever sees
    committed rows, so a catalog reload is invisible until it is complete. Nothing is
    written through it (``query_only``).
    """

    def __init__(self, path: str) -> None:
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA query_only = 1")
        self._db.execute("PRAGMA busy_timeout = 10000")
        self._vocab_ready = False

    def close(self) -> None:
        self._db.close()

    def count(self, table: str) -> int:
        name, _key, where, _order = _READ_TABLES[table]
        return int(self._db.execute(f"SELECT count(*) FROM {name} WHERE {where}").fetchone()[0])

    def get(self, table: str, key: str) -> str | None:
        """The stored JSON of one record, or None."""
        name, column, where, _order = _READ_TABLES[table]
        row = self._db.execute(
            f"SELECT data FROM {name} WHERE {column} = ? AND {where}", (key,)
        ).fetchone()
        return None if row is None else str(row[0])

    def keys(self, table: str) -> list[str]:
        name, column, where, order = _READ_TABLES[table]
        sql = f"SELECT {column} FROM {name} WHERE {where} ORDER BY {order}"
        return [str(row[0]) for row in self._db.execute(sql)]

    def scan(self, table: str) -> Iterator[tuple[str, str]]:
        """Every (key, JSON) pair in catalog order, streamed rather than loaded at once."""
        name, column, where, order = _READ_TABLES[table]
        sql = f"SELECT {column}, data FROM {name} WHERE {where} ORDER BY {order}"
        for key, data in self._db.execute(sql):
            yield str(key), str(data)

    def group(self, table: str, column: str, value: str) -> list[tuple[str, str]]:
        """(key, JSON) of the rows whose ``column`` is ``value`` (an indexed column)."""
        if (table, column) not in _GROUP_COLUMNS:
            raise ValueError(f"no index for {table}.{column}")
        name, key, where, order = _READ_TABLES[table]
        sql = f"SELECT {key}, data FROM {name} WHERE {column} = ? AND {where} ORDER BY {order}"
        return [(str(k), str(d)) for k, d in self._db.execute(sql, (value,))]

    def group_keys(self, table: str, column: str) -> list[str]:
        if (table, column) not in _GROUP_COLUMNS:
            raise ValueError(f"no index for {table}.{column}")
        name, _key, where, _order = _READ_TABLES[table]
        sql = f"SELECT DISTINCT {column} FROM {name} WHERE {column} IS NOT NULL AND {where}"
        return [str(row[0]) for row in self._db.execute(sql)]

    def group_sizes(self, table: str, column: str) -> list[tuple[str, int]]:
        """(value, rows) of each group, in the order the groups first appear."""
        if (table, column) not in _GROUP_COLUMNS:
            raise ValueError(f"no index for {table}.{column}")
        name, _key, where, order = _READ_TABLES[table]
        sql = (
            f"SELECT {column}, count(*) FROM {name} WHERE {column} IS NOT NULL AND {where}"
            f" GROUP BY {column} ORDER BY min({order})"
        )
        return [(str(v), int(n)) for v, n in self._db.execute(sql)]

    def find_facts(self, needle: str, limit: int) -> list[tuple[str, str]]:
        """(id, text) of curated facts whose id starts with, or text contains, ``needle``
        (lower case), in catalog order: for autocomplete, without reading every fact."""
        pattern = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        sql = (
            "SELECT id, text FROM facts WHERE guild_id IS NULL"
            " AND (? = '' OR id LIKE ? ESCAPE '\\' OR instr(lower(text), ?) > 0)"
            " ORDER BY pk LIMIT ?"
        )
        rows = self._db.execute(sql, (needle, pattern, needle, limit))
        return [(str(i), str(t)) for i, t in rows]

    def facts_naming(self, words: Sequence[str], limit: int, skip: str = "") -> list[str]:
        """JSON of curated facts whose text has ``words`` as a phrase (full-text index),
        except those about ``skip`` (a film or person whose own facts are read anyway).

        Why: the answerer finds the facts that name an entity in prose here instead of
        holding word postings over every fact in memory.
        """
        phrase = " ".join(w.replace('"', "").replace("\x00", "") for w in words).strip()
        if not phrase:
            return []
        sql = (
            "SELECT f.data FROM facts_fts JOIN facts f ON f.pk = facts_fts.rowid"
            " WHERE facts_fts MATCH ? AND f.guild_id IS NULL AND NOT f.deleted"
            " AND coalesce(f.film, '') != ? AND coalesce(f.person, '') != ?"
            " ORDER BY f.pk LIMIT ?"
        )
        args = (f'"{phrase}"', skip, skip, limit)
        return [str(row[0]) for row in self._db.execute(sql, args)]

    def fact_words(self, min_facts: int = 0) -> list[str]:
        """The words the full-text index holds for facts (in more than ``min_facts`` of
        them): the catalog's vocabulary, read from the index rather than by tokenising
        every fact again. Guild facts count too: they are a small share."""
        if not self._vocab_ready:
            # A temp table lives in this connection only; query_only forbids creating it.
            self._db.execute("PRAGMA query_only = 0")
            try:
                self._db.execute(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.facts_words"
                    " USING fts5vocab(main, facts_fts, row)"
                )
            finally:
                self._db.execute("PRAGMA query_only = 1")
            self._vocab_ready = True
        sql = "SELECT term FROM temp.facts_words WHERE doc > ?"
        return [str(row[0]) for row in self._db.execute(sql, (min_facts,))]

    def film_years(self, film_ids: Iterable[str]) -> dict[str, int]:
        ids = list(dict.fromkeys(film_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        sql = f"SELECT id, year FROM films WHERE id IN ({marks})"
        return {str(i): int(y) for i, y in self._db.execute(sql, ids)}

    def search_entries(self) -> Iterator[tuple[str, str, str, int | None, str | None]]:
        """(kind, id, title or name, year, aliases) of every film and person; aliases
        are joined by U+001F (never in a title), or None.

        Read with ``json_extract`` so building the search index never validates a
        record: at 100k films and people that is seconds saved at every start.
        """
        aliases = "(SELECT group_concat(value, char(31)) FROM json_each({}.data, '$.aliases'))"
        films = (
            "SELECT 'film', id, json_extract(data, '$.title'), year,"
            f" {aliases.format('films')} FROM films ORDER BY year, id"
        )
        people = (
            "SELECT 'person', id, json_extract(data, '$.name'), NULL,"
            f" {aliases.format('people')} FROM people ORDER BY id"
        )
        for sql in (films, people):
            yield from self._db.execute(sql)


class Store:
    """An open database. Create with ``await Store.open(path)``; close with ``close()``."""

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self._conn = conn
        self.path = path
        self._tx_lock = asyncio.Lock()
        self._tx_owner: asyncio.Task[Any] | None = None

    # -- lifecycle ---------------------------------------------------------------------

    @classmethod
    async def open(cls, path: str | Path) -> Store:
        """Open (creating if needed) and migrate; raise ``StoreError`` on an unusable file."""
        path = str(path)
        if path != ":memory:" and not path.startswith("file:"):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            pending = aiosqlite.connect(path, isolation_level=None)
            # A bot that is never closed (a crash, a forgotten test bot) must not keep
            # the process alive: SQLite with WAL is safe to abandon mid-flight.
            worker = getattr(pending, "_thread", None)
            if worker is not None:
                worker.daemon = True
            conn = await pending
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open database {path!r}: {exc}") from exc
        store = cls(conn, path)
        try:
            conn.row_factory = sqlite3.Row
            await conn.execute_fetchall("PRAGMA busy_timeout = 10000")
            if path != ":memory:":
                await conn.execute_fetchall("PRAGMA journal_mode = WAL")
            await conn.execute_fetchall("PRAGMA synchronous = NORMAL")
            await store._migrate()
            # A read-only file passes everything above once migrated (WAL even takes the
            # write lock): try a real write, rolled back, so it fails here, clearly,
            # instead of at the first score or fact.
            version = await store.schema_version()
            await conn.execute_fetchall("BEGIN IMMEDIATE")
            try:
                await conn.execute_fetchall(f"PRAGMA user_version = {version}")
            finally:
                await conn.execute_fetchall("ROLLBACK")
        except sqlite3.Error as exc:
            await conn.close()
            raise StoreError(f"database {path!r} is not usable: {exc}") from exc
        return store

    async def close(self) -> None:
        await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction at a time on this connection.

        Every feature shares one connection, and SQLite cannot BEGIN twice on it, so
        writers queue on a lock; ``BEGIN IMMEDIATE`` makes other processes' writers wait
        for the file lock (busy_timeout) instead of failing midway. A transaction opened
        inside another by the same task joins it rather than deadlocking.
        """
        task = asyncio.current_task()
        if self._tx_owner is not None and self._tx_owner is task:
            yield self._conn
            return
        async with self._tx_lock:
            self._tx_owner = task
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                except BaseException:
                    await self._conn.execute("ROLLBACK")
                    raise
                else:
                    await self._conn.execute("COMMIT")
            finally:
                self._tx_owner = None

    async def _migrate(self) -> None:
        rows = await self._conn.execute_fetchall("PRAGMA user_version")
        version = next(iter(rows))[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"database schema v{version} is newer than this BakerBot (v{SCHEMA_VERSION})"
            )
        for number in range(version + 1, SCHEMA_VERSION + 1):
            async with self.transaction() as conn:
                for statement in _split_sql(MIGRATIONS[number - 1]):
                    await conn.execute(statement)
                await conn.execute(f"PRAGMA user_version = {number}")
            log.info("database migrated to schema v%d", number)

    async def schema_version(self) -> int:
        rows = await self._conn.execute_fetchall("PRAGMA user_version")
        return int(next(iter(rows))[0])

    # -- catalog -----------------------------------------------------------------------

    async def catalog_hash(self) -> str | None:
        rows = await self._conn.execute_fetchall(
            "SELECT value FROM meta WHERE key = 'catalog_hash'"
        )
        return next((row[0] for row in rows), None)

    async def load_catalog(self, catalog: Catalog, rows_sent: asyncio.Event | None = None) -> bool:
        """Replace the curated rows with ``catalog``; return False when nothing changed.

        Guild rows (moderator facts, scores) are never touched. ``rows_sent`` is set once
        every table is serialised and handed to SQLite: from then on the load needs the
        GIL only between statements, and a caller can use it for other work.
        """
        try:
            if await self.catalog_hash() == catalog.content_hash:
                return False
            # The rows made here are acyclic; with the parsed catalog alive, each
            # collection the allocations trigger would walk all of it (seconds at 100k).
            with gc_paused():
                # The checkpoint that would follow this commit copies every page once
                # more (a second at 100k records); ``checkpoint`` does it after start-up.
                await self._conn.execute("PRAGMA wal_autocheckpoint = 0")
                try:
                    async with self.transaction() as conn:
                        await self._replace_curated(conn, catalog, rows_sent)
                finally:
                    await self._conn.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")
            return True
        finally:
            if rows_sent is not None:
                rows_sent.set()  # also when nothing was loaded, or the load failed

    @staticmethod
    async def _replace_curated(
        conn: aiosqlite.Connection, catalog: Catalog, rows_sent: asyncio.Event | None
    ) -> None:
        # Full-text rows are rebuilt once at the end: the per-row triggers cost ~40 us a
        # row (4 s of a 100k-fact load), a rebuild ~3 us. Same transaction: all or none.
        triggers = await conn.execute_fetchall(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
            " AND name IN ('facts_ai', 'facts_ad', 'quotes_ai', 'quotes_ad')"
        )
        for name, _sql in triggers:
            await conn.execute(f"DROP TRIGGER {name}")
        for table in ("sources", "films", "people", "credits"):
            await conn.execute(f"DELETE FROM {table}")
        for table in ("facts", "quotes", "questions"):
            await conn.execute(f"DELETE FROM {table} WHERE guild_id IS NULL")
        # Likewise the secondary indexes are built once from the loaded rows (sorted,
        # a third of the cost of updating them row by row); a duplicate id still
        # fails, when the unique index is made, and rolls everything back.
        indexes = await conn.execute_fetchall(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
            " AND sql IS NOT NULL AND tbl_name IN ('credits', 'facts')"
        )
        for name, _sql in indexes:
            await conn.execute(f"DROP INDEX {name}")
        # Pipelined: a table's insert is queued as soon as it is serialised, and SQLite
        # runs it while this thread serialises the next one.
        inserts = []
        try:
            for table, records in _curated_tables(catalog):
                payload = _json_array(records)
                inserts.append(asyncio.ensure_future(conn.execute(_INSERT_SQL[table], (payload,))))
                await asyncio.sleep(0)  # the insert joins the connection's queue, in order
            if rows_sent is not None:
                rows_sent.set()
        finally:
            # Every queued statement finishes before the transaction ends or rolls back.
            await asyncio.gather(*inserts, return_exceptions=True)
        for insert in inserts:
            insert.result()  # the first failure, if any, fails the load
        for _name, sql in [*indexes, *triggers]:
            await conn.execute(sql)
        for fts in ("facts_fts", "quotes_fts"):
            await conn.execute(f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')")
        await conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('catalog_hash', ?)",
            (catalog.content_hash,),
        )

    @property
    def _in_memory(self) -> bool:
        """An in-memory database: no other connection can see it, and it has no log."""
        return self.path == ":memory:" or "mode=memory" in self.path

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file, in a worker thread.

        After a large load the log holds every page; this copies them on a connection
        of its own, so commands keep using the store meanwhile (PASSIVE: it never
        waits for, or blocks, a reader or writer).
        """
        if self._in_memory:
            return
        await asyncio.to_thread(_checkpoint, self.path)

    @staticmethod
    async def _insert(conn: aiosqlite.Connection, table: str, records: Sequence[BaseModel]) -> None:
        await conn.execute(_INSERT_SQL[table], (_json_array(records),))

    async def _models(self, model: type[M], sql: str, params: Sequence[Any] = ()) -> list[M]:
        rows = await self._conn.execute_fetchall(sql, params)
        with gc_paused():  # half the time of a 100k-row read goes to the cycle collector
            return [model.model_validate_json(row[0]) for row in rows]

    def catalog_reader(self) -> CatalogReader | None:
        """A synchronous reader of the curated rows; None for an in-memory database,
        which a second connection cannot see (read the whole catalog instead)."""
        if self._in_memory:
            return None
        return CatalogReader(self.path)

    async def read_catalog(self, *, large: bool = True) -> Catalog:
        """The curated catalog as stored.

        ``large=False`` leaves out films, people, credits and facts, which a ``Library``
        over a ``CatalogReader`` reads row by row instead of holding them all.
        """
        if not large:
            films: tuple[Film, ...] = ()
            people: tuple[Person, ...] = ()
            credits: tuple[Credit, ...] = ()
            facts: tuple[Fact, ...] = ()
        else:
            films = tuple(await self._models(Film, "SELECT data FROM films ORDER BY year, id"))
            people = tuple(await self._models(Person, "SELECT data FROM people ORDER BY id"))
            credits = tuple(await self._models(Credit, "SELECT data FROM credits ORDER BY rowid"))
            facts = tuple(
                await self._models(
                    Fact, "SELECT data FROM facts WHERE guild_id IS NULL ORDER BY pk"
                )
            )
        return Catalog(
            sources=tuple(await self._models(Source, "SELECT data FROM sources")),
            films=films,
            people=people,
            credits=credits,
            facts=facts,
            quotes=tuple(
                await self._models(
                    Quote, "SELECT data FROM quotes WHERE guild_id IS NULL ORDER BY pk"
                )
            ),
            questions=tuple(
                await self._models(
                    Question, "SELECT data FROM questions WHERE guild_id IS NULL ORDER BY pk"
                )
            ),
            content_hash=await self.catalog_hash() or "",
        )

    async def counts(self, guild_id: int | None = None) -> Counts:
        """What one guild can see: the curated records plus its own."""
        mine = "NOT deleted AND (guild_id IS NULL OR guild_id = ?)"
        sql = (
            "SELECT (SELECT count(*) FROM films), (SELECT count(*) FROM people),"
            f" (SELECT count(*) FROM facts WHERE {mine}),"
            f" (SELECT count(*) FROM quotes WHERE {mine}),"
            f" (SELECT count(*) FROM questions WHERE {mine}),"
            " (SELECT count(*) FROM sources)"
        )
        row = next(iter(await self._conn.execute_fetchall(sql, (guild_id,) * 3)))
        return Counts(*row)

    # -- full-text search ---------------------------------------------------------------

    async def search_facts(
        self, text: str, guild_id: int | None = None, limit: int = 20
    ) -> list[FactHit]:
        """Facts whose words match ``text`` (curated plus this guild's), best first."""
        query = _fts_query(text)
        if not query:
            return []
        rows = await self._conn.execute_fetchall(
            "SELECT f.data, bm25(facts_fts) AS score FROM facts_fts"
            " JOIN facts f ON f.pk = facts_fts.rowid"
            " WHERE facts_fts MATCH ? AND NOT f.deleted"
            " AND (f.guild_id IS NULL OR f.guild_id = ?)"
            " AND NOT EXISTS (SELECT 1 FROM hidden_facts h"
            " WHERE h.guild_id = ? AND h.fact_id = f.id)"
            " ORDER BY score LIMIT ?",
            (query, guild_id, guild_id, limit),
        )
        return [FactHit(Fact.model_validate_json(row[0]), float(row[1])) for row in rows]

    async def search_quote_ids(self, text: str, guild_id: int | None = None) -> list[str]:
        """Ids of quotes containing all the words of ``text``."""
        # FTS5 reads a NUL as the end of the query: "unterminated string" (found by fuzzing).
        words = [w.replace('"', "").replace("\x00", "") for w in text.split()]
        query = " AND ".join(f'"{w}"' for w in words if w)
        if not query:
            return []
        rows = await self._conn.execute_fetchall(
            "SELECT q.id FROM quotes_fts JOIN quotes q ON q.pk = quotes_fts.rowid"
            " WHERE quotes_fts MATCH ? AND NOT q.deleted"
            " AND (q.guild_id IS NULL OR q.guild_id = ?)",
            (query, guild_id),
        )
        return [row[0] for row in rows]

    # -- trivia --------------------------------------------------------------------------
    # (TRIVIA-METHODS: trivia persistence methods go here)

    @asynccontextmanager
    async def _trivia_transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Kept as a name for trivia's writes; ``transaction`` itself queues writers."""
        async with self.transaction() as conn:
            yield conn

    async def trivia_create_game(
        self, guild_id: int, channel_id: int, starter_id: int, state: str, now: str
    ) -> int | None:
        """Register a running game; None when the channel already has one."""
        try:
            async with self._trivia_transaction() as conn:
                cursor = await conn.execute(
                    "INSERT INTO trivia_games"
                    " (guild_id, channel_id, starter_id, state, started_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (guild_id, channel_id, starter_id, state, now, now),
                )
                return cursor.lastrowid
        except sqlite3.IntegrityError:
            return None

    async def trivia_save_game(self, game_id: int, state: str, now: str) -> None:
        """Save a running game's state (a hint, a pick)."""
        async with self._trivia_transaction() as conn:
            await conn.execute(
                "UPDATE trivia_games SET state = ?, updated_at = ?"
                " WHERE id = ? AND status = 'running'",
                (state, now, game_id),
            )

    async def trivia_question_asked(
        self, game_id: int, channel_id: int, question_id: str, state: str, now: str, keep: int
    ) -> None:
        """Save the game as a question is asked and remember the question for the channel,
        keeping the ``keep`` most recent."""
        async with self._trivia_transaction() as conn:
            await conn.execute(
                "UPDATE trivia_games SET state = ?, updated_at = ?"
                " WHERE id = ? AND status = 'running'",
                (state, now, game_id),
            )
            await conn.execute(
                "INSERT OR REPLACE INTO trivia_recent (channel_id, question_id, seq) VALUES"
                " (?, ?, COALESCE((SELECT MAX(seq) FROM trivia_recent WHERE channel_id = ?), 0)"
                " + 1)",
                (channel_id, question_id, channel_id),
            )
            await conn.execute(
                "DELETE FROM trivia_recent WHERE channel_id = ? AND seq <= COALESCE("
                " (SELECT seq FROM trivia_recent WHERE channel_id = ?"
                " ORDER BY seq DESC LIMIT 1 OFFSET ?), -1)",
                (channel_id, channel_id, keep),
            )

    async def trivia_recent(self, channel_id: int, limit: int) -> list[str]:
        """Question ids recently asked in a channel, most recent first."""
        rows = await self._conn.execute_fetchall(
            "SELECT question_id FROM trivia_recent WHERE channel_id = ? ORDER BY seq DESC LIMIT ?",
            (channel_id, limit),
        )
        return [row[0] for row in rows]

    async def trivia_record_round(
        self,
        *,
        game_id: int,
        guild_id: int,
        number: int,
        question_id: str,
        film: str | None,
        outcome: str,
        points: int,
        winners: Sequence[int],
        losers: Sequence[int],
        state: str,
        now: str,
    ) -> bool:
        """Score one finished question exactly once, with the game's new state.

        Winners gain points, a correct answer and a streak step (also per film); losers'
        streaks reset. False, and nothing changed, when the round was already scored.
        """
        async with self._trivia_transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO trivia_rounds"
                " (game_id, round, question_id, outcome, points, winners)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (game_id, number, question_id, outcome, points, dumps(list(winners))),
            )
            if cursor.rowcount == 0:
                return False
            await conn.executemany(
                "INSERT INTO trivia_scores"
                " (guild_id, user_id, points, correct, streak, best_streak)"
                " VALUES (?, ?, ?, 1, 1, 1) ON CONFLICT (guild_id, user_id) DO UPDATE SET"
                " points = points + excluded.points, correct = correct + 1,"
                " streak = streak + 1, best_streak = MAX(best_streak, streak + 1)",
                [(guild_id, member, points) for member in winners],
            )
            await conn.executemany(
                "INSERT INTO trivia_scores (guild_id, user_id) VALUES (?, ?)"
                " ON CONFLICT (guild_id, user_id) DO UPDATE SET streak = 0",
                [(guild_id, member) for member in losers],
            )
            if film is not None:
                await conn.executemany(
                    "INSERT INTO trivia_film_scores (guild_id, film, user_id, points, correct)"
                    " VALUES (?, ?, ?, ?, 1) ON CONFLICT (guild_id, film, user_id) DO UPDATE"
                    " SET points = points + excluded.points, correct = correct + 1",
                    [(guild_id, film, member, points) for member in winners],
                )
            await conn.execute(
                "UPDATE trivia_games SET state = ?, updated_at = ? WHERE id = ?",
                (state, now, game_id),
            )
        return True

    async def trivia_finish_game(
        self,
        *,
        game_id: int,
        guild_id: int,
        players: Sequence[int],
        winners: Sequence[int],
        state: str,
        now: str,
    ) -> bool:
        """Close a game once: players get a game played, winners a win. False if the game
        was already closed (nothing is counted twice)."""
        async with self._trivia_transaction() as conn:
            cursor = await conn.execute(
                "UPDATE trivia_games SET status = 'finished', state = ?, updated_at = ?,"
                " ended_at = ? WHERE id = ? AND status = 'running'",
                (state, now, now, game_id),
            )
            if cursor.rowcount == 0:
                return False
            await conn.executemany(
                "INSERT INTO trivia_scores (guild_id, user_id, games, wins) VALUES (?, ?, 1, ?)"
                " ON CONFLICT (guild_id, user_id) DO UPDATE SET games = games + 1,"
                " wins = wins + excluded.wins",
                [(guild_id, member, int(member in winners)) for member in players],
            )
        return True

    async def trivia_running_games(self) -> list[tuple[int, int, str, str]]:
        """(game id, guild id, state, updated_at) of every game not yet finished."""
        rows = await self._conn.execute_fetchall(
            "SELECT id, guild_id, state, updated_at FROM trivia_games"
            " WHERE status = 'running' ORDER BY id"
        )
        return [(int(r[0]), int(r[1]), str(r[2]), str(r[3])) for r in rows]

    async def trivia_leaderboard(
        self, guild_id: int, film: str | None = None, limit: int = 10
    ) -> list[tuple[int, int, int]]:
        """(member, points, correct answers), best first; per film when ``film`` is set."""
        if film is None:
            sql = (
                "SELECT user_id, points, correct FROM trivia_scores"
                " WHERE guild_id = ? AND points > 0"
                " ORDER BY points DESC, correct DESC, user_id LIMIT ?"
            )
            params: tuple[Any, ...] = (guild_id, limit)
        else:
            sql = (
                "SELECT user_id, points, correct FROM trivia_film_scores"
                " WHERE guild_id = ? AND film = ? AND points > 0"
                " ORDER BY points DESC, correct DESC, user_id LIMIT ?"
            )
            params = (guild_id, film, limit)
        rows = await self._conn.execute_fetchall(sql, params)
        return [(int(r[0]), int(r[1]), int(r[2])) for r in rows]

    async def trivia_member(self, guild_id: int, user_id: int) -> dict[str, int] | None:
        """One member's totals in a guild (points, correct, games, wins, streak,
        best_streak, rank), or None if they never played there."""
        rows = await self._conn.execute_fetchall(
            "SELECT s.points, s.correct, s.games, s.wins, s.streak, s.best_streak,"
            " (SELECT COUNT(*) + 1 FROM trivia_scores o"
            " WHERE o.guild_id = s.guild_id AND o.points > s.points)"
            " FROM trivia_scores s WHERE s.guild_id = ? AND s.user_id = ?",
            (guild_id, user_id),
        )
        row = next(iter(rows), None)
        if row is None:
            return None
        keys = ("points", "correct", "games", "wins", "streak", "best_streak", "rank")
        return {key: int(value) for key, value in zip(keys, row, strict=True)}

    async def trivia_member_films(
        self, guild_id: int, user_id: int, limit: int = 3
    ) -> list[tuple[str, int, int]]:
        """(film id, points, correct answers) of a member's best films."""
        rows = await self._conn.execute_fetchall(
            "SELECT film, points, correct FROM trivia_film_scores"
            " WHERE guild_id = ? AND user_id = ? ORDER BY points DESC, film LIMIT ?",
            (guild_id, user_id, limit),
        )
        return [(str(r[0]), int(r[1]), int(r[2])) for r in rows]

    # -- moderation ----------------------------------------------------------------------
    # (MODERATION-METHODS: moderation persistence methods go here)

    @staticmethod
    def _guild_table(kind: RecordKind) -> tuple[str, type[GuildRecord]]:
        """Table and model of a guild-owned kind; table names never come from users."""
        tables: dict[str, tuple[str, type[GuildRecord]]] = {
            "fact": ("facts", Fact),
            "quote": ("quotes", Quote),
            "question": ("questions", Question),
        }
        return tables[kind]

    @staticmethod
    def _kind_of(record: GuildRecord) -> RecordKind:
        if isinstance(record, Fact):
            return "fact"
        return "quote" if isinstance(record, Quote) else "question"

    async def guild_facts(
        self,
        guild_id: int,
        *,
        film: str | None = None,
        person: str | None = None,
        author_id: int | None = None,
        deleted: bool = False,
    ) -> list[Fact]:
        """A guild's own facts, oldest first; ``author_id`` keeps those they first wrote."""
        return await self._models(
            Fact,
            "SELECT f.data FROM facts f WHERE f.guild_id = ? AND f.deleted = ?"
            " AND (? IS NULL OR f.film = ?) AND (? IS NULL OR f.person = ?)"
            " AND (? IS NULL OR EXISTS (SELECT 1 FROM fact_versions v"
            " WHERE v.fact_id = f.id AND v.version = 1 AND v.author_id = ?))"
            " ORDER BY f.pk",
            (guild_id, int(deleted), film, film, person, person, author_id, author_id),
        )

    async def guild_quotes(self, guild_id: int, *, deleted: bool = False) -> list[Quote]:
        return await self._models(
            Quote,
            "SELECT data FROM quotes WHERE guild_id = ? AND deleted = ? ORDER BY pk",
            (guild_id, int(deleted)),
        )

    async def guild_questions(self, guild_id: int, *, deleted: bool = False) -> list[Question]:
        """A guild's own trivia questions, for its trivia bank."""
        return await self._models(
            Question,
            "SELECT data FROM questions WHERE guild_id = ? AND deleted = ? ORDER BY pk",
            (guild_id, int(deleted)),
        )

    async def get_record(self, kind: RecordKind, record_id: str) -> StoredRecord | None:
        """Any record of ``kind`` by id, curated or a guild's, with its deleted flag."""
        table, model = self._guild_table(kind)
        rows = await self._conn.execute_fetchall(
            f"SELECT data, deleted FROM {table} WHERE id = ?", (record_id,)
        )
        row = next(iter(rows), None)
        if row is None:
            return None
        return StoredRecord(model.model_validate_json(row[0]), bool(row[1]))

    async def _next_guild_id(self, conn: aiosqlite.Connection, kind: RecordKind) -> str:
        """The next short id (``g12``): one more than the largest ever given, never reused."""
        table, _ = self._guild_table(kind)
        prefix = ID_PREFIX[kind]
        rows = await conn.execute_fetchall(
            f"SELECT coalesce(max(CAST(substr(id, 2) AS INTEGER)), 0) FROM {table}"
            " WHERE id GLOB ? AND substr(id, 2) NOT GLOB '*[^0-9]*'",
            (prefix + "[0-9]*",),
        )
        return f"{prefix}{int(next(iter(rows))[0]) + 1}"

    async def _insert_guild_record(
        self,
        conn: aiosqlite.Connection,
        record: GuildRecord,
        *,
        new_id: bool,
        author_id: int,
        at: datetime,
    ) -> GuildRecord:
        """Insert under a fresh short id (or its own); a fact also gets its version 1."""
        if new_id:
            new = await self._next_guild_id(conn, self._kind_of(record))
            record = record.model_copy(update={"id": new})
        if isinstance(record, Fact):
            await self._insert(conn, "facts", [record])
            await self._insert_version(conn, record, author_id, at)
        elif isinstance(record, Quote):
            await self._insert(conn, "quotes", [record])
        else:
            await self._insert(conn, "questions", [record])
        return record

    @staticmethod
    async def _insert_version(
        conn: aiosqlite.Connection, fact: Fact, author_id: int, at: datetime
    ) -> None:
        await conn.execute(
            "INSERT INTO fact_versions (fact_id, version, guild_id, author_id, created_at, data)"
            " SELECT ?, coalesce(max(version), 0) + 1, ?, ?, ?, ? FROM fact_versions"
            " WHERE fact_id = ?",
            (fact.id, fact.guild_id, author_id, at.isoformat(), _dump(fact), fact.id),
        )

    @staticmethod
    async def _write_audit(
        conn: aiosqlite.Connection,
        guild_id: int,
        actor_id: int,
        action: str,
        target: str,
        at: datetime,
        *,
        kind: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> AuditEntry:
        """Record who did what to which record, inside the caller's transaction."""
        cursor = await conn.execute(
            "INSERT INTO audit (guild_id, actor_id, action, kind, target, before, after,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                guild_id,
                actor_id,
                action,
                kind,
                target,
                None if before is None else dumps(before),
                None if after is None else dumps(after),
                at.isoformat(),
            ),
        )
        return AuditEntry(
            id=cursor.lastrowid or 0,
            guild_id=guild_id,
            actor_id=actor_id,
            action=action,
            kind=kind,
            target=target,
            before=before,
            after=after,
            created_at=at,
        )

    async def add_guild_record(
        self,
        record: GuildRecord,
        *,
        actor_id: int,
        at: datetime,
        author_id: int | None = None,
        new_id: bool = True,
        action: str = "add",
    ) -> tuple[GuildRecord, AuditEntry]:
        """Insert a guild's record (a fresh short id unless ``new_id`` is False) and audit it."""
        assert record.guild_id is not None, "guild records need a guild id"
        async with self.transaction() as conn:
            record = await self._insert_guild_record(
                conn, record, new_id=new_id, author_id=author_id or actor_id, at=at
            )
            entry = await self._write_audit(
                conn,
                record.guild_id or 0,
                actor_id,
                action,
                record.id,
                at,
                kind=self._kind_of(record),
                after=record.model_dump(mode="json", exclude_none=True),
            )
        return record, entry

    async def edit_guild_fact(self, fact: Fact, *, actor_id: int, at: datetime) -> AuditEntry:
        """Replace a guild fact's content, keep the old one as a version, audit both."""
        async with self.transaction() as conn:
            rows = await conn.execute_fetchall(
                "SELECT data FROM facts WHERE id = ? AND guild_id = ?", (fact.id, fact.guild_id)
            )
            old = next(iter(rows), None)
            if old is None:
                raise LookupError(f"no fact {fact.id!r} in guild {fact.guild_id}")
            await conn.execute(
                "UPDATE facts SET film = ?, person = ?, text = ?, spoiler = ?, data = ?"
                " WHERE id = ? AND guild_id = ?",
                (
                    fact.film,
                    fact.person,
                    fact.text,
                    int(fact.spoiler),
                    _dump(fact),
                    fact.id,
                    fact.guild_id,
                ),
            )
            await self._insert_version(conn, fact, actor_id, at)
            return await self._write_audit(
                conn,
                fact.guild_id or 0,
                actor_id,
                "edit",
                fact.id,
                at,
                kind="fact",
                before=json.loads(old[0]),
                after=fact.model_dump(mode="json", exclude_none=True),
            )

    async def set_record_deleted(
        self,
        kind: RecordKind,
        guild_id: int,
        record_id: str,
        deleted: bool,
        *,
        actor_id: int,
        at: datetime,
    ) -> AuditEntry | None:
        """Soft-delete or restore; None when the record was not in the other state."""
        table, _ = self._guild_table(kind)
        async with self.transaction() as conn:
            cursor = await conn.execute(
                f"UPDATE {table} SET deleted = ? WHERE id = ? AND guild_id = ? AND deleted = ?",
                (int(deleted), record_id, guild_id, int(not deleted)),
            )
            if cursor.rowcount != 1:
                return None
            return await self._write_audit(
                conn,
                guild_id,
                actor_id,
                "remove" if deleted else "restore",
                record_id,
                at,
                kind=kind,
                before={"deleted": not deleted},
                after={"deleted": deleted},
            )

    async def fact_versions(self, fact_id: str) -> list[FactVersion]:
        rows = await self._conn.execute_fetchall(
            "SELECT data, version, author_id, created_at FROM fact_versions"
            " WHERE fact_id = ? ORDER BY version",
            (fact_id,),
        )
        return [
            FactVersion(
                fact=Fact.model_validate_json(row[0]),
                version=row[1],
                author_id=row[2],
                created_at=row[3],
            )
            for row in rows
        ]

    async def audit_entries(
        self,
        guild_id: int,
        *,
        kind: str | None = None,
        target: str | None = None,
        limit: int = 50,
    ) -> list[AuditEntry]:
        """The latest ``limit`` audit rows of a guild (optionally one record), oldest first."""
        rows = await self._conn.execute_fetchall(
            "SELECT pk, guild_id, actor_id, action, kind, target, before, after, created_at"
            " FROM audit WHERE guild_id = ? AND (? IS NULL OR kind = ?)"
            " AND (? IS NULL OR target = ?) ORDER BY pk DESC LIMIT ?",
            (guild_id, kind, kind, target, target, limit),
        )
        entries = [
            AuditEntry(
                id=row[0],
                guild_id=row[1],
                actor_id=row[2],
                action=row[3],
                kind=row[4],
                target=row[5],
                before=None if row[6] is None else json.loads(row[6]),
                after=None if row[7] is None else json.loads(row[7]),
                created_at=row[8],
            )
            for row in rows
        ]
        return entries[::-1]

    async def hidden_facts(self) -> dict[int, set[str]]:
        """Curated fact ids each guild has hidden for itself."""
        hidden: dict[int, set[str]] = {}
        rows = await self._conn.execute_fetchall("SELECT guild_id, fact_id FROM hidden_facts")
        for row in rows:
            hidden.setdefault(int(row[0]), set()).add(row[1])
        return hidden

    async def set_fact_hidden(
        self, guild_id: int, fact_id: str, hidden: bool, *, actor_id: int, at: datetime
    ) -> AuditEntry | None:
        """Hide or show a curated fact in one guild; None when it already was."""
        async with self.transaction() as conn:
            if hidden:
                cursor = await conn.execute(
                    "INSERT OR IGNORE INTO hidden_facts (guild_id, fact_id) VALUES (?, ?)",
                    (guild_id, fact_id),
                )
            else:
                cursor = await conn.execute(
                    "DELETE FROM hidden_facts WHERE guild_id = ? AND fact_id = ?",
                    (guild_id, fact_id),
                )
            if cursor.rowcount != 1:
                return None
            return await self._write_audit(
                conn,
                guild_id,
                actor_id,
                "hide" if hidden else "unhide",
                fact_id,
                at,
                kind="fact",
                before={"hidden": not hidden},
                after={"hidden": hidden},
            )

    async def guild_config(self, guild_id: int) -> GuildConfig:
        rows = await self._conn.execute_fetchall(
            "SELECT mod_role_id, log_channel_id FROM guild_config WHERE guild_id = ?",
            (guild_id,),
        )
        row = next(iter(rows), None)
        if row is None:
            return GuildConfig(guild_id=guild_id)
        return GuildConfig(guild_id=guild_id, mod_role_id=row[0], log_channel_id=row[1])

    async def set_guild_config(
        self, config: GuildConfig, *, actor_id: int, at: datetime
    ) -> AuditEntry:
        async with self.transaction() as conn:
            rows = await conn.execute_fetchall(
                "SELECT mod_role_id, log_channel_id FROM guild_config WHERE guild_id = ?",
                (config.guild_id,),
            )
            old = next(iter(rows), None)
            await conn.execute(
                "INSERT INTO guild_config (guild_id, mod_role_id, log_channel_id)"
                " VALUES (?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET"
                " mod_role_id = excluded.mod_role_id, log_channel_id = excluded.log_channel_id",
                (config.guild_id, config.mod_role_id, config.log_channel_id),
            )
            before = GuildConfig(
                guild_id=config.guild_id,
                mod_role_id=old[0] if old else None,
                log_channel_id=old[1] if old else None,
            )
            return await self._write_audit(
                conn,
                config.guild_id,
                actor_id,
                "config",
                "config",
                at,
                kind="config",
                before=before.model_dump(mode="json"),
                after=config.model_dump(mode="json"),
            )

    @staticmethod
    def _suggestion(row: sqlite3.Row) -> Suggestion:
        return Suggestion(
            id=row["pk"],
            guild_id=row["guild_id"],
            channel_id=row["channel_id"],
            author_id=row["author_id"],
            kind=row["kind"],
            payload=json.loads(row["data"]),
            status=row["status"],
            reviewer_id=row["reviewer_id"],
            record_id=row["record_id"],
            reason=row["reason"],
            created_at=row["created_at"],
            decided_at=row["decided_at"],
        )

    async def add_suggestion(self, suggestion: Suggestion) -> Suggestion:
        async with self.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO suggestions (guild_id, channel_id, author_id, kind, data,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    suggestion.guild_id,
                    suggestion.channel_id,
                    suggestion.author_id,
                    suggestion.kind,
                    dumps(suggestion.payload),
                    suggestion.created_at.isoformat(),
                ),
            )
        return suggestion.model_copy(update={"id": cursor.lastrowid})

    async def suggestions(
        self, guild_id: int, *, status: str = "pending", limit: int = 25
    ) -> list[Suggestion]:
        """A guild's suggestions in one state, oldest first (the review queue)."""
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM suggestions WHERE guild_id = ? AND status = ? ORDER BY pk LIMIT ?",
            (guild_id, status, limit),
        )
        return [self._suggestion(row) for row in rows]

    async def count_suggestions(self, guild_id: int, *, status: str = "pending") -> int:
        rows = await self._conn.execute_fetchall(
            "SELECT count(*) FROM suggestions WHERE guild_id = ? AND status = ?",
            (guild_id, status),
        )
        return int(next(iter(rows))[0])

    async def get_suggestion(self, guild_id: int, suggestion_id: int) -> Suggestion | None:
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM suggestions WHERE guild_id = ? AND pk = ?", (guild_id, suggestion_id)
        )
        row = next(iter(rows), None)
        return None if row is None else self._suggestion(row)

    async def approve_suggestion(
        self, suggestion: Suggestion, record: GuildRecord, *, reviewer_id: int, at: datetime
    ) -> tuple[GuildRecord, AuditEntry] | None:
        """Add ``record`` and close the suggestion, atomically; None if already decided."""
        async with self.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE suggestions SET status = 'approved', reviewer_id = ?, decided_at = ?"
                " WHERE pk = ? AND guild_id = ? AND status = 'pending'",
                (reviewer_id, at.isoformat(), suggestion.id, suggestion.guild_id),
            )
            if cursor.rowcount != 1:
                return None
            record = await self._insert_guild_record(
                conn, record, new_id=True, author_id=suggestion.author_id, at=at
            )
            await conn.execute(
                "UPDATE suggestions SET record_id = ? WHERE pk = ?", (record.id, suggestion.id)
            )
            entry = await self._write_audit(
                conn,
                suggestion.guild_id,
                reviewer_id,
                "approve",
                record.id,
                at,
                kind=self._kind_of(record),
                before={"suggestion": suggestion.label, "author_id": suggestion.author_id},
                after=record.model_dump(mode="json", exclude_none=True),
            )
        return record, entry

    async def reject_suggestion(
        self, suggestion: Suggestion, *, reviewer_id: int, reason: str | None, at: datetime
    ) -> AuditEntry | None:
        """Close a suggestion as rejected; None if it was already decided."""
        async with self.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE suggestions SET status = 'rejected', reviewer_id = ?, decided_at = ?,"
                " reason = ? WHERE pk = ? AND guild_id = ? AND status = 'pending'",
                (reviewer_id, at.isoformat(), reason, suggestion.id, suggestion.guild_id),
            )
            if cursor.rowcount != 1:
                return None
            return await self._write_audit(
                conn,
                suggestion.guild_id,
                reviewer_id,
                "reject",
                suggestion.label,
                at,
                kind="suggestion",
                before={"kind": suggestion.kind, **suggestion.payload},
                after={"status": "rejected", "reason": reason},
            )

    async def import_guild_records(
        self,
        guild_id: int,
        records: Sequence[tuple[GuildRecord, bool]],
        hidden: Sequence[str],
        *,
        actor_id: int,
        at: datetime,
    ) -> list[GuildRecord]:
        """Add (record, needs_new_id) pairs and hide curated facts, all or nothing."""
        added: list[GuildRecord] = []
        async with self.transaction() as conn:
            for record, new_id in records:
                stored = await self._insert_guild_record(
                    conn, record, new_id=new_id, author_id=actor_id, at=at
                )
                await self._write_audit(
                    conn,
                    guild_id,
                    actor_id,
                    "import",
                    stored.id,
                    at,
                    kind=self._kind_of(stored),
                    after=stored.model_dump(mode="json", exclude_none=True),
                )
                added.append(stored)
            for fact_id in hidden:
                cursor = await conn.execute(
                    "INSERT OR IGNORE INTO hidden_facts (guild_id, fact_id) VALUES (?, ?)",
                    (guild_id, fact_id),
                )
                if cursor.rowcount == 1:
                    await self._write_audit(
                        conn,
                        guild_id,
                        actor_id,
                        "hide",
                        fact_id,
                        at,
                        kind="fact",
                        before={"hidden": False},
                        after={"hidden": True},
                    )
        return added


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buffer: list[str] = []
    for line in script.strip().splitlines():
        buffer.append(line)
        candidate = "\n".join(buffer).strip()
        if candidate.endswith(";") and sqlite3.complete_statement(candidate):
            statements.append(candidate)
            buffer = []
    rest = [line for line in buffer if line.strip() and not line.strip().startswith("--")]
    if rest:
        statements.append("\n".join(buffer))
    return statements


def dumps(value: object) -> str:
    """JSON for state columns, compact and stable."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True)
