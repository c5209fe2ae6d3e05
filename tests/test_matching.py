"""Tests for bot.matching: lenient about typing, strict about meaning."""

from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import matching
from bot.matching import (
    CHARS_PER_TYPO,
    FRAGMENT_MIN_DIFF,
    MAX_FILLER_WORDS,
    MAX_GUESS_CHARS,
    MAX_TYPOS,
    NO_TYPO_MAX_LEN,
    ONE_TYPO_MAX_LEN,
    TWO_TYPOS_MAX_LEN,
    PreparedAnswers,
    Verdict,
    answer_matches,
    infer_kind,
    judge,
    prepare,
    typo_allowance,
)
from bot.text import quick_tokens, tokens

TITLES = [
    "Take Out",
    "Prince of Broadway",
    "Starlet",
    "Tangerine",
    "The Florida Project",
    "Red Rocket",
    "Anora",
    "Four Letter Words",
]
PEOPLE = [
    "Sean Baker",
    "Mikey Madison",
    "Brooklynn Prince",
    "Willem Dafoe",
    "Simon Rex",
    "Bree Elrod",
    "Kitana Kiki Rodriguez",
    "Mya Taylor",
    "Lars von Trier",
    "Robert De Niro",
    "Gus Van Sant",
    "Sammy Davis Jr.",
]
NUMBERS = ["2015", "37", "$15,000", "four", "139 minutes", "$6 million"]

T, P, N, OTHER = "title", "person", "number", "other"

