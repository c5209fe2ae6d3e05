"""SQLite persistence: the only module that speaks SQL.

Records are stored as validated JSON next to the columns that queries filter on, so the
models stay the single definition of a record while SQLite does indexing, FTS5 search and
atomic writes. Every write runs in one transaction: a failure leaves the old rows.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite
from pydantic import BaseModel

from bot.catalog import Catalog
from bot.models import Credit, Fact, Film, Person, Question, Quote, Source

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
    -- TRIVIA-MIGRATION (replace this line with the trivia DDL)
    """,
    # 3: moderator facts' history, audit trail, hidden facts, suggestions, guild config.
    """
    -- MODERATION-MIGRATION (replace this line with the moderation DDL)
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


def _fts_query(text: str) -> str:
    """Quote each word so user text can never be read as FTS5 syntax."""
    words = [w.replace('"', "") for w in text.split()]
    return " OR ".join(f'"{w}"' for w in words if w)


class Store:
    """An open database. Create with ``await Store.open(path)``; close with ``close()``."""

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self._conn = conn
        self.path = path

    # -- lifecycle ---------------------------------------------------------------------

    @classmethod
    async def open(cls, path: str | Path) -> Store:
        """Open (creating if needed) and migrate; raise ``StoreError`` on an unusable file."""
        path = str(path)
        if path != ":memory:" and not path.startswith("file:"):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
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
        except sqlite3.Error as exc:
            await conn.close()
            raise StoreError(f"database {path!r} is not usable: {exc}") from exc
        return store

    async def close(self) -> None:
        await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """``BEGIN IMMEDIATE`` so concurrent writers queue instead of failing midway."""
        await self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            await self._conn.execute("ROLLBACK")
            raise
        else:
            await self._conn.execute("COMMIT")

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

    async def load_catalog(self, catalog: Catalog) -> bool:
        """Replace the curated rows with ``catalog``; return False when nothing changed.

        Guild rows (moderator facts, scores) are never touched.
        """
        if await self.catalog_hash() == catalog.content_hash:
            return False
        async with self.transaction() as conn:
            for table in ("sources", "films", "people", "credits"):
                await conn.execute(f"DELETE FROM {table}")
            for table in ("facts", "quotes", "questions"):
                await conn.execute(f"DELETE FROM {table} WHERE guild_id IS NULL")
            await conn.executemany(
                "INSERT INTO sources (id, data) VALUES (?, ?)",
                [(s.id, _dump(s)) for s in catalog.sources],
            )
            await conn.executemany(
                "INSERT INTO films (id, year, data) VALUES (?, ?, ?)",
                [(f.id, f.year, _dump(f)) for f in catalog.films],
            )
            await conn.executemany(
                "INSERT INTO people (id, data) VALUES (?, ?)",
                [(p.id, _dump(p)) for p in catalog.people],
            )
            await conn.executemany(
                "INSERT INTO credits (film, person, role, data) VALUES (?, ?, ?, ?)",
                [(c.film, c.person, c.role, _dump(c)) for c in catalog.credits],
            )
            await self._insert_facts(conn, catalog.facts)
            await self._insert_quotes(conn, catalog.quotes)
            await self._insert_questions(conn, catalog.questions)
            await conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('catalog_hash', ?)",
                (catalog.content_hash,),
            )
        return True

    @staticmethod
    async def _insert_facts(conn: aiosqlite.Connection, facts: Iterable[Fact]) -> None:
        await conn.executemany(
            "INSERT INTO facts (id, guild_id, film, person, text, spoiler, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(f.id, f.guild_id, f.film, f.person, f.text, int(f.spoiler), _dump(f)) for f in facts],
        )

    @staticmethod
    async def _insert_quotes(conn: aiosqlite.Connection, quotes: Iterable[Quote]) -> None:
        await conn.executemany(
            "INSERT INTO quotes (id, guild_id, speaker, film, text, data)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(q.id, q.guild_id, q.speaker, q.film, q.text, _dump(q)) for q in quotes],
        )

    @staticmethod
    async def _insert_questions(conn: aiosqlite.Connection, items: Iterable[Question]) -> None:
        await conn.executemany(
            "INSERT INTO questions (id, guild_id, film, data) VALUES (?, ?, ?, ?)",
            [(q.id, q.guild_id, q.film, _dump(q)) for q in items],
        )

    async def _models(self, model: type[M], sql: str, params: Sequence[Any] = ()) -> list[M]:
        rows = await self._conn.execute_fetchall(sql, params)
        return [model.model_validate_json(row[0]) for row in rows]

    async def read_catalog(self) -> Catalog:
        """The curated catalog as stored, for building the in-memory index."""
        return Catalog(
            sources=tuple(await self._models(Source, "SELECT data FROM sources")),
            films=tuple(await self._models(Film, "SELECT data FROM films ORDER BY year, id")),
            people=tuple(await self._models(Person, "SELECT data FROM people ORDER BY id")),
            credits=tuple(await self._models(Credit, "SELECT data FROM credits ORDER BY rowid")),
            facts=tuple(
                await self._models(
                    Fact, "SELECT data FROM facts WHERE guild_id IS NULL ORDER BY pk"
                )
            ),
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

    async def counts(self) -> Counts:
        sql = (
            "SELECT (SELECT count(*) FROM films), (SELECT count(*) FROM people),"
            " (SELECT count(*) FROM facts WHERE NOT deleted),"
            " (SELECT count(*) FROM quotes WHERE NOT deleted),"
            " (SELECT count(*) FROM questions WHERE NOT deleted),"
            " (SELECT count(*) FROM sources)"
        )
        row = next(iter(await self._conn.execute_fetchall(sql)))
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
            " ORDER BY score LIMIT ?",
            (query, guild_id, limit),
        )
        return [FactHit(Fact.model_validate_json(row[0]), float(row[1])) for row in rows]

    async def search_quote_ids(self, text: str, guild_id: int | None = None) -> list[str]:
        """Ids of quotes containing all the words of ``text``."""
        words = [w.replace('"', "") for w in text.split()]
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

    # -- moderation ----------------------------------------------------------------------
    # (MODERATION-METHODS: moderation persistence methods go here)


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
