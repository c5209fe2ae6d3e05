"""How generated trivia questions are made: what a film gets asked, and the wording.

``QuestionMaker._film_specs`` lists a film's questions as light specs (category, what,
the record it is about) without building them, cheap enough to count every film's once;
``_build`` turns one spec into a ``Question`` citing its record's sources. Counting
(``generate.CatalogQuestions``) and building share the specs, so the counts always match
what gets built.
"""

from __future__ import annotations

import random
import re
from typing import Any

from bot.library import DIRECTOR_ID, Library
from bot.models import Award, Credit, Film, Question
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
_SHOOT_DAYS = re.compile(r"\b(\d{1,3}) (?:shoot|shooting) days\b", re.IGNORECASE)
_NICKNAME = re.compile(r'^(?P<name>[^"]+?)\s*"(?P<nick>[^"]+)"\s*$')

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


class QuestionMaker:
    """Lists and builds one film's questions; subclasses provide the library and the
    distinct characters (see ``generate.CatalogQuestions``)."""

    characters: dict[str, tuple[str, bool]]

    @property
    def library(self) -> Library:
        raise NotImplementedError

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

    def _build(self, film: Film, spec: Spec) -> Question:
        category, what, about = spec
        common: dict[str, Any] = {"id": spec_id(film, spec), "film": film.id, "category": category}
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


def spec_id(film: Film, spec: Spec) -> str:
    _category, what, about = spec
    if what in ("cast", "role"):
        return slug(f"gen-{what}", film.id, about.person)
    if what in CREW_QUESTIONS:
        return slug("gen-crew", film.id, what)
    if what in ("award-film", "award-person"):
        award = about if what == "award-film" else about[0]
        return slug(f"gen-{what}", film.id, _award_key(award))
    return slug(f"gen-{what}", film.id)  # year, shoot-days, runtime


def film_of_year(year: int, film: Film) -> Question:
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