# (guess, answers, kind, expected, id)
CASES = [
    # titles: typing noise is forgiven
    ("Anora", ["Anora"], T, True, "title-exact"),
    ("ANORA!!!", ["Anora"], T, True, "title-case-punctuation"),
    ("  anora \n", ["Anora"], T, True, "title-surrounding-whitespace"),
    ("Anóra", ["Anora"], T, True, "title-accent"),
    ("an\u200bora", ["Anora"], T, True, "title-zero-width"),
    ("florida project", ["The Florida Project"], T, True, "title-article-dropped"),
    ("the florida project", ["Florida Project"], T, True, "title-article-added"),
    ("It\u2019s The Florida Project!", ["The Florida Project"], T, True, "title-curly-filler"),
    ("floridaproject", ["The Florida Project"], T, True, "title-no-spaces"),
    ("thefloridaproject", ["The Florida Project"], T, True, "title-glued-article"),
    ("red-rocket", ["Red Rocket"], T, True, "title-hyphen"),
    ("Red    Rocket", ["Red Rocket"], T, True, "title-extra-spaces"),
    ("takeout", ["Take Out"], T, True, "title-takeout-same-film"),
    ("Take-Out", ["Takeout"], T, True, "title-take-out-hyphen"),
    ("4 letter words", ["Four Letter Words"], T, True, "title-digit-for-word"),
    ("four letter words", ["4 Letter Words"], T, True, "title-word-for-digit"),
    # titles: filler around the answer
    ("i think it's red rocket", ["Red Rocket"], T, True, "filler-i-think-its"),
    ("is it anora?", ["Anora"], T, True, "filler-is-it"),
    ("maybe starlet", ["Starlet"], T, True, "filler-maybe"),
    ("the answer is tangerine", ["Tangerine"], T, True, "filler-the-answer-is"),
    ("red rocket i think lol", ["Red Rocket"], T, True, "filler-trailing"),
    ("Maybe Baby", ["Maybe Baby"], T, True, "filler-word-inside-answer"),
    # titles: typos in proportion to length
    ("tangerin", ["Tangerine"], T, True, "typo-dropped-last-letter"),
    ("tanjerine", ["Tangerine"], T, True, "typo-substitution"),
    ("tangeirne", ["Tangerine"], T, True, "typo-transposition"),
    ("starlett", ["Starlet"], T, True, "typo-doubled-letter"),
    ("prince of brodway", ["Prince of Broadway"], T, True, "typo-long-title"),
    ("the flordia projet", ["The Florida Project"], T, True, "typo-two-in-long"),
    ("for letter words", ["Four Letter Words"], T, True, "typo-number-word"),
    ("anorra", ["Anora"], T, True, "typo-one-in-five"),
    ("Angora", ["Anora"], T, True, "typo-angora-one-edit-documented"),
    # titles: meaning is strict
    ("Red", ["Red Rocket"], T, False, "fragment-first-word"),
    ("rocket", ["Red Rocket"], T, False, "fragment-last-word"),
    ("red rock", ["Red Rocket"], T, False, "fragment-truncated"),
    ("Florida", ["The Florida Project"], T, False, "fragment-florida"),
    ("Project", ["The Florida Project"], T, False, "fragment-project"),
    ("Prince", ["Prince of Broadway"], T, False, "fragment-prince"),
    ("letter words", ["Four Letter Words"], T, False, "fragment-drops-number"),
    ("five letter words", ["Four Letter Words"], T, False, "wrong-number-in-title"),
    ("red rocket 2", ["Red Rocket"], T, False, "sequel-digit"),
    ("red rocket ii", ["Red Rocket"], T, False, "sequel-roman"),
    ("red rocket and anora", ["Red Rocket"], T, False, "contains-answer-plus-other"),
    ("anora or red rocket", ["Red Rocket"], T, False, "either-or"),
    ("not anora", ["Anora"], T, False, "negation"),
    ("Starlet", ["Tangerine"], T, False, "different-film"),
    ("Tangerine", ["Starlet"], T, False, "different-film-reverse"),
    ("Take", ["Take Out"], T, False, "fragment-take"),
    ("Anra", ["Anora"], T, True, "typo-one-deletion-five"),
    ("Ana", ["Anora"], T, False, "too-far-short"),
    # people: surname alone names a person, first name alone does not
    ("Mikey Madison", ["Mikey Madison"], P, True, "person-full"),
    ("madison", ["Mikey Madison"], P, True, "person-surname"),
    ("it's MADISON!", ["Mikey Madison"], P, True, "person-surname-filler"),
    ("Mikey", ["Mikey Madison"], P, False, "person-first-name"),
    ("Sean", ["Sean Baker"], P, False, "person-first-name-short"),
    ("baker", ["Sean Baker"], P, True, "person-surname-baker"),
    ("mikey madisen", ["Mikey Madison"], P, True, "person-typo-surname"),
    ("Madisson", ["Mikey Madison"], P, True, "person-typo-surname-alone"),
    ("sen baker", ["Sean Baker"], P, True, "person-typo-first-name"),
    ("Willem Defoe", ["Willem Dafoe"], P, True, "person-typo-dafoe"),
    ("Mikey Madsen", ["Mikey Madison"], P, False, "person-other-surname-madsen"),
    ("Madsen", ["Mikey Madison"], P, False, "person-other-surname-alone"),
    ("Simon Baker", ["Sean Baker"], P, False, "person-other-first-name"),
    ("von trier", ["Lars von Trier"], P, True, "person-particle-von"),
    ("Trier", ["Lars von Trier"], P, False, "person-particle-required"),
    ("de niro", ["Robert De Niro"], P, True, "person-particle-de"),
    ("DeNiro", ["Robert De Niro"], P, True, "person-particle-glued"),
    ("van sant", ["Gus Van Sant"], P, True, "person-particle-van"),
    ("davis", ["Sammy Davis Jr."], P, True, "person-suffix-dropped"),
    ("Kitana Rodriguez", ["Kitana Kiki Rodriguez"], P, True, "person-first-plus-surname"),
    ("Kiki", ["Kitana Kiki Rodriguez"], P, False, "person-middle-name"),
    ("Rex", ["Simon Rex"], P, True, "person-short-surname"),
    ("Rax", ["Simon Rex"], P, False, "person-short-surname-no-typo"),
    ("prince", ["Brooklynn Prince"], P, True, "person-surname-prince"),
    ("madison mikey", ["Mikey Madison"], P, False, "person-reversed"),
    # numbers: exact, in any spelling
    ("2015", ["2015"], N, True, "number-exact"),
    ("in 2015", ["2015"], N, True, "number-in-year"),
    ("2015?", ["2015"], N, True, "number-question-mark"),
    ("twenty fifteen", ["2015"], N, True, "number-year-words"),
    ("two thousand and fifteen", ["2015"], N, True, "number-thousand-and"),
    ("2016", ["2015"], N, False, "number-off-by-one"),
    ("2018", ["2017"], N, False, "number-2018-2017"),
    ("17", ["2017"], N, False, "number-short-year"),
    ("'17", ["2017"], N, False, "number-apostrophe-year"),
    ("25", ["26"], N, False, "number-25-26"),
    ("37 days", ["37"], N, True, "number-unit"),
    ("it was 37 days", ["37"], N, True, "number-filler-unit"),
    ("thirty-seven", ["37"], N, True, "number-hyphenated-words"),
    ("37days", ["37"], N, True, "number-glued-unit"),
    ("37 weeks", ["37 days"], N, False, "number-wrong-unit"),
    ("37 or 38", ["37"], N, False, "number-two-numbers"),
    ("not 37", ["37"], N, False, "number-negated"),
    ("over 37", ["37"], N, False, "number-bound"),
    ("4", ["four"], N, True, "number-digit-for-word"),
    ("four", ["4"], N, True, "number-word-for-digit"),
    ("five", ["4"], N, False, "number-wrong-word"),
    ("$15,000", ["15000"], N, True, "number-dollars-commas"),
    ("15000", ["$15,000"], N, True, "number-plain-for-commas"),
    ("15,000", ["15000"], N, True, "number-commas"),
    ("15k", ["15000"], N, True, "number-k"),
    ("fifteen thousand", ["$15,000"], N, True, "number-thousand-words"),
    ("$15,000.00", ["15000"], N, True, "number-cents"),
    ("1500", ["15,000"], N, False, "number-dropped-zero"),
    ("150,000", ["15,000"], N, False, "number-extra-zero"),
    ("6m", ["$6 million"], N, True, "number-m-million"),
    ("139m", ["139 minutes"], N, True, "number-m-minutes"),
    ("6", ["$6 million"], N, False, "number-missing-million"),
    ("1.5 million", ["1,500,000"], N, True, "number-decimal-million"),
    ("1.6 million", ["1,500,000"], N, False, "number-decimal-off"),
    ("2015", ["2015"], None, True, "number-inferred"),
    ("in 2015", ["2015", "twenty fifteen"], None, True, "number-inferred-several"),
    # other answers, and an "other" question whose answer is a number
    ("los angeles i think", ["Los Angeles"], OTHER, True, "other-filler"),
    ("hollywood", ["West Hollywood"], OTHER, False, "other-fragment"),
    ("37 days", ["37"], OTHER, True, "other-numeric-answer"),
    # nothing to judge
    ("", ["Anora"], T, False, "empty"),
    ("   \t ", ["Anora"], T, False, "blank"),
    ("🎬🍿🎥", ["Anora"], T, False, "emoji-only"),
    ("???", ["Anora"], None, False, "punctuation-only"),
    ("x" * 5000, ["Anora"], T, False, "long-junk"),
    ("anora " * 1000, ["Anora"], T, False, "long-repeated-answer"),
    ("anora", [], T, False, "no-answers"),
    ("anora", ["", "   "], None, False, "blank-answers"),
]


