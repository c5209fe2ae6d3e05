"""Statements about people: birthdays, bios, credit counts, the director's filmography.

Made per person (and once for the director's features), like ``structured`` does per
film, so the answerer builds only those a question is about.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.ask.linker import Gazetteer
from bot.ask.statements import Statement, make_statement
from bot.ask.structured import join_names, spoken_date
from bot.library import DIRECTOR_ID, Library
from bot.models import Person

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
ORDINALS += ("ninth", "tenth", "eleventh", "twelfth")


def filmography_records(person: Person, library: Library, gaz: Gazetteer) -> list[Statement]:
    """The titles one person is credited on (about each of those films too)."""
    return list(_credits_of(person, library, gaz))


def person_records(person: Person, library: Library, gaz: Gazetteer) -> list[Statement]:
    """What the catalog says about one person: birthday and bio."""
    out: list[Statement] = []
    if person.born:
        out.append(
            make_statement(
                gaz,
                f"born:{person.id}",
                f"{person.name} was born on {spoken_date(person.born)}.",
                person.sources,
                kind="person",
                people=(person.id,),
                extra=("born", "birthday", "birth", "age"),
                answer=("date", spoken_date(person.born), None),
            )
        )
    if person.bio:
        out.append(
            make_statement(
                gaz,
                f"bio:{person.id}",
                f"{person.name}: {person.bio}",
                person.sources,
                kind="bio",
                people=(person.id,),
            )
        )
    return out


def director_records(library: Library, gaz: Gazetteer) -> list[Statement]:
    """Counts and order of the director's features."""
    return list(_filmography(library, gaz))


def _credits_of(person: Person, library: Library, gaz: Gazetteer) -> Iterator[Statement]:
    """ "How many films has Mikey Madison been in": the titles a person is credited on."""
    films = library.filmography(person.id)
    if films and person.id != DIRECTOR_ID:
        titles = [f"{film.title} ({film.year})" for film, _ in films]
        noun = "title" if len(titles) == 1 else "titles"
        yield make_statement(
            gaz,
            f"credits:{person.id}",
            f"In my sources, {person.name} is credited on {len(titles)} {noun}: "
            f"{join_names(titles)}.",
            tuple(dict.fromkeys(s for _, cs in films for c in cs for s in c.sources)),
            kind="filmography",
            films=tuple(film.id for film, _ in films),
            people=(person.id,),
            extra=("film", "many", "appear", "credit", "filmography", "work", "play"),
            answer=("count", str(len(titles)), None),
        )


def _filmography(library: Library, gaz: Gazetteer) -> Iterator[Statement]:
    """Counts and order of the director's features: "third feature", "after Take Out"."""
    director = library.people.get(DIRECTOR_ID)
    if director is None:
        return
    features = [
        film
        for film, credits in library.filmography(DIRECTOR_ID)
        if film.kind == "feature" and any(c.role in ("director", "co-director") for c in credits)
    ]
    if not features:
        return
    listing = join_names([f"{f.title} ({f.year})" for f in features])
    sources = tuple(dict.fromkeys(s for f in features for s in f.sources))
    yield make_statement(
        gaz,
        "count:features",
        f"{director.name} has made {len(features)} feature films: {listing}.",
        sources,
        kind="count",
        people=(DIRECTOR_ID,),
        extra=("film", "many", "make", "direct", "feature", "filmography", "number"),
        answer=("number", str(len(features)), None),
    )
    for i, film in enumerate(features):
        order = ORDINALS[i] if i < len(ORDINALS) else f"{i + 1}th"
        latest = " and most recent" if i + 1 == len(features) else ""
        extra = [order, "film", "feature", "make", "order"]
        extra += ["debut", "earliest", "begin"] if i == 0 else []
        extra += ["late", "recent", "new", "last", "final"] if latest else []
        yield make_statement(
            gaz,
            f"order:{film.id}",
            f"{film.title} ({film.year}) is {director.name}'s {order}{latest} feature film.",
            film.sources,
            kind="order",
            films=(film.id,),
            people=(DIRECTOR_ID,),
            extra=tuple(extra),
            answer=("film", film.title, film.id),
        )
        if i == 0:
            continue
        prev = features[i - 1]
        yield make_statement(
            gaz,
            f"after:{prev.id}",
            f"After {prev.title} ({prev.year}), {director.name}'s next feature film was "
            f"{film.title} ({film.year}).",
            film.sources,
            kind="order",
            films=(film.id, prev.id),
            people=(DIRECTOR_ID,),
            extra=("after", "next", "follow", "come", "then", "film", "make"),
            answer=("film", film.title, film.id),
        )
        yield make_statement(
            gaz,
            f"before:{film.id}",
            f"Before {film.title} ({film.year}), {director.name}'s previous feature film was "
            f"{prev.title} ({prev.year}).",
            film.sources,
            kind="order",
            films=(film.id, prev.id),
            people=(DIRECTOR_ID,),
            extra=("before", "previous", "precede", "come", "film", "make", "prior"),
            answer=("film", prev.title, prev.id),
        )
