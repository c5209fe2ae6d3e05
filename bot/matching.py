"""Judge a trivia guess against a question's accepted answers.

Players type fast, on phones, with chatter around the answer; the game must not punish
that, yet must never hand a point for a different film, a different person or a wrong
number. So typing noise (case, accents, punctuation, spacing, a leading article, filler
such as "i think it's ...?") is normalised away, typos are forgiven in proportion to
the answer's length, and meaning stays strict: a fragment or a longer phrase that merely
contains the answer is not the answer, a first name alone does not name a person, and
numbers must be exactly right.

The trivia engine prepares each question once (``prepare``) and judges every message
with ``PreparedAnswers.judge``; ``answer_matches`` is the one-off convenience.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from rapidfuzz.distance import OSA

from bot.text import NUMBER_WORDS, quick_tokens, split_digits, strip_article

KINDS = frozenset({"person", "title", "number", "other"})

# Typo allowance, in edits (insert, delete, substitute, swap two neighbours), by the
# length of the normalised answer without spaces. Short answers get none: one edit on
# four letters is another word. 5-8 letters get one, so "Angora" passes for "Anora":
# no Baker film is one edit from another, and `others` can veto such neighbours.
NO_TYPO_MAX_LEN = 4
ONE_TYPO_MAX_LEN = 8
TWO_TYPOS_MAX_LEN = 15
CHARS_PER_TYPO = 7  # past TWO_TYPOS_MAX_LEN: one edit per this many characters
MAX_TYPOS = 5
# A guess that sits inside the answer, or holds it whole, differing by at least this
# many characters is a fragment ("red rock") or something more ("red rocket ii"),
# not a typo. One character less or more is an ordinary slip.
FRAGMENT_MIN_DIFF = 2
# Guesses longer than this (or three times the longest answer) are chatter, rejected
# before any work so a 5,000-character paste costs nothing.
MAX_GUESS_CHARS = 200
# At most this many filler words are peeled off each end of a guess.
MAX_FILLER_WORDS = 6
# Longer digit runs are serial numbers, not quantities; they are compared as text.
MAX_NUMBER_DIGITS = 60

# Words that, at either end of a guess, never change which answer it names. Negations
# and conjunctions ("not", "no", "or", "and", "isnt") are deliberately absent.
_FILLER = """its it is was i id im ill think thinking guess believe bet say maybe probably
    prob perhaps possibly definitely def surely obviously certainly um umm uh uhh hmm hmmm
    er erm ok okay oh so well answer my final the a an that thats would be must has to go
    with pretty sure like lol lmao haha yes yeah yep hey ooh right for tho though then film
    movie called in by from please pls"""
FILLER_WORDS = frozenset(_FILLER.split())
# A number guess may also hedge and carry units anywhere ("about 37 days").
_HEDGES = "about around approximately approx roughly exactly just only old st nd rd th"
_NUMBER_FILLER = FILLER_WORDS | frozenset(_HEDGES.split())
_UNIT_GROUPS = (  # first word of each group is the unit the others spell
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

_NUMBER_PUNCT = re.compile(r"\d[,.]\d|[-\u2212]\d")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
_MINUS = re.compile(r"(?<![\w.])[-\u2212](?=\d)")
_DIGIT_RUN = re.compile(r"\d+")
_NAMES = {value: word for word, value in NUMBER_WORDS.items()}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of one guess, so the game can say "close enough: Anora"."""

    matched: bool
    answer: str | None = None  # the accepted answer that matched, as written
    exact: bool = False  # False when a typo was forgiven


NO_MATCH = Verdict(matched=False)


@dataclass(frozen=True, slots=True)
class _Form:
    """One spelling a guess may take: an answer's key and how far a typo may stray."""

    key: str
    answer: str
    allowance: int
    digits: tuple[str, ...]
    tail: str = ""  # a person's surname key, which the guess must end close to


@dataclass(frozen=True, slots=True)
class _Number:
    values: frozenset[Fraction | int]
    units: frozenset[str]
    answer: str


