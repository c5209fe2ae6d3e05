"""The kind of answer a question wants, from its question words and nouns.

"what year" wants a date, "which actor" a person, "how many" a number, "who is X"
a description of X; a question that starts with "is", "did", "does"... wants yes or
no. The noun asked for ("channel" in "what channel") is returned too: a statement
must mention it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.ask.lexicon import STOPWORDS
from bot.ask.lexicon import words_of as _words
from bot.ask.linker import Mention

QTYPES = (
    "person",
    "whose",
    "character",
    "date",
    "number",
    "age",
    "duration",
    "money",
    "place",
    "title",
    "reason",
    "manner",
    "yesno",
    "describe",
    "plot",
    "other",
)

AUX = frozenset(
    _words(
        """
    is was did does do are were has have had can could will would should am
    """
    )
)
WH = ("who", "whom", "whose", "what", "which", "when", "where", "why", "how")
LEAD_FILLER = frozenset(
    _words(
        """
        hey hi hello yo ok okay so and but um uh please pls plz bakerbot bot quick
        question q random
        """
    )
)
PREAMBLES = (
    ("can", "you", "tell", "me"),
    ("could", "you", "tell", "me"),
    ("do", "you", "know"),
    ("does", "anyone", "know"),
    ("anyone", "know"),
    ("i", "want", "to", "know"),
    ("i", "wonder"),
    ("i", "was", "wondering"),
    ("tell", "me"),
    ("remind", "me"),
)
PERSON_NOUNS = frozenset(
    _words(
        """
        actor actress person guy man woman girl boy director producer star filmmaker
        cinematographer dp writer editor designer composer consultant people cast member
        lead kid child who performer creator cocreator singer band artist musician
        lineproducer cinematographer
        """
    )
)
FILM_NOUNS = frozenset(
    _words(
        """
        film movie feature show series title picture flick tv song book album memoir
        novel
        """
    )
)
PLACE_NOUNS = frozenset(
    _words(
        """
        town city place state country neighborhood neighbourhood street location area
        borough region venue school college university highschool filmschool
        """
    )
)
DATE_NOUNS = frozenset(["year", "date", "day", "month", "decade"])
CHARACTER_NOUNS = frozenset(["character", "role", "part"])
DURATION_NOUNS = frozenset(["runtime", "length", "duration"])
ORG_NOUNS = frozenset(
    _words("company studio distributor channel network label guild organization band")
)
_NOUN_KINDS = (
    (DURATION_NOUNS, "duration"),
    (ORG_NOUNS, "org"),
    (PERSON_NOUNS, "person"),
    (FILM_NOUNS, "title"),
    (PLACE_NOUNS, "place"),
    (DATE_NOUNS, "date"),
    (CHARACTER_NOUNS, "character"),
)
PRONOUNS = frozenset(
    _words(
        """
    it its he him his she her they them their this that
    """
    )
)
#: Words that, after "how", ask for an amount rather than a manner.
_HOW_AMOUNT = {
    "many": "number",
    "much": "number",
    "old": "age",
    "long": "duration",
    "big": "number",
    "tall": "number",
    "far": "number",
    "often": "number",
    "large": "number",
}
_NOUN_LEAD = frozenset(
    {"the", "a", "an", "kind", "sort", "type", "of", "other", "famous", "name", "exact"}
)
HOW_MARKERS = frozenset({"many", "much", "old", "long"})
_MONEY_WORDS = frozenset(
    _words(
        """
    cost budget pay paid money earn make made spend spent worth
    """
    )
)


@dataclass
class Kind:
    """What ``question_kind`` found: the answer kind, type words, and the asked-for noun."""

    qtype: str
    light: set[int] = field(default_factory=set)
    head: set[int] = field(default_factory=set)


def question_kind(words: list[str], mentions: list[Mention]) -> Kind:
    """The answer kind, and the positions of the words that said so."""
    if not words:
        return Kind("other")
    wh_pos = next((i for i, w in enumerate(words) if w in WH), None)
    if words[0] in AUX and (wh_pos is None or wh_pos > 3):
        return Kind("yesno")
    if wh_pos is None:
        return Kind(_keyword_type(words, mentions))
    wh = words[wh_pos]
    nxt = words[wh_pos + 1] if wh_pos + 1 < len(words) else ""
    if wh == "how":
        kind = _HOW_AMOUNT.get(nxt)
        if kind == "number" and nxt == "much" and _MONEY_WORDS & set(words):
            kind = "money"
        return Kind(kind, {wh_pos + 1}) if kind else Kind("manner")
    simple = {"when": "date", "where": "place", "why": "reason"}
    if wh in simple:
        return Kind(simple[wh])
    if wh in ("who", "whom", "whose"):
        if _describes(words, wh_pos, mentions, ("person", "character")):
            return Kind("describe")
        if _asks_role(words, wh_pos, mentions):
            return Kind("character")
        if CHARACTER_NOUNS & set(words) and any(m.possessive for m in mentions):
            return Kind("character")  # "who is Vache Tovmasyan's character"
        return Kind("whose" if wh == "whose" else "person")
    if _asks_character_name(words, wh_pos) or _asks_role(words, wh_pos, mentions):
        return Kind("character")
    return _what_type(words, wh_pos, mentions)


def _asks_character_name(words: list[str], wh_pos: int) -> bool:
    """ "what's the name of Ivan's mom", "what is Simon Rex's character called"."""
    rest = words[wh_pos + 1 :]
    if "name" in rest:
        at = rest.index("name")
        before = [w for w in rest[:at] if w not in STOPWORDS]
        after = [w for w in rest[at + 1 :] if w not in STOPWORDS]
        nouns = before[-1:] + after
        return not any(_noun_kind(n) in ("person", "title", "org", "place") for n in nouns)
    return "called" in rest and not FILM_NOUNS & set(rest)


def _asks_role(words: list[str], wh_pos: int, mentions: list[Mention]) -> bool:
    """ "what does Willem Dafoe play": a person named before "play" asks for a role."""
    plays = [i for i, w in enumerate(words) if w in ("play", "plays", "playing", "portray")]
    return any(
        m.entity.kind == "person" and wh_pos < m.start and m.end <= i
        for i in plays
        for m in mentions
    ) and words[wh_pos] in ("what", "who", "which")


def _noun_kind(word: str) -> str | None:
    singular = word[:-1] if word.endswith("s") and len(word) > 3 else word
    for nouns, kind in _NOUN_KINDS:
        if singular in nouns:
            return kind
    return None


def _what_type(words: list[str], wh_pos: int, mentions: list[Mention]) -> Kind:
    """ "what"/"which" + the noun asked for: "which (Tarantino) movie", "what year",
    "what is Anora's opening song"."""
    in_entity = {i for m in mentions for i in range(m.start, m.end)}
    head: list[int] = []
    after_aux = False
    for i in range(wh_pos + 1, min(len(words), wh_pos + 7)):
        word = words[i]
        if i == wh_pos + 1 and _looks_like_verb(word):
            break
        if word in _NOUN_LEAD or i in in_entity:
            continue
        if word in AUX and not head:
            after_aux = True
            continue
        if word in STOPWORDS or word in AUX or len(head) == 3:
            break
        head.append(i)
    for i in head:
        kind = _noun_kind(words[i])
        if kind:
            return Kind(kind, {i}, {i})
    if head and not after_aux:
        return Kind("other", {head[0]}, {head[0]})
    if head and after_aux and _owned_noun(words, head, mentions):
        return Kind("other", set(), {head[-1]})
    tail = words[wh_pos + 1 :]
    if tail[-1:] == ["about"] and any(m.entity.kind == "film" for m in mentions):
        return Kind("plot")
    if _describes(words, wh_pos, mentions, ("film", "person", "character")):
        return Kind("describe")
    return Kind("other")


def _looks_like_verb(word: str) -> bool:
    """ "what gave ...", "what inspired ...": a verb right after "what" is no noun."""
    return word in _VERB_FORMS or (word.endswith("ed") and len(word) > 4)


_VERB_FORMS = frozenset(
    _words(
        """
        makes gives inspires happens plays causes means won lost shot made wrote gave
        took went came sold found left began grew saw told paid spent thought knew met
        led held kept brought bought sang chose spoke broke fell ran made got did does
        """
    )
)


def _owned_noun(words: list[str], head: list[int], mentions: list[Mention]) -> bool:
    """ "what is Sean Baker's favorite color": the noun owned by an entity ends the question."""
    owner = [m for m in mentions if m.possessive and m.end == head[0]]
    rest = [w for w in words[head[-1] + 1 :] if w not in STOPWORDS]
    return bool(owner) and not rest


def _describes(words: list[str], wh_pos: int, mentions: list[Mention], kinds: tuple) -> bool:
    """ "who is X" / "what is X" where X is nothing but a known entity."""
    rest = [
        i
        for i in range(wh_pos + 1, len(words))
        if words[i] not in STOPWORDS and words[i] not in AUX
    ]
    covered = {i for m in mentions if m.entity.kind in kinds for i in range(m.start, m.end)}
    return bool(rest) and all(i in covered for i in rest)


def _keyword_type(words: list[str], mentions: list[Mention]) -> str:
    """No question word ("anora budget?", "tell me about tangerine"): guess from the nouns."""
    found = set(words)
    if _describes(words, -1, mentions, ("film", "person", "character")):
        return "describe"
    if found & {"plot", "story", "about", "synopsis", "premise", "summary"} and any(
        m.entity.kind == "film" for m in mentions
    ):
        return "plot"
    if found & {"year", "date", "release", "when"}:
        return "date"
    if found & {"budget", "cost"}:
        return "money"
    if found & (PERSON_NOUNS - {"cast", "kid", "child"}) or found & {
        "cinematographer",
        "designer",
        "lineproducer",
    }:
        return "person"
    if found & {"runtime", "length"}:
        return "duration"
    return "other"
