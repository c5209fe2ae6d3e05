"""The question bank: generated questions, filters, selection and multiple choices."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.catalog import load_catalog
from bot.library import Library
from bot.matching import answer_matches
from bot.text import compact
from bot.trivia.questions import (
    Filters,
    QuestionBank,
    build_bank,
    generate_questions,
    near_numbers,
)


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.from_catalog(load_catalog())


@pytest.fixture(scope="module")
def bank(library: Library) -> QuestionBank:
    return build_bank(library.catalog.questions, library)


def test_generated_questions_cite_real_sources_and_cover_every_film(library):
    """Every film gets a question; every answer and source comes from the catalog."""
    generated = generate_questions(library)
    assert len({q.id for q in generated}) == len(generated)
    assert {q.film for q in generated} >= set(library.films)
    names = {name for p in library.people.values() for name in (p.name, *p.aliases)}
    titles = {t for f in library.films.values() for t in (f.title, *f.aliases)}
    for question in generated:
        assert set(question.sources) <= set(library.sources), question.id
        assert not question.spoiler
        if question.kind == "person":
            assert set(question.answers) <= names, question.id
        if question.kind == "title":
            assert set(question.answers) <= titles, question.id
        if question.kind == "number":
            assert question.answer.isdecimal(), question.id


def test_generated_kinds_of_questions(library):
    """Cast, crew, years, awards and shoot days are all asked about."""
    by_id = {q.id: q for q in generate_questions(library)}
    assert by_id["gen-year-anora"].answer == "2024"
    assert by_id["gen-cast-anora-mikey-madison"].answer == "Mikey Madison"
    assert by_id["gen-role-anora-mikey-madison"].answers == ('Anora "Ani"', "Anora", "Ani")
    assert by_id["gen-shoot-days-anora"].answer == "37"
    awards = [q for q in by_id.values() if q.category == "awards"]
    assert any(q.kind == "title" and "Best Picture" in q.question for q in awards)
    # A craft award names a person, never "which film won Best Director".
    assert not any(q.kind == "title" and "Best Director" in q.question for q in awards)


def test_bank_has_a_hundred_questions_over_every_category(bank):
    assert len(bank.questions) >= 100
    assert {"awards", "cast", "crew", "release"} <= set(bank.categories())


def test_spoilers_only_when_opted_in(bank):
    spoilers = [q for q in bank.questions.values() if q.spoiler]
    assert spoilers, "the data has spoiler questions to keep out"
    assert not any(q.spoiler for q in bank.matching(Filters()))
    assert set(spoilers) <= set(bank.matching(Filters(spoilers=True)))


def test_film_and_category_filters(bank):
    only = bank.matching(Filters(film="starlet", category="CAST"))
    assert only and all(q.film == "starlet" and q.category == "cast" for q in only)
    assert bank.matching(Filters(category="cooking")) == []


def test_selection_never_repeats_and_avoids_recent(bank):
    """A game never repeats a question and skips what the channel saw lately."""
    rng = random.Random(7)
    pool = bank.matching(Filters(film="anora"))
    recent = [q.id for q in pool[:20]]
    picked = bank.select(Filters(film="anora"), 30, recent, rng)
    assert len(picked) == 30 == len({q.id for q in picked})
    assert not {q.id for q in picked} & set(recent)


def test_selection_falls_back_to_the_longest_ago_asked(bank):
    rng = random.Random(3)
    pool = bank.matching(Filters(film="tangerine"))
    recent = [q.id for q in pool]  # everything seen; pool[-1] the longest ago
    picked = bank.select(Filters(film="tangerine"), 2, recent, rng)
    assert [q.id for q in picked] == [pool[-1].id, pool[-2].id]


def test_selection_prefers_different_answers(bank):
    """Two questions with the same answer about the same film only when needed."""
    rng = random.Random(1)
    picked = bank.select(Filters(film="anora"), 12, [], rng)
    keys = [(q.film, q.kind, compact(q.answer)) for q in picked]
    assert len(set(keys)) == len(keys)


def test_buttons_games_only_get_questions_with_enough_choices(bank, library):
    usable = bank.matching(Filters(buttons=True))
    assert len(usable) >= 100
    rng = random.Random(5)
    for question in usable:
        choices, right = bank.choices(question, rng)
        assert len(choices) == 4 and choices[right] == question.answer


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32), st.data())
def test_choices_are_four_distinct_with_one_right_answer(bank, seed, data):
    """Shuffled choices hold the answer once; no wrong choice would be accepted."""
    usable = bank.matching(Filters(buttons=True, spoilers=True))
    question = data.draw(st.sampled_from(usable))
    choices, right = bank.choices(question, random.Random(seed))
    assert len({compact(c) for c in choices}) == 4
    assert choices[right] == question.answer
    for i, choice in enumerate(choices):
        if i != right:
            assert not answer_matches(choice, question.answers, question.kind)


def test_wrong_choices_are_of_the_answers_kind(bank, library):
    """People for people (actors for actors, crew for crew), films for films, and years
    near the answer."""
    rng = random.Random(11)
    people = {p.name for p in library.people.values()}
    cast = bank.get("gen-cast-anora-yura-borisov")
    assert cast is not None
    choices, _ = bank.choices(cast, rng)
    assert set(choices) <= people
    actors = {library.people[c.person].name for c in library.catalog.credits if c.role == "actor"}
    assert set(choices) <= actors
    year = bank.get("gen-year-red-rocket")
    assert year is not None
    numbers = [int(c) for c in bank.choices(year, rng)[0]]
    assert max(numbers) - min(numbers) <= 4
    film = bank.get("gen-film-of-year-2015")
    assert film is not None
    titles = {f.title for f in library.films.values()}
    assert set(bank.choices(film, rng)[0]) <= titles


def test_near_numbers():
    assert near_numbers(2017)[:4] == [2018, 2016, 2019, 2015]
    assert all(n >= 0 for n in near_numbers(1))
    assert 1 not in near_numbers(1)
    assert near_numbers(370)[:2] == [407, 333]


def test_find_by_text_ignores_markdown_and_case(bank):
    question = bank.get("gen-year-anora")
    assert question is not None
    assert bank.find_by_text("in what year did anora come out") is question
