"""Questions generated from the structured catalog, built one film at a time when needed.

A catalog of 100k films yields ~400k generated questions: too many to rebuild on every
``/trivia start``, and too many to hold (a ``Question`` is about a kilobyte). So the work
is split. ``CatalogQuestions`` walks the library once per library object (cached by
``catalog_questions``) and keeps only what selection needs: how many questions of each
category every film has, the curated questions by film and category, and the name
pools that wrong choices are drawn from. A film's questions are built when a game draws
one of them (a small LRU cache), and a generated id leads back to its film, so a saved
game resumes without the rest. One walk is O(films + credits); each draw is O(one film).

Every generated question cites the sources of the record it comes from, and is built
by exactly one function (``_build``) from a spec that ``_film_specs`` lists; counting
and building share those specs, so the counts always match what is built.
"""

from __future__ import annotations

import random
import re
import weakref
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from bot.library import DIRECTOR_ID, Library
from bot.models import Award, Credit, Film, Question
from bot.search import gc_paused
from bot.text import normalize

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
#: Characters from other films offered as wrong choices for a "which character" question;
#: a catalog with fewer distinct characters offers all of them.
OTHER_CHARACTERS = 60
#: Films whose question specs are kept, and built questions kept (a game asks at most 50).
FILM_CACHE = 256
QUESTION_CACHE = 1024
_SHOOT_DAYS = re.compile(r"\b(\d{1,3}) (?:shoot|shooting) days\b", re.IGNORECASE)
_NICKNAME = re.compile(r'^(?P<name>[^"]+?)\s*"(?P<nick>[^"]+)"\s*$')
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

#: (category, what, the record it is about); see ``_film_specs``.
Spec = tuple[str, str, Any]


def slug(*parts: str) -> str:
    text = "-".join(parts).lower()
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]+", "-", text)).strip("-")


def _title(film: Film) -> str:
    return f"*{film.title}*"


def _film_answers(film: Film) -> tuple[str, ...]:
    return (film.title, *film.aliases)


def _character_answers(character: str) -> tuple[str, ...]:
    """'Anora "Ani"' is also accepted as "Anora" or "Ani"."""
    found = _NICKNAME.match(character)
    if not found:
        return (character,)
    return (character, found["name"].strip(), found["nick"].strip())


def award_name(award: Award) -> str:
    category = award.category if award.category.startswith("Best") else f"the {award.category}"
    edition = f"the {award.edition} " if award.edition else "the "
    festival = award.festival
    if award.edition and award.edition.isdigit():
        edition, festival = "the ", f"{award.edition} {award.festival}"
    return f"{category} at {edition}{festival}"


def _award_key(award: Award) -> str:
    return slug(award.festival, award.edition or "", award.category)


