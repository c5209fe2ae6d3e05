"""Judge a trivia guess against a question's accepted answers.

Players type fast, on phones, with chatter around the answer; the game must not punish
that, yet must never hand a point for a different film, a different person or a wrong
number. So typing noise (case, accents, punctuation, spacing, a leading article, filler
such as "i think it's ...?") is normalised away, typos are forgiven in proportion to
the answer's length, and meaning stays strict: a fragment or a longer phrase that merely
contains the answer is not the answer, a first name alone does not name a person, and
numbers must be exactly right.

The trivia engine prepares each question once and judges every message with
``PreparedAnswers.judge``; ``answer_matches`` serves callers with plain answer lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.text import NUMBER_WORDS, quick_tokens, split_digits, strip_article

KINDS = frozenset({"person", "title", "number", "other"})

# Typo allowance in edits (insert, delete, substitute, swap neighbours) by the length of
# the answer's key. None up to 4 letters: one edit there is another word. One for 5-8,
# so "Angora" passes for "Anora": no Baker film is near another; `others` can veto.
NO_TYPO_MAX_LEN = 4
ONE_TYPO_MAX_LEN = 8
TWO_TYPOS_MAX_LEN = 15
CHARS_PER_TYPO = 7  # past TWO_TYPOS_MAX_LEN: one edit per this many characters
MAX_TYPOS = 5
# A guess inside the answer, or holding it whole, that differs by at least this many
# characters is a fragment ("red rock") or something more ("red rocket ii"), not a typo.
FRAGMENT_MIN_DIFF = 2
# Longer guesses (or over three times the longest answer) are chatter, rejected before
# any work, so a 5,000-character paste costs nothing.
MAX_GUESS_CHARS = 200
MAX_FILLER_WORDS = 6  # peeled off each end of a guess, at most
MAX_NUMBER_DIGITS = 60  # longer digit runs are codes, compared as text, not quantities
PREPARED_CACHE = 256  # questions ``answer_matches`` keeps prepared between calls

# Words that, at either end of a guess, never change which answer it names. Negations
# and conjunctions ("not", "no", "or", "and", "isnt") are deliberately absent.
_FILLER = """its it is was i id im ill think thinking guess believe bet say maybe probably
    prob perhaps possibly definitely def surely obviously certainly um umm uh uhh hmm hmmm
    er erm ok okay oh so well answer my final the a an that thats would be must has to go
    with pretty sure like lol lmao haha yes yeah yep hey ooh right for tho though then film
    movie called in by from please pls"""
FILLER_WORDS = frozenset(_FILLER.split())
# A number guess may also hedge and carry units anywhere ("about 37 days").
_HEDGES = "about around approximately approx roughly exactly just only number old st nd rd th"
_NUMBER_FILLER = FILLER_WORDS | frozenset(_HEDGES.split())
_UNIT_GROUPS = (  # the first word of each group is the unit the others spell
    *("minute min mins", "hour hr hrs h", "second sec secs s", "year yr yrs y yo"),
    *("dollar buck usd", "percent pct", "film movie feature", "people person", "day"),
    *("week", "month", "time", "episode", "award", "oscar", "nomination", "win"),
)
_UNITS = {alias: group.split()[0] for group in _UNIT_GROUPS for alias in group.split()}
_SCALES = {"hundred": 100, "thousand": 1000, "k": 1000, "grand": 1000, "billion": 10**9}
_SCALES |= {"million": 10**6, "mil": 10**6, "mn": 10**6, "bn": 10**9}
_MILLION_OR_MINUTES = "m"  # "139m" is a runtime, "6m" a budget: both readings are tried
_PARTICLES = "von van der den de da di del della du la le ter ten bin ibn al"
PARTICLES = frozenset(_PARTICLES.split())
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

_NUMBER_PUNCT = re.compile(r"\d[,.]\d")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
_DIGIT_RUN = re.compile(r"\d+")
_NAMES = {value: word for word, value in NUMBER_WORDS.items()}
_NO_UNITS: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of one guess, so the game can say "close enough: Anora"."""

    matched: bool
    answer: str | None = None  # the accepted answer that matched, as written
    exact: bool = False  # False when a typo was forgiven


NO_MATCH = Verdict(matched=False)


class _Form(NamedTuple):
    """One spelling a guess may take: an answer's key and how far a typo may stray."""

    key: str
    allowance: int
    digits: tuple[str, ...]
    tail: str  # a person's surname key, which a full-name guess must end close to
    exact: Verdict  # verdicts are built once, so judging allocates nothing
    forgiven: Verdict


