"""The question bank: hand-written questions plus questions generated from the catalog.

Hand-written questions (curated ones and a guild's own) come from the store; generated
ones are built from the structured records (credits, years, awards, shoot days) so every
film and every credited person can come up. Buttons mode needs three wrong choices of
the same kind as the answer: the question's own distractors first, then other people,
other films or numbers near the answer. Selection never repeats a question within a
game, prefers questions the channel has not seen lately, and keeps spoilers out unless
the game opted in.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from bot.library import DIRECTOR_ID, Library
from bot.matching import prepare
from bot.models import Award, Credit, Film, Question
from bot.text import compact, normalize
from bot.trivia.engine import CHOICE_COUNT

#: Questions remembered per channel, so a new game avoids them.
RECENT_LIMIT = 200
DISTRACTORS = CHOICE_COUNT - 1
#: Categories of generated questions (hand-written ones bring their own).
GENERATED_CATEGORIES = ("cast", "crew", "awards", "release", "production")
#: Crew roles asked about when exactly one person holds them on a film.
CREW_QUESTIONS = {
    "co-director": "Who co-directed {film} with Sean Baker?",
    "cinematographer": "Who was the cinematographer of {film}?",
    "editor": "Who edited {film}?",
    "production-designer": "Who was the production designer of {film}?",
    "composer": "Who composed the music for {film}?",
}
#: Award categories that honour a person's craft: asked as "who won", never "which film".
PERSON_AWARD_WORDS = ("actor", "actress", "director", "screenplay", "editing", "score")
_SHOOT_DAYS = re.compile(r"\b(\d{1,3}) (?:shoot|shooting) days\b", re.IGNORECASE)
_NICKNAME = re.compile(r'^(?P<name>[^"]+?)\s*"(?P<nick>[^"]+)"\s*$')


@dataclass(frozen=True)
class Filters:
    """What a game asked for; ``buttons`` keeps only questions with enough choices."""

    film: str | None = None
    category: str | None = None
    spoilers: bool = False
    buttons: bool = False


def _title(film: Film) -> str:
    return f"*{film.title}*"


def _slug(*parts: str) -> str:
    text = "-".join(parts).lower()
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]+", "-", text)).strip("-")


def _person_answers(library: Library, person_id: str) -> tuple[str, ...]:
    person = library.people[person_id]
    return (person.name, *person.aliases)


def _film_answers(film: Film) -> tuple[str, ...]:
    return (film.title, *film.aliases)


def _character_answers(character: str) -> tuple[str, ...]:
    """'Anora "Ani"' is also accepted as "Anora" or "Ani"."""
    found = _NICKNAME.match(character)
    if not found:
        return (character,)
    return (character, found["name"].strip(), found["nick"].strip())


def _year_questions(library: Library) -> Iterator[Question]:
    by_year: dict[int, list[Film]] = {}
    for film in library.films.values():
        by_year.setdefault(film.year, []).append(film)
        verb = "first air" if film.kind == "tv" else "come out"
        yield Question(
            id=_slug("gen-year", film.id),
            question=f"In what year did {_title(film)} {verb}?",
            answers=(str(film.year),),
            kind="number",
            film=film.id,
            category="release",
            difficulty="medium",
            sources=film.sources,
        )
    for year, films in sorted(by_year.items()):
        features = [f for f in films if f.kind == "feature"]
        if len(films) == 1 and features:
            yield Question(
                id=_slug("gen-film-of-year", str(year)),
                question=f"Which Sean Baker feature film came out in {year}?",
                answers=_film_answers(features[0]),
                kind="title",
                film=features[0].id,
                category="release",
                difficulty="hard",
                sources=features[0].sources,
            )


def _cast_questions(library: Library) -> Iterator[Question]:
    for credit in library.catalog.credits:
        if credit.role != "actor" or not credit.character or credit.film not in library.films:
            continue
        if credit.person not in library.people:
            continue
        film = library.films[credit.film]
        name = library.people[credit.person].name
        yield Question(
            id=_slug("gen-cast", film.id, credit.person),
            question=f"Who played {credit.character} in {_title(film)}?",
            answers=_person_answers(library, credit.person),
            kind="person",
            film=film.id,
            category="cast",
            difficulty="medium",
            sources=credit.sources,
        )
        yield Question(
            id=_slug("gen-role", film.id, credit.person),
            question=f"Which character did {name} play in {_title(film)}?",
            answers=_character_answers(credit.character),
            kind="other",
            film=film.id,
            category="cast",
            difficulty="medium",
            distractors=_other_characters(library, credit),
            sources=credit.sources,
        )


def _other_characters(library: Library, credit: Credit) -> tuple[str, ...]:
    """Characters from the same film first, then from the others."""
    same = [
        c.character
        for c in library.credits_by_film.get(credit.film, [])
        if c.character and c.role == "actor" and c.person != credit.person
    ]
    other = [
        c.character
        for c in library.catalog.credits
        if c.character and c.role == "actor" and c.film != credit.film
    ]
    return tuple(dict.fromkeys(same + other))


def _crew_questions(library: Library) -> Iterator[Question]:
    for film_id, credits in library.credits_by_film.items():
        film = library.films.get(film_id)
        if film is None:
            continue
        for role, template in CREW_QUESTIONS.items():
            holders = [c for c in credits if c.role == role and c.person in library.people]
            if len(holders) != 1:
                continue
            yield Question(
                id=_slug("gen-crew", film.id, role),
                question=template.format(film=_title(film)),
                answers=_person_answers(library, holders[0].person),
                kind="person",
                film=film.id,
                category="crew",
                difficulty="hard" if holders[0].person != DIRECTOR_ID else "medium",
                sources=holders[0].sources,
            )


def _award_name(award: Award) -> str:
    category = award.category if award.category.startswith("Best") else f"the {award.category}"
    edition = f"the {award.edition} " if award.edition else "the "
    festival = award.festival
    if award.edition and award.edition.isdigit():
        edition, festival = "the ", f"{award.edition} {award.festival}"
    return f"{category} at {edition}{festival}"


def _award_questions(library: Library) -> Iterator[Question]:
    people = {normalize(p.name): p.id for p in library.people.values()}
    for film in library.films.values():
        for award in film.awards:
            name = _award_name(award)
            key = _slug(award.festival, award.edition or "", award.category)
            craft = any(word in award.category.casefold() for word in PERSON_AWARD_WORDS)
            if award.result == "won" and not craft:
                yield Question(
                    id=_slug("gen-award-film", film.id, key),
                    question=f"Which Sean Baker film won {name}?",
                    answers=_film_answers(film),
                    kind="title",
                    film=film.id,
                    category="awards",
                    difficulty="easy",
                    sources=award.sources,
                )
            person = people.get(normalize(award.nominee or ""))
            if person is None:
                continue
            verb = "won" if award.result == "won" else "was nominated for"
            yield Question(
                id=_slug("gen-award-person", film.id, key),
                question=f"Who {verb} {name} for {_title(film)}?",
                answers=_person_answers(library, person),
                kind="person",
                film=film.id,
                category="awards",
                difficulty="medium",
                sources=award.sources,
            )


def _production_questions(library: Library) -> Iterator[Question]:
    for film in library.films.values():
        days = _SHOOT_DAYS.search(film.shoot or "")
        if days:
            yield Question(
                id=_slug("gen-shoot-days", film.id),
                question=f"How many shoot days did {_title(film)} take?",
                answers=(days[1],),
                kind="number",
                film=film.id,
                category="production",
                difficulty="hard",
                sources=film.sources,
            )
        if film.runtime_minutes:
            yield Question(
                id=_slug("gen-runtime", film.id),
                question=f"How long is {_title(film)}, in minutes?",
                answers=(str(film.runtime_minutes),),
                kind="number",
                film=film.id,
                category="production",
                difficulty="hard",
                sources=film.sources,
            )


def generate_questions(library: Library) -> list[Question]:
    """Questions built from the structured catalog, each citing its record's sources."""
    found: dict[str, Question] = {}
    for maker in (
        _year_questions,
        _cast_questions,
        _crew_questions,
        _award_questions,
        _production_questions,
    ):
        for question in maker(library):
            found.setdefault(question.id, question)
    return list(found.values())


