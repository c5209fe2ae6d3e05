"""Checks every moderator or member submission passes before anything is written.

Each check either returns a clean value or raises ``UserFacingError`` with a message that
says what to fix, so a bad submission is refused before the store is touched.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from bot.errors import UserFacingError
from bot.models import AnswerKind
from bot.text import clean_user_text, normalize

if TYPE_CHECKING:
    from bot.library import Library
    from bot.search import EntryKind, SearchIndex

FACT_MIN_LENGTH = 10
FACT_MAX_LENGTH = 500
QUOTE_MAX_LENGTH = 500
CONTEXT_MAX_LENGTH = 200
QUESTION_MAX_LENGTH = 300
ANSWER_MAX_LENGTH = 100
MAX_ANSWERS = 10
MAX_SOURCES = 3
SOURCE_MAX_LENGTH = 300
REASON_MAX_LENGTH = 300
#: rapidfuzz ``token_sort_ratio`` (0-100) from which two normalised texts are the same
#: claim; numbers must also agree, so "won 5 Oscars" is not "won 6 Oscars".
DUPLICATE_SCORE = 90.0
#: The source of a server record given without one.
SERVER_SOURCE = "this server's moderators"

#: ``@everyone``, ``@here`` and raw user/role mentions, as discord.utils.escape_mentions.
_MENTION = re.compile(r"@(everyone|here|[!&]?[0-9]{17,20})")
_NUMBER = re.compile(r"\d+")
_SOURCE_SPLIT = re.compile(r"[\s,]+")
_ANSWER_SPLIT = re.compile(r"[;\n]+")

T = TypeVar("T")


def neutralise_mentions(text: str) -> str:
    """Break mention syntax with a zero-width space so the text can never ping."""
    return _MENTION.sub("@\u200b\\1", text)


def shown(value: str, limit: int = 80) -> str:
    """User text echoed in an error: one line, bounded, unable to ping."""
    return neutralise_mentions(clean_user_text(value, limit)).replace("`", "'")


def clean_text(value: str | None, *, what: str, max_length: int, min_length: int = 1) -> str:
    """Trimmed, single-spaced, mention-safe text, or an error naming the limit broken."""
    text = clean_user_text(value or "", sys.maxsize)
    if not text:
        raise UserFacingError(f"The {what} is empty: write it out, then try again.")
    if len(text) < min_length:
        raise UserFacingError(
            f"The {what} is too short ({len(text)} characters): write at least "
            f"{min_length}, as a full sentence."
        )
    if len(text) > max_length:
        raise UserFacingError(
            f"The {what} is {len(text)} characters long; the limit is {max_length}. "
            f"Shorten it by {len(text) - max_length} and try again."
        )
    return neutralise_mentions(text)


def optional_text(value: str | None, *, what: str, max_length: int) -> str | None:
    if value is None or not value.strip():
        return None
    return clean_text(value, what=what, max_length=max_length)


def resolve_entity(
    value: str | None, kind: EntryKind, library: Library, index: SearchIndex
) -> str | None:
    """A film or person id from an id, a title/name, or a typo of one; None when blank."""
    if value is None or not value.strip():
        return None
    value = value.strip()[:200]
    table = library.films if kind == "film" else library.people
    if value in table:
        return value
    result = index.lookup(value, kind)
    if result.match is not None:
        return result.match.id
    what = "film" if kind == "film" else "person"
    if result.suggestions:
        options = ", ".join(e.display for e in result.suggestions)
        raise UserFacingError(
            f"I don't know the {what} “{shown(value)}”. Did you mean {options}? "
            f"Pick one from the list as you type."
        )
    raise UserFacingError(
        f"I don't know the {what} “{shown(value)}”: pick a {what} from the list as you type."
    )


def is_url(value: str) -> bool:
    """An absolute http(s) address with a dotted host and no spaces."""
    if len(value) > SOURCE_MAX_LENGTH or any(ch.isspace() for ch in value):
        return False
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and "." in parts.netloc.strip(".")


def resolve_sources(value: str | Sequence[str] | None, library: Library) -> tuple[str, ...]:
    """Source ids or web addresses (up to ``MAX_SOURCES``); blank means the moderators."""
    items = [value] if isinstance(value, str) or value is None else list(value)
    sources: list[str] = []
    for item in items:
        item = (item or "").strip()
        if not item:
            continue
        if item.lower() == SERVER_SOURCE:
            parts = [SERVER_SOURCE]
        else:
            parts = [p for p in _SOURCE_SPLIT.split(item) if p]
        for part in parts:
            sources.append(_one_source(part, library))
    sources = list(dict.fromkeys(sources))
    if len(sources) > MAX_SOURCES:
        raise UserFacingError(f"Give at most {MAX_SOURCES} sources.")
    return tuple(sources) or (SERVER_SOURCE,)


def _one_source(part: str, library: Library) -> str:
    if part == SERVER_SOURCE or part.lower() in library.sources:
        return part if part == SERVER_SOURCE else part.lower()
    if is_url(part):
        return part
    examples = ", ".join(sorted(library.sources)[:6])
    raise UserFacingError(
        f"“{shown(part, 60)}” is not a source I can cite: give a web address starting "
        f"with https:// or a source id such as {examples}."
    )


def parse_answers(value: str | Sequence[str]) -> tuple[str, ...]:
    """Accepted answers, from a list or from text separated by ``;`` or new lines."""
    raw = _ANSWER_SPLIT.split(value) if isinstance(value, str) else [str(v) for v in value]
    answers: list[str] = []
    seen: set[str] = set()
    for item in raw:
        if not item.strip():
            continue
        answer = clean_text(item, what="answer", max_length=ANSWER_MAX_LENGTH)
        if answer.casefold() not in seen:
            seen.add(answer.casefold())
            answers.append(answer)
    if not answers:
        raise UserFacingError("Give at least one accepted answer (separate several with ;).")
    if len(answers) > MAX_ANSWERS:
        raise UserFacingError(f"Give at most {MAX_ANSWERS} accepted answers.")
    return tuple(answers)


def guess_answer_kind(answers: Sequence[str], index: SearchIndex) -> AnswerKind:
    """How a trivia answer should be matched: a number, a person, a title, or other."""
    first = answers[0]
    if first.replace(",", "").isdigit():
        return "number"
    for kind in ("person", "film"):
        result = index.lookup(first, kind)
        if result.match is not None and not result.forgiven:
            return "person" if kind == "person" else "title"
    return "other"


def _numbers(key: str) -> list[str]:
    return sorted(_NUMBER.findall(key))


def find_duplicate(
    text: str,
    candidates: Iterable[T],
    text_of: Callable[[T], str],
    *,
    exclude: Callable[[T], bool] = lambda _: False,
) -> T | None:
    """The candidate saying nearly the same thing as ``text`` (best first), if any."""
    key = normalize(text)
    numbers = _numbers(key)
    best: T | None = None
    best_score = 0.0
    for candidate in candidates:
        if exclude(candidate):
            continue
        other = normalize(text_of(candidate))
        if _numbers(other) != numbers:
            continue
        score = fuzz.token_sort_ratio(key, other, processor=None)
        if score >= DUPLICATE_SCORE and score > best_score:
            best, best_score = candidate, score
    return best