def typo_allowance(length: int) -> int:
    """Edits forgiven for an answer key of ``length`` characters."""
    if length <= NO_TYPO_MAX_LEN:
        return 0
    if length <= ONE_TYPO_MAX_LEN:
        return 1
    if length <= TWO_TYPOS_MAX_LEN:
        return 2
    return min(MAX_TYPOS, length // CHARS_PER_TYPO)


def words_of(text: str) -> tuple[str, ...]:
    """``tokens`` plus number punctuation: "$15,000" is one number, "1.5" keeps its point."""
    if _NUMBER_PUNCT.search(text):
        text = _THOUSANDS.sub("", text)
        text = _DECIMAL_POINT.sub(" point ", text)
        text = _MINUS.sub(" minus ", text)
    return quick_tokens(text)


def _typo_distance(guess: str, target: str, allowance: int) -> int | None:
    """Edits from guess to target if it is a typo, not a fragment or a longer phrase."""
    diff = abs(len(guess) - len(target))
    if diff > allowance:
        return None
    if diff >= FRAGMENT_MIN_DIFF and (guess in target or target in guess):
        return None
    distance = OSA.distance(guess, target, score_cutoff=allowance)
    return distance if distance <= allowance else None


def _tail_close(guess: str, tail: str) -> bool:
    """Whether the guess ends in the surname give or take a typo of the surname's own size.

    Stops a slip in a long full name from carrying a different surname: "Mikey Madsen"
    is two edits from "Mikey Madison" but names another family.
    """
    allowance = typo_allowance(len(tail))
    for length in range(max(1, len(tail) - allowance), len(tail) + allowance + 1):
        if OSA.distance(guess[-length:], tail, score_cutoff=allowance) <= allowance:
            return True
    return False


def _spell(word: str) -> str:
    """A digit token under 100 in words ("37" -> "thirtyseven"); other words unchanged."""
    if not word.isdecimal() or len(word) > 2 or str(int(word)) != word:
        return word
    number = int(word)
    if number in _NAMES:
        return _NAMES[number]
    return _NAMES[number - number % 10] + _NAMES[number % 10]


def _text_forms(answer: str) -> list[_Form]:
    """Keys for a title: with and without its article, digits and number words."""
    words = words_of(answer)
    variants = {strip_article(words), words}
    variants |= {tuple(_spell(w) for w in v) for v in variants}
    keys = sorted({"".join(v) for v in variants if v}, key=len)
    return [_Form(k, answer, typo_allowance(len(k)), _digits(k)) for k in keys]


def _person_forms(answer: str) -> tuple[list[_Form], set[str]]:
    """Keys for a name (full, without suffix, surname, first + surname) and given names.

    The surname keeps its particles ("von trier", "de niro"); given names alone are
    returned so they can be refused even when one is near the surname.
    """
    words = strip_article(words_of(answer))
    core = list(words)
    while len(core) > 1 and core[-1] in SUFFIXES:
        core.pop()
    start = len(core) - 1
    while start > 1 and core[start - 1] in PARTICLES:
        start -= 1
    surname = "".join(core[start:])
    given = core[:start]
    keys = {"".join(words), "".join(core)}
    if len(given) > 1:
        keys.add(given[0] + surname)
    forms = [_Form(k, answer, typo_allowance(len(k)), _digits(k), surname) for k in keys]
    forms.append(_Form(surname, answer, typo_allowance(len(surname)), _digits(surname)))
    return [f for f in forms if f.key], set(given) - {surname}


def _digits(key: str) -> tuple[str, ...]:
    """Numbers in a key; they must agree exactly, so "Ocean's 12" is no typo of "11"."""
    return tuple(_DIGIT_RUN.findall(key)) if any(c.isdigit() for c in key) else ()


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
    words = split_digits(" ".join(words)).split()
    phrases: list[list[str]] = []
    units: set[str] = set()
    sign, in_number, either_million = 1, False, False
    for i, word in enumerate(words):
        if _is_number_part(words, i, in_number):
            if not in_number:
                phrases.append([])
            phrases[-1].append(word)
            in_number = True
            continue
        in_number = False
        singular = word[:-1] if word.endswith("s") and word[:-1] in _UNITS else word
        if word in {"minus", "negative"} and not phrases:
            sign = -1
        elif word == _MILLION_OR_MINUTES:
            either_million = True
        elif singular in _UNITS:
            units.add(_UNITS[singular])
        elif word not in _NUMBER_FILLER:
            return None
    value = _evaluate(phrases[0]) if len(phrases) == 1 else None
    if value is None:
        return None
    values = {sign * value} | ({sign * value * 10**6} if either_million else set())
    return frozenset(values), frozenset(units)


def _evaluate(phrase: list[str]) -> Fraction | int | None:
    """Exact value of a number phrase: scales, decimals, "15 000", "twenty fifteen"."""
    total, current, last, previous = 0, None, "", ""
    i = 0
    while i < len(phrase):
        word, i = phrase[i], i + 1
        if word in _SCALES:
            current, scale = 1 if current is None else current, _SCALES[word]
            if scale != 100:
                total, current, last = total + current * scale, None, "big"
            elif last == "hundred":
                return None
            else:
                current, last = current * 100, "hundred"
            continue
        if word in {"and", "point"}:
            if word == "point":  # a second decimal point
                return None
            continue
        number, raw = int(word), word
        if i + 1 < len(phrase) and phrase[i] == "point":
            fraction = phrase[i + 1]
            number += Fraction(int(fraction), 10 ** len(fraction))
            raw, i = "", i + 2
        if last == "num" and current is not None and len(raw) == 3 and 0 < len(previous) <= 3:
            current = current * 1000 + number  # "15 000"
        elif last == "num" and current is not None and len(raw) == len(previous) == 2:
            current, raw = current * 100 + number, ""  # "twenty fifteen"; not thrice
        elif last == "num":
            return None
        elif last == "hundred":
            current = current + number if current is not None and number < 100 else None
        else:
            current = number
        if current is None:
            return None
        last, previous = "num", raw
    return total + (current or 0)


def infer_kind(answers: Sequence[str]) -> str:
    """ "number" when every answer states a number, else "other"."""
    stated = [a for a in answers if words_of(a)]
    if stated and all(_read_number(words_of(a)) for a in stated):
        return "number"
    return "other"


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
        kind = infer_kind(answers) if kind is None else kind
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {sorted(KINDS)}, not {kind!r}")
        self.kind = kind
        self._forms: list[_Form] = []
        self._numbers: list[_Number] = []
        self._given: set[str] = set()
        for answer in answers:
            self._add(answer)
        self._exact: dict[str, str] = {}
        for form in self._forms:
            self._exact.setdefault(form.key, form.answer)
        self._rivals = {f.key for o in others for f in self._forms_of(o)} - self._exact.keys()
        self._window = (
            min((len(f.key) - f.allowance for f in self._forms), default=0),
            max((len(f.key) + f.allowance for f in self._forms), default=-1),
        )
        self._max_chars = max([MAX_GUESS_CHARS] + [3 * len(a) for a in answers])

    def _forms_of(self, answer: str) -> list[_Form]:
        return _person_forms(answer)[0] if self.kind == "person" else _text_forms(answer)

    def _add(self, answer: str) -> None:
        """Numbers for numeric answers (not titles: "1917" is a name), forms otherwise."""
        words = words_of(answer)
        if not words:
            return
        if self.kind in {"number", "other"}:
            parsed = _read_number(words)
            if parsed is not None:
                self._numbers.append(_Number(*parsed, answer))
                return
            if self.kind == "number":
                raise ValueError(f"not a number: {answer!r}")
        if self.kind == "person":
            forms, given = _person_forms(answer)
            self._given |= given
        else:
            forms = _text_forms(answer)
        self._forms.extend(forms)

    def judge(self, guess: str) -> Verdict:
        """Whether ``guess`` names one of the answers, which one, and whether exactly."""
        guess = guess.strip()
        if not guess or len(guess) > self._max_chars:
            return NO_MATCH
        words = words_of(guess)
        if not words:
            return NO_MATCH
        if self._numbers:
            verdict = self._judge_number(words)
            if verdict.matched or not self._forms:
                return verdict
        return self._judge_text(words)

    def matches(self, guess: str) -> bool:
        """``judge`` for callers that only need yes or no."""
        return self.judge(guess).matched

    def _judge_number(self, words: tuple[str, ...]) -> Verdict:
        parsed = _read_number(words)
        if parsed is None:
            return NO_MATCH
        values, units = parsed
        for number in self._numbers:
            if values & number.values and (not units or not number.units or units & number.units):
                return Verdict(matched=True, answer=number.answer, exact=True)
        return NO_MATCH

    def _judge_text(self, words: tuple[str, ...]) -> Verdict:
        keys = _candidates(words)
        for key in keys:
            answer = self._exact.get(key)
            if answer is not None:
                return Verdict(matched=True, answer=answer, exact=True)
        low, high = self._window
        for key in keys:
            if low <= len(key) <= high and key not in self._given:
                verdict = self._forgive(key)
                if verdict.matched:
                    return verdict
        return NO_MATCH

    def _forgive(self, key: str) -> Verdict:
        """The closest answer within its typo allowance, unless a rival is as close."""
        digits = _digits(key)
        best: tuple[int, _Form] | None = None
        for form in self._forms:
            if form.digits != digits:
                continue
            distance = _typo_distance(key, form.key, form.allowance)
            if distance is None or (form.tail and not _tail_close(key, form.tail)):
                continue
            if best is None or distance < best[0]:
                best = (distance, form)
        if best is None or self._rival_within(key, best[0]):
            return NO_MATCH
        return Verdict(matched=True, answer=best[1].answer, exact=False)

    def _rival_within(self, key: str, distance: int) -> bool:
        return any(
            abs(len(r) - len(key)) <= distance
            and OSA.distance(key, r, score_cutoff=distance) <= distance
            for r in self._rivals
        )


def prepare(
    answers: Sequence[str], kind: str | None = None, others: Iterable[str] = ()
) -> PreparedAnswers:
    """Normalise a question's answers once; see ``PreparedAnswers``."""
    return PreparedAnswers(answers, kind, others)


def judge(guess: str, answers: Sequence[str], kind: str | None = None) -> Verdict:
    """One-off verdict; prepare the answers instead when judging many guesses."""
    return PreparedAnswers(answers, kind).judge(guess)


def answer_matches(guess: str, answers: Sequence[str], kind: str | None = None) -> bool:
    """Whether ``guess`` names one of ``answers``; ``kind`` as in ``KINDS``."""
    return PreparedAnswers(answers, kind).judge(guess).matched
