"""The curated catalog held in memory, with the joins every command needs.

Built once from the store at start (and again after a reload), so lookups, autocomplete
and /ask never touch the database for the curated data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from bot.catalog import Catalog
from bot.models import Credit, Fact, Film, Person, Question, Quote, Source
from bot.search import gc_paused

DIRECTOR_ID = "sean-baker"

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


@dataclass(repr=False)
class Library:
    """Indexes over one ``Catalog``; never mutated after ``from_catalog``."""

    catalog: Catalog
    films: dict[str, Film] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    quotes: dict[str, Quote] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    credits_by_film: dict[str, list[Credit]] = field(default_factory=dict)
    credits_by_person: dict[str, list[Credit]] = field(default_factory=dict)
    facts_by_film: dict[str, list[Fact]] = field(default_factory=dict)
    facts_by_person: dict[str, list[Fact]] = field(default_factory=dict)

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> Library:
        with gc_paused():
            return cls._from_catalog(catalog)

    @classmethod
    def _from_catalog(cls, catalog: Catalog) -> Library:
        lib = cls(catalog=catalog)
        lib.films = {f.id: f for f in catalog.films}
        lib.people = {p.id: p for p in catalog.people}
        lib.sources = {s.id: s for s in catalog.sources}
        lib.quotes = {q.id: q for q in catalog.quotes}
        lib.facts = {f.id: f for f in catalog.facts}
        lib.questions = {q.id: q for q in catalog.questions}
        by_film: defaultdict[str, list[Credit]] = defaultdict(list)
        by_person: defaultdict[str, list[Credit]] = defaultdict(list)
        for credit in catalog.credits:
            by_film[credit.film].append(credit)
            by_person[credit.person].append(credit)
        rank = {role: i for i, role in enumerate(ROLE_ORDER)}
        lib.credits_by_film = {
            k: sorted(v, key=lambda c: rank.get(c.role, 99)) for k, v in by_film.items()
        }
        year = {f.id: f.year for f in catalog.films}
        lib.credits_by_person = {
            k: sorted(v, key=lambda c: (year.get(c.film, 0), rank.get(c.role, 99)))
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
