"""Questions generated from the structured catalog, built one film at a time when needed.

A catalog of 100k films yields ~400k generated questions: too many to rebuild on every
``/trivia start``, and too many to hold (a ``Question`` is about a kilobyte). So the work
is split. ``CatalogQuestions`` walks the library once per library object (cached by
``catalog_questions``) and keeps only what selection needs: how many questions of each
category every film has, the curated questions by film and category, and the name
pools that wrong choices are drawn from. A film's questions are built when a game draws
one of them (a small LRU cache), and a generated id leads back to its film, so a saved
game resumes without the rest. One walk is O(films + credits); each draw is O(one film).

What a film is asked and how it is worded lives in ``specs``.
"""

from __future__ import annotations

import weakref
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator

from bot.library import Library
from bot.models import Question
from bot.search import gc_paused
from bot.trivia.specs import (
    CREW_QUESTIONS,
    GENERATED_CATEGORIES,
    OTHER_CHARACTERS,
    PERSON_AWARD_WORDS,
    QuestionMaker,
    Spec,
    film_of_year,
    spec_id,
)

__all__ = [
    "CREW_QUESTIONS",
    "GENERATED_CATEGORIES",
    "OTHER_CHARACTERS",
    "PERSON_AWARD_WORDS",
    "CatalogQuestions",
    "catalog_questions",
    "generate_questions",
]

#: Films whose question specs are kept, and built questions kept (a game asks at most 50).
FILM_CACHE = 256
QUESTION_CACHE = 1024
#: Generated-id prefixes that are followed by a film id, longest first.
_FILM_PREFIXES = (
    "gen-award-person-",
    "gen-award-film-",
    "gen-shoot-days-",
    "gen-runtime-",
    "gen-year-",
    "gen-cast-",
    "gen-role-",
    "gen-crew-",
)
_FILM_OF_YEAR = "gen-film-of-year-"


