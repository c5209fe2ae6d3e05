"""The answerer over a large store-backed catalog: bounded work at start and per question.

Why: holding word postings over every text and a gazetteer over every name took half a
minute and 300 MB at 100k records, and a question about a film with a hundred facts
read every one of them. Here the rich gazetteer (surnames, characters, typos) covers a
core, the director's films and everyone credited on them; other titles and names are
found by looking the question's phrases up in the search index, exactly. The facts
naming an entity in prose come from the store's full-text index, and a question reads
at most ``MAX_UNITS`` records, those sharing the most of its ideas (what it misses, the
full-text search still brings). Small catalogs never come here: their answers are the
exact ones.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence

from bot.ask.lexicon import concept
from bot.ask.linker import Entity, Gazetteer, gazetteer_over
from bot.ask.rank import Scored
from bot.library import DIRECTOR_ID, Library
from bot.models import Fact
from bot.search import Entry, SearchIndex
from bot.store import FactHit
from bot.text import quick_tokens, strip_article, tokens

#: Past this many films, people and facts, the catalog is answered the bounded way
#: (the exact way's first question about a film costs ~100 ms per thousand records).
LARGE_CATALOG = 5_000
#: Records read for one question, at most (its entities' own records not counted).
MAX_UNITS = 24
#: Facts asked of the full-text index per name of an entity (besides its own).
MAX_MENTIONS = 40
#: Facts kept from the groups read, so that building their statements is no query.
FACTS_KEPT = 20_000
#: Units always read: one per film or person, the director's, and those of the
#: question's own entities (``own``).
_ALWAYS = ("film", "cast", "person", "director")

Unit = tuple


def is_large(library: Library) -> bool:
    """Whether ``library`` is store-backed and too large to index in memory."""
    if library.reader is None:
        return False
    return len(library.facts) + len(library.films) + len(library.people) > LARGE_CATALOG


def core_gazetteer(library: Library, vocabulary: Collection[str]) -> Gazetteer:
    """The names of the director's films and of everyone credited on them."""
    film_ids = list(dict.fromkeys(c.film for c in library.credits_by_person.get(DIRECTOR_ID, [])))
    films = [library.films[f] for f in film_ids if f in library.films]
    credits = [c for f in film_ids for c in library.credits_by_film.get(f, [])]
    people = [
        library.people[p] for p in dict.fromkeys(c.person for c in credits) if p in library.people
    ]
    texts = [fact.text for f in film_ids for fact in library.facts_by_film.get(f, [])]
    texts += [film.synopsis for film in films]
    return gazetteer_over(films, people, credits, texts, vocabulary)


def index_names(index: SearchIndex) -> Callable[[tuple[str, ...]], list[Entity]]:
    """Exact title, name and alias lookups in the search index, as gazetteer entities."""

    def named(key: tuple[str, ...]) -> list[Entity]:
        bare = strip_article(key)
        entries = list(dict.fromkeys(index.exact(" ".join(bare))))
        if bare != key:
            # "The Dusty Pilgrims" names the films titled so, not "Dusty Pilgrims".
            entries = [e for e in entries if key in {tokens(n) for n in (e.label, *e.keys)}]
        return [_entity(e) for e in entries]

    return named


def _entity(entry: Entry) -> Entity:
    if entry.kind == "film":
        return Entity("film", entry.id, entry.label, film=entry.id)
    return Entity("person", entry.id, entry.label, person=entry.id)


def fresh_hits(
    hits: Sequence[FactHit], scored: Sequence[Scored], named: Sequence[Entity]
) -> list[FactHit]:
    """Full-text hits to read besides the question's candidates: guild facts, and the
    curated facts not read already that may involve what the question names (tagged
    with it or using its label; one involving none of them could not score)."""
    seen = {s.statement.key for s in scored}
    ids = {e.id for e in named}
    labels = [e.label.lower() for e in named]

    def involved(fact: Fact) -> bool:
        if not named or fact.film in ids or fact.person in ids:
            return True
        return any(label in fact.text.lower() for label in labels)

    return [
        h
        for h in hits
        if h.fact.guild_id is not None or (f"fact:{h.fact.id}" not in seen and involved(h.fact))
    ]


def units(library: Library) -> Iterator[Unit]:
    """Every unit, in ``Records.units`` order, without reading a record."""
    groups = library.credit_counts()
    yield from (("fact", f) for f in library.facts)
    yield from (("film", f) for f in library.films)
    for film, size in groups:
        yield from (("credit", film, i) for i in range(size))
        yield ("cast", film)
    for person in library.people:
        yield ("person", person)
        yield ("filmography", person)
    yield ("director",)


def count(library: Library) -> int:
    """How many units ``units`` yields."""
    groups = library.credit_counts()
    films = len(library.films) + len(groups)
    credits = sum(size for _film, size in groups)
    return len(library.facts) + films + credits + 2 * len(library.people) + 1


def pick(
    found: list[Unit],
    concepts: set[str],
    own: set[str],
    built: Mapping[Unit, object],
    facts: Mapping[str, Fact],
    library: Library,
) -> list[Unit]:
    """At most ``MAX_UNITS`` of ``found`` besides the films' and people's own units, the
    credits and filmographies of the people in ``own`` (those named, and those playing
    a named character) and those built already: those sharing the most of ``concepts``."""
    if len(found) <= MAX_UNITS:
        return found

    def kept(u: Unit) -> bool:
        if u[0] in _ALWAYS or u in built:
            return True
        if u[0] == "credit":
            return _credit_person(u, library) in own
        return u[0] == "filmography" and u[1] in own

    keep = [u for u in found if kept(u)]
    rest = [u for u in found if not kept(u)]
    room = max(0, MAX_UNITS - len(keep))
    order = sorted(range(len(rest)), key=lambda i: (-_shared(rest[i], concepts, facts, library), i))
    chosen = set(keep) | {rest[i] for i in order[:room]}
    return [u for u in found if u in chosen]


def _credit_person(unit: Unit, library: Library) -> str | None:
    credits = library.credits_by_film.get(unit[1], [])
    return credits[unit[2]].person if unit[2] < len(credits) else None


def _shared(unit: Unit, concepts: set[str], facts: Mapping[str, Fact], library: Library) -> int:
    """How many of ``concepts`` a record's words may state (read without a statement)."""
    text = ""
    if unit[0] == "fact":
        fact = facts.get(unit[1])
        text = fact.text if fact else ""
    elif unit[0] == "credit":
        credits = library.credits_by_film.get(unit[1], [])
        if unit[2] < len(credits):
            c = credits[unit[2]]
            text = f"{c.role} {c.character or ''} {c.note or ''} {c.person.replace('-', ' ')}"
    elif unit[0] == "filmography":
        text = f"films {unit[1].replace('-', ' ')}"
    words = quick_tokens(text)
    return len(concepts & ({concept(w) for w in words} | set(words)))
