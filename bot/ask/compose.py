"""Turn scored statements into the words the bot says, answer first.

A known answer is the short answer in bold ("**2012.**", "**Yes.**"), then the
statement it comes from; spoilers go inside Discord spoiler tags. An unknown one says
"I don't know" and offers questions the bot can answer about what it recognised.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.text import NUMBER_WORDS

if TYPE_CHECKING:
    from bot.ask.engine import Answer
    from bot.ask.linker import Entity
    from bot.ask.parse import Query
    from bot.ask.rank import Scored
    from bot.library import Library

IDK = "I don't know"
ONE_AT_A_TIME = "(That answers your first question; ask me the others one at a time.)"
_PLURAL_CUES = frozenset({"all", "both", "every", "list", "parents", "influences", "members"})
_NUMBER_WORD = re.compile(
    r"\b(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b", re.I
)
_NUMBER_KINDS = frozenset({"number", "duration", "age", "money"})
HELP = (
    "Ask me anything about Sean Baker's films, in your own words — for example "
    "“who plays Igor in Anora?”, “what year did Tangerine come out?” or "
    "“how many Oscars did Anora win?”"
)


def _answer_cls() -> type[Answer]:
    from bot.ask.engine import Answer

    return Answer


def wants_list(query: Query) -> bool:
    """Questions asking for several things at once ("who are his influences")."""
    words = set(query.words)
    if words & _PLURAL_CUES:
        return True
    return "are" in words and query.qtype in ("person", "title", "other")


def _digits(text: str) -> str:
    """Number words as digits, so "three days" reads "3 days"."""
    return _NUMBER_WORD.sub(lambda m: str(NUMBER_WORDS[m.group(1).lower()]), text)


def short_answer(query: Query, chosen: list[Scored]) -> str | None:
    best = chosen[0]
    if query.qtype == "yesno":
        return "Yes" if best.yes else "No"
    spans = [s.span for s in chosen if s.span is not None]
    if not spans:
        return None
    texts: list[str] = []
    for span in spans:
        text = _digits(span.text) if span.kind in _NUMBER_KINDS else span.text
        if text not in texts:
            texts.append(text)
    if len(texts) == 1:
        return texts[0]
    return ", ".join(texts[:-1]) + " and " + texts[-1]


def known(question: str, query: Query, chosen: list[Scored], library: Library) -> Answer:
    short = short_answer(query, chosen)
    sentences = []
    for scored in chosen[:2] if len(chosen) <= 2 else chosen[:1]:
        sentences.append(scored.statement.text.rstrip())
    if len(chosen) > 2:
        sentences.append(f"(And {len(chosen) - 1} more like it in my sources.)")
    body = " ".join(sentences)
    if short and body.startswith(short) and len(chosen) == 1:
        text = f"**{short}**{body[len(short) :]}"
    elif short:
        text = f"**{short}.** {body}" if not short.endswith(".") else f"**{short}** {body}"
    else:
        text = body
    spoiler = any(s.statement.spoiler for s in chosen)
    if spoiler:
        text = f"⚠️ Spoiler: ||{text}||"
    if query.more:
        text += f"\n{ONE_AT_A_TIME}"
    facts = tuple(s.statement.fact for s in chosen if s.statement.fact is not None)
    sources = tuple(dict.fromkeys(src for s in chosen for src in s.statement.sources))
    # The answer's own entity first: "he" in a follow-up most likely means the answer.
    entities: dict[tuple[str, str], Entity] = {}
    for s in chosen:
        span = s.span
        if span is not None and span.entity:
            entity = _entity_for(span.kind, span.entity, library)
            if entity is not None:
                entities.setdefault((entity.kind, entity.id), entity)
    for e in query.entities:
        entities.setdefault((e.kind, e.id), e)
    return _answer_cls()(
        question=question,
        text=text,
        known=True,
        confidence=chosen[0].score,
        facts=facts,
        sources=sources,
        spoiler=spoiler,
        short=short,
        entities=tuple(entities.values()),
        statements=tuple(s.statement.key for s in chosen),
        query=query,
    )


def _entity_for(kind: str, ident: str, library: Library) -> Entity | None:
    from bot.ask.linker import Entity

    if kind == "film" and ident in library.films:
        return Entity("film", ident, library.films[ident].title, film=ident)
    if kind == "person" and ident in library.people:
        return Entity("person", ident, library.people[ident].name, person=ident)
    return None


def unknown(question: str, query: Query, suggestions: tuple[str, ...], confidence: float) -> Answer:
    text = f"{IDK}: my sources don't say."
    if not query.entities:
        text = f"{IDK}. I only know Sean Baker's films and the people in them, from my sources."
    if query.more:
        text += f" {ONE_AT_A_TIME}"
    if suggestions:
        text += "\nI can tell you, for example:\n" + "\n".join(f"• {s}" for s in suggestions)
    return _answer_cls()(
        question=question,
        text=text,
        known=False,
        confidence=confidence,
        suggestions=suggestions,
        entities=tuple(query.entities),
        query=query,
    )


def empty(question: str) -> Answer:
    return _answer_cls()(question=question, text=HELP, known=False)


def suggestion_candidates(entities: list[Entity], library: Library) -> list[str]:
    """Questions worth offering about these entities (checked by the caller)."""
    out: list[str] = []
    for entity in entities:
        if entity.kind == "film" and entity.id in library.films:
            title = library.films[entity.id].title
            out += [
                f"Who directed {title}?",
                f"When did {title} come out?",
                f"What is {title} about?",
                f"Who stars in {title}?",
                f"What did {title} win?",
            ]
        elif entity.kind == "person" and entity.id in library.people:
            name = library.people[entity.id].name
            out += [f"Who is {name}?", f"Which film is {name} in?"]
        elif entity.kind == "character" and entity.film in library.films:
            title = library.films[entity.film].title
            out += [f"Who plays {entity.label} in {title}?"]
    if len(out) < 3:
        out += [
            "Who directed Tangerine?",
            "How many Oscars did Anora win?",
            "What is The Florida Project about?",
        ]
    return out
