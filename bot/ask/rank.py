"""Score statements against a question and lift the answer out of the best one.

A statement's score multiplies three things, each between 0 and 1:

- coverage: how much of the question's content (weighted by rarity, so "culkin"
  counts more than "won") the statement states; words the catalog never uses count
  in full against it, which is what makes out-of-catalog questions fail;
- entities: whether it involves every film, person and character the question names;
- fit: whether it holds an answer of the wanted kind (a date for "when", a person for
  "who") that the question does not already contain, close to what was asked.

Small bonuses break ties between equally good statements (records over prose, the
statement tagged with the entity, shorter over longer).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.ask.lexicon import (
    ALTERNATE_CREDIT,
    ANTONYMS,
    GENERIC_WORDS,
    NATIONALITIES,
    NEGATIONS,
    STOPWORDS,
    alternates,
    concept,
    related,
)
from bot.ask.parse import Query
from bot.ask.statements import Span, Statement
from bot.library import DIRECTOR_ID

#: Span kinds that answer each question kind, with how well they do.
FITS: dict[str, dict[str, float]] = {
    "person": {"person": 1.0, "name": 1.0, "org": 0.8, "event": 0.5, "character": 0.5},
    "whose": {"person": 1.0, "character": 1.0, "name": 0.9},
    "character": {"character": 1.0},
    "date": {"date": 1.0, "year": 0.95},
    "number": {"count": 1.0, "number": 1.0, "duration": 0.9, "money": 0.9, "age": 0.85},
    "age": {"age": 1.0, "number": 0.6, "count": 0.4},
    "duration": {"duration": 1.0},
    "money": {"money": 1.0, "number": 0.6},
    "place": {"place": 1.0, "event": 0.95, "name": 0.75, "org": 0.7},
    "org": {"org": 1.0, "name": 1.0, "event": 0.7, "place": 0.6, "quote": 0.5},
    "title": {"film": 1.0, "quote": 0.9, "name": 0.85, "org": 0.5, "event": 0.3},
}
#: Fit of a statement with no span of the wanted kind.
NO_FIT = 0.3
#: A record made to answer one thing ("came out in 2012") answers others less surely.
INCIDENTAL = 0.8
#: A capitalised single word ("Chinese") is a weaker name than a full one.
SINGLE_WORD_NAME = 0.85
#: Weight of a statement about an entity the question sets aside ("besides Anora").
SET_ASIDE = 0.5
#: A film's length in days or years is its shoot or its making, not its running time.
LONG_UNIT = 0.5
#: A character's name must stand this close to what the question describes.
MAX_CHARACTER_DISTANCE = 4
#: An answer right after the noun asked for ("the memoir Modern Whore") is preferred.
APPOSITION = 2
APPOSITION_BONUS = 0.15
#: The one who did it, named after "by", answers "who did it".
AGENT_BONUS = 0.05
#: Lost per word between the answer and the nearest thing the question named.
DISTANCE_COST = 0.006
#: Presence of the director when only implied (he directed the statement's film).
IMPLIED_DIRECTOR = 0.6
#: Score given for entities when the question names none.
NO_ENTITY = 0.85
#: Weight of a term that only names the answer's kind ("movie" in "which movie").
LIGHT_WEIGHT = 0.3
#: Share of its weight a missed, known word counts against a statement.
KNOWN_MISS = 0.5
#: Credit for an idea found only in a fact's tags.
TOPIC_CREDIT = 0.5
#: Weight of an everyday word the catalog does not use ("use", "whole").
GENERIC_WEIGHT = 1.5
#: Presence of a character the statement only names as a possessive ("Ivan's father").
OWNED_CHARACTER = 0.8
#: A statement that denies what the question asks about ("did not win") answers "who won"
#: badly.
DENIED = 0.4
#: Yes/no from a statement about what would or could be.
MODAL = 0.9


@dataclass
class Scored:
    statement: Statement
    score: float
    coverage: float
    entity: float
    fit: float
    span: Span | None = None
    yes: bool | None = None


@dataclass(frozen=True)
class Weights:
    """Rarity of each idea across all statements; unknown ideas weigh the most."""

    idf: dict[str, float]
    unknown: float

    def of(self, concept: str) -> float:
        return self.idf.get(concept, self.unknown)


@dataclass(frozen=True)
class _Weighed:
    """A question term with its weight worked out once per question."""

    word: str
    concept: str
    weight: float
    miss: float  # share of the weight counted against a statement that misses it
    alternates: tuple[str, ...]


@dataclass(frozen=True)
class _Named:
    """One entity a question names, as scoring checks it."""

    kind: str
    id: str
    film: str | None
    words: tuple[str, ...]
    possessive: bool
    qualifier: bool


@dataclass(frozen=True)
class Prepared:
    """What scoring needs from a question, computed once for all statements."""

    query: Query
    terms: tuple[_Weighed, ...]
    implicit: tuple[tuple[str, float], ...]
    director_films: frozenset[str]
    #: Entities grouped by the phrase that named them ("Anora": the film or the character).
    groups: tuple[tuple[_Named, ...], ...] = ()


def prepare(query: Query, weights: Weights, director_films: frozenset[str]) -> Prepared:
    terms: list[_Weighed] = []
    for term in query.terms:
        known = term.concept in weights.idf
        weight = weights.of(term.concept)
        if term.word in GENERIC_WORDS:
            if not known:
                continue  # an everyday word the sources never use says nothing
            if term.word not in NATIONALITIES:
                weight = min(weight, GENERIC_WEIGHT)
        weight *= LIGHT_WEIGHT if term.light else 1.0
        miss = KNOWN_MISS if known or term.light else 1.0
        terms.append(_Weighed(term.word, term.concept, weight, miss, alternates(term.concept)))
    implicit = tuple((idea, weights.of(idea) * 0.5) for idea in sorted(query.implicit))
    groups: dict[tuple[int, int], list[_Named]] = {}
    for m in query.mentions:
        e = m.entity
        if e.id in query.excluded:
            continue
        named = _Named(
            e.kind,
            e.id,
            e.film,
            tuple(e.label.lower().split()),
            m.possessive,
            e.id in query.qualifiers,
        )
        groups.setdefault((m.start, m.end), []).append(named)
    return Prepared(
        query, tuple(terms), implicit, director_films, tuple(tuple(g) for g in groups.values())
    )


def plausible(prepared: Prepared, stmt: Statement) -> float:
    """Coverage times entities: an upper bound of the score before bonuses."""
    entity = _entities(prepared, stmt)
    return entity and entity * _coverage(prepared, stmt)


def score(prepared: Prepared, stmt: Statement) -> Scored:
    """How well ``stmt`` answers the prepared question."""
    query = prepared.query
    coverage = _coverage(prepared, stmt)
    entity = _entities(prepared, stmt)
    fit, span = _fit(query, stmt)
    total = coverage * entity * fit
    yes = None
    if query.qtype == "yesno":
        yes = _polarity(query, stmt)
        total *= MODAL if stmt.modal else 1.0
    elif _denies(query, stmt) != query.negated:
        total *= DENIED
    return Scored(stmt, total + _bonus(query, stmt, total), coverage, entity, fit, span, yes)


def _coverage(prepared: Prepared, stmt: Statement) -> float:
    """Share of the question's weighted ideas the statement states.

    A missed word the catalog knows may just be worded differently, so it counts
    ``KNOWN_MISS`` of its weight against; a word the catalog never uses counts in full.
    """
    matched = missed = 0.0
    ideas = stmt.ideas
    for term in prepared.terms:
        weight = term.weight
        idea = term.concept
        if idea in ideas or term.word in stmt.wordset:
            matched += weight
        elif term.alternates and not ideas.isdisjoint(term.alternates):
            matched += weight * ALTERNATE_CREDIT
            missed += weight * (1 - ALTERNATE_CREDIT) * KNOWN_MISS
        elif idea in stmt.topics:
            matched += weight * TOPIC_CREDIT
            missed += weight * TOPIC_CREDIT * KNOWN_MISS
        else:
            missed += weight * term.miss
    for idea, weight in prepared.implicit:
        if idea in ideas:
            matched += weight
        else:
            missed += weight * KNOWN_MISS
    total = matched + missed
    return matched / total if total else 1.0


def _states(stmt: Statement, idea: str) -> bool:
    return idea in stmt.ideas


def _names_head(query: Query, stmt: Statement) -> bool:
    """The noun asked for ("what channel") is mentioned, in some words."""
    heads = [t for t in query.terms if t.head]
    return all(
        _states(stmt, t.concept) or any(_states(stmt, a) for a in alternates(t.concept))
        for t in heads
    )


def _entities(prepared: Prepared, stmt: Statement) -> float:
    """Mean presence of the question's entities (alternatives for one phrase count once).

    A statement about what the question sets aside ("besides Anora") counts half.
    """
    groups = prepared.groups
    aside = prepared.query.excluded
    factor = SET_ASIDE if aside and not aside.isdisjoint(stmt.tagged) else 1.0
    if not groups:
        return NO_ENTITY * factor
    total = 0.0
    for group in groups:
        best = 0.0
        for named in group:
            present = _presence(named, stmt, prepared.director_films)
            if present > best:
                best = present
                if best >= 1.0:
                    break
        total += best
    return factor * total / len(groups)


def _presence(named: _Named, stmt: Statement, director_films: frozenset[str]) -> float:
    if named.kind == "film":
        return 1.0 if named.id in stmt.films else 0.0
    if named.kind == "person":
        if named.id in stmt.people:
            return 1.0
        if named.id == DIRECTOR_ID and not stmt.films.isdisjoint(director_films):
            # "which Sean Baker film ...": his name only narrows the films.
            return 1.0 if named.qualifier else IMPLIED_DIRECTOR
        return 0.0
    if named.id in stmt.characters:
        present = 1.0
    elif named.words and all(w in stmt.wordset for w in named.words):
        present = 1.0 if not stmt.films or named.film in stmt.films else 0.6
    else:
        return 0.0
    if named.id in stmt.owned and not named.possessive:
        return min(present, OWNED_CHARACTER)
    return present


def _fit(query: Query, stmt: Statement) -> tuple[float, Span | None]:
    """How well the statement can answer this kind of question, and with which span."""
    wanted = FITS.get(query.qtype)
    if wanted is None:
        return (1.0 if _names_head(query, stmt) else NO_FIT), None
    asked = {m.entity.id for m in query.mentions}
    question_words = set(query.words)
    answer = stmt.answer
    if stmt.kind == "summary":
        # Everyone in a role answers "who produced X", not "who plays Igor".
        films = {(m.start, m.end) for m in query.mentions if m.entity.kind == "film"}
        specific = any(
            m.entity.kind == "character" and (m.start, m.end) not in films for m in query.mentions
        )
        if answer is None or answer.kind not in wanted or specific:
            return NO_FIT, None
        return wanted[answer.kind], answer
    fresh = answer is not None and answer.entity not in asked
    if answer is not None and answer.kind in wanted and fresh and not _echo(answer, question_words):
        return wanted[answer.kind], answer
    anchors = _anchors(query, stmt, question_words)
    echoed = _echoed_clauses(stmt, question_words, asked)
    heads = _head_positions(query, stmt)
    best: tuple[float, Span] | None = None
    for span in stmt.spans:
        quality = wanted.get(span.kind)
        if not quality or (span.entity and span.entity in asked) or _echo(span, question_words):
            continue
        if echoed and span.clause not in echoed:
            continue
        if span.kind == "name" and len(span.key) == 1:
            quality *= SINGLE_WORD_NAME
        if query.qtype == "person" and any(c.isdigit() for c in span.text):
            continue
        if "film" in query.implicit and span.kind == "duration" and _long_unit(span):
            quality *= LONG_UNIT  # "how long is Anora": minutes, not shoot days
        near = min((abs(i - span.start) for i in anchors), default=15)
        if query.qtype == "character" and near > MAX_CHARACTER_DISTANCE:
            continue
        ranked = quality - min(near, 15) * DISTANCE_COST
        if any(0 < span.start - h <= APPOSITION for h in heads):
            ranked += APPOSITION_BONUS
        if query.qtype in ("person", "org") and span.start and stmt.words[span.start - 1] == "by":
            ranked += AGENT_BONUS  # "released by Neon", "played by Giulietta Masina"
        if best is None or ranked > best[0]:
            best = (ranked, span)
    if best is None:
        return NO_FIT, None
    quality = best[0] * (INCIDENTAL if answer is not None else 1.0)
    return max(quality, NO_FIT), best[1]


def _long_unit(span: Span) -> bool:
    return any(w.rstrip("s") in ("day", "week", "month", "year") for w in span.key)


def _head_positions(query: Query, stmt: Statement) -> list[int]:
    """Where the statement names the kind of thing asked for ("the memoir ...")."""
    heads = {t.concept for t in query.terms if t.head}
    if not heads:
        return []
    return [i for i, c in enumerate(stmt.word_concepts) if c in heads]


def _anchors(query: Query, stmt: Statement, question_words: set[str]) -> list[int]:
    """Positions in the statement of what the question named or asked about.

    A character's name is looked for next to the words describing them ("Ivan's
    mother"), so for those questions the names of entities are no anchors.
    """
    concepts = {t.concept for t in query.terms}
    labels = {w for m in query.mentions for w in m.entity.label.lower().split()}
    if query.qtype == "character":
        described = [
            i
            for i, (w, c) in enumerate(zip(stmt.words, stmt.word_concepts, strict=True))
            if c in concepts or concepts & set(related(w))
        ]
        people = {
            w
            for m in query.mentions
            if m.entity.kind == "person"
            for w in m.entity.label.lower().split()
        }
        return described or [i for i, w in enumerate(stmt.words) if w in people]
    return [
        i
        for i, (w, c) in enumerate(zip(stmt.words, stmt.word_concepts, strict=True))
        if w in question_words or w in labels or c in concepts
    ]


def _echoed_clauses(stmt: Statement, question_words: set[str], asked: set[str]) -> set[int]:
    """Clauses holding a name the question repeats that the catalog does not know.

    "What film did Kieran Culkin win for" must be answered next to "Kieran Culkin",
    not from another clause of the same sentence.
    """
    return {span.clause for span in stmt.echoable if _echo(span, question_words)}


def _echo(span: Span, question_words: set[str]) -> bool:
    """A span the question already states is no answer to it."""
    key = [w for w in span.key if w not in ("the", "a", "an", "of", "in")]
    return bool(key) and all(w in question_words or w.rstrip("s") in question_words for w in key)


def _denies(query: Query, stmt: Statement) -> bool:
    """Whether the statement negates the very thing asked ("... but did not win")."""
    if not stmt.negative:
        return False
    asked = {t.concept for t in query.terms if not t.light and not t.head}
    words = stmt.words
    for i, w in enumerate(words):
        if w in NEGATIONS:
            predicate = next((x for x in words[i + 1 : i + 4] if x not in STOPWORDS), "")
            if concept(predicate) in asked:
                return True
    return False


def _polarity(query: Query, stmt: Statement) -> bool:
    """Yes when the statement agrees with the question, no when it denies it."""
    asked = {t.concept for t in query.terms}
    flip = stmt.negative != query.negated
    for a, b in ANTONYMS:
        for x, y in ((a, b), (b, a)):
            if x in asked and y in stmt.concepts and x not in stmt.concepts:
                flip = not flip
    return not flip


def _bonus(query: Query, stmt: Statement, base: float) -> float:
    """Tie-breakers, each far smaller than any real difference in cover."""
    bonus = 0.0
    tagged = {m.entity.id for m in query.mentions} & stmt.tagged
    bonus += 0.02 * len(tagged)
    if stmt.answer is not None and query.qtype in FITS and stmt.answer.kind in FITS[query.qtype]:
        bonus += 0.03
    if stmt.kind == "summary":
        bonus += 0.03
    if query.qtype == "describe":
        labels = [m.entity.label for m in query.mentions]
        if any(stmt.text.startswith((f"{label} is a ", f"{label} is an ")) for label in labels):
            bonus += 0.12
        elif any(stmt.text.startswith(f"{label} is ") for label in labels):
            bonus += 0.05
        elif stmt.kind in ("bio", "plot"):
            bonus += 0.1
    if query.qtype == "plot" and stmt.kind == "plot":
        bonus += 0.1
    bonus += max(0.0, 0.02 * (1 - len(stmt.words) / 60))
    return bonus * min(1.0, base * 1.5)
