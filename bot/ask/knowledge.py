"""Facts as statements, and the statistics the answerer weighs words by.

Rarity weights (IDF) and the typo vocabulary come from the statements. Up to
``SAMPLE_UNITS`` records every statement is read, so they are exact; past that, a
regular sample of the records stands for the rest (document frequencies scaled up),
and words the sample missed but the catalog's text uses count as rare, not unknown.
Reading a sample keeps the start-up cost flat however large the catalog grows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from bot.ask.lexicon import concept, related
from bot.ask.linker import Gazetteer
from bot.ask.rank import Weights
from bot.ask.statements import Statement, make_statement
from bot.models import Fact

#: Records read at start to weigh words; every one of them in smaller catalogs.
SAMPLE_UNITS = 1_000
#: Share of one sampled record's weight given to a word the sample did not meet.
UNSEEN_SHARE = 0.5


def fact_statement(gaz: Gazetteer, fact: Fact, year: int | None = None) -> Statement:
    """A fact as a statement; its film's year is a hint ("at Cannes 2024")."""
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


@dataclass(frozen=True)
class Statistics:
    """What the answerer weighs words with, and the words it corrects typos to."""

    weights: Weights
    vocabulary: list[str]
    exact: bool


def statistics(
    units: Iterator[object],
    total: int,
    read: Callable[[object], list[Statement]],
    catalog_words: Iterable[str],
) -> Statistics:
    """Weights and vocabulary from every ``read(unit)``, or from a regular sample."""
    stride = max(1, math.ceil(total / SAMPLE_UNITS))
    stmts = [s for unit in islice(units, 0, None, stride) for s in read(unit)]
    words = {w for s in stmts for w in s.words if w.isalpha()}
    if stride == 1:
        return Statistics(weights(stmts), sorted(words), True)
    extra = [w for w in catalog_words if w.isalpha()]
    words.update(extra)
    unseen = {i for w in extra for i in (concept(w), *related(w))}
    return Statistics(weights(stmts, stride, unseen), sorted(words), False)


def weights(stmts: list[Statement], scale: float = 1.0, unseen: Iterable[str] = ()) -> Weights:
    """IDF of each idea over ``stmts``, each standing for ``scale`` statements."""
    df: dict[str, int] = {}
    wide: dict[str, int] = {}
    for stmt in stmts:
        for c in stmt.concepts:
            df[c] = df.get(c, 0) + 1
        for c in stmt.related:
            wide[c] = wide.get(c, 0) + 1
    n = (len(stmts) or 1) * scale
    rare = math.log(1 + n / (scale * UNSEEN_SHARE))
    idf = dict.fromkeys(unseen, rare) if scale > 1 else {}
    idf |= {c: math.log(1 + n / (d * scale)) for c, d in wide.items()}
    idf |= {c: math.log(1 + n / (d * scale)) for c, d in df.items()}
    unknown = math.log(1 + n / 0.5)
    return Weights(idf, unknown)
