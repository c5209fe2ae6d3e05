"""Statements: one sourced sentence each, read once into words, ideas and answer spans.

Facts become statements as they are; films, credits, awards and people become
statements through ``structured``. Each statement knows which entities it involves,
which ideas its words stand for, and which parts of it could answer a question
(people, titles, dates, numbers, places), so answering is a matter of finding the
statement that covers the question and lifting the right span out of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.ask.lexicon import NATIONALITIES, NEGATIONS, STOPWORDS, concept, merge_phrases, related
from bot.ask.lexicon import words_of as _words
from bot.ask.linker import Gazetteer
from bot.models import Fact
from bot.text import tokens

SpanKind = str  # person film character year date number money duration age place name

_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|hundred)"
)
_NUM = rf"(?:\d[\d,]*(?:\.\d+)?|{_NUMBER_WORD}(?:[- ]{_NUMBER_WORD})*)"
_UNIT = r"(?:years?|days?|minutes?|hours?|weeks?|months?|shoot days|decades?)"
_COUNTED = r"(?:[a-zA-Z][\w-]*)"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)"
)
_PATTERNS: tuple[tuple[SpanKind, re.Pattern[str]], ...] = (
    ("date", re.compile(rf"\b(?:\d{{1,2}} )?{_MONTH}(?: \d{{1,2}},?)? (?:19|20)\d\d\b")),
    ("date", re.compile(r"\b(?:spring|summer|fall|autumn|winter) (?:of )?(?:19|20)\d\d\b", re.I)),
    ("money", re.compile(rf"\$\s?{_NUM}(?: (?:million|billion|thousand))?")),
    ("age", re.compile(rf"\b{_NUM}-year-old\b", re.I)),
    (
        "age",
        re.compile(
            r"(?:(?<=\bwas )|(?<=\bWas )|(?<=\baged ))\d{1,2}\b(?! (?:years|days|of|minutes))"
        ),
    ),
    ("age", re.compile(r"(?<=\bAt )\d{1,2}\b(?=,)")),
    ("duration", re.compile(r"\b(?:one|two|three|four|\d)-hour-and-\d+-minute\b")),
    ("duration", re.compile(rf"\b{_NUM}(?:-| ){_UNIT}\b(?:-old)?", re.I)),
    ("count", re.compile(rf"\b(?!(?:19|20)\d\d\b){_NUM}(?:-| ){_COUNTED}", re.I)),
    ("year", re.compile(r"\b(?:19[5-9]\d|20\d\d)\b")),
    ("number", re.compile(rf"\b{_NUM}\b", re.I)),
    ("quote", re.compile(r"[\"“]([^\"”]{2,80})[\"”]")),
)
#: Capitalised words that start a sentence or a clause but name nothing.
_NOT_NAMES = frozenset(
    _words(
        """
        a an the in on at for during while after before when since until by to from of
        and or but with as if so it its his her their this that these those some many
        most one according near around encouraged editing all until there
        """
    )
)
_JOINERS = frozenset({"of", "the", "a", "in", "with", "to", "and", "d'or", "de", "von", "…"})
_PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "outside", "from", "into"})
_PLACE_HEADS = frozenset(
    _words(
        """
        beach valley world city county state island jersey york angeles orlando texas
        brooklyn manhattan montclair florida california vegas theater school festival
        """
    )
)
_ORG_HEADS = frozenset(
    _words(
        """
        awards award festival guild academy magazine school theater club film films
        picture director actress actor screenplay editing society
        """
    )
)
_EVENT_HEADS = frozenset(["awards", "festival", "ceremony", "gala", "premiere", "oscars"])
_CLAUSE_END = re.compile(r"[;:—]$|\)$")


@dataclass(frozen=True)
class Span:
    """Part of a statement that can answer a question."""

    kind: SpanKind
    text: str
    start: int
    end: int
    entity: str | None = None
    clause: int = 0

    @property
    def key(self) -> tuple[str, ...]:
        return tokens(self.text)


@dataclass
class Statement:
    """A sourced sentence and what it is about."""

    key: str
    text: str
    sources: tuple[str, ...]
    kind: str = "fact"
    spoiler: bool = False
    fact: Fact | None = None
    words: tuple[str, ...] = ()
    concepts: frozenset[str] = frozenset()
    films: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()
    characters: frozenset[str] = frozenset()
    tagged: frozenset[str] = frozenset()
    #: Entities mentioned only as possessives ("Ivan's father").
    owned: frozenset[str] = frozenset()
    spans: tuple[Span, ...] = ()
    negative: bool = False
    #: Answers stated in so many words ("2012"), preferred over spans lifted from text.
    answer: Span | None = None
    extra: frozenset[str] = field(default_factory=frozenset)
    #: Wider ideas its words stand for; they match, but do not count in rarity.
    related: frozenset[str] = frozenset()
    #: Ideas from a fact's tags: hints, worth half a word in the text.
    topics: frozenset[str] = field(default_factory=frozenset)
    #: Says what might be, not what is ("would", "could").
    modal: bool = False

    #: Each word's idea, and the words as a set, for fast matching.
    word_concepts: tuple[str, ...] = ()
    wordset: frozenset[str] = frozenset()
    #: Unknown names that a question may repeat ("Kieran Culkin").
    echoable: tuple[Span, ...] = ()

    @property
    def ideas(self) -> frozenset[str]:
        """Every idea it states, directly or in wider words."""
        return self._ideas

    def __post_init__(self) -> None:
        self._ideas = self.concepts | self.related

    @property
    def entities(self) -> frozenset[str]:
        return self.films | self.people | self.characters


_POSSESSIVE = re.compile(r"(?<=\w)['’]s$|(?<=s)['’]$")


def read_words(text: str) -> tuple[list[str], list[int], list[tuple[int, int]]]:
    """Tokens of ``text``, the raw-word index of each token, and raw words' char ranges.

    A possessive "'s" is dropped ("Fellini's" reads "fellini"); ``possessives`` says
    which tokens had one.
    """
    words, owner, raw, _ = read_words_possessive(text)
    return words, owner, raw


def read_words_possessive(
    text: str,
) -> tuple[list[str], list[int], list[tuple[int, int]], set[int]]:
    raw = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    words: list[str] = []
    owner: list[int] = []
    possessive: set[int] = set()
    for i, (a, b) in enumerate(raw):
        piece = text[a:b].rstrip(',.;:!?)]"”')
        bare = _POSSESSIVE.sub("", piece)
        toks = tokens(bare + text[a + len(piece) : b])
        for tok in toks:
            words.append(tok)
            owner.append(i)
        if bare != piece and toks:
            possessive.add(len(words) - 1)
    return words, owner, raw, possessive


def content_concepts(words: list[str] | tuple[str, ...]) -> set[str]:
    """Ideas named by the content words."""
    merged = merge_phrases(list(words))
    return {concept(w) for w in merged if w not in STOPWORDS and len(w) > 1}


def related_concepts(words: list[str] | tuple[str, ...]) -> set[str]:
    """Wider ideas the words also stand for ("actress": someone who plays)."""
    return {r for w in merge_phrases(list(words)) for r in related(w)}


def make_statement(
    gaz: Gazetteer,
    key: str,
    text: str,
    sources: tuple[str, ...],
    *,
    kind: str = "fact",
    spoiler: bool = False,
    fact: Fact | None = None,
    films: tuple[str, ...] = (),
    people: tuple[str, ...] = (),
    characters: tuple[str, ...] = (),
    extra: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    answer: tuple[SpanKind, str, str | None] | None = None,
) -> Statement:
    """Read ``text`` into a statement; tags add entities the text does not spell out."""
    words, owner, raw, possessive = read_words_possessive(text)
    mentions = _prefer_films(gaz.scan(words, first_names=False, possessive=possessive))
    film_ids = set(films)
    people_ids = set(people)
    char_ids = set(characters)
    for m in mentions:
        {"film": film_ids, "person": people_ids, "character": char_ids}[m.entity.kind].add(
            m.entity.id
        )
    plain = {m.entity.id for m in mentions if not m.possessive}
    owned = {m.entity.id for m in mentions if m.possessive} - plain - set(characters)
    clauses = _clause_of(text, owner, raw)
    spans = _entity_spans(mentions, words, owner, raw, text, clauses)
    spans += _pattern_spans(text, words, owner, raw, clauses)
    spans += _name_spans(text, words, owner, raw, clauses, spans)
    answer_span = None
    if answer is not None:
        kind_, answer_text, entity = answer
        answer_span = Span(kind_, answer_text, 0, 0, entity)
    negative = any(w in NEGATIONS for w in words)
    return Statement(
        key=key,
        text=text,
        sources=sources,
        kind=kind,
        spoiler=spoiler,
        fact=fact,
        words=tuple(words),
        concepts=frozenset(
            content_concepts(words) | {concept(e) for e in extra} | _acronyms(spans)
        ),
        related=frozenset(
            related_concepts(words)
            | {k for k in ("place", "money") if any(s.kind == k for s in spans)}
        ),
        films=frozenset(film_ids),
        people=frozenset(people_ids),
        characters=frozenset(char_ids),
        tagged=frozenset(films) | frozenset(people) | frozenset(characters),
        owned=frozenset(owned),
        topics=frozenset(concept(t) for t in topics),
        spans=tuple(spans),
        negative=negative,
        modal=any(w in ("would", "could", "might", "may") for w in words),
        word_concepts=tuple(concept(w) for w in words),
        wordset=frozenset(words),
        echoable=tuple(
            x
            for x in spans
            if x.kind in ("name", "org", "quote", "place") and x.entity is None and len(x.key) > 1
        ),
        answer=answer_span,
        extra=frozenset(extra),
    )


def _acronyms(spans: list[Span]) -> set[str]:
    """Initials of long names, so "DGA" finds "Directors Guild of America"."""
    found = set()
    for span in spans:
        if span.kind in ("name", "org", "award") and len(span.text.split()) >= 2:
            initials = "".join(w[0] for w in span.text.split() if w[:1].isupper())
            if len(initials) >= 3:
                found.add(initials.lower())
    return found


def _prefer_films(mentions: list) -> list:
    """In prose, "Anora" is the film; the character of that name is the credit's business."""
    films = {(m.start, m.end) for m in mentions if m.entity.kind == "film"}
    return [m for m in mentions if m.entity.kind != "character" or (m.start, m.end) not in films]