def near_numbers(value: int) -> list[int]:
    """Plausible wrong numbers: nearby years, nearby counts, never negative."""
    step = 1 if value < 20 or 1900 <= value <= 2100 else max(1, round(value / 10))
    offsets = (1, -1, 2, -2, 3, -3, 4, -4)
    return [value + o * step for o in offsets if value + o * step >= 0]


class QuestionBank:
    """Every question one guild can be asked, with choices for buttons mode."""

    def __init__(self, questions: Iterable[Question], library: Library) -> None:
        self.library = library
        self.questions: dict[str, Question] = {}
        for question in questions:
            self.questions.setdefault(question.id, question)
        self._by_text = {normalize(q.question): q for q in self.questions.values()}
        films = sorted(library.films.values(), key=lambda f: (f.year, f.title))
        self._titles = [f.title for f in films if f.kind == "feature"]
        self._actors = list(
            dict.fromkeys(
                library.people[c.person].name
                for c in library.catalog.credits
                if c.role == "actor" and c.person in library.people
            )
        )
        self._actor_set = frozenset(self._actors)
        self._people = [p.name for p in library.people.values()]
        self._crew = [
            library.people[c.person].name
            for c in library.catalog.credits
            if c.role != "actor" and c.person in library.people
        ]
        self._crew = [name for name in dict.fromkeys(self._crew) if name not in self._actor_set]
        self._choosable_ids: frozenset[str] | None = None

    def get(self, question_id: str) -> Question | None:
        return self.questions.get(question_id)

    @property
    def _choosable(self) -> frozenset[str]:
        """Ids with enough wrong choices for buttons mode (worked out on first use)."""
        if self._choosable_ids is None:
            self._choosable_ids = frozenset(
                q.id for q in self.questions.values() if len(self._candidates(q)) >= DISTRACTORS
            )
        return self._choosable_ids

    def can_choose(self, question_id: str) -> bool:
        """Whether the question has enough wrong choices for buttons mode."""
        return question_id in self._choosable

    def find_by_text(self, text: str) -> Question | None:
        """The question whose wording is ``text`` (markdown and case ignored)."""
        return self._by_text.get(normalize(text))

    def categories(self) -> list[str]:
        return sorted({q.category for q in self.questions.values()})

    def matching(self, filters: Filters) -> list[Question]:
        """Questions a game with ``filters`` may ask."""
        category = filters.category.casefold() if filters.category else None
        return [
            q
            for q in self.questions.values()
            if (filters.film is None or q.film == filters.film)
            and (category is None or q.category.casefold() == category)
            and (filters.spoilers or not q.spoiler)
            and (not filters.buttons or q.id in self._choosable)
        ]

    def select(
        self, filters: Filters, count: int, recent: Sequence[str], rng: random.Random
    ) -> list[Question]:
        """Up to ``count`` different questions: unseen ones first, in random order, each
        about a different answer where possible; then the longest-ago asked ones."""
        pool = self.matching(filters)
        rank = {qid: i for i, qid in enumerate(recent)}  # 0 = asked most recently
        fresh = [q for q in pool if q.id not in rank]
        rng.shuffle(fresh)
        stale = sorted((q for q in pool if q.id in rank), key=lambda q: -rank[q.id])
        chosen: list[Question] = []
        seen: set[tuple[str | None, str, str]] = set()
        for group in (fresh, stale):
            for distinct_only in (True, False):
                for question in group:
                    if len(chosen) >= count:
                        return chosen
                    key = (question.film, question.kind, compact(question.answer))
                    if question in chosen or (distinct_only and key in seen):
                        continue
                    chosen.append(question)
                    seen.add(key)
        return chosen

    def choices(self, question: Question, rng: random.Random) -> tuple[tuple[str, ...], int]:
        """Four shuffled choices and the index of the right one."""
        wrong: list[str] = []
        for tier in self._tiers(question):
            tier = list(tier)
            rng.shuffle(tier)
            wrong += tier[: DISTRACTORS - len(wrong)]
        if len(wrong) < DISTRACTORS:
            raise ValueError(f"question {question.id!r} has too few wrong choices")
        options = [question.answer, *wrong]
        rng.shuffle(options)
        return tuple(options), options.index(question.answer)

    def _candidates(self, question: Question) -> list[str]:
        return [c for tier in self._tiers(question) for c in tier]

    def _tiers(self, question: Question) -> list[list[str]]:
        """Wrong choices in tiers, most plausible first: the question's own, then the
        same film's people, other actors, other films or the nearest numbers. Never
        another accepted answer, never the same choice twice."""
        tiers: list[list[str]] = [list(question.distractors)]
        if question.kind == "person":
            actor = question.answer in self._actor_set
            tiers += [
                self._film_people(question.film, actors=actor),
                self._actors if actor else self._crew,
                self._film_people(question.film),
                self._people,
            ]
        elif question.kind == "title":
            tiers.append(self._titles)
        elif question.kind == "number" and question.answer.isdecimal():
            near = [str(n) for n in near_numbers(int(question.answer))]
            tiers += [near[:4], near[4:]]
        prepared = prepare(question.answers, question.kind)
        keys = {compact(question.answer)}
        out: list[list[str]] = []
        for tier in tiers:
            kept: list[str] = []
            for candidate in tier:
                key = compact(candidate)
                if not key or key in keys or prepared.judge(candidate).matched:
                    continue
                keys.add(key)
                kept.append(candidate)
            out.append(kept)
        return out

    def _film_people(self, film_id: str | None, *, actors: bool | None = None) -> list[str]:
        """People credited on the film: only actors, only crew, or (None) everyone."""
        if film_id is None:
            return []
        return [
            self.library.people[c.person].name
            for c in self.library.credits_by_film.get(film_id, [])
            if c.person in self.library.people and (actors is None or (c.role == "actor") == actors)
        ]


def build_bank(stored: Iterable[Question], library: Library) -> QuestionBank:
    """Stored questions (curated and the guild's own) plus the generated ones."""
    return QuestionBank([*stored, *generate_questions(library)], library)
