"""Words: which ones carry no meaning, how to stem them, which ones mean the same.

Everything /ask compares goes through ``concepts``: a word becomes its stem, and the
stem may stand for a wider idea ("movie" and "film" are one idea; "dp" is a
"cinematographer"). Both the questions and the statements are read this way, so the
same rules apply on both sides and no rule is about one particular question.
"""

from __future__ import annotations

from functools import lru_cache

from bot.ask.synonyms import ALTERNATE_CREDIT, ALTERNATES, IRREGULAR, RELATED, SYNONYMS
from bot.ask.words import (
    ANTONYMS,
    GENERIC_WORDS,
    NATIONALITIES,
    NEGATIONS,
    PHRASES,
    QUESTION_TYPOS,
    STOPWORDS,
    words_of,
)

_words = words_of

__all__ = [
    "ALTERNATE_CREDIT",
    "ANTONYMS",
    "GENERIC_WORDS",
    "IRREGULAR",
    "NATIONALITIES",
    "NEGATIONS",
    "STOPWORDS",
    "alternates",
    "concept",
    "expand_tokens",
    "merge_phrases",
    "merge_phrases_indexed",
    "related",
    "stem",
    "words_of",
]


def _suffix_stem(word: str) -> str:
    """A light, predictable stemmer: plurals, -ing, -ed, -ly, and a final e.

    Only consistency matters: "release", "released" and "releases" must meet.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, repl, minimum in (
        ("ies", "y", 4),
        ("sses", "ss", 5),
        ("ing", "", 5),
        ("ed", "", 4),
        ("es", "", 5),
        ("s", "", 4),
        ("ly", "", 5),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) + len(repl) >= minimum - 1:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            if suffix == "es" and not word.endswith(("ches", "shes", "xes", "sses", "zes")):
                continue
            word = word[: len(word) - len(suffix)] + repl
            doubled = len(word) > 2 and word[-1] == word[-2] and word[-1] in "bgmnprt"
            if suffix in ("ing", "ed") and doubled:
                word = word[:-1]  # "starred" -> "star", but "called" -> "call"
            break
    return _final_e(word)


def _final_e(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("e") and not word.endswith("ee") else word


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """The base form of a word, irregular verbs included."""
    if word in IRREGULAR:
        return _final_e(IRREGULAR[word])
    return _suffix_stem(word)


def _by_stem(table: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        out.setdefault(stem(key), value)
    return out


_SYNONYMS_BY_STEM = _by_stem(SYNONYMS)


@lru_cache(maxsize=16384)
def concept(word: str) -> str:
    """The idea a word stands for: its stem, or the synonym group's name."""
    if word in SYNONYMS:
        return stem(SYNONYMS[word])
    base = stem(word)
    return stem(_SYNONYMS_BY_STEM[base]) if base in _SYNONYMS_BY_STEM else base


def _by_concept(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for key, values in table.items():
        merged = out.get(concept(key), ()) + tuple(concept(v) for v in values)
        out[concept(key)] = tuple(dict.fromkeys(merged))
    return out


_RELATED_BY_CONCEPT = _by_concept(RELATED)
_ALTERNATES_BY_CONCEPT = _by_concept(ALTERNATES)


@lru_cache(maxsize=16384)
def related(word: str) -> tuple[str, ...]:
    """Wider ideas a statement's word also stands for ("actress" is someone who plays)."""
    return _RELATED_BY_CONCEPT.get(concept(word), ())


def alternates(idea: str) -> tuple[str, ...]:
    """Ideas that may answer a question's idea in other words ("told" -> "advice")."""
    return _ALTERNATES_BY_CONCEPT.get(idea, ())


_ORDINAL_WORDS = _words(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth"
)


def _ordinal(word: str) -> str | None:
    """ "5th" -> "fifth", "1st" -> "first"."""
    digits = word[:-2]
    if word[-2:] in ("st", "nd", "rd", "th") and digits.isdigit() and int(digits) < 13:
        return _ORDINAL_WORDS[int(digits)]
    return None


def expand_tokens(words: tuple[str, ...] | list[str]) -> list[str]:
    """Rewrite question-word typos and contractions ("whos" -> "who is"), "5th" -> "fifth"."""
    out: list[str] = []
    for word in words:
        ordinal = _ordinal(word) if len(word) > 2 else None
        out.extend((ordinal,) if ordinal else QUESTION_TYPOS.get(word, (word,)))
    return out


_LONGEST_PHRASE = max(len(p) for p in PHRASES)
_PHRASE_STARTS = frozenset(p[0] for p in PHRASES)


def merge_phrases(words: list[str]) -> list[str]:
    """Join known multi-word phrases into one token ("came out" -> "release").

    "best" joins the word after it, so award categories stay apart: "best actor" is
    not "best director".
    """
    return [word for word, _ in merge_phrases_indexed(words)]


def merge_phrases_indexed(words: list[str]) -> list[tuple[str, int]]:
    """``merge_phrases`` with the index of each result's last source word."""
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(words):
        longest = _LONGEST_PHRASE if words[i] in _PHRASE_STARTS else 1
        for size in range(min(longest, len(words) - i), 1, -1):
            key = tuple(words[i : i + size])
            if key in PHRASES:
                out.append((PHRASES[key], i + size - 1))
                i += size
                break
        else:
            if words[i] == "best" and i + 1 < len(words) and words[i + 1] not in STOPWORDS:
                out.append(("best" + words[i + 1], i + 1))
                i += 2
                continue
            out.append((words[i], i))
            i += 1
    return out