def _clause_of(text: str, owner: list[int], raw: list[tuple[int, int]]) -> list[int]:
    """Clause number of each token: a new clause after ';', ':' or a dash."""
    clause_of_raw: list[int] = []
    clause = 0
    for a, b in raw:
        clause_of_raw.append(clause)
        if _CLAUSE_END.search(text[a:b]) and text[a:b].endswith((";", ":", "—")):
            clause += 1
    return [clause_of_raw[i] for i in owner]


def _surface(text: str, raw: list[tuple[int, int]], first: int, last: int) -> str:
    """Display text of raw words ``first..last``, without edge punctuation."""
    a = raw[first][0]
    b = raw[last][1]
    return text[a:b].strip(" ,.;:()[]\"“”'’").removesuffix("’s").removesuffix("'s")


def _entity_spans(mentions, words, owner, raw, text, clauses) -> list[Span]:  # noqa: ANN001
    spans = []
    for m in mentions:
        label = _surface(text, raw, owner[m.start], owner[m.end - 1])
        spans.append(Span(m.entity.kind, label, m.start, m.end, m.entity.id, clauses[m.start]))
    return spans


def _token_range(owner: list[int], raw: list[tuple[int, int]], a: int, b: int) -> tuple[int, int]:
    """Token positions covering characters ``a..b``."""
    first = next((i for i, r in enumerate(owner) if raw[r][1] > a), len(owner))
    last = max((i for i, r in enumerate(owner) if raw[r][0] < b), default=first)
    return first, last + 1


