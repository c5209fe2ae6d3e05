"""Statements made from a film's structured records: years, credits, awards, cast.

Each is a plain sentence with the exact answer attached, so "what year was Starlet"
and "who shot Anora" are answered from the records themselves, and each carries the
sources of the records it was made from. They are made per record (a film, a credit,
a film's cast) so the answerer can build only those a question is about; people and
the director's filmography are in ``bot.ask.people``.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.ask.lexicon import words_of as _words
from bot.ask.linker import Gazetteer, character_id, character_names
from bot.ask.statements import Statement, make_statement
from bot.library import Library
from bot.models import Award, Credit, Film
from bot.text import normalize

#: How a crew credit reads, and extra words people use for that job.
ROLE_PHRASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "director": ("directed", ("director", "make", "direct", "helm")),
    "co-director": ("co-directed", ("director", "direct", "make", "codirect")),
    "writer": ("wrote", ("write", "screenplay", "script")),
    "producer": ("was a producer of", ("produce",)),
    "editor": ("edited", ("edit",)),
    "cinematographer": (
        "was the cinematographer (director of photography) of",
        ("cinematographer", "shoot", "photography"),
    ),
    "production-designer": ("was the production designer of", ("designer", "design")),
    "casting": ("did the casting of", ("cast", "casting")),
    "composer": ("wrote the music for", ("music", "compose", "score")),
    "creator": ("co-created", ("create", "make")),
}


def film_records(film: Film, library: Library, gaz: Gazetteer) -> list[Statement]:
    """The film's own records: year, plot, runtime, budget, shoot, awards."""
    return list(_film(film, library, gaz))


def credit_records(credit: Credit, library: Library, gaz: Gazetteer) -> list[Statement]:
    """One credit, and the nicknames of its character."""
    return [_credit(credit, library, gaz), *_nicknames([credit], library, gaz)]


def cast_records(film_id: str, library: Library, gaz: Gazetteer) -> list[Statement]:
    """Everyone in one role on the film, for the roles summed up."""
    credits = library.credits_by_film.get(film_id)
    return list(_summaries(credits, library, gaz)) if credits else []


def _film(film: Film, library: Library, gaz: Gazetteer) -> Iterator[Statement]:
    what = "TV series" if film.kind == "tv" else f"{film.kind} film"
    director = _director_names(film, library)
    yield make_statement(
        gaz,
        f"year:{film.id}",
        f"{film.title} is a {what}{director} that came out in {film.year}.",
        film.sources,
        kind="film",
        films=(film.id,),
        extra=("release", "year", "when", "date", "first", "air", "premiere"),
        answer=("year", str(film.year), None),
    )
    yield make_statement(
        gaz,
        f"plot:{film.id}",
        f"{film.title} ({film.year}): {film.synopsis}",
        film.sources,
        kind="plot",
        films=(film.id,),
        extra=("plot", "about", "set", "happen", "place"),
    )
    if film.runtime_minutes:
        yield make_statement(
            gaz,
            f"runtime:{film.id}",
            f"{film.title} runs {film.runtime_minutes} minutes.",
            film.sources,
            kind="film",
            films=(film.id,),
            extra=("runtime", "long", "length", "film"),
            answer=("duration", f"{film.runtime_minutes} minutes", None),
        )
    if film.budget:
        yield make_statement(
            gaz,
            f"budget:{film.id}",
            f"{film.title} was made on a budget of {film.budget}.",
            film.sources,
            kind="film",
            films=(film.id,),
            extra=("budget", "cost", "money"),
            answer=("money", film.budget, None),
        )
    if film.shoot:
        yield make_statement(
            gaz,
            f"shoot:{film.id}",
            f"{film.title}: {film.shoot}",
            film.sources,
            kind="film",
            films=(film.id,),
            extra=("shoot", "film"),
        )
    yield from _awards(film, gaz)


def _director_names(film: Film, library: Library) -> str:
    names = [
        library.people[c.person].name
        for c in library.credits_by_film.get(film.id, [])
        if c.role in ("director", "co-director", "creator") and c.person in library.people
    ]
    if not names:
        return ""
    verb = "created" if film.kind == "tv" else "directed"
    return f" {verb} by {join_names(list(dict.fromkeys(names)))}"