class CatalogQuestions(QuestionMaker):
    """What trivia needs from one library, gathered in one walk over it."""

    def __init__(self, library: Library) -> None:
        try:  # weak, so that the cache below does not keep a replaced library alive
            self._library: Callable[[], Library | None] = weakref.ref(library)
        except TypeError:
            self._library = lambda: library
        self.film_ids: list[str] = []
        #: Per category, where each film's questions start in the category's numbering.
        self.starts: dict[str, array[int]] = {c: array("i", [0]) for c in GENERATED_CATEGORIES}
        self.actors: list[str] = []  # distinct names, wrong choices for actors
        self.actor_set: frozenset[str] = frozenset()
        self.crew: list[str] = []  # distinct names of people never credited as actors
        self.people: list[str] = []
        self.titles: list[str] = []  # feature films
        #: Distinct actor characters: (first film, seen on more than one film).
        self.characters: dict[str, tuple[str, bool]] = {}
        self.curated_ids: list[str] = []
        self.curated_by_film: dict[str, list[str]] = {}
        self.curated_by_category: dict[str, list[str]] = {}
        self.curated_categories: set[str] = set()
        self.film_of_year: list[Question] = []
        self._specs: OrderedDict[str, list[Spec]] = OrderedDict()
        self._built: OrderedDict[str, Question] = OrderedDict()
        with gc_paused():  # an acyclic build; see gc_paused
            self._walk()

    @property
    def library(self) -> Library:
        library = self._library()
        if library is None:
            raise RuntimeError("the library of these trivia questions is gone")
        return library

    # -- the one walk ----------------------------------------------------------------------

    def _walk(self) -> None:
        """Count each film's questions by category and gather the name pools."""
        library = self.library
        people = library.people
        actors: dict[str, None] = {}
        crew: dict[str, None] = {}
        characters = self.characters
        # Film ids, not films: at 100k films the models would be 150 MB held at once.
        years: dict[int, list[str]] = {}
        series = [self.starts[c] for c in GENERATED_CATEGORIES]
        totals = dict.fromkeys(GENERATED_CATEGORIES, 0)
        for film in library.films.values():
            self.film_ids.append(film.id)
            years.setdefault(film.year, []).append(film.id)
            if film.kind == "feature":
                self.titles.append(film.title)
            credits = []
            for credit in library.credits_by_film.get(film.id, ()):
                person = people.get(credit.person)
                if person is None:
                    continue
                credits.append(credit)
                if credit.role != "actor":
                    crew[person.name] = None
                    continue
                actors[person.name] = None
                if credit.character:
                    seen = characters.get(credit.character)
                    many = seen is not None and (seen[1] or seen[0] != film.id)
                    characters[credit.character] = (seen[0] if seen else film.id, many)
            for spec in self._film_specs(film, credits):
                totals[spec[0]] += 1
            for numbers, total in zip(series, totals.values()):  # noqa: B905 (same length)
                numbers.append(total)
        self.actors = list(actors)
        self.actor_set = frozenset(actors)
        self.crew = [name for name in crew if name not in actors]
        self.people = [p.name for p in people.values()]
        for year, ids in sorted(years.items()):
            only = library.films.get(ids[0]) if len(ids) == 1 else None
            if only is not None and only.kind == "feature":
                self.film_of_year.append(film_of_year(year, only))
        self._index_curated()

    def _index_curated(self) -> None:
        """Curated question ids by film and by category, so a filtered game lists only
        its part and a sampled one draws by position."""
        for question in self.library.questions.values():
            self.curated_ids.append(question.id)
            if question.film:
                self.curated_by_film.setdefault(question.film, []).append(question.id)
            self.curated_categories.add(question.category)
            key = question.category.casefold()
            self.curated_by_category.setdefault(key, []).append(question.id)

    # -- building one film's questions --------------------------------------------------------

    def film_specs(self, film_id: str) -> list[Spec]:
        """A film's question specs (kept for recently used films)."""
        found = self._specs.get(film_id)
        if found is not None:
            self._specs.move_to_end(film_id)
            return found
        film = self.library.films.get(film_id)
        found = [] if film is None else self._film_specs(film, self._credits(film_id))
        self._specs[film_id] = found
        if len(self._specs) > FILM_CACHE:
            self._specs.popitem(last=False)
        return found

    def question(self, film_id: str, spec: Spec) -> Question:
        """The question ``spec`` describes (kept for recently built ones)."""
        film = self.library.films[film_id]
        question_id = spec_id(film, spec)
        found = self._built.get(question_id)
        if found is None or found.film != film_id:
            found = self._build(film, spec)
            self._built[question_id] = found
            if len(self._built) > QUESTION_CACHE:
                self._built.popitem(last=False)
        else:
            self._built.move_to_end(question_id)
        return found

    # -- finding and counting ------------------------------------------------------------------

    def count(self, category: str) -> int:
        """How many generated questions of ``category`` (film-of-year ones included)."""
        extra = len(self.film_of_year) if category == "release" else 0
        return self.starts[category][-1] + extra

    def nth(self, category: str, number: int) -> Question:
        """The ``number``-th generated question of ``category`` (0 <= number < count)."""
        series = self.starts[category]
        if number >= series[-1]:
            return self.film_of_year[number - series[-1]]
        film = bisect_right(series, number) - 1
        film_id = self.film_ids[film]
        specs = [s for s in self.film_specs(film_id) if s[0] == category]
        return self.question(film_id, specs[number - series[film]])

    def generated(self, question_id: str) -> Question | None:
        """The generated question with this id; its film is read off the id."""
        if question_id.startswith(_FILM_OF_YEAR):
            return next((q for q in self.film_of_year if q.id == question_id), None)
        prefix = next((p for p in _FILM_PREFIXES if question_id.startswith(p)), None)
        if prefix is None:
            return None
        rest = question_id[len(prefix) :]
        cuts = [i for i, char in enumerate(rest) if char == "-"] + [len(rest)]
        for film_id in (rest[:cut] for cut in cuts):
            film = self.library.films.get(film_id)
            for spec in self.film_specs(film_id) if film is not None else ():
                if spec_id(film, spec) == question_id:
                    return self.question(film_id, spec)
        return None

    def for_film(self, film_id: str) -> list[Question]:
        """Every generated question about one film."""
        built = [self.question(film_id, spec) for spec in self.film_specs(film_id)]
        return built + [q for q in self.film_of_year if q.film == film_id]

    def all_generated(self) -> Iterator[Question]:
        """Every generated question, film by film (O(catalog): for tools and tests)."""
        seen: set[str] = set()
        for film_id in self.film_ids:
            film = self.library.films[film_id]
            for spec in self._film_specs(film, self._credits(film_id)):
                question = self._build(film, spec)
                if question.id not in seen:
                    seen.add(question.id)
                    yield question
        yield from self.film_of_year

    def categories(self) -> set[str]:
        return self.curated_categories | {c for c in GENERATED_CATEGORIES if self.count(c)}


_built: dict[int, tuple[Callable[[], Library | None], CatalogQuestions]] = {}


def catalog_questions(library: Library) -> CatalogQuestions:
    """The ``CatalogQuestions`` of ``library``, built on first use and kept while it lives."""
    key = id(library)
    hit = _built.get(key)
    if hit is not None and hit[0]() is library:
        return hit[1]
    built = CatalogQuestions(library)
    try:
        ref: Callable[[], Library | None] = weakref.ref(library, lambda _: _built.pop(key, None))
    except TypeError:  # no weak references: keep only the latest library
        _built.clear()
        ref = built._library
    _built[key] = (ref, built)
    return built


def generate_questions(library: Library) -> list[Question]:
    """Questions built from the structured catalog, each citing its record's sources."""
    return list(catalog_questions(library).all_generated())