def _pattern_spans(text, words, owner, raw, clauses) -> list[Span]:  # noqa: ANN001
    spans: list[Span] = []
    covered: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            a, b = match.span(1) if kind == "quote" else match.span()
            if kind != "quote" and any(x <= a < y or x < b <= y for x, y in covered):
                if kind not in ("year", "number"):
                    continue
                if kind == "number":
                    continue
            if kind != "quote":
                covered.append((a, b))
            if kind == "count" and match.group(0).split()[-1].lower() in STOPWORDS:
                kind, b = "number", a + len(match.group(0).rsplit(" ", 1)[0])
            start, end = _token_range(owner, raw, a, b)
            if start >= len(words):
                continue
            spans.append(Span(kind, text[a:b].strip(), start, end, None, clauses[start]))
    return spans


def _name_spans(text, words, owner, raw, clauses, known) -> list[Span]:  # noqa: ANN001
    """Capitalised phrases the gazetteer does not know: other people, titles, places."""
    spans: list[Span] = []
    owned_kinds = ("person", "film", "character", "date", "year")
    taken = {i for s in known if s.kind in owned_kinds for i in range(s.start, s.end)}
    raw_words = [text[a:b] for a, b in raw]
    i = 0
    while i < len(raw_words):
        if not _capitalised(raw_words[i]) or raw_words[i].lower().strip('“"(') in _NOT_NAMES:
            i += 1
            continue
        j = i
        while j + 1 < len(raw_words) and not _ends_phrase(raw_words[j]):
            nxt = raw_words[j + 1]
            if _capitalised(nxt) or (
                nxt.lower() in _JOINERS
                and j + 2 < len(raw_words)
                and _capitalised(raw_words[j + 2])
            ):
                j += 1
            else:
                break
        toks = [t for t, r in enumerate(owner) if i <= r <= j]
        article_led = bool(toks) and words[toks[0]] in ("a", "an", "the") and len(toks) <= 2
        if toks and not article_led and not any(t in taken for t in toks):
            label = _surface(text, raw, i, j)
            prev = raw_words[i - 1].lower() if i else ""
            spans.append(
                Span(_name_kind(label, prev), label, toks[0], toks[-1] + 1, None, clauses[toks[0]])
            )
        i = j + 1
    return spans


def _capitalised(word: str) -> bool:
    word = word.lstrip("“\"(‘'")
    return bool(word) and (word[0].isupper() or word[:2] == "d'")


def _ends_phrase(word: str) -> bool:
    return word.endswith((",", ".", ";", ":", "’s", "'s", ")", "”", '"', "s’"))


def _name_kind(label: str, previous: str) -> SpanKind:
    """Guess whether a capitalised phrase is a place, an organisation or a name."""
    words = tokens(label)
    if not words:
        return "name"
    if words[0] == "best":
        return "award"
    if len(words) == 1 and words[0] in NATIONALITIES:
        return "nationality"
    if words[-1] in _PLACE_HEADS:
        return "place"
    if previous in _PLACE_PREPOSITIONS and len(words) == 1:
        return "place"
    if words[-1] in _EVENT_HEADS:
        return "event"
    if words[-1] in _ORG_HEADS or words[0] in _ORG_HEADS:
        return "org"
    return "name"