@pytest.mark.parametrize(
    ("guess", "answers", "kind", "expected"),
    [pytest.param(*case[:4], id=case[4]) for case in CASES],
)
def test_table(guess: str, answers: list[str], kind: str | None, expected: bool) -> None:
    """Each tricky guess is accepted or refused as the rules say."""
    assert answer_matches(guess, answers, kind) is expected
    assert prepare(answers, kind).judge(guess).matched is expected


def test_table_is_large_and_balanced() -> None:
    """The table covers both outcomes generously."""
    assert len(CASES) >= 60
    assert sum(case[3] for case in CASES) >= 30
    assert sum(not case[3] for case in CASES) >= 30
    assert len({case[4] for case in CASES}) == len(CASES)


# --- thresholds -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "edits"),
    [
        (1, 0),
        (NO_TYPO_MAX_LEN, 0),
        (NO_TYPO_MAX_LEN + 1, 1),
        (ONE_TYPO_MAX_LEN, 1),
        (ONE_TYPO_MAX_LEN + 1, 2),
        (TWO_TYPOS_MAX_LEN, 2),
        (TWO_TYPOS_MAX_LEN + 1, (TWO_TYPOS_MAX_LEN + 1) // CHARS_PER_TYPO),
        (3 * CHARS_PER_TYPO, 3),
        (1000, MAX_TYPOS),
    ],
)
def test_typo_allowance(length: int, edits: int) -> None:
    """The allowance grows with the answer's length and is capped."""
    assert typo_allowance(length) == edits


