"""The curated catalog as mappings, with the joins every command needs.

Built once at start (and again after a reload). The small tables are held in memory;
the large ones are read from the store on demand (see ``Library.from_store``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.catalog import Catalog
from bot.models import Credit, Fact, Film, Person, Question, Quote, Source
from bot.records import Rows, StoredGroups, StoredRecords
from bot.search import gc_paused
from bot.store import CatalogReader

DIRECTOR_ID = "sean-baker"

_VIEW_FIELDS = (
    "films",
    "people",
    "credits",
    "facts",
    "sources",
    "quotes",
    "questions",
    "content_hash",
)

#: Order in which a film's crew is listed.
ROLE_ORDER = (
    "director",
    "co-director",
    "creator",
    "writer",
    "producer",
    "editor",
    "cinematographer",
    "production-designer",
    "casting",
    "composer",
    "actor",
)


def source_label(source: Source) -> str:
    """A short citation for footers: publisher and year; the full title is in /about."""
    year = f" ({source.date[:4]})" if source.date else ""
    return f"{source.publisher}{year}"


def _credits_by_role(credits: list[Credit]) -> list[Credit]:
    return sorted(credits, key=lambda c: _ROLE_RANK.get(c.role, 99))


_ROLE_RANK = {role: i for i, role in enumerate(ROLE_ORDER)}


@dataclass(frozen=True)
class CatalogView:
    """What ``Library.catalog`` offers: every record of each kind, to iterate."""

    films: Iterable[Film]
    people: Iterable[Person]
    credits: Iterable[Credit]
    facts: Iterable[Fact]
    sources: tuple[Source, ...]
    quotes: tuple[Quote, ...]
    questions: tuple[Question, ...]
    content_hash: str


@dataclass(repr=False)
class Library:
    """The curated catalog as mappings, never mutated once built.

    Two ways to build one, with the same interface: ``from_catalog`` holds a parsed
    catalog in dicts (tests, tools); ``from_store`` leaves films, people, credits and
    facts in SQLite and reads them on demand (``bot.records``), so memory stays flat
    however large the catalog grows. Sources, quotes and questions are small and are
    always held.
    """

    catalog: CatalogView
    films: Mapping[str, Film] = field(default_factory=dict)
    people: Mapping[str, Person] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    quotes: dict[str, Quote] = field(default_factory=dict)
    facts: Mapping[str, Fact] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    credits_by_film: Mapping[str, list[Credit]] = field(default_factory=dict)
    credits_by_person: Mapping[str, list[Credit]] = field(default_factory=dict)
    facts_by_film: Mapping[str, list[Fact]] = field(default_factory=dict)
    facts_by_person: Mapping[str, list[Fact]] = field(default_factory=dict)
    #: Where the large tables are read from (None: all held in memory).
    reader: CatalogReader | None = None

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> Library:
        with gc_paused():
            return cls._from_catalog(catalog)

    @classmethod
    def _from_catalog(cls, catalog: Catalog) -> Library:
        lib = cls(catalog=CatalogView(**{f: getattr(catalog, f) for f in _VIEW_FIELDS}))
        lib._small(catalog)
        lib.films = {f.id: f for f in catalog.films}
        lib.people = {p.id: p for p in catalog.people}
        lib.facts = {f.id: f for f in catalog.facts}
        by_film: defaultdict[str, list[Credit]] = defaultdict(list)
        by_person: defaultdict[str, list[Credit]] = defaultdict(list)
        for credit in catalog.credits:
            by_film[credit.film].append(credit)
            by_person[credit.person].append(credit)
        lib.credits_by_film = {k: _credits_by_role(v) for k, v in by_film.items()}
        year = {f.id: f.year for f in catalog.films}
        lib.credits_by_person = {
            k: sorted(v, key=lambda c: (year.get(c.film, 0), _ROLE_RANK.get(c.role, 99)))
            for k, v in by_person.items()
        }
        facts_film: defaultdict[str, list[Fact]] = defaultdict(list)
        facts_person: defaultdict[str, list[Fact]] = defaultdict(list)
        for fact in catalog.facts:
            if fact.film:
                facts_film[fact.film].append(fact)
            if fact.person:
                facts_person[fact.person].append(fact)
        lib.facts_by_film = dict(facts_film)
        lib.facts_by_person = dict(facts_person)
        return lib

    @classmethod
    def from_store(cls, reader: CatalogReader, small: Catalog) -> Library:
        """Over the store's rows; ``small`` brings sources, quotes and questions."""
        films = StoredRecords(reader, "films", Film)
        credits = Rows(reader, "credits", Credit)

        def by_year(group: list[Credit]) -> list[Credit]:
            year = reader.film_years(c.film for c in group)
            return sorted(group, key=lambda c: (year.get(c.film, 0), _ROLE_RANK.get(c.role, 99)))

        lib = cls(
            catalog=CatalogView(
                films=Rows(reader, "films", Film),
                people=Rows(reader, "people", Person),
                credits=credits,
                facts=Rows(reader, "facts", Fact),
                sources=small.sources,
                quotes=small.quotes,
                questions=small.questions,
                content_hash=small.content_hash,
            ),
            films=films,
            people=StoredRecords(reader, "people", Person),
            facts=StoredRecords(reader, "facts", Fact),
            credits_by_film=StoredGroups(reader, "credits", "film", Credit, _credits_by_role),
            credits_by_person=StoredGroups(reader, "credits", "person", Credit, by_year),
            facts_by_film=StoredGroups(reader, "facts", "film", Fact),
            facts_by_person=StoredGroups(reader, "facts", "person", Fact),
            reader=reader,
        )
        lib._small(small)
        return lib

    def find_facts(
        self, needle: str, limit: int, skip: Collection[str] = ()
    ) -> list[tuple[str, str]]:
        """(id, text) of curated facts, not in ``skip``, whose id starts with or text
        contains ``needle`` (case-insensitive); the store searches when it holds them."""
        needle = needle.strip().lower()
        if self.reader is not None:
            found = self.reader.find_facts(needle, limit + len(skip))
        else:
            found = [
                (f.id, f.text)
                for f in self.facts.values()
                if not needle or f.id.lower().startswith(needle) or needle in f.text.lower()
            ]
        return [(i, t) for i, t in found if i not in skip][:limit]

    def facts_naming(self, words: Sequence[str], limit: int, skip: str = "") -> list[Fact]:
        """Curated facts whose text has ``words`` in a row, except those about ``skip``
        (store-backed libraries only: an in-memory one is small enough to scan)."""
        if self.reader is None:
            return []
        found = self.reader.facts_naming(words, limit, skip)
        return [Fact.model_validate_json(d) for d in found]

    def credit_counts(self) -> list[tuple[str, int]]:
        """(film, credits on it) for every credited film, without reading a credit."""
        if self.reader is None:
            return [(f, len(c)) for f, c in self.credits_by_film.items()]
        return self.reader.group_sizes("credits", "film")

    def fact_words(self, min_facts: int = 0) -> list[str]:
        """Words the facts use (in more than ``min_facts``), from the store's full-text
        index."""
        return [] if self.reader is None else self.reader.fact_words(min_facts)

    def _small(self, catalog: Catalog) -> None:
        self.sources = {s.id: s for s in catalog.sources}
        self.quotes = {q.id: q for q in catalog.quotes}
        self.questions = {q.id: q for q in catalog.questions}

    def __repr__(self) -> str:
        """Counts only: a full repr of a large catalog takes seconds and hundreds of MB
        (asyncio formats the result of ``asyncio.run`` when it restores SIGINT)."""
        return (
            f"<Library {len(self.films)} films, {len(self.people)} people, "
            f"{len(self.facts)} facts, {len(self.quotes)} quotes, {len(self.questions)} questions>"
        )

    def source_names(self, source_ids: tuple[str, ...] | list[str]) -> list[str]:
        """Readable source names for footers; unknown ids (moderator URLs) pass through."""
        names: list[str] = []
        for sid in source_ids:
            source = self.sources.get(sid)
            name = source_label(source) if source else sid
            if name not in names:
                names.append(name)
        return names

    def filmography(self, person_id: str) -> list[tuple[Film, list[Credit]]]:
        """A person's films in release order, each with their credits on it."""
        grouped: dict[str, list[Credit]] = {}
        for credit in self.credits_by_person.get(person_id, []):
            grouped.setdefault(credit.film, []).append(credit)
        films = [(self.films[fid], creds) for fid, creds in grouped.items() if fid in self.films]
        return sorted(films, key=lambda pair: (pair[0].year, pair[0].title))

    def film_sources(self, film: Film) -> list[str]:
        ids = list(film.sources)
        for credit in self.credits_by_film.get(film.id, []):
            ids.extend(s for s in credit.sources if s not in ids)
        return ids
