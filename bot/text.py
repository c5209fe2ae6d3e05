"""Text normalisation shared by search, answer matching and /ask.

Users type on phones, paste from the web and misspell names; every comparison the bot
makes goes through these helpers so "The Florida Project", "florida-project" and
"FLORIDA PROJECT!" are the same key, and "four" is the same as "4".
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate

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


# For many ASCII texts at once: the same table, but a line break stays one.
_ASCII_LINES = bytes(10 if c == 10 else _ASCII_TABLE[c] for c in range(256))
_SPACE_RUNS = re.compile(" {2,}")
_EDGE_SPACES = re.compile("^ | $", re.MULTILINE)
_LEADING_ARTICLE = re.compile("^(?:the|a|an) (?=.)", re.MULTILINE)
_NUMBER_WORD = re.compile(r"\b(?:" + "|".join(NUMBER_WORDS) + r")\b")


def _normalized(text: str) -> str:
    """``normalize`` without its cache, one text at a time."""
    return " ".join(strip_article(quick_tokens(text)))


def normalize_many(texts: Sequence[str]) -> list[str]:
    """``normalize`` of each text, without its cache, the ASCII ones in a few passes.

    Why: the search index normalises every title, name and alias at start (200k at the
    largest scale), and one call each costs more than the work. The ASCII texts are
    joined by line breaks and translated, collapsed and stripped of a leading article
    all at once; a line with a number word, and any text that is not plain ASCII or
    holds a line break, goes through ``normalize``'s own steps.
    """
    out = [""] * len(texts)
    plain: list[int] = []
    for i, text in enumerate(texts):
        if text.isascii() and "\n" not in text:
            plain.append(i)
        else:
            out[i] = _normalized(text)
    if not plain:
        return out
    joined = "\n".join(texts[i] for i in plain).encode().translate(_ASCII_LINES, b"'`")
    blob = _EDGE_SPACES.sub("", _SPACE_RUNS.sub(" ", joined.decode()))
    blob = _LEADING_ARTICLE.sub("", blob)
    lines = blob.split("\n")
    if _NUMBER_WORD.search(blob):
        starts = [0, *accumulate(len(line) + 1 for line in lines)]
        for match in _NUMBER_WORD.finditer(blob):
            row = bisect_right(starts, match.start()) - 1
            lines[row] = _normalized(texts[plain[row]])
    for i, line in zip(plain, lines, strict=True):
        out[i] = line
    return out
