"""Checks on the hand-written question data: trivia records and the /ask quality set."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.models import Question

ROOT = Path(__file__).resolve().parent.parent
TRIVIA_FILE = ROOT / "data" / "trivia.yaml"
ASK_CASES_FILE = Path(__file__).resolve().parent / "ask_cases.yaml"

FILM_IDS = (
    "four-letter-words",
    "take-out",
    "prince-of-broadway",
    "starlet",
    "tangerine",
    "the-florida-project",
    "red-rocket",
    "anora",
)
SOURCE_IDS = frozenset(
    {
        "ap-2024",
        "filmmaker-2024",
        "oscars-2025",
        "indiewire-ending",
        "encyclopedia-bio",
        "academy-awards-db",
        "festival-cannes",
    }
)
CATEGORIES = frozenset(
    {
        "awards",
        "production",
        "cast",
        "crew",
        "biography",
        "influences",
        "plot",
        "release",
        "tv",
        "music",
    }
)
SPOILER_SOURCE = "indiewire-ending"

MIN_QUESTIONS = 100
MIN_PER_FILM = 3
MIN_ANSWERABLE = 120
MIN_UNANSWERABLE = 25


def _load_yaml(path: Path) -> object:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def raw_questions() -> list[dict]:
    data = _load_yaml(TRIVIA_FILE)
    assert isinstance(data, list), "trivia.yaml must be a top-level list"
    assert all(isinstance(item, dict) for item in data)
    return data


@pytest.fixture(scope="module")
def questions(raw_questions: list[dict]) -> list[Question]:
    return [Question.model_validate(item) for item in raw_questions]


@pytest.fixture(scope="module")
def ask_cases() -> dict:
    data = _load_yaml(ASK_CASES_FILE)
    assert isinstance(data, dict), "ask_cases.yaml must be a mapping"
    return data


# ---------------------------------------------------------------- trivia.yaml


def test_every_record_validates(raw_questions: list[dict]) -> None:
    """Each record in trivia.yaml is a valid Question."""
    for item in raw_questions:
        Question.model_validate(item)


def test_ids_are_unique(questions: list[Question]) -> None:
    """No two questions share an id."""
    duplicates = [qid for qid, n in Counter(q.id for q in questions).items() if n > 1]
    assert duplicates == []


def test_question_texts_are_unique(questions: list[Question]) -> None:
    """No question text is asked twice."""
    texts = Counter(q.question.casefold() for q in questions)
    assert [text for text, n in texts.items() if n > 1] == []


def test_enough_questions(questions: list[Question]) -> None:
    """The bank holds at least 100 questions."""
    assert len(questions) >= MIN_QUESTIONS


def test_every_film_is_covered(questions: list[Question]) -> None:
    """Each of the eight features has at least three questions."""
    per_film = Counter(q.film for q in questions)
    thin = {film: per_film[film] for film in FILM_IDS if per_film[film] < MIN_PER_FILM}
    assert thin == {}


def test_film_ids_are_known(questions: list[Question]) -> None:
    """A question's film, when set, is one of the eight feature ids."""
    unknown = {q.id: q.film for q in questions if q.film is not None and q.film not in FILM_IDS}
    assert unknown == {}


def test_sources_are_known(questions: list[Question]) -> None:
    """Questions cite only the seed ids and the two named public references."""
    bad = {q.id: q.sources for q in questions if not set(q.sources) <= SOURCE_IDS}
    assert bad == {}


def test_categories_are_known(questions: list[Question]) -> None:
    """Every category is one of the agreed set."""
    bad = {q.id: q.category for q in questions if q.category not in CATEGORIES}
    assert bad == {}


def test_exactly_three_distractors(questions: list[Question]) -> None:
    """Every question offers exactly three distinct wrong choices."""
    bad = {
        q.id: q.distractors
        for q in questions
        if len(q.distractors) != 3 or len({d.casefold() for d in q.distractors}) != 3
    }
    assert bad == {}


def test_distractors_are_never_answers(questions: list[Question]) -> None:
    """No distractor equals (case-insensitively) any accepted answer."""
    bad = {}
    for q in questions:
        answers = {a.casefold() for a in q.answers}
        clashes = [d for d in q.distractors if d.casefold() in answers]
        if clashes:
            bad[q.id] = clashes
    assert bad == {}


def test_answers_are_distinct(questions: list[Question]) -> None:
    """Accepted answers are not repeated within a question."""
    bad = [q.id for q in questions if len({a.casefold() for a in q.answers}) != len(q.answers)]
    assert bad == []


def test_number_answers_are_digits(questions: list[Question]) -> None:
    """Answers and distractors of kind "number" are all digits."""
    bad = {
        q.id: (q.answers, q.distractors)
        for q in questions
        if q.kind == "number" and not all(v.isdigit() for v in (*q.answers, *q.distractors))
    }
    assert bad == {}


def test_spoiler_source_means_spoiler(questions: list[Question]) -> None:
    """Questions citing the IndieWire ending interview are flagged as spoilers."""
    bad = [q.id for q in questions if SPOILER_SOURCE in q.sources and not q.spoiler]
    assert bad == []


def test_answers_are_short(questions: list[Question]) -> None:
    """Canonical answers are short enough to type and judge."""
    long_answers = {q.id: q.answer for q in questions if len(q.answer) > 60}
    assert long_answers == {}


# ---------------------------------------------------------------- ask_cases.yaml


def test_ask_cases_shape(ask_cases: dict) -> None:
    """ask_cases.yaml has exactly the answerable and unanswerable lists."""
    assert set(ask_cases) == {"answerable", "unanswerable"}
    assert isinstance(ask_cases["answerable"], list)
    assert isinstance(ask_cases["unanswerable"], list)


def test_answerable_entries(ask_cases: dict) -> None:
    """Each answerable case has a question and a non-empty list of keywords."""
    for case in ask_cases["answerable"]:
        assert isinstance(case, dict) and set(case) == {"q", "expect"}, case
        assert isinstance(case["q"], str) and case["q"].strip(), case
        expect = case["expect"]
        assert isinstance(expect, list) and expect, case
        assert all(isinstance(word, str) and word.strip() for word in expect), case


def test_unanswerable_entries(ask_cases: dict) -> None:
    """Each unanswerable case is a non-empty string."""
    for case in ask_cases["unanswerable"]:
        assert isinstance(case, str) and case.strip(), case


def test_ask_case_counts(ask_cases: dict) -> None:
    """The quality set is big enough on both sides."""
    assert len(ask_cases["answerable"]) >= MIN_ANSWERABLE
    assert len(ask_cases["unanswerable"]) >= MIN_UNANSWERABLE


def test_ask_cases_have_no_duplicates(ask_cases: dict) -> None:
    """No question appears twice, within or across the two lists."""
    asked = [case["q"] for case in ask_cases["answerable"]] + ask_cases["unanswerable"]
    counts = Counter(" ".join(text.casefold().split()) for text in asked)
    assert [text for text, n in counts.items() if n > 1] == []