def test_typo_allowance_never_shrinks() -> None:
    """A longer answer never forgives fewer typos than a shorter one."""
    allowances = [typo_allowance(n) for n in range(200)]
    assert allowances == sorted(allowances)
    assert typo_allowance(TWO_TYPOS_MAX_LEN + 1) >= 2


def _word(length: int) -> str:
    return "".join(string.ascii_lowercase[i % 26] for i in range(length))


def _substitute(word: str, count: int) -> str:
    """``count`` substitutions spread out so none can be read as a swap."""
    chars = list(word)
    for i in range(count):
        chars[i * 2] = "z" if chars[i * 2] != "z" else "y"
    return "".join(chars)


@pytest.mark.parametrize("length", range(1, 30))
def test_allowance_is_what_the_matcher_forgives(length: int) -> None:
    """Exactly ``typo_allowance`` substitutions pass; one more fails."""
    answer = _word(length)
    edits = typo_allowance(length)
    if edits:
        assert answer_matches(_substitute(answer, edits), [answer], "title")
    if 2 * (edits + 1) <= length:
        assert not answer_matches(_substitute(answer, edits + 1), [answer], "title")


def test_fragment_min_diff() -> None:
    """Dropping one character is a typo; dropping FRAGMENT_MIN_DIFF is a fragment."""
    answer = "tangerine"
    assert answer_matches(answer[:-1], [answer], "title")
    assert not answer_matches(answer[:-FRAGMENT_MIN_DIFF], [answer], "title")
    assert not answer_matches(answer + "x" * FRAGMENT_MIN_DIFF, [answer], "title")


