"""The question bank: hand-written questions plus questions generated from the catalog.

Hand-written questions are the curated ones (in the library) and a guild's own (from the
store); generated ones come from ``generate`` (credits, years, awards, shoot days), so
every film and every credited person can come up. Buttons mode needs three wrong
choices of the same kind as the answer: the question's own distractors first, then
other people, other films or numbers near the answer. Selection never repeats a question
within a game, prefers questions the channel has not seen lately, and keeps spoilers out
unless the game opted in.

A bank is made per game and must cost next to nothing at any catalog size: it holds only
the guild's own questions and reaches the catalog's through ``CatalogQuestions`` (built
once per library). A small pool (one film, or a small catalog) is listed in full; a large
one is sampled: uniform draws over the pool without replacement, which is the same as
shuffling it and reading from the front, without building it.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, ValuesView
from dataclasses import dataclass

from bot.library import Library
from bot.matching import prepare
from bot.models import Question
from bot.text import compact, normalize
from bot.trivia.engine import CHOICE_COUNT
from bot.trivia.generate import (
    CREW_QUESTIONS,
    GENERATED_CATEGORIES,
    PERSON_AWARD_WORDS,
    CatalogQuestions,
    catalog_questions,
    generate_questions,
)

__all__ = [
    "CREW_QUESTIONS",
    "DISTRACTORS",
    "GENERATED_CATEGORIES",
    "PERSON_AWARD_WORDS",
    "RECENT_LIMIT",
    "Filters",
    "QuestionBank",
    "build_bank",
    "generate_questions",
    "near_numbers",
]

#: Questions remembered per channel, so a new game avoids them.
RECENT_LIMIT = 200
DISTRACTORS = CHOICE_COUNT - 1
#: Pools up to this size are listed in full; larger ones are sampled.
LIST_LIMIT = 2000
#: Draws per wanted question before a sampled selection gives up and lists the pool.
DRAWS_PER_QUESTION = 30
#: Wrong-choice tiers up to this size are shuffled whole; larger ones are sampled.
SMALL_TIER = 64

AnswerKey = tuple[str | None, str, str]


@dataclass(frozen=True)
class Filters:
    """What a game asked for; ``buttons`` keeps only questions with enough choices."""

    film: str | None = None
    category: str | None = None
    spoilers: bool = False
    buttons: bool = False


def near_numbers(value: int) -> list[int]:
    """Plausible wrong numbers: nearby years, nearby counts, never negative."""
    step = 1 if value < 20 or 1900 <= value <= 2100 else max(1, round(value / 10))
    offsets = (1, -1, 2, -2, 3, -3, 4, -4)
    return [value + o * step for o in offsets if value + o * step >= 0]


def _answer_key(question: Question) -> AnswerKey:
    return (question.film, question.kind, compact(question.answer))


def _random_order(items: Sequence[str], rng: random.Random | None) -> Iterator[str]:
    """``items`` in a random order (in order without ``rng``), read lazily: a large
    sequence is sampled by index and shuffled whole only if the reader goes on."""
    if rng is None:
        yield from items
        return
    if len(items) > SMALL_TIER:
        drawn: set[int] = set()
        for _ in range(SMALL_TIER):
            index = rng.randrange(len(items))
            if index not in drawn:
                drawn.add(index)
                yield items[index]
        rest = [i for i in range(len(items)) if i not in drawn]
        rng.shuffle(rest)
        yield from (items[i] for i in rest)
        return
    shuffled = list(items)
    rng.shuffle(shuffled)
    yield from shuffled


class _AllQuestions(Mapping[str, Question]):
    """Every question in a bank by id; iterating it lists the whole catalog (tools, tests)."""

    def __init__(self, bank: QuestionBank) -> None:
        self._bank = bank

    def __getitem__(self, question_id: str) -> Question:
        found = self._bank.get(question_id)
        if found is None:
            raise KeyError(question_id)
        return found

    def __iter__(self) -> Iterator[str]:
        return (q.id for q in self._bank.every_question())

    def __len__(self) -> int:
        return sum(1 for _ in self._bank.every_question())

    def values(self) -> ValuesView[Question]:
        return _Values(self)


class _Values(ValuesView[Question]):
    _mapping: _AllQuestions

    def __iter__(self) -> Iterator[Question]:
        return self._mapping._bank.every_question()


def _pick(
    pool: Sequence[Question], count: int, recent: Sequence[str], rng: random.Random
) -> list[Question]:
    """Up to ``count`` of ``pool``: unseen ones in random order, each about a different
    answer where possible, then the longest-ago asked ones."""
    rank = {qid: i for i, qid in enumerate(recent)}  # 0 = asked most recently
    fresh = [q for q in pool if q.id not in rank]
    rng.shuffle(fresh)
    stale = sorted((q for q in pool if q.id in rank), key=lambda q: -rank[q.id])
    chosen: list[Question] = []
    seen: set[AnswerKey] = set()
    for group in (fresh, stale):
        for distinct_only in (True, False):
            for question in group:
                if len(chosen) >= count:
                    return chosen
                key = _answer_key(question)
                if question in chosen or (distinct_only and key in seen):
                    continue
                chosen.append(question)
                seen.add(key)
    return chosen


class QuestionBank:
    """Every question one guild can be asked, with choices for buttons mode.

    ``questions`` are held as given (a guild's own, or a fixed set in tests and benches);
    with ``catalog=True`` the library's curated and generated questions join them, read
    through ``CatalogQuestions`` only when needed. A given question wins over a catalog
    one with the same id, and a curated one over a generated one.
    """

    def __init__(
        self, questions: Iterable[Question], library: Library, *, catalog: bool = False
    ) -> None:
        self.library = library
        self.own: dict[str, Question] = {}
        for question in questions:
            self.own.setdefault(question.id, question)
        self.with_catalog = catalog
        self.catalog: CatalogQuestions = catalog_questions(library)
        self._handed: dict[str, Question] = {}  # what get/select gave out, for find_by_text
        self._choosable: dict[str, bool] = {}

    @property
    def questions(self) -> Mapping[str, Question]:
        """All questions by id; looking one up is cheap, listing them all is not."""
        return _AllQuestions(self)

    def get(self, question_id: str) -> Question | None:
        found = self.own.get(question_id)
        if found is None and self.with_catalog:
            found = self.library.questions.get(question_id) or self.catalog.generated(question_id)
        if found is not None:
            self._handed[question_id] = found
        return found

    def _from_catalog(self, question: Question, *, generated: bool) -> Question | None:
        """``question`` unless a given (or, for a generated one, a curated) one hides it."""
        if question.id in self.own or (generated and question.id in self.library.questions):
            return None
        return question

    def every_question(self) -> Iterator[Question]:
        """The whole bank, given questions first (O(catalog): for tools and tests)."""
        yield from self.own.values()
        if not self.with_catalog:
            return
        for question in self.library.questions.values():
            if self._from_catalog(question, generated=False):
                yield question
        for question in self.catalog.all_generated():
            if self._from_catalog(question, generated=True):
                yield question

    def can_choose(self, question_id: str) -> bool:
        """Whether the question has enough wrong choices for buttons mode."""
        known = self._choosable.get(question_id)
        if known is None:
            question = self.get(question_id)
            known = question is not None and len(self._wrong(question, None)) == DISTRACTORS
            self._choosable[question_id] = known
        return known

    def find_by_text(self, text: str) -> Question | None:
        """The question whose wording is ``text`` (markdown and case ignored): one this
        bank has handed out, else any (which lists the whole bank)."""
        key = normalize(text)
        for question in itertools.chain(self._handed.values(), self.every_question()):
            if normalize(question.question) == key:
                return question
        return None

    def categories(self) -> list[str]:
        found = {q.category for q in self.own.values()}
        if self.with_catalog:
            found |= self.catalog.categories()
        return sorted(found)

    # -- selection ----------------------------------------------------------------------------

    def matching(self, filters: Filters) -> list[Question]:
        """Questions a game with ``filters`` may ask: all of them, so O(pool); ``select``
        samples a large pool instead."""
        if filters.film is not None:
            pool: Iterable[Question] = self._film_pool(filters.film)
        elif filters.category is None:
            pool = self.every_question()
        else:
            parts = self._segments(filters.category)
            pool = (q for size, nth in parts for n in range(size) if (q := nth(n)) is not None)
        return [q for q in pool if self._allowed(q, filters)]

    def _film_pool(self, film_id: str) -> Iterator[Question]:
        yield from (q for q in self.own.values() if q.film == film_id)
        if not self.with_catalog:
            return
        for question_id in self.catalog.curated_by_film.get(film_id, ()):
            if self._from_catalog(curated := self.library.questions[question_id], generated=False):
                yield curated
        for question in self.catalog.for_film(film_id):
            if self._from_catalog(question, generated=True):
                yield question

    def _allowed(self, question: Question, filters: Filters) -> bool:
        category = filters.category.casefold() if filters.category else None
        return (
            (filters.film is None or question.film == filters.film)
            and (category is None or question.category.casefold() == category)
            and (filters.spoilers or not question.spoiler)
            and (not filters.buttons or self.can_choose(question.id))
        )

    def select(
        self, filters: Filters, count: int, recent: Sequence[str], rng: random.Random
    ) -> list[Question]:
        """Up to ``count`` different questions: unseen ones first, in random order, each
        about a different answer where possible; then the longest-ago asked ones."""
        picked = None
        if filters.film is None and self._pool_size(filters.category) > LIST_LIMIT:
            picked = self._sample(filters, count, recent, rng)
        if picked is None:
            picked = _pick(self.matching(filters), count, recent, rng)
        self._handed.update((q.id, q) for q in picked)
        return picked

    def _segments(self, category: str | None) -> list[tuple[int, Callable[[int], Question | None]]]:
        """The pool as (size, n-th question) parts; an entry hidden by another is None."""
        wanted = category.casefold() if category else None
        own = [q for q in self.own.values() if wanted in (None, q.category.casefold())]
        parts: list[tuple[int, Callable[[int], Question | None]]] = [(len(own), own.__getitem__)]
        if not self.with_catalog:
            return parts
        catalog, curated = self.catalog, self.library.questions
        ids = catalog.curated_ids if wanted is None else catalog.curated_by_category.get(wanted, [])
        parts.append((len(ids), lambda n: self._from_catalog(curated[ids[n]], generated=False)))
        for name in GENERATED_CATEGORIES:
            if wanted in (None, name):
                parts.append(
                    (
                        catalog.count(name),
                        lambda n, name=name: self._from_catalog(
                            catalog.nth(name, n), generated=True
                        ),
                    )
                )
        return parts

    def _pool_size(self, category: str | None) -> int:
        return sum(size for size, _ in self._segments(category))

    def _sample(
        self, filters: Filters, count: int, recent: Sequence[str], rng: random.Random
    ) -> list[Question] | None:
        """``_pick`` for a large pool, by uniform draws from it (a draw already made is
        skipped, so the order is a random permutation's); None if draws run out first."""
        parts = self._segments(filters.category)
        total = sum(size for size, _ in parts)
        avoid = set(recent)
        tried: set[str] = set()
        chosen: list[Question] = []
        spare: list[Question] = []
        keys: set[AnswerKey] = set()
        for _ in range(DRAWS_PER_QUESTION * count + 100):
            number, question = rng.randrange(total), None
            for size, nth in parts:
                if number < size:
                    question = nth(number)
                    break
                number -= size
            if question is None or question.id in tried:
                continue
            tried.add(question.id)
            if question.id in avoid or not self._allowed(question, filters):
                continue
            key = _answer_key(question)
            if key in keys:
                spare.append(question)
                continue
            chosen.append(question)
            keys.add(key)
            if len(chosen) == count:
                return chosen
        chosen += spare[: count - len(chosen)]
        return chosen if len(chosen) == count else None

    # -- multiple choice ------------------------------------------------------------------------

    def choices(self, question: Question, rng: random.Random) -> tuple[tuple[str, ...], int]:
        """Four shuffled choices and the index of the right one."""
        wrong = self._wrong(question, rng)
        if len(wrong) < DISTRACTORS:
            raise ValueError(f"question {question.id!r} has too few wrong choices")
        options = [question.answer, *wrong]
        rng.shuffle(options)
        return tuple(options), options.index(question.answer)

    def _wrong(self, question: Question, rng: random.Random | None) -> list[str]:
        """Up to three wrong choices, in random order within each tier (in order without
        ``rng``). Never another accepted answer, never the same choice twice."""
        prepared = prepare(question.answers, question.kind)
        keys = {compact(question.answer)}
        wrong: list[str] = []
        for tier in self._tiers(question):
            for candidate in _random_order(tier, rng):
                key = compact(candidate)
                if not key or key in keys or prepared.judge(candidate).matched:
                    continue
                keys.add(key)
                wrong.append(candidate)
                if len(wrong) == DISTRACTORS:
                    return wrong
        return wrong

    def _tiers(self, question: Question) -> list[Sequence[str]]:
        """Wrong choices in tiers, most plausible first: the question's own, then the
        same film's people, other actors, other films or the nearest numbers."""
        tiers: list[Sequence[str]] = [question.distractors]
        catalog = self.catalog
        if question.kind == "person":
            actor = question.answer in catalog.actor_set
            tiers += [
                self._film_people(question.film, actors=actor),
                catalog.actors if actor else catalog.crew,
                self._film_people(question.film),
                catalog.people,
            ]
        elif question.kind == "title":
            tiers.append(catalog.titles)
        elif question.kind == "number" and question.answer.isdecimal():
            near = [str(n) for n in near_numbers(int(question.answer))]
            tiers += [near[:4], near[4:]]
        return tiers

    def _film_people(self, film_id: str | None, *, actors: bool | None = None) -> list[str]:
        """People credited on the film: only actors, only crew, or (None) everyone."""
        if film_id is None:
            return []
        people = self.library.people
        return [
            people[c.person].name
            for c in self.library.credits_by_film.get(film_id, [])
            if c.person in people and (actors is None or (c.role == "actor") == actors)
        ]


def build_bank(stored: Iterable[Question], library: Library) -> QuestionBank:
    """``stored`` questions (a guild's own; curated ones may be among them) plus the
    library's curated and generated ones."""
    return QuestionBank(stored, library, catalog=True)
