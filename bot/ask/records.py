"""Statements built on demand, per catalog record, and kept in a bounded cache.

Reading a record into a statement costs a fraction of a millisecond and several
kilobytes, so at 100k records reading them all up front took minutes and gigabytes.
Here a question names its entities, the entities lead to the records about them
(``about``), and only those are read; the most recently used stay cached.

A unit is one record the statements come from: ``("fact", id)``, ``("film", id)``
(year, plot, runtime, budget, shoot, awards), ``("credit", film, index)`` (a credit
and its character's nicknames), ``("cast", film)`` (everyone in a role),
``("person", id)`` (birthday, bio), ``("filmography", id)`` (their titles) and
``("director",)`` (the director's features in order). Each statement belongs to
exactly one unit.

Over a large store-backed catalog there are no in-memory word postings (``text`` is
None): the facts naming an entity come from the store's full-text index, and ``pick``
keeps the units a question can use when an entity has too many to read them all.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

from bot.ask import large
from bot.ask.knowledge import fact_statement
from bot.ask.linker import MAX_PHRASE, Entity, Gazetteer, character_names
from bot.ask.people import director_records, filmography_records, person_records
from bot.ask.statements import Statement
from bot.ask.structured import cast_records, credit_records, film_records
from bot.ask.textindex import TextIndex, Unit
from bot.library import DIRECTOR_ID, Library
from bot.models import Fact
from bot.text import ARTICLES, quick_tokens, strip_article, tokens

#: Statements kept built; the least recently used units go first past this.
CACHE_STATEMENTS = 6_000
#: Entities whose mentions in free text are remembered.
CACHE_MENTIONS = 2_048
#: Roles whose names the film's own record states ("directed by ...").
_NAMED_IN_FILM = ("director", "co-director", "creator")


class Records:
    """The catalog's statements, built per unit when first needed."""

    def __init__(self, library: Library, gaz: Gazetteer, text: TextIndex | None) -> None:
        self.library = library
        self.gaz = gaz
        self.text = text
        self.limit = CACHE_STATEMENTS
        self.director_films = frozenset(
            c.film for c in library.credits_by_person.get(DIRECTOR_ID, [])
        )
        self._cache: OrderedDict[Unit, list[Statement]] = OrderedDict()
        self._mentions: dict[tuple[str, str], set[int]] = {}
        self._named: dict[tuple[str, str], list[Unit]] = {}
        #: Facts read in a group (a film's, a person's), so reading one is no query.
        self._facts: dict[str, Fact] = {}
        self._cached = 0

    # -- building ----------------------------------------------------------------------

    def statements(self, unit: Unit) -> list[Statement]:
        """The statements of one unit, from the cache or built now."""
        found = self._cache.get(unit)
        if found is not None:
            self._cache.move_to_end(unit)
            return found
        found = self._build(unit)
        self._cache[unit] = found
        self._cached += len(found)
        while self._cached > self.limit and len(self._cache) > 1:
            _, old = self._cache.popitem(last=False)
            self._cached -= len(old)
        return found

    def _build(self, unit: Unit) -> list[Statement]:
        lib, gaz = self.library, self.gaz
        kind = unit[0]
        if kind == "fact":
            fact = self._facts.get(unit[1]) or lib.facts.get(unit[1])
            if fact is None:
                return []
            film = lib.films.get(fact.film or "")
            return [fact_statement(gaz, fact, film.year if film else None)]
        if kind == "film":
            film = lib.films.get(unit[1])
            return film_records(film, lib, gaz) if film else []
        if kind == "credit":
            credits = lib.credits_by_film.get(unit[1], [])
            return credit_records(credits[unit[2]], lib, gaz) if unit[2] < len(credits) else []
        if kind == "cast":
            return cast_records(unit[1], lib, gaz)
        if kind == "person":
            person = lib.people.get(unit[1])
            return person_records(person, lib, gaz) if person else []
        if kind == "filmography":
            person = lib.people.get(unit[1])
            return filmography_records(person, lib, gaz) if person else []
        return director_records(lib, gaz)

    def units(self) -> Iterator[Unit]:
        """Every unit of the catalog."""
        lib = self.library
        if self.text is None:
            yield from large.units(lib)
            return
        yield from (("fact", f) for f in lib.facts)
        yield from (("film", f) for f in lib.films)
        for film, credits in lib.credits_by_film.items():
            yield from (("credit", film, i) for i in range(len(credits)))
            yield ("cast", film)
        for person in lib.people:
            yield ("person", person)
            yield ("filmography", person)
        yield ("director",)

    def count(self) -> int:
        lib = self.library
        if self.text is None:
            return large.count(lib)
        credits = sum(map(len, lib.credits_by_film.values()))
        films = len(lib.films) + len(lib.credits_by_film)
        return len(lib.facts) + films + credits + 2 * len(lib.people) + 1

    # -- what is about what -----------------------------------------------------------

    def about(self, entity: Entity) -> list[Unit]:
        """Every unit with a statement that involves ``entity``: tagged with it, naming
        it in its text, or (for the director) about one of his films."""
        if entity.kind == "film":
            units = self._film(entity.id)
        elif entity.kind == "person":
            units = self._person(entity.id)
            if entity.id == DIRECTOR_ID:
                for film in sorted(self.director_films):
                    units += self._film(film)
        else:
            units = self._film(entity.film) if entity.film else []
        if self.text is None:
            return units + self.fact_mentions(entity)
        units += self.text.units(self.text_mentions(entity))
        return units

    def pick(self, units: list[Unit], concepts: set[str], own: set[str]) -> list[Unit]:
        """A bounded share of ``units`` for one question (see ``large.pick``)."""
        return large.pick(units, concepts, own, self._cache, self._facts, self.library)

    def _film(self, film_id: str) -> list[Unit]:
        lib = self.library
        credits = lib.credits_by_film.get(film_id, [])
        units: list[Unit] = [("film", film_id), ("cast", film_id)]
        units += [("credit", film_id, i) for i in range(len(credits))]
        units += [("filmography", p) for p in dict.fromkeys(c.person for c in credits)]
        units += [("fact", f.id) for f in self._seen(lib.facts_by_film.get(film_id, []))]
        if film_id in self.director_films:
            units.append(("director",))
        return units

    def _person(self, person_id: str) -> list[Unit]:
        lib = self.library
        units: list[Unit] = [("person", person_id), ("filmography", person_id)]
        for credit in lib.credits_by_person.get(person_id, []):
            on_film = lib.credits_by_film.get(credit.film, [])
            index = next((i for i, c in enumerate(on_film) if c is credit), None)
            if index is None:
                index = next((i for i, c in enumerate(on_film) if c == credit), None)
            if index is not None:
                units.append(("credit", credit.film, index))
            units.append(("cast", credit.film))
            if credit.role in _NAMED_IN_FILM:
                units.append(("film", credit.film))
        units += [("fact", f.id) for f in self._seen(lib.facts_by_person.get(person_id, []))]
        if person_id == DIRECTOR_ID:
            units.append(("director",))
        return units

    def _seen(self, facts: list[Fact]) -> list[Fact]:
        if len(self._facts) > large.FACTS_KEPT:
            self._facts.clear()
        self._facts.update((f.id, f) for f in facts)
        return facts

    def fact_mentions(self, entity: Entity) -> list[Unit]:
        """Facts naming the entity in their text, found by the store's full-text index."""
        ident = (entity.kind, entity.id)
        found = self._named.get(ident)
        if found is None:
            facts = [
                fact
                for key in self._keys(entity)
                for fact in self.library.facts_naming(key, large.MAX_MENTIONS, entity.id)
                if self._names_in(fact.text, key)
            ]
            found = [("fact", f.id) for f in self._seen(facts)]
            if len(self._named) >= CACHE_MENTIONS:
                self._named.pop(next(iter(self._named)))
            self._named[ident] = found
        return found

    def text_mentions(self, entity: Entity) -> set[int]:
        """Free-text records that name the entity (kept for the most recent entities)."""
        ident = (entity.kind, entity.id)
        found = self._mentions.get(ident)
        text = self.text
        if found is None and text is not None:
            found = set()
            for key in self._keys(entity):
                found |= {
                    d for d in text.with_all(key) if self._names_in(text.text(d, self.library), key)
                }
            if len(self._mentions) >= CACHE_MENTIONS:
                self._mentions.pop(next(iter(self._mentions)))
            self._mentions[ident] = found
        return found or set()

    def _names_in(self, text: str, key: tuple[str, ...]) -> bool:
        """Whether the record's text has ``key`` as a name of its own, not inside a
        longer one ("Tangerine" is not named by "The Red Tangerine"); a cheap stand-in
        for the gazetteer's longest-first scan, erring on the side of yes."""
        words = quick_tokens(text)
        size = len(key)
        keys = self.gaz.keys
        for i in range(len(words) - size + 1):
            if tuple(words[i : i + size]) != key and not (
                words[i + size - 1][:-1] == key[-1] and tuple(words[i : i + size - 1]) == key[:-1]
            ):
                continue
            longer = any(
                tuple(words[a:b]) in keys
                for a in range(max(0, i - MAX_PHRASE + 1), i + 1)
                for b in range(max(i + size, a + 1), min(len(words), a + MAX_PHRASE) + 1)
                if b - a > size and not (a == i - 1 and words[a] in ARTICLES and b == i + size)
            )
            if not longer:
                return True
        return False

    def _keys(self, entity: Entity) -> list[tuple[str, ...]]:
        """The gazetteer keys that name ``entity`` in a statement (not first names)."""
        lib = self.library
        names: list[str] = []
        if entity.kind == "film" and entity.id in lib.films:
            film = lib.films[entity.id]
            names = [film.title, *film.aliases]
        elif entity.kind == "person" and entity.id in lib.people:
            person = lib.people[entity.id]
            names = [person.name, *person.aliases]
        elif entity.kind == "character":
            for credit in lib.credits_by_film.get(entity.film or "", []):
                if credit.person == entity.person and credit.character:
                    names += character_names(credit.character)
                    if credit.note and "called" in credit.note:
                        names += [w for w in credit.note.split() if w[:1].isupper()]
        keys: list[tuple[str, ...]] = []
        for name in names:
            words = tokens(name)
            keys += [words, strip_article(words)]
            if entity.kind == "person" and len(words) >= 2:
                keys += [(words[0],), (words[-1],)]
        gaz = self.gaz
        return [
            key
            for key in dict.fromkeys(keys)
            if key
            and key not in gaz.first_names
            and any(e.kind == entity.kind and e.id == entity.id for e in gaz.named(key))
        ]
