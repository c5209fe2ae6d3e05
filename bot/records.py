"""Mappings over the curated rows in the store, made into models when read.

Why: at 100k films, people and facts, one pydantic model per record costs over a
kilobyte, so holding the whole catalog took 800 MB. The big tables stay in SQLite and
these mappings read a row when it is asked for, keeping the most recently used models
in a bounded cache; a bot with the bundled catalog ends up with all of it cached.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import suppress
from typing import Generic, TypeVar

from pydantic import BaseModel

from bot.store import CatalogReader

M = TypeVar("M", bound=BaseModel)
V = TypeVar("V")

#: Models kept per table, and groups per join: the whole bundled catalog, and far more
#: than one command reads. Each cached model costs about 1-1.6 KB, so 4096 per table
#: could add ~15 MB as a bot at 100k films and people is used; its serving RSS (~290
#: MB) leaves ~10 MB to the 300 MB target.
RECORD_CACHE = 1024
GROUP_CACHE = 2048

_MISSING = object()


class LRU(Generic[V]):
    """A small least-recently-used cache (``functools.lru_cache`` cannot be cleared
    per key or sized per instance without wrapping a function)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, V] = OrderedDict()

    def get(self, key: str) -> V | object:
        value = self._items.get(key, _MISSING)
        if value is not _MISSING:
            # A worker thread building the answerer or the trivia index reads through the
            # same caches: each OrderedDict call is atomic, but the key may go in between.
            with suppress(KeyError):
                self._items.move_to_end(key)
        return value

    def put(self, key: str, value: V) -> None:
        self._items[key] = value
        while len(self._items) > self.size:
            try:
                self._items.popitem(last=False)
            except KeyError:  # emptied by the other thread meanwhile
                break


class Rows(Generic[M]):
    """Every record of a table, re-iterable, streamed from the store."""

    def __init__(self, reader: CatalogReader, table: str, model: type[M]) -> None:
        self._reader, self._table, self._model = reader, table, model

    def __iter__(self) -> Iterator[M]:
        validate = self._model.model_validate_json
        for _key, data in self._reader.scan(self._table):
            yield validate(data)

    def __len__(self) -> int:
        return self._reader.count(self._table)


class StoredRecords(Mapping[str, M]):
    """``id -> model`` over one table; ``values()`` and ``items()`` stream one query."""

    def __init__(
        self, reader: CatalogReader, table: str, model: type[M], cache: int = RECORD_CACHE
    ) -> None:
        self._reader, self._table, self._model = reader, table, model
        self._cache: LRU[M] = LRU(cache)
        self._len: int | None = None

    def __getitem__(self, key: str) -> M:
        found = self._cache.get(key)
        if found is not _MISSING:
            return found  # type: ignore[return-value]
        data = self._reader.get(self._table, key) if isinstance(key, str) else None
        if data is None:
            raise KeyError(key)
        record = self._model.model_validate_json(data)
        self._cache.put(key, record)
        return record

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        try:
            self[key]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self._reader.keys(self._table))

    def __len__(self) -> int:
        if self._len is None:
            self._len = self._reader.count(self._table)
        return self._len

    def _stream(self) -> Iterator[tuple[str, M]]:
        # A full scan does not go through the cache: it would evict the hot records.
        validate = self._model.model_validate_json
        for key, data in self._reader.scan(self._table):
            cached = self._cache.get(key)
            yield key, (validate(data) if cached is _MISSING else cached)  # type: ignore[misc]

    def values(self) -> _Values[M]:  # type: ignore[override]
        return _Values(self)

    def items(self) -> _Items[M]:  # type: ignore[override]
        return _Items(self)


class _Values(Generic[M]):
    def __init__(self, records: StoredRecords[M]) -> None:
        self._records = records

    def __iter__(self) -> Iterator[M]:
        return (record for _key, record in self._records._stream())

    def __len__(self) -> int:
        return len(self._records)


class _Items(Generic[M]):
    def __init__(self, records: StoredRecords[M]) -> None:
        self._records = records

    def __iter__(self) -> Iterator[tuple[str, M]]:
        return self._records._stream()

    def __len__(self) -> int:
        return len(self._records)


class StoredGroups(Mapping[str, list[M]]):
    """``film or person id -> its records`` (a join), through an indexed column.

    ``order`` puts a group in the order the in-memory Library used (credits by role,
    a person's films by year). Empty groups are missing keys, as in a dict of lists.
    """

    def __init__(
        self,
        reader: CatalogReader,
        table: str,
        column: str,
        model: type[M],
        order: Callable[[list[M]], list[M]] | None = None,
        cache: int = GROUP_CACHE,
    ) -> None:
        self._reader, self._table, self._column, self._model = reader, table, column, model
        self._order = order
        self._cache: LRU[list[M] | None] = LRU(cache)

    def __getitem__(self, key: str) -> list[M]:
        found = self._cache.get(key)
        if found is _MISSING:
            rows = self._reader.group(self._table, self._column, key) if key else []
            group = [self._model.model_validate_json(data) for _key, data in rows]
            found = (self._order(group) if self._order else group) or None
            self._cache.put(key, found)  # type: ignore[arg-type]
        if found is None:
            raise KeyError(key)
        return found  # type: ignore[return-value]

    def __iter__(self) -> Iterator[str]:
        return iter(self._reader.group_keys(self._table, self._column))

    def __len__(self) -> int:
        return len(self._reader.group_keys(self._table, self._column))

    def items(self) -> Iterable[tuple[str, list[M]]]:  # type: ignore[override]
        """Every group from one scan of the table (not one query per key)."""
        groups: dict[str, list[M]] = {}
        for record in Rows(self._reader, self._table, self._model):
            key = getattr(record, self._column)
            if key is not None:
                groups.setdefault(key, []).append(record)
        order = self._order
        return [(k, order(v) if order else v) for k, v in groups.items()]

    def values(self) -> Iterable[list[M]]:  # type: ignore[override]
        return [group for _key, group in self.items()]
