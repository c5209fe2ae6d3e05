"""The question bank over a large catalog: lazy generation, sampling and lookups by id."""

from __future__ import annotations

import dataclasses
import itertools
import random

import pytest

from bot.catalog import load_catalog
from bot.library import Library
from bot.matching import answer_matches
from bot.models import Credit, Film, Person, Question
from bot.text import compact
from bot.trivia.generate import OTHER_CHARACTERS, CatalogQuestions, catalog_questions
from bot.trivia.questions import LIST_LIMIT, Filters, QuestionBank, build_bank

FIRST = [
    "Ana",
    "Bree",
    "Chen",
    "Dana",
    "Elif",
    "Farah",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kenji",
    "Lena",
    "Milan",
    "Nadia",
    "Omar",
]
LAST = [
    "Abbott",
    "Becker",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Jansen",
    "Kowalczyk",
    "Larsen",
]
WORDS = [
    "Motel",
    "Harbor",
    "Garden",
    "River",
    "Diner",
    "Kingdom",
    "Parade",
    "Circus",
    "Sparrow",
    "Lantern",
    "Orchard",
]


@pytest.fixture(scope="module")
def big() -> Library:
    """The bundled catalog plus 1,200 films, 160 people and two credits a film: enough
    generated questions to be sampled, and more distinct characters than are offered."""
    base = load_catalog()
    source = (base.sources[0].id,)
    rng = random.Random(5)
    names = [f"{a} {b}" for a, b in itertools.product(FIRST, LAST)][:160]
    people = [Person(id=f"p{i}", name=n, sources=source) for i, n in enumerate(names)]
    titles = [f"{a} {b} {c}" for a, b, c in itertools.product(WORDS, WORDS, WORDS)]
    films = [
        Film(
            id=f"f{i}",
            title=title,
            year=1990 + i % 35,
            synopsis="A story.",
            runtime_minutes=70 + i % 80,
            sources=source,
        )
        for i, title in enumerate(titles[:1200])
    ]
    credits = [
        Credit(
            film=film.id,
            person=person.id,
            role="actor",
            character=f"{rng.choice(FIRST)} {rng.choice(WORDS)}",
            sources=source,
        )
        for film in films
        for person in rng.sample(people, 2)
    ]
    catalog = dataclasses.replace(
        base,
        films=(*base.films, *films),
        people=(*base.people, *people),
        credits=(*base.credits, *credits),
    )
    return Library.from_catalog(catalog)


@pytest.fixture(scope="module")
def small() -> Library:
    return Library.from_catalog(load_catalog())


def test_built_once_per_library(big, small):
    """Every bank of a library shares one index; another library gets its own."""
    assert catalog_questions(big) is catalog_questions(big)
    assert QuestionBank([], big, catalog=True).catalog is build_bank([], big).catalog
    assert catalog_questions(small) is not catalog_questions(big)


@pytest.mark.parametrize("which", ["small", "big"])
def test_counts_and_ids_match_the_full_listing(which, request):
    """Each category's count, each n-th question and each id lookup agree with the list
    of every generated question."""
    library = request.getfixturevalue(which)
    catalog = catalog_questions(library)
    listed = {q.id: q for q in catalog.all_generated()}
    drawn = {}
    for category in catalog.starts:
        questions = [catalog.nth(category, n) for n in range(catalog.count(category))]
        assert all(q.category == category for q in questions)
        drawn.update((q.id, q) for q in questions)
    assert drawn == listed
    fresh = CatalogQuestions(library)  # as after a restart: nothing cached
    ordered = sorted(listed.values(), key=lambda q: q.id)
    for question in random.Random(1).sample(ordered, min(150, len(ordered))):
        assert fresh.generated(question.id) == question
    assert fresh.generated("gen-year-no-such-film") is None


def test_generated_questions_stay_correct(big):
    """Sampled questions answer what they ask, from the credits and films they cite."""
    bank = build_bank([], big)
    assert bank._pool_size(None) > LIST_LIMIT  # the sampled path
    picked = [q for seed in range(8) for q in bank.select(Filters(), 50, [], random.Random(seed))]
    assert any(q.id.startswith("gen-role-") for q in picked)
    for question in picked:
        film = big.films.get(question.film or "")
        credits = big.credits_by_film.get(question.film or "", [])
        if question.id.startswith("gen-year-"):
            assert question.answers == (str(film.year),)
        elif question.id.startswith("gen-runtime-"):
            assert question.answers == (str(film.runtime_minutes),)
        elif question.id.startswith("gen-cast-"):
            person = question.id.removeprefix(f"gen-cast-{question.film}-")
            played = [c.character for c in credits if c.person == person and c.role == "actor"]
            assert f"Who played {played[0]} in" in question.question
            assert question.answer == big.people[person].name
        elif question.id.startswith("gen-role-"):
            name = question.question.removeprefix("Which character did ").split(" play in ")[0]
            [credit] = [c for c in credits if big.people[c.person].name == name]
            assert question.answer == credit.character
            choices, right = bank.choices(question, random.Random(2))
            wrong = [c for i, c in enumerate(choices) if i != right]
            assert not any(answer_matches(c, question.answers, "other") for c in wrong)
            assert len(question.distractors) <= len(credits) + OTHER_CHARACTERS


def test_sampled_selection_keeps_the_rules(big):
    """No repeats, nothing recent, no spoilers unless asked, only the category asked for,
    different answers, and four working choices in buttons games."""
    bank = build_bank([], big)
    rng = random.Random(4)
    first = bank.select(Filters(), 50, [], rng)
    recent = [q.id for q in first]
    for _ in range(5):
        again = bank.select(Filters(buttons=True), 50, recent, rng)
        assert len({q.id for q in again}) == 50
        assert not {q.id for q in again} & set(recent)
        assert not any(q.spoiler for q in again)
        keys = {(q.film, q.kind, compact(q.answer)) for q in again}
        assert len(keys) == 50
        for question in again:
            choices, right = bank.choices(question, rng)
            assert len({compact(c) for c in choices}) == 4 and choices[right] == question.answer
    cast = bank.select(Filters(category="CAST"), 20, [], rng)
    assert len(cast) == 20 and {q.category for q in cast} == {"cast"}


def test_a_guilds_own_questions_join_the_catalog(big):
    """A guild's own question is in its bank, can be drawn and looked up, and no other."""
    own = Question(
        id="t1",
        question="What fruit did the crew keep?",
        answers=("Orange",),
        category="server",
        sources=("https://example.org",),
        guild_id=1,
    )
    bank = QuestionBank([own], big, catalog=True)
    assert bank.select(Filters(category="server"), 5, [], random.Random(1)) == [own]
    assert bank.get("t1") is own and "server" in bank.categories()
    assert "server" not in QuestionBank([], big, catalog=True).categories()


def test_the_question_on_screen_is_found_by_its_wording(big, monkeypatch):
    """A drawn question is found from its shown text without listing the catalog."""
    bank = build_bank([], big)
    [question] = bank.select(Filters(), 1, [], random.Random(3))
    monkeypatch.setattr(bank, "every_question", lambda: iter(()))
    assert bank.find_by_text(question.question.replace("*", "").upper()) is question