class _Number(NamedTuple):
    values: frozenset[Fraction | int]
    units: frozenset[str]
    verdict: Verdict


def typo_allowance(length: int) -> int:
    """Edits forgiven for an answer key of ``length`` characters."""
    for limit, edits in ((NO_TYPO_MAX_LEN, 0), (ONE_TYPO_MAX_LEN, 1), (TWO_TYPOS_MAX_LEN, 2)):
        if length <= limit:
            return edits
    return min(MAX_TYPOS, length // CHARS_PER_TYPO)


def words_of(text: str) -> tuple[str, ...]:
    """``tokens``, keeping "$15,000" one number and the point in "1.5"."""
    if ("," in text or "." in text) and _NUMBER_PUNCT.search(text):
        text = _DECIMAL_POINT.sub(" point ", _THOUSANDS.sub("", text))
    return quick_tokens(text)


def _form(key: str, answer: str, tail: str = "") -> _Form:
    exact, forgiven = Verdict(True, answer, exact=True), Verdict(True, answer, exact=False)
    digits = () if key.isalpha() else tuple(_DIGIT_RUN.findall(key))
    return _Form(key, typo_allowance(len(key)), digits, tail, exact, forgiven)


def _spell(word: str) -> str:
    """A digit token under 100 in words ("37" -> "thirtyseven"); other words unchanged."""
    if not word.isdecimal() or len(word) > 2 or str(int(word)) != word:
        return word
    number = int(word)
    if number in _NAMES:
        return _NAMES[number]
    return _NAMES[number - number % 10] + _NAMES[number % 10]


def _text_forms(answer: str) -> tuple[_Form, ...]:
    """Keys of a title with and without its article, in digits and in number words.

    Guesses turn number words into digits too, so the spelled-out key only serves a
    misspelt number word: "For Letter Words".
    """
    words = words_of(answer)
    variants = {strip_article(words), words}
    variants |= {tuple(map(_spell, v)) for v in variants}
    return tuple(_form(key, answer) for key in sorted({"".join(v) for v in variants if v}))


def _person_forms(answer: str) -> tuple[tuple[_Form, ...], frozenset[str]]:
    """Keys of a name (full, without suffix, first + surname, surname) and given names.

    The surname keeps its particles: "von Trier" and "De Niro" are surnames, a bare
    "Trier" is not accepted. Given names come back so that one alone is refused even when
    it happens to be near the surname.
    """
    words = strip_article(words_of(answer))
    core = list(words)
    while len(core) > 1 and core[-1] in SUFFIXES:
        core.pop()
    start = len(core) - 1
    while start > 1 and core[start - 1] in PARTICLES:
        start -= 1
    surname, given = "".join(core[start:]), core[:start]
    keys = {"".join(words), "".join(core)} | ({given[0] + surname} if len(given) > 1 else set())
    forms = [_form(key, answer, surname) for key in sorted(keys)] + [_form(surname, answer)]
    return tuple(f for f in forms if f.key), frozenset(given) - {surname}


def _is_typo(key: str, form: _Form) -> bool:
    """Whether a guess within the allowance is a slip rather than a fragment or a longer
    phrase, and for a full name, whether it ends in (nearly) the surname."""
    target = form.key
    if abs(len(key) - len(target)) >= FRAGMENT_MIN_DIFF and (key in target or target in key):
        return False
    return not form.tail or _tail_close(key, form.tail)


def _tail_close(guess: str, tail: str) -> bool:
    """Whether the guess ends in the surname give or take a typo of the surname's size.

    Stops a slip in a long full name from carrying a different surname: "Mikey Madsen"
    is two edits from "Mikey Madison" but names another family.
    """
    allowance = typo_allowance(len(tail))
    for length in range(max(1, len(tail) - allowance), len(tail) + allowance + 1):
        if OSA.distance(guess[-length:], tail, score_cutoff=allowance) <= allowance:
            return True
    return False


def _candidates(words: tuple[str, ...]) -> list[str]:
    """Keys of the guess with filler peeled off either end, the whole guess first.

    Every peeling is kept, not just the greediest, so an answer that itself starts or
    ends with a filler word ("Maybe Baby") is still found.
    """
    lefts, rights = [0], [len(words)]
    while len(lefts) <= MAX_FILLER_WORDS and lefts[-1] < len(words):
        if words[lefts[-1]] not in FILLER_WORDS:
            break
        lefts.append(lefts[-1] + 1)
    while len(rights) <= MAX_FILLER_WORDS and rights[-1] > 0:
        if words[rights[-1] - 1] not in FILLER_WORDS:
            break
        rights.append(rights[-1] - 1)
    keys: list[str] = []
    for i in lefts:
        for j in rights:
            key = "".join(strip_article(words[i:j])) if i < j else ""
            if key and key not in keys:
                keys.append(key)
    return keys


def _is_number_part(words: list[str], i: int, in_number: bool) -> bool:
    """Whether ``words[i]`` belongs to a number phrase ("one hundred and five point two")."""
    word = words[i]
    if word.isdecimal():
        return len(word) <= MAX_NUMBER_DIGITS
    follows = i + 1 < len(words) and words[i + 1].isdecimal()
    if word in _SCALES:
        return in_number or len(word) > 4  # "a thousand", but a lone "k" is not a number
    if word == "point":
        return in_number and follows
    return word == "and" and in_number and words[i - 1] in _SCALES and follows


def _read_number(words: Sequence[str]) -> tuple[frozenset[Fraction | int], frozenset[str]] | None:
    """The one number a guess states, with its units.

    None when there is no number, more than one ("37 or 38"), or any word that is
    neither filler nor a unit ("not 37", "over 37"): those are not a plain answer.
    """
    if len(words) == 1 and words[0].isdecimal() and len(words[0]) <= MAX_NUMBER_DIGITS:
        return frozenset({int(words[0])}), _NO_UNITS  # the usual number guess
    words = split_digits(" ".join(words)).split()
    phrases: list[list[str]] = []
    units: set[str] = set()
    in_number = either_million = False
    for i, word in enumerate(words):
        if _is_number_part(words, i, in_number):
            if not in_number:
                phrases.append([])
            phrases[-1].append(word)
            in_number = True
            continue
        in_number = False
        singular = word[:-1] if word.endswith("s") and word[:-1] in _UNITS else word
        if word == _MILLION_OR_MINUTES:
            either_million = True
        elif singular in _UNITS:
            units.add(_UNITS[singular])
        elif word not in _NUMBER_FILLER:
            return None
    value = _evaluate(phrases[0]) if len(phrases) == 1 else None
    if value is None:
        return None
    return frozenset({value, value * 10**6} if either_million else {value}), frozenset(units)


def _evaluate(phrase: list[str]) -> Fraction | int | None:
    """Exact value of a number phrase: scales, decimals, "twenty fifteen" for 2015."""
    total, current, previous = 0, None, ""  # previous: the number word just read
    for i, word in enumerate(phrase):
        if word in _SCALES:
            current, previous = (1 if current is None else current) * _SCALES[word], ""
            if _SCALES[word] > 100:
                total, current = total + current, None
            continue
        if word in {"and", "point"} or (i and phrase[i - 1] == "point"):
            continue  # the digits after a point were read with the number before it
        number: Fraction | int = int(word)
        if i + 2 < len(phrase) and phrase[i + 1] == "point":
            number += Fraction(int(phrase[i + 2]), 10 ** len(phrase[i + 2]))
        if current is not None and len(previous) == len(word) == 2:
            current, previous = current * 100 + number, "year"  # once: not "20 15 10"
            continue
        if previous:
            return None  # two numbers in a row
        current, previous = number if current is None else current + number, word
    return total + (current or 0)


def _answer_number(answer: str) -> _Number | None:
    parsed = _read_number(words_of(answer))
    return None if parsed is None else _Number(*parsed, Verdict(True, answer, exact=True))


def infer_kind(answers: Sequence[str]) -> str:
    """ "number" when every answer states a number, else "other"."""
    stated = [a for a in answers if words_of(a)]
    return "number" if stated and all(map(_answer_number, stated)) else "other"


class PreparedAnswers:
    """A question's answers normalised once, so judging each chat message is cheap.

    ``others`` are answers to other questions (say, every other title in the catalog):
    a typo is only forgiven when the guess is strictly closer to this answer than to
    any of them, so "Angora" cannot win for "Anora" if "Angora" is also a film.
    """

    __slots__ = ("_exact", "_forms", "_given", "_max_chars", "_numbers", "_rivals", "_window")
    __slots__ += ("kind",)

    def __init__(
        self, answers: Sequence[str], kind: str | None = None, others: Iterable[str] = ()
    ) -> None:
        answers = (answers,) if isinstance(answers, str) else tuple(answers)
        self.kind = infer_kind(answers) if kind is None else kind
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {sorted(KINDS)}, not {kind!r}")
        self._forms: list[_Form] = []
        self._numbers: list[_Number] = []
        self._given: set[str] = set()
        for answer in answers:
            self._add(answer)
        self._exact = {f.key: f.exact for f in reversed(self._forms)}  # first answer wins
        rivals = {f.key for o in others for f in self._forms_of(o)} - self._exact.keys()
        self._rivals = sorted(rivals)
        spans = [(len(f.key) - f.allowance, len(f.key) + f.allowance) for f in self._forms]
        self._window = (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else (1, 0)
        self._max_chars = max([MAX_GUESS_CHARS] + [3 * len(a) for a in answers])

    def _forms_of(self, answer: str) -> tuple[_Form, ...]:
        return _person_forms(answer)[0] if self.kind == "person" else _text_forms(answer)

    def _add(self, answer: str) -> None:
        """Numbers for numeric answers (not titles: "1917" is a name), forms otherwise."""
        if self.kind in {"number", "other"}:
            number = _answer_number(answer)
            if number is not None:
                self._numbers.append(number)
                return
            if self.kind == "number" and words_of(answer):
                raise ValueError(f"not a number: {answer!r}")
        if self.kind == "person":
            self._given |= _person_forms(answer)[1]
        self._forms.extend(self._forms_of(answer))

    def judge(self, guess: str) -> Verdict:
        """Whether ``guess`` names one of the answers, which one, and whether exactly."""
        if len(guess) > self._max_chars and len(guess.strip()) > self._max_chars:
            return NO_MATCH
        words = words_of(guess)
        if not words:  # empty, blank, emoji or punctuation only
            return NO_MATCH
        if self._numbers:
            verdict = self._judge_number(words)
            if verdict.matched or not self._forms:
                return verdict
        if words[0] not in FILLER_WORDS and words[-1] not in FILLER_WORDS:
            key = "".join(words)  # the usual guess; articles are filler, so none to drop
            return self._exact.get(key) or self._forgive(key)
        keys = _candidates(words)
        for key in keys:
            if key in self._exact:
                return self._exact[key]
        return next((v for v in map(self._forgive, keys) if v.matched), NO_MATCH)

    def matches(self, guess: str) -> bool:
        """``judge`` for callers that only need yes or no."""
        return self.judge(guess).matched

    def _judge_number(self, words: tuple[str, ...]) -> Verdict:
        parsed = _read_number(words)
        if parsed is None:
            return NO_MATCH
        values, units = parsed
        for number in self._numbers:
            if values.isdisjoint(number.values):
                continue
            if not units or not number.units or not units.isdisjoint(number.units):
                return number.verdict
        return NO_MATCH

    def _forgive(self, key: str) -> Verdict:
        """The closest answer within its typo allowance, unless a rival is as close."""
        if not self._window[0] <= len(key) <= self._window[1] or key in self._given:
            return NO_MATCH
        digits = () if key.isalpha() else tuple(_DIGIT_RUN.findall(key))
        best, best_distance = None, MAX_TYPOS + 1
        for form in self._forms:
            allowance = form.allowance
            if abs(len(key) - len(form.key)) > allowance or form.digits != digits:
                continue  # numbers in titles must agree: "Ocean's 12" is no typo of 11
            distance = OSA.distance(key, form.key, score_cutoff=allowance)
            if distance <= allowance and distance < best_distance and _is_typo(key, form):
                best, best_distance = form, distance
        if best is None or (
            self._rivals
            and process.extractOne(
                key, self._rivals, scorer=OSA.distance, score_cutoff=best_distance
            )
        ):
            return NO_MATCH
        return best.forgiven


def prepare(
    answers: Sequence[str], kind: str | None = None, others: Iterable[str] = ()
) -> PreparedAnswers:
    """Normalise a question's answers once; see ``PreparedAnswers``."""
    return PreparedAnswers(answers, kind, others)


@lru_cache(maxsize=PREPARED_CACHE)
def _prepared(answers: tuple[str, ...], kind: str | None) -> PreparedAnswers:
    return PreparedAnswers(answers, kind)


def judge(guess: str, answers: Sequence[str], kind: str | None = None) -> Verdict:
    """``PreparedAnswers.judge`` for plain answer lists, prepared once per question."""
    answers = (answers,) if isinstance(answers, str) else tuple(answers)
    return _prepared(answers, kind).judge(guess)


def answer_matches(guess: str, answers: Sequence[str], kind: str | None = None) -> bool:
    """Whether ``guess`` names one of ``answers``; ``kind`` as in ``KINDS``."""
    return judge(guess, answers, kind).matched
