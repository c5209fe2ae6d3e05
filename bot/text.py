"""Text normalisation shared by search, answer matching and /ask.

Users type on phones, paste from the web and misspell names; every comparison the bot
makes goes through these helpers so "The Florida Project", "florida-project" and
"FLORIDA PROJECT!" are the same key, and "four" is the same as "4".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

ARTICLES = frozenset({"the", "a", "an"})

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
NUMBER_WORDS: dict[str, int] = {word: value for value, word in enumerate(_UNITS)} | _TENS

# Characters that change nothing visible: zero-width spaces/joiners, BOM, soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`\u00b4]")
_NON_WORD = re.compile(r"[^\w]+|_+")
_DIGITS_WORDS = re.compile(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)")


def fold(text: str) -> str:
    """Case- and accent-fold, and drop invisible characters."""
    text = unicodedata.normalize("NFKD", text.translate(_INVISIBLE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold()


def _merge_number_words(words: list[str]) -> list[str]:
    """Turn number words into digits: "twenty five" -> "25", "four" -> "4"."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in _TENS and i + 1 < len(words) and words[i + 1] in _UNITS[1:10]:
            out.append(str(_TENS[word] + NUMBER_WORDS[words[i + 1]]))
            i += 2
            continue
        out.append(str(NUMBER_WORDS[word]) if word in NUMBER_WORDS else word)
        i += 1
    return out


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[str, ...]:
    """Words of ``text`` after folding, with punctuation gone and numbers as digits.

    Apostrophes join ("Baker's" -> "bakers"); hyphens and other punctuation split.
    """
    text = _APOSTROPHES.sub("", fold(text))
    text = _NON_WORD.sub(" ", text)
    words = [w for w in text.split() if w]
    return tuple(_merge_number_words(words))


def strip_article(words: tuple[str, ...]) -> tuple[str, ...]:
    """Drop one leading article, but never the only word."""
    if len(words) > 1 and words[0] in ARTICLES:
        return words[1:]
    return words


def normalize(text: str, *, drop_article: bool = True) -> str:
    """The comparison key for titles, names and guesses."""
    words = tokens(text)
    if drop_article:
        words = strip_article(words)
    return " ".join(words)


def compact(text: str) -> str:
    """``normalize`` without spaces, so "floridaproject" meets "Florida Project"."""
    return normalize(text).replace(" ", "")


def split_digits(text: str) -> str:
    """Separate glued digits and letters ("37days" -> "37 days")."""
    return _DIGITS_WORDS.sub(" ", text)


def clean_user_text(text: str, limit: int) -> str:
    """Trim user input to something safe to echo: no invisibles, bounded length."""
    text = unicodedata.normalize("NFKC", text.translate(_INVISIBLE)).strip()
    text = re.sub(r"\s+", " ", text)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


# For ASCII, ``tokens`` reduces to one byte table: letters lowered, digits kept, other
# characters a space, apostrophes dropped.
_ASCII_TABLE = bytes(
    c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 or 48 <= c <= 57 else 32 for c in range(256)
)


def quick_tokens(text: str) -> tuple[str, ...]:
    """``tokens`` without the cache, with a shortcut for plain ASCII.

    Trivia guesses are mostly unique ASCII, so caching them only churns the cache, and
    Unicode folding is the costly part of ``tokens``; for ASCII it is one byte table.
    """
    if not text.isascii():
        return tokens.__wrapped__(text)
    words = text.encode().translate(_ASCII_TABLE, b"'`").decode().split()
    if NUMBER_WORDS.keys().isdisjoint(words):
        return tuple(words)
    return tuple(_merge_number_words(words))
