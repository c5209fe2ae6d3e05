"""Read a question: its words, the entities it names, and the kind of answer it wants.

The kind comes from the question words and the noun that follows them ("what year"
wants a date, "which actor" a person, "how many" a number); a question that starts
with "is", "did", "does"... wants yes or no. Words that name an entity are set apart
from the content words, which are matched against statements as ideas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.ask.lexicon import (
    STOPWORDS,
    concept,
    expand_tokens,
    merge_phrases_indexed,
)
from bot.ask.linker import Entity, Gazetteer, Mention
from bot.ask.qtypes import (
    AUX,
    FILM_NOUNS,
    HOW_MARKERS,
    LEAD_FILLER,
    PREAMBLES,
    PRONOUNS,
    WH,
    question_kind,
)
from bot.ask.statements import read_words_possessive


@dataclass(frozen=True)
class Term:
    word: str
    concept: str
    #: Type words ("movie" in "which movie") weigh less: they name the answer's kind.
    light: bool = False
    #: The noun asked for ("channel" in "what channel"): a statement must mention it.
    head: bool = False


@dataclass
class Query:
    text: str
    words: list[str]
    qtype: str
    mentions: list[Mention] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    negated: bool = False
    pronoun: bool = False
    implicit: set[str] = field(default_factory=set)
    #: Outside what any catalog can answer (arithmetic, the future).
    out_of_scope: bool = False
    #: Entities that only narrow a noun ("a Sean Baker movie"), not what is asked about.
    qualifiers: set[str] = field(default_factory=set)
    #: The message asked more than one question; only the first is read.
    more: bool = False
    #: Entities the question sets aside ("besides Anora").
    excluded: set[str] = field(default_factory=set)

    @property
    def entities(self) -> list[Entity]:
        seen: dict[tuple[str, str], Entity] = {}
        for m in self.mentions:
            seen.setdefault((m.entity.kind, m.entity.id), m.entity)
        return list(seen.values())


_URL = re.compile(r"https?://\S+")
_MENTION = re.compile(r"<(?:@[!&]?|#|a?:\w+:)\d+>|@(?:everyone|here)")


def clean(text: str) -> str:
    """Drop mentions, links, markdown and custom emoji; keep the words."""
    text = _MENTION.sub(" ", text)
    text = _URL.sub(" ", text)
    return re.sub(r"[*_~`|>#]+", " ", text)


def parse(text: str, gaz: Gazetteer) -> Query:
    """Words, entities, content terms and answer kind of a question."""
    text_read, more = first_question(clean(text))
    raw_words, _, _, possessive = read_words_possessive(text_read)
    words, possessive = _normalise(raw_words, possessive)
    mentions = gaz.scan(words, fuzzy=True, possessive=possessive)
    mentions = [m for m in mentions if not _is_pronoun_clash(m, words)]
    kind = question_kind(words, mentions)
    in_entity = {i for m in mentions for i in range(m.start, m.end)}
    markers = {
        i + 1 for i, w in enumerate(words[:-1]) if w == "how" and words[i + 1] in HOW_MARKERS
    }
    terms: list[Term] = []
    for i, word in enumerate(words):
        if i in in_entity or i in markers or word in STOPWORDS or word in WH or word in AUX:
            continue
        if len(word) < 2 and not word.isdigit():
            continue
        light = i in kind.light or word in _RELATIONAL
        terms.append(Term(word, concept(word), light=light, head=i in kind.head))
        if _sequel(words, i, mentions):
            terms[-1] = Term(f"sequel{word}", f"sequel{word}")
    query = Query(
        text=text,
        words=words,
        qtype=kind.qtype,
        mentions=mentions,
        terms=terms,
        negated=any(w in ("not", "never") for w in words),
        pronoun=any(w in PRONOUNS for w in words),
        out_of_scope=_arithmetic(words) or _future(words, mentions) or _opinion(words),
        qualifiers=_qualifiers(words, mentions),
        more=more,
        excluded={m.entity.id for m in mentions if _set_aside(words, m)},
    )
    _implicit(query)
    return query


_SENTENCE_END = re.compile(r"[?\n]+")


def first_question(text: str) -> tuple[str, bool]:
    """The first of several questions ("Who directed Anora? And who starred in it?")."""
    parts = [p for p in _SENTENCE_END.split(text) if re.search(r"\w", p)]
    asking = [p for p in parts if set(p.lower().split()) & (AUX | set(WH))]
    if len(parts) > 1 and len(asking) > 1:
        return parts[0], True
    return text, False


def _qualifiers(words: list[str], mentions: list[Mention]) -> set[str]:
    """People named right before a film noun: "which Sean Baker film", "Baker's third movie"."""
    found: set[str] = set()
    for m in mentions:
        if m.entity.kind != "person":
            continue
        following = [w for w in words[m.end : m.end + 3] if w not in STOPWORDS]
        for word in following[:2]:
            singular = word[:-1] if word.endswith("s") and len(word) > 3 else word
            if singular in FILM_NOUNS:
                found.add(m.entity.id)
    return found


_RELATIONAL = frozenset({"before", "after"})
_ASIDE = (("besides",), ("except",), ("other", "than"), ("apart", "from"), ("aside", "from"))


def _set_aside(words: list[str], mention: Mention) -> bool:
    """ "what else did Alex Coco produce besides Anora": Anora is not the subject."""
    before = tuple(words[max(0, mention.start - 2) : mention.start])
    return any(before[-len(a) :] == a for a in _ASIDE)


def _sequel(words: list[str], i: int, mentions: list[Mention]) -> bool:
    """ "Anora 2": a number right after a title names another film."""
    word = words[i]
    if not word.isdigit() or len(word) > 2:
        return False
    return any(m.entity.kind == "film" and m.end == i for m in mentions)


_OPERATORS = frozenset(["plus", "minus", "times", "multiplied", "divided", "over", "squared", "x"])
_FUTURE = frozenset(["next", "upcoming", "will", "gonna", "going", "soon"])


def _opinion(words: list[str]) -> bool:
    """ "the best director of all time": a matter of taste, not of record."""
    joined = " ".join(words)
    return any(p in joined for p in (" of all time", " ever made", " in history"))


def _arithmetic(words: list[str]) -> bool:
    """ "what is 17 times 23": a sum, not a question about films."""
    return any(
        words[i].isdigit() and words[i + 1] in _OPERATORS and words[i + 2].isdigit()
        for i in range(len(words) - 2)
    ) or any(
        words[i].isdigit() and words[i + 1] in _OPERATORS and words[i + 2] == "by"
        for i in range(len(words) - 2)
    )


def _future(words: list[str], mentions: list[Mention]) -> bool:
    """Questions about what has not happened yet: the sources only know the past.

    "next" after a named film ("what came next after Take Out") is the past.
    """
    if not _FUTURE & set(words):
        return False
    named_film = any(m.entity.kind == "film" for m in mentions)
    past = {"was", "did", "were", "had", "after", "before", "came"} & set(words)
    return not (named_film or past)


def _normalise(words: list[str], possessive: set[int]) -> tuple[list[str], set[int]]:
    """Typo fixes, phrases and preambles, keeping track of possessive tokens."""
    marked = [(w, i in possessive) for i, w in enumerate(words)]
    out: list[tuple[str, bool]] = []
    for word, poss in marked:
        expanded = expand_tokens([word])
        out.extend((w, poss and j == len(expanded) - 1) for j, w in enumerate(expanded))
    merged = merge_phrases_indexed([w for w, _ in out])
    plain = [w for w, _ in merged]
    marks = {j for j, (_, last) in enumerate(merged) if out[last][1]}
    kept = _drop_preamble(plain)
    offset = len(plain) - len(kept)
    return kept, {j - offset for j in marks if j >= offset}


def _drop_preamble(words: list[str]) -> list[str]:
    changed = True
    while changed and words:
        changed = False
        while words and words[0] in LEAD_FILLER:
            words = words[1:]
            changed = True
        for pre in PREAMBLES:
            if tuple(words[: len(pre)]) == pre:
                words = words[len(pre) :]
                changed = True
    return words


def _is_pronoun_clash(mention: Mention, words: list[str]) -> bool:
    """A lone pronoun-like word is never a name ("it", "her")."""
    return mention.end - mention.start == 1 and words[mention.start] in PRONOUNS


def _implicit(query: Query) -> None:
    """Ideas a question implies: "how long is Anora" asks about the film's length."""
    films = [m for m in query.mentions if m.entity.kind == "film"]
    content = [t for t in query.terms if not t.light]
    if query.qtype == "duration" and films and not content:
        query.implicit.add("film")
    if query.qtype == "plot":
        query.implicit.add("plot")
    if query.qtype == "place":
        query.implicit.add("place")
        if query.words[-1:] == ["from"]:
            query.implicit.update(("grow", "born"))  # "where is Sean Baker from"
    words = query.words
    if words[-1:] == ["do"] or words[-3:] == ["for", "a", "living"] or words[-2:] == ["do", "not"]:
        query.implicit.add("work")
