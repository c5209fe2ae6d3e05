"""Follow-up questions: what "it" and "he" refer to, per member and channel.

A conversation remembers the entities of the last answer for ``CONTEXT_TTL`` seconds
of the caller's clock (the event loop's, so tests can move time). A later question
that says "it", "he" or "she", or names nothing at all, borrows them; "what about
Red Rocket?" asks the previous question again about something else.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.ask.linker import Entity, Gazetteer, Mention

if TYPE_CHECKING:
    from bot.ask.parse import Query

#: Seconds a conversation is remembered after its last question.
CONTEXT_TTL = 300.0
#: Conversations kept at most (least recently used go first).
MAX_CONVERSATIONS = 10_000
#: A question naming nothing with at most this many content words is a follow-up.
FOLLOW_UP_MAX_TERMS = 4

_FILM_PRONOUNS = frozenset({"it", "its", "this", "that"})
_PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her"})
_ELLIPSIS_STARTS = (("what", "about"), ("how", "about"), ("and",), ("what", "of"))

Key = tuple[int, int, int]


@dataclass(frozen=True)
class Context:
    """What the previous question was about."""

    entities: tuple[Entity, ...]
    query: Query | None = None
    at: float = 0.0


class Conversations:
    """Context per (guild, channel, member), forgotten after ``ttl`` seconds."""

    def __init__(self, ttl: float = CONTEXT_TTL, limit: int = MAX_CONVERSATIONS) -> None:
        self.ttl = ttl
        self.limit = limit
        self._items: OrderedDict[Key, Context] = OrderedDict()

    def get(self, key: Key, now: float) -> Context | None:
        context = self._items.get(key)
        if context is None:
            return None
        if now - context.at > self.ttl:
            del self._items[key]
            return None
        return context

    def remember(
        self, key: Key, entities: tuple[Entity, ...], query: Query | None, now: float
    ) -> None:
        if not entities:
            return
        self._items[key] = Context(entities, query, now)
        self._items.move_to_end(key)
        while len(self._items) > self.limit:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def resolve(query: Query, context: Context | None, gaz: Gazetteer) -> Query:
    """Fill in what a follow-up leaves out, from the previous question's context."""
    if context is None or not context.entities:
        return query
    if _is_ellipsis(query) and context.query is not None:
        return _ask_again(query, context.query)
    kinds = {m.entity.kind for m in query.mentions}
    words = set(query.words)
    wanted: tuple[str, ...] = ()
    if words & _FILM_PRONOUNS and "film" not in kinds:
        wanted = ("film",)
    if words & _PERSON_PRONOUNS and not kinds & {"person", "character"}:
        wanted = (*wanted, "person", "character")
    if words & {"they", "them", "their"} and not kinds:
        wanted = ("film", "person", "character")
    if not query.mentions and len(query.terms) <= FOLLOW_UP_MAX_TERMS and not wanted:
        wanted = ("film", "person", "character")
    borrowed = _salient(context.entities, wanted)
    if not borrowed:
        return query
    extra = [Mention(e, -1 - i, -1 - i) for i, e in enumerate(borrowed)]
    return replace(query, mentions=[*query.mentions, *extra])


def _salient(entities: tuple[Entity, ...], wanted: tuple[str, ...]) -> list[Entity]:
    """The first entity of each wanted kind: the answer's, else the question's first.

    A person and the character they play are one referent for "he" or "she".
    """
    chosen: list[Entity] = []
    for kind in wanted:
        found = next((e for e in entities if e.kind == kind), None)
        if found is None:
            continue
        if kind == "character" and any(e.kind == "person" for e in chosen):
            continue
        chosen.append(found)
    return chosen


def _is_ellipsis(query: Query) -> bool:
    """ "what about Red Rocket?" / "and Tangerine?": an entity and nothing else."""
    starts = any(tuple(query.words[: len(s)]) == s for s in _ELLIPSIS_STARTS)
    return starts and bool(query.mentions) and not [t for t in query.terms if not t.light]


def _ask_again(query: Query, previous: Query) -> Query:
    """The previous question about the newly named entity."""
    new_kinds = {m.entity.kind for m in query.mentions}
    kept = [m for m in previous.mentions if m.entity.kind not in new_kinds]
    return replace(
        previous,
        text=query.text,
        mentions=[*query.mentions, *kept],
        words=[*previous.words, *query.words],
    )
