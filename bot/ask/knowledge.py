"""The knowledge an ``Asker`` is built from: facts as statements, words, rarity weights."""

from __future__ import annotations

import math

from bot.ask.linker import Gazetteer
from bot.ask.rank import Weights
from bot.ask.statements import Statement, make_statement, read_words
from bot.library import Library
from bot.models import Fact


def fact_statement(gaz: Gazetteer, fact: Fact, years: dict[str, int] | None = None) -> Statement:
    """A fact as a statement; its film's year is a hint ("at Cannes 2024")."""
    year = (years or {}).get(fact.film or "")
    return make_statement(
        gaz,
        f"fact:{fact.id}",
        fact.text,
        tuple(fact.sources),
        kind="fact",
        spoiler=fact.spoiler,
        fact=fact,
        films=(fact.film,) if fact.film else (),
        people=(fact.person,) if fact.person else (),
        topics=(*fact.tags, *((str(year),) if year else ())),
    )


def vocabulary(library: Library) -> set[str]:
    words: set[str] = set()
    texts = [f.text for f in library.facts.values()]
    texts += [f.synopsis for f in library.films.values()]
    texts += [p.bio or "" for p in library.people.values()]
    for text in texts:
        words.update(read_words(text)[0])
    return words


def weights(stmts: list[Statement]) -> Weights:
    df: dict[str, int] = {}
    wide: dict[str, int] = {}
    for stmt in stmts:
        for c in stmt.concepts:
            df[c] = df.get(c, 0) + 1
        for c in stmt.related:
            wide[c] = wide.get(c, 0) + 1
    n = len(stmts) or 1
    idf = {c: math.log(1 + n / d) for c, d in wide.items()}
    idf |= {c: math.log(1 + n / d) for c, d in df.items()}
    unknown = math.log(1 + n / 0.5)
    return Weights(idf, unknown)