def _awards(film: Film, gaz: Gazetteer) -> Iterator[Statement]:
    by_festival: dict[str, list[Award]] = {}
    for i, award in enumerate(film.awards):
        by_festival.setdefault(award.festival, []).append(award)
        when = f" ({spoken_date(award.date)})" if award.date else ""
        edition = f"the {award.edition} " if award.edition and not award.edition.isdigit() else ""
        year = f" {award.edition}" if award.edition and award.edition.isdigit() else ""
        nominee = f", for {award.nominee}" if award.nominee else ""
        if award.result == "won":
            where = f"{edition}{award.festival}{year}{when}"
            text = f"{film.title} won {award.category}{nominee} at {where}."
            extra = ("win", "award", "prize")
        else:
            text = (
                f"{film.title} was nominated for {award.category}{nominee} at "
                f"{edition}{award.festival}{year}{when}, but did not win."
            )
            extra = ("nominate", "lose", "award")
        yield make_statement(
            gaz,
            f"award:{film.id}:{i}",
            text,
            award.sources,
            kind="award",
            films=(film.id,),
            extra=extra + _festival_words(award.festival),
            answer=("award", award.category, None),
        )
    for festival, awards in by_festival.items():
        won = [a for a in awards if a.result == "won"]
        if len(awards) < 2:
            continue
        sources = tuple(dict.fromkeys(s for a in awards for s in a.sources))
        edition = next((a.edition for a in awards if a.edition), None)
        at = (
            f"At the {edition} {festival}"
            if edition and not edition.isdigit()
            else f"At {festival}"
        )
        yield make_statement(
            gaz,
            f"awards:{film.id}:{normalize(festival)}",
            f"{at}, {film.title} won {len(won)} of its {len(awards)} nominations: "
            f"{join_names([a.category for a in won])}.",
            sources,
            kind="award",
            films=(film.id,),
            extra=("win", "nominate", "award", "many", *_festival_words(festival)),
            answer=("number", str(len(won)), None),
        )


def _festival_words(festival: str) -> tuple[str, ...]:
    words = normalize(festival).split()
    if "academy" in words:
        words.append("oscar")
    return tuple(words)


def _credit(credit: Credit, library: Library, gaz: Gazetteer) -> Statement:
    person = library.people[credit.person]
    film = library.films[credit.film]
    note = f" ({credit.note})" if credit.note else ""
    characters: tuple[str, ...] = ()
    if credit.role == "actor":
        names = character_names(credit.character or "")
        characters = (character_id(film.id, names[0]),) if names else ()
        who = f" {credit.character}" if credit.character else ""
        verb = "plays" if who else "appears"
        text = f"{person.name} {verb}{who} in {film.title}{note}."
        extra: tuple[str, ...] = ("play", "cast", "star", "character")
        if any(normalize(n) == normalize(film.title) for n in names):
            extra += ("lead", "title")  # the title role is the lead
        answer = ("person", person.name, person.id)
    else:
        phrase, extra = ROLE_PHRASES.get(credit.role, (f"was {credit.role} of", ()))
        text = f"{person.name} {phrase} {film.title}{note}."
        answer = ("person", person.name, person.id)
    return make_statement(
        gaz,
        f"credit:{film.id}:{person.id}:{credit.role}",
        text,
        credit.sources,
        kind="credit",
        films=(film.id,),
        people=(person.id,),
        characters=characters,
        extra=extra,
        answer=answer,
    )


def _nicknames(credits: list[Credit], library: Library, gaz: Gazetteer) -> Iterator[Statement]:
    """'Anora "Ani"' -> "Ani is short for Anora, ..."."""
    for credit in credits:
        names = character_names(credit.character or "")
        if len(names) < 2:
            continue
        film = library.films[credit.film]
        person = library.people[credit.person]
        full, *nicks = names
        for nick in nicks:
            yield make_statement(
                gaz,
                f"nick:{film.id}:{normalize(nick)}",
                f"{nick} is short for {full}, the character {person.name} plays in {film.title}.",
                credit.sources,
                kind="credit",
                films=(film.id,),
                people=(person.id,),
                characters=(character_id(film.id, names[0]),),
                extra=("nickname", "name", "full", "stand", "character"),
                answer=("character", full, None),
            )


#: Roles summed up per film ("The producers of Anora are ...").
_SUMMARY_ROLES = {"actor": "cast", "producer": "producers", "creator": "creators"}


def _summaries(credits: list[Credit], library: Library, gaz: Gazetteer) -> Iterator[Statement]:
    """Everyone in one role on one film, so "who produced Anora" gets all of them."""
    film = library.films[credits[0].film]
    for role, noun in _SUMMARY_ROLES.items():
        group = [c for c in credits if c.role == role and c.person in library.people]
        if len(group) < 2:
            continue
        names = []
        for c in group:
            name = library.people[c.person].name
            detail = (
                c.character
                if role == "actor"
                else (c.note if c.note and len(c.note) < 30 else None)
            )
            names.append(f"{name} ({detail})" if detail else name)
        verb = "includes" if role == "actor" else "are"
        _, extra = ROLE_PHRASES.get(role, ("", ("play", "cast", "star", "actor")))
        yield make_statement(
            gaz,
            f"summary:{film.id}:{role}",
            f"The {noun} of {film.title} {verb} {join_names(names)}.",
            tuple(dict.fromkeys(s for c in group for s in c.sources)),
            kind="summary",
            films=(film.id,),
            people=tuple(c.person for c in group),
            extra=(*extra, noun, role),
            answer=("person", join_names([library.people[c.person].name for c in group]), None),
        )


def join_names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


_MONTHS = _words(
    """
    January February March April May June July August September October November
    December
    """
)


def spoken_date(iso: str) -> str:
    """'1971-02-26' -> '26 February 1971'; other text unchanged."""
    parts = iso.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        year, month, day = (int(p) for p in parts)
        if 1 <= month <= 12:
            return f"{day} {_MONTHS[month - 1]} {year}"
    return iso