class CatalogQuestions:
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
        library = self.library
        people = library.people
        actors: dict[str, None] = {}
        crew: dict[str, None] = {}
        characters = self.characters
        years: dict[int, list[Film]] = {}
        series = [self.starts[c] for c in GENERATED_CATEGORIES]
        totals = dict.fromkeys(GENERATED_CATEGORIES, 0)
        for film in library.films.values():
            self.film_ids.append(film.id)
            years.setdefault(film.year, []).append(film)
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
        for year, films in sorted(years.items()):
            if len(films) == 1 and films[0].kind == "feature":
                self.film_of_year.append(_film_of_year(year, films[0]))
        for question in library.questions.values():
            self.curated_ids.append(question.id)
            if question.film:
                self.curated_by_film.setdefault(question.film, []).append(question.id)
            self.curated_categories.add(question.category)
            key = question.category.casefold()
            self.curated_by_category.setdefault(key, []).append(question.id)

    def _credits(self, film_id: str) -> list[Credit]:
        people = self.library.people
        return [c for c in self.library.credits_by_film.get(film_id, ()) if c.person in people]

    def _film_specs(self, film: Film, credits: list[Credit]) -> list[Spec]:
        """The questions ``film`` gets, in order, one spec per question id; ``credits``
        are the film's credits of known people."""
        specs: list[Spec] = [("release", "year", None)]
        if credits:
            cast: set[str] = set()
            holders: dict[str, list[Credit]] = {}
            for credit in credits:
                if credit.role == "actor":
                    if credit.character and credit.person not in cast:
                        cast.add(credit.person)
                        specs += [("cast", "cast", credit), ("cast", "role", credit)]
                elif credit.role in CREW_QUESTIONS:
                    holders.setdefault(credit.role, []).append(credit)
            for role in CREW_QUESTIONS:
                if len(only := holders.get(role, ())) == 1:
                    specs.append(("crew", role, only[0]))
        if film.awards:
            specs += self._award_specs(film, credits)
        days = _SHOOT_DAYS.search(film.shoot) if film.shoot else None
        if days:
            specs.append(("production", "shoot-days", days[1]))
        if film.runtime_minutes:
            specs.append(("production", "runtime", None))
        return specs

    def _award_specs(self, film: Film, credits: list[Credit]) -> list[Spec]:
        specs: list[Spec] = []
        keys: set[tuple[str, str]] = set()
        for award in film.awards:
            key = _award_key(award)
            craft = any(word in award.category.casefold() for word in PERSON_AWARD_WORDS)
            if award.result == "won" and not craft and ("film", key) not in keys:
                keys.add(("film", key))
                specs.append(("awards", "award-film", award))
            nominee = self._nominee(credits, award.nominee)
            if nominee is not None and ("person", key) not in keys:
                keys.add(("person", key))
                specs.append(("awards", "award-person", (award, nominee)))
        return specs

    def _nominee(self, credits: list[Credit], name: str | None) -> str | None:
        """The person an award names: someone credited on the film, else the person whose
        id is the name's slug (a lookup, not a scan of everyone)."""
        if not name:
            return None
        key = normalize(name)
        people = self.library.people
        for credit in credits:
            if normalize(people[credit.person].name) == key:
                return credit.person
        person = people.get(slug(name))
        return person.id if person is not None and normalize(person.name) == key else None

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
        question_id = _spec_id(film, spec)
        found = self._built.get(question_id)
        if found is None or found.film != film_id:
            found = self._build(film, spec)
            self._built[question_id] = found
            if len(self._built) > QUESTION_CACHE:
                self._built.popitem(last=False)
        else:
            self._built.move_to_end(question_id)
        return found

    def _build(self, film: Film, spec: Spec) -> Question:
        category, what, about = spec
        common: dict[str, Any] = {"id": _spec_id(film, spec), "film": film.id, "category": category}
        if what == "year":
            verb = "first air" if film.kind == "tv" else "come out"
            return Question(
                question=f"In what year did {_title(film)} {verb}?",
                answers=(str(film.year),),
                kind="number",
                difficulty="medium",
                sources=film.sources,
                **common,
            )
        if what in ("cast", "role"):
            return self._cast(film, about, what, common)
        if what in CREW_QUESTIONS:
            return Question(
                question=CREW_QUESTIONS[what].format(film=_title(film)),
                answers=self._person_answers(about.person),
                kind="person",
                difficulty="hard" if about.person != DIRECTOR_ID else "medium",
                sources=about.sources,
                **common,
            )
        if what in ("award-film", "award-person"):
            return self._award(film, about, what, common)
        if what == "shoot-days":
            return Question(
                question=f"How many shoot days did {_title(film)} take?",
                answers=(about,),
                kind="number",
                difficulty="hard",
                sources=film.sources,
                **common,
            )
        return Question(
            question=f"How long is {_title(film)}, in minutes?",
            answers=(str(film.runtime_minutes),),
            kind="number",
            difficulty="hard",
            sources=film.sources,
            **common,
        )

    def _cast(self, film: Film, credit: Credit, what: str, common: dict[str, Any]) -> Question:
        if what == "cast":
            return Question(
                question=f"Who played {credit.character} in {_title(film)}?",
                answers=self._person_answers(credit.person),
                kind="person",
                difficulty="medium",
                sources=credit.sources,
                **common,
            )
        name = self.library.people[credit.person].name
        return Question(
            question=f"Which character did {name} play in {_title(film)}?",
            answers=_character_answers(credit.character or ""),
            kind="other",
            difficulty="medium",
            distractors=self._other_characters(film.id, credit, common["id"]),
            sources=credit.sources,
            **common,
        )

    def _award(self, film: Film, about: Any, what: str, common: dict[str, Any]) -> Question:
        award, person = (about, None) if what == "award-film" else about
        name = award_name(award)
        if person is None:
            return Question(
                question=f"Which Sean Baker film won {name}?",
                answers=_film_answers(film),
                kind="title",
                difficulty="easy",
                sources=award.sources,
                **common,
            )
        verb = "won" if award.result == "won" else "was nominated for"
        return Question(
            question=f"Who {verb} {name} for {_title(film)}?",
            answers=self._person_answers(person),
            kind="person",
            difficulty="medium",
            sources=award.sources,
            **common,
        )

    def _person_answers(self, person_id: str) -> tuple[str, ...]:
        person = self.library.people[person_id]
        return (person.name, *person.aliases)

    def _other_characters(self, film_id: str, credit: Credit, seed: str) -> tuple[str, ...]:
        """Characters from the same film first, then from other films: all of them in a
        small catalog, a fixed sample (seeded by the question id) in a large one."""
        same = [
            c.character
            for c in self.library.credits_by_film.get(film_id, ())
            if c.character and c.role == "actor" and c.person != credit.person
        ]
        names = list(self.characters)
        if len(names) > OTHER_CHARACTERS:
            names = random.Random(seed).sample(names, OTHER_CHARACTERS)
        other = [n for n in names if self.characters[n][1] or self.characters[n][0] != film_id]
        return tuple(dict.fromkeys(same + other))

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
                if _spec_id(film, spec) == question_id:
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


def _spec_id(film: Film, spec: Spec) -> str:
    _category, what, about = spec
    if what in ("cast", "role"):
        return slug(f"gen-{what}", film.id, about.person)
    if what in CREW_QUESTIONS:
        return slug("gen-crew", film.id, what)
    if what in ("award-film", "award-person"):
        award = about if what == "award-film" else about[0]
        return slug(f"gen-{what}", film.id, _award_key(award))
    return slug(f"gen-{what}", film.id)  # year, shoot-days, runtime


def _film_of_year(year: int, film: Film) -> Question:
    return Question(
        id=slug("gen-film-of-year", str(year)),
        question=f"Which Sean Baker feature film came out in {year}?",
        answers=_film_answers(film),
        kind="title",
        film=film.id,
        category="release",
        difficulty="hard",
        sources=film.sources,
    )


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