def test_max_guess_chars() -> None:
    """A guess over the length limit is refused even when it ends in the answer."""
    padding = " " + "um " * (MAX_GUESS_CHARS // 3)
    assert not answer_matches(padding + "anora", ["Anora"], "title")
    assert answer_matches("um " * 3 + "anora", ["Anora"], "title")


def test_max_filler_words() -> None:
    """At most MAX_FILLER_WORDS filler words are peeled off one end."""
    assert answer_matches("hmm " * MAX_FILLER_WORDS + "anora", ["Anora"], "title")
    assert not answer_matches("hmm " * (MAX_FILLER_WORDS + 1) + "anora", ["Anora"], "title")


# --- verdicts, preparation, kinds ------------------------------------------------------


def test_verdict_names_the_answer_and_exactness() -> None:
    """The verdict says which answer matched, as written, and if a typo was forgiven."""
    prepared = prepare(["The Florida Project", "Florida Project (2017)"], "title")
    assert prepared.judge("florida project") == Verdict(True, "The Florida Project", True)
    assert prepared.judge("florida projet") == Verdict(True, "The Florida Project", False)
    assert prepared.judge("florida") == Verdict(False)
    assert judge("thirty seven", ["37"]) == Verdict(True, "37", True)


def test_others_veto_a_typo_nearer_another_answer() -> None:
    """A guess as close to another catalog entry as to this answer is no typo of it."""
    prepared = prepare(["Anora"], "title", others=["Angora", "Red Rocket", "Anora"])
    assert not prepared.judge("angora").matched
    assert prepared.judge("anorra").matched
    assert prepared.judge("Anora").exact


def test_person_others_veto() -> None:
    """Another person in the catalog with a near surname blocks the typo."""
    prepared = prepare(["Mikey Madison"], "person", others=["Virginia Madsen"])
    assert not prepared.judge("madisen").matched  # one edit from each surname
    assert prepared.judge("madisson").matched
    assert prepared.judge("madison").matched
    assert answer_matches("madisen", ["Mikey Madison"], "person")


def test_a_bare_string_is_one_answer() -> None:
    """Passing one answer as a string does not match its single letters."""
    assert answer_matches("anora", "Anora")
    assert not answer_matches("a", "Anora")


def test_infer_kind() -> None:
    """Numeric answers make a number question; anything else is "other"."""
    assert infer_kind(["2015", "twenty fifteen"]) == "number"
    assert infer_kind(["$15,000"]) == "number"
    assert infer_kind(["Four Letter Words"]) == "other"
    assert infer_kind(["37", "Red Rocket"]) == "other"
    assert infer_kind([]) == "other"


def test_title_kind_keeps_numeric_names_as_text() -> None:
    """A title that is a number is a name: its digits must match, its filler rules apply."""
    assert answer_matches("the film 1917", ["1917"], "title")
    assert not answer_matches("1918", ["1917"], "title")


def test_bad_kind_and_bad_number_answer_raise() -> None:
    """Programming errors surface when the question is prepared, not mid-game."""
    with pytest.raises(ValueError, match="kind"):
        prepare(["Anora"], "film")
    with pytest.raises(ValueError, match="not a number"):
        prepare(["about three weeks or so"], "number")


def test_one_off_calls_reuse_prepared_answers() -> None:
    """answer_matches prepares a question once, not on every call."""
    matching._prepared.cache_clear()
    for guess in ["anora", "red", "anorra"]:
        answer_matches(guess, ["Anora"], "title")
    assert matching._prepared.cache_info().misses == 1


# --- properties -------------------------------------------------------------------------

CATALOG = st.sampled_from(TITLES)
KIND = st.sampled_from([None, "person", "title", "other"])
ASCII_TEXT = st.text(alphabet=string.printable, max_size=40)
PADDING = st.text(alphabet=" \t\n?!.,;:…\"'()*~\u201c\u201d", max_size=6)
ACCENTS = "\u0300\u0301\u0302\u0303\u0308\u030a\u0327"


@settings(max_examples=300)
@given(guess=st.text(max_size=300), answers=st.lists(st.text(max_size=40), max_size=4), kind=KIND)
def test_never_raises(guess: str, answers: list[str], kind: str | None) -> None:
    """Any text, as guess or answer, gets a yes or no and never an exception."""
    assert isinstance(answer_matches(guess, answers, kind), bool)


@settings(max_examples=200)
@given(guess=st.text(max_size=5000))
def test_never_raises_against_the_catalog(guess: str) -> None:
    """Arbitrary guesses against real answers of every kind never raise."""
    for answers, kind in [(TITLES, "title"), (PEOPLE, "person"), (NUMBERS, "number")]:
        prepare(answers, kind).judge(guess)


@settings(max_examples=300)
@given(answer=st.text(max_size=60), kind=KIND)
def test_an_answer_matches_itself(answer: str, kind: str | None) -> None:
    """Any answer that normalises to something is accepted when typed as written."""
    if quick_tokens(answer):
        assert judge(answer, [answer], kind).exact


@given(n=st.integers(), kind=st.sampled_from([None, "number", "other"]))
def test_n_is_not_n_plus_one(n: int, kind: str | None) -> None:
    """Numbers are exact: n never matches n + 1, in either direction."""
    assert answer_matches(str(n), [str(n)], kind)
    assert not answer_matches(str(n + 1), [str(n)], kind)
    assert not answer_matches(str(n), [str(n + 1)], kind)


@given(n=st.integers(min_value=0, max_value=10**12))
def test_formatted_numbers_are_exact(n: int) -> None:
    """Thousands separators and units never blur a number into its neighbour."""
    assert answer_matches(f"${n:,}", [str(n)], "number")
    assert answer_matches(f"{n} days", [f"{n:,}"], "number")
    assert not answer_matches(f"{n + 1:,}", [str(n)], "number")


@given(guess=ASCII_TEXT, answer=CATALOG, data=st.data())
def test_case_invariance(guess: str, answer: str, data: st.DataObject) -> None:
    """Upper, lower or mixed case never changes the verdict of an ASCII guess."""
    prepared = prepare([answer], "title")
    flips = data.draw(st.lists(st.booleans(), min_size=len(guess), max_size=len(guess)))
    mixed = "".join(c.swapcase() if flip else c for c, flip in zip(guess, flips, strict=True))
    for variant in (guess.upper(), guess.lower(), mixed):
        assert prepared.judge(variant) == prepared.judge(guess)


def _accented(text: str, marks: list[str]) -> str:
    out = [c + m if c in string.ascii_letters else c for c, m in zip(text, marks, strict=True)]
    return unicodedata.normalize("NFC", "".join(out))


@given(text=st.one_of(CATALOG, st.sampled_from(PEOPLE), ASCII_TEXT), data=st.data())
def test_accent_invariance(text: str, data: st.DataObject) -> None:
    """Accents on ASCII letters never change the verdict."""
    marks = data.draw(st.lists(st.sampled_from(["", *ACCENTS]), min_size=len(text)))
    accented = _accented(text, marks[: len(text)])
    for answers, kind in [(TITLES, "title"), (PEOPLE, "person")]:
        prepared = prepare(answers, kind)
        assert prepared.judge(accented) == prepared.judge(text)


@given(guess=st.one_of(CATALOG, st.text(max_size=40)), pre=PADDING, post=PADDING, kind=KIND)
def test_surrounding_whitespace_and_punctuation(
    guess: str, pre: str, post: str, kind: str | None
) -> None:
    """Whitespace and punctuation around a guess never change the verdict."""
    prepared = prepare(TITLES if kind != "person" else PEOPLE, kind or "title")
    assert prepared.judge(pre + guess + post) == prepared.judge(guess)


@given(answer=CATALOG, article=st.sampled_from(["the", "The", "THE", "a", "an"]))
def test_leading_article_is_optional(answer: str, article: str) -> None:
    """Every title matches with and without a leading article."""
    bare = answer.removeprefix("The ")
    assert answer_matches(f"{article} {bare}", [answer], "title")
    assert answer_matches(bare, [answer], "title")


@given(guess=st.text(max_size=40))
def test_leading_article_never_changes_the_verdict(guess: str) -> None:
    """Putting "the" before any guess neither adds nor removes a match."""
    prepared = prepare(TITLES, "title")
    assert prepared.judge("the " + guess).matched == prepared.judge(guess).matched


@given(answer=st.sampled_from(TITLES + PEOPLE), filler=st.sampled_from(["i think", "is it"]))
def test_filler_then_the_answer_matches(answer: str, filler: str) -> None:
    """Chatter before a right answer does not cost the point."""
    kind = "person" if answer in PEOPLE else "title"
    assert answer_matches(f"{filler} {answer}?", [answer], kind)


@given(first=CATALOG, second=CATALOG)
def test_two_titles_are_not_one(first: str, second: str) -> None:
    """A guess naming two films is not the answer, and one film is not another."""
    assert not answer_matches(f"{first} and {second}", [first], "title")
    if first != second:
        assert not answer_matches(second, [first], "title")


@settings(max_examples=300)
@given(text=st.text(max_size=60))
def test_quick_tokens_equals_tokens(text: str) -> None:
    """The fast tokenizer is the shared one, only faster."""
    assert quick_tokens(text) == tokens(text)


def test_prepared_answers_is_reusable() -> None:
    """One prepared question judges many guesses without changing."""
    prepared = PreparedAnswers(["Red Rocket"], "title")
    assert prepared.matches("red rocket")
    assert [prepared.judge(g).matched for g in ["red rocket", "red", "red rocket"]] == [
        True,
        False,
        True,
    ]
