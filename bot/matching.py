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
from decimal import Decimal

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

# Words that, at either end of a guess, never change which answer it names. Negations
# and conjunctions ("not", "no", "or", "and", "isnt") are deliberately absent.
FILLER_WORDS = frozenset(
    """its it is was i id im ill think thinking guess believe bet say maybe probably prob
    perhaps possibly definitely def surely obviously certainly um umm uh uhh hmm hmmm er
    erm ok okay oh so well answer my final the a an that thats would be must has to go
    with pretty sure like lol lmao haha yes yeah yep hey ooh right for tho though then
    film movie called in by from please pls""".split()
)
# Extra words a number guess may carry anywhere: hedges and units ("about 37 days").
_NUMBER_FILLER = FILLER_WORDS | {"about", "around", "approximately", "approx", "roughly"}
_NUMBER_FILLER |= {"exactly", "just", "only", "old", "st", "nd", "rd", "th"}
_UNITS = {
    **dict.fromkeys(["minute", "min", "mins"], "minute"),
    **dict.fromkeys(["hour", "hr", "hrs", "h"], "hour"),
    **dict.fromkeys(["second", "sec", "secs", "s"], "second"),
    **dict.fromkeys(["day", "week", "month", "year", "time", "percent", "pct"]),
    **dict.fromkeys(["yr", "yrs", "y", "yo"], "year"),
    **dict.fromkeys(["dollar", "buck", "usd"], "dollar"),
    **dict.fromkeys(["film", "movie", "feature", "people", "person", "episode"]),
    **dict.fromkeys(["award", "oscar", "nomination", "win", "language", "country"]),
}
_SCALES = {"hundred": 100, "thousand": 1000, "k": 1000, "grand": 1000}
_SCALES |= dict.fromkeys(["million", "mil", "mn"], 10**6) | {"billion": 10**9, "bn": 10**9}
_MILLION_OR_MINUTES = "m"  # "139m" is a runtime, "6m" a budget: both readings are tried
PARTICLES = frozenset("von van der den de da di del della du la le ter ten bin ibn al".split())
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
    values: frozenset[Decimal]
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
