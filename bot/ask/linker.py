"""Find the films, people and characters a piece of text talks about.

The gazetteer holds every title, name and alias (the same keys the search index
uses), surnames and unmistakable first names, and the character names from the
credits. Questions are scanned longest phrase first; a phrase that is not a known
word may be a typo of a key and is forgiven within ``search.allowed_edits``, as the
lookups do. Statements are scanned for exact keys only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from bot.ask.lexicon import STOPWORDS
from bot.ask.typos import TypoIndex
from bot.library import Library
from bot.models import Credit, Film, Person
from bot.search import allowed_edits
from bot.text import ARTICLES, normalize, strip_article, tokens

Kind = Literal["film", "person", "character"]

#: Longest phrase, in words, tried as a name.
MAX_PHRASE = 6
#: Shortest phrase, in letters without spaces, that may be forgiven a typo.
MIN_FUZZY_CHARS = 5
#: Part names (surnames, first names) shorter than this never name anyone alone.
MIN_PART_CHARS = 4
#: Keys naming up to this many entities check for duplicates by scanning them.
SMALL_BUCKET = 8
#: Nearest keys considered for a typo; they must all name the same entity.
FUZZY_HITS = 5

_LOWERCASE_WORD = re.compile(r"\b[a-z][a-z]+\b")
_QUOTED = re.compile(r"[\"“”]([^\"“”]+)[\"“”]")


@dataclass(frozen=True)
class Entity:
    """A film, a person, or a character (``id`` is ``film/name``)."""

    kind: Kind
    id: str
    label: str
    film: str | None = None
    person: str | None = None


@dataclass(frozen=True)
class Mention:
    entity: Entity
    start: int
    end: int
    exact: bool = True
    #: Matched through a part of a name only (a surname, a first name).
    partial: bool = False
    #: Written as a possessive ("Ivan's father"): about the entity, not the entity.
    possessive: bool = False


@dataclass
class Gazetteer:
    """Keys (normalised word tuples) -> entities."""

    keys: dict[tuple[str, ...], list[Entity]] = field(default_factory=dict)
    partial: set[tuple[str, ...]] = field(default_factory=set)
    first_names: set[tuple[str, ...]] = field(default_factory=set)
    vocabulary: set[str] = field(default_factory=set)
    #: Longest key starting with each word: exact scans skip words that start none.
    _starts: dict[str, int] = field(default_factory=dict)
    _fuzzy_keys: TypoIndex = field(default_factory=TypoIndex)
    _fuzzy_words: list[tuple[str, ...]] = field(default_factory=list)
    _fuzzy_seen: set[tuple[str, ...]] = field(default_factory=set)
    _members: dict[tuple[str, ...], set[Entity]] = field(default_factory=dict)
    #: Names outside ``keys`` (a large catalog's long tail), looked up exactly when a
    #: question is read; statements are scanned with ``keys`` only.
    fallback: Callable[[tuple[str, ...]], list[Entity]] | None = None

    def add(
        self, words: Sequence[str], entity: Entity, *, partial: bool = False, first: bool = False
    ) -> None:
        key = tuple(words)
        if not key:
            return
        bucket = self.keys.setdefault(key, [])
        if len(bucket) < SMALL_BUCKET:
            if entity not in bucket:
                bucket.append(entity)
        else:
            # A name many entities share ("Ana"): a set keeps adding linear, not quadratic.
            members = self._members.get(key)
            if members is None:
                members = self._members[key] = set(bucket)
            if entity not in members:
                members.add(entity)
                bucket.append(entity)
        if partial:
            self.partial.add(key)
        if first:
            self.first_names.add(key)
        if self._starts.get(key[0], 0) < len(key):
            self._starts[key[0]] = len(key)
        compact = "".join(key)
        if len(compact) >= MIN_FUZZY_CHARS and key not in self._fuzzy_seen:
            self._fuzzy_seen.add(key)
            self._fuzzy_keys.add(compact)
            self._fuzzy_words.append(key)

    def scan(
        self,
        words: Sequence[str],
        *,
        fuzzy: bool = False,
        first_names: bool = True,
        possessive: set[int] | frozenset[int] = frozenset(),
    ) -> list[Mention]:
        """Non-overlapping mentions in ``words``, longest first, left to right.

        Questions are read with ``fuzzy`` typos and first names ("who is mikey");
        statements without either: "Sean Price Williams" is not Sean Baker.
        """
        found: list[Mention] = []
        taken = [False] * len(words)
        reach = None if fuzzy else self._reach(words)
        for size in range(min(MAX_PHRASE, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                if reach is not None and reach[start] < size:
                    continue
                if any(taken[start : start + size]):
                    continue
                mention = self._match(words, start, size, fuzzy, first_names)
                if mention is None:
                    continue
                if start + size - 1 in possessive:
                    mention = [replace(m, possessive=True) for m in mention]
                found.extend(mention)
                for i in range(start, start + size):
                    taken[i] = True
        return sorted(found, key=lambda m: m.start)

    def _reach(self, words: Sequence[str]) -> list[int]:
        """Longest phrase at each position that could be a key (an upper bound).

        A key starts with the phrase's first word, or with the next one after an
        article; a possessive "s" may be dropped from either.
        """
        starts = self._starts
        out = []
        for i, word in enumerate(words):
            reach = max(starts.get(word, 0), starts.get(word[:-1], 0))
            if word in ARTICLES and i + 1 < len(words):
                after = words[i + 1]
                reach = max(reach, 1 + max(starts.get(after, 0), starts.get(after[:-1], 0)))
            out.append(reach)
        return out

    def _match(
        self, words: Sequence[str], start: int, size: int, fuzzy: bool, first_names: bool
    ) -> list[Mention] | None:
        phrase = tuple(words[start : start + size])
        end = start + size
        for key, possessive in _variants(phrase):
            if key in self.keys and (first_names or key not in self.first_names):
                partial = key in self.partial
                return [Mention(e, start, end, True, partial, possessive) for e in self.keys[key]]
        if fuzzy and self.fallback is not None:
            found = self._fallback(phrase, start, end)
            if found:
                return found
        if not fuzzy or not self._may_be_typo(phrase):
            return None
        return self._fuzzy(phrase, start, end)

    def named(self, key: tuple[str, ...]) -> list[Entity]:
        """What an exact key names, in ``keys`` or else through ``fallback``."""
        found = self.keys.get(key)
        if found is None and self.fallback is not None:
            return self.fallback(key)
        return found or []

    def _fallback(self, phrase: tuple[str, ...], start: int, end: int) -> list[Mention]:
        """Exact names beyond ``keys``; a phrase starting (after an article) or ending
        with a stopword is taken for words ("in the", "was"), not for a title."""
        bare = strip_article(phrase)
        if self.fallback is None or not bare or bare[0] in STOPWORDS or bare[-1] in STOPWORDS:
            return []
        for key, possessive in _variants(phrase):
            found = self.fallback(key)
            if found:
                return [Mention(e, start, end, True, False, possessive) for e in found]
        return []

    def _may_be_typo(self, phrase: tuple[str, ...]) -> bool:
        """Only phrases holding a word we do not know may be typos of a name."""
        if phrase[0] in STOPWORDS or phrase[-1] in STOPWORDS:
            return False
        return any(w not in self.vocabulary and not w.isdigit() for w in phrase)

    def _fuzzy(self, phrase: tuple[str, ...], start: int, end: int) -> list[Mention] | None:
        compact = "".join(strip_article(phrase))
        if len(compact) < MIN_FUZZY_CHARS:
            return None
        limit = allowed_edits(len(compact))
        hits = self._fuzzy_keys.within(compact, limit)[:FUZZY_HITS]
        if not hits:
            return None
        best = min(d for _, d in hits)
        winners = {self._fuzzy_words[i] for i, d in hits if d == best}
        entities = {e for key in winners for e in self.keys[key]}
        if len({(e.kind, e.id) for e in entities}) != 1:
            return None
        key = next(iter(winners))
        return [Mention(e, start, end, False, key in self.partial) for e in entities]


def _variants(phrase: tuple[str, ...]) -> Iterable[tuple[tuple[str, ...], bool]]:
    """The phrase as typed, without a leading article, and without a possessive s."""
    yield phrase, False
    bare = strip_article(phrase)
    if bare != phrase:
        yield bare, False
    last = phrase[-1]
    if len(last) > 3 and last.endswith("s"):
        yield (*phrase[:-1], last[:-1]), True
        if bare != phrase:
            yield (*bare[:-1], last[:-1]), True


def character_id(film_id: str, name: str) -> str:
    return f"{film_id}/{normalize(name)}"


def character_names(character: str) -> list[str]:
    """Names a credit's character goes by: 'Anora "Ani"' -> ["Anora", "Ani"].

    A description such as "Ivan's father" is not a name and gives none.
    """
    nick = _QUOTED.findall(character)
    main = _QUOTED.sub(" ", character).strip()
    names = [main, *nick] if main else list(nick)
    return [n for n in names if n and _is_name(n)]


def _is_name(text: str) -> bool:
    words = text.replace("’", "'").split()
    return all(w[:1].isupper() and "'" not in w for w in words)


def build_gazetteer(library: Library, vocabulary: Iterable[str] = ()) -> Gazetteer:
    """Every way the catalog names its films, people and characters."""
    texts = [f.text for f in library.facts.values()]
    texts += [f.synopsis for f in library.films.values()]
    return gazetteer_over(
        library.films.values(), library.people.values(), library.catalog.credits, texts, vocabulary
    )


def gazetteer_over(
    films: Iterable[Film],
    people: Iterable[Person],
    credits: Iterable[Credit],
    texts: Iterable[str],
    vocabulary: Iterable[str] = (),
) -> Gazetteer:
    """The names of these records; ``texts`` say which words are ordinary words."""
    gaz = Gazetteer()
    gaz.vocabulary = set(vocabulary) | STOPWORDS
    for film in films:
        entity = Entity("film", film.id, film.title, film=film.id)
        for name in (film.title, *film.aliases):
            gaz.add(tokens(name), entity)
            gaz.add(strip_article(tokens(name)), entity)
    people = list(people)
    credits = list(credits)
    for person in people:
        entity = Entity("person", person.id, person.name, person=person.id)
        for name in (person.name, *person.aliases):
            gaz.add(tokens(name), entity)
    for entity, part, first in _name_parts(people, credits, texts):
        gaz.add((part,), entity, partial=True, first=first)
    for credit in credits:
        if not credit.character:
            continue
        names = character_names(credit.character)
        if credit.note and "called" in credit.note:
            names += [w for w in credit.note.split() if w[:1].isupper()]
        if not names:
            continue
        # One character, several names ('Anora "Ani"', "also called Vanya"): one entity.
        entity = Entity(
            "character",
            character_id(credit.film, names[0]),
            names[-1] if len(names) > 1 and len(names[-1]) < len(names[0]) else names[0],
            film=credit.film,
            person=credit.person,
        )
        for name in names:
            gaz.add(tokens(name), entity)
    return gaz


def _name_parts(
    people: list[Person], credits: list[Credit], texts: Iterable[str]
) -> list[tuple[Entity, str, bool]]:
    """Surnames and first names that name exactly one person and are not words."""
    counts: dict[str, set[str]] = {}
    owners: dict[str, Entity] = {}
    firsts: set[str] = set()
    for person in people:
        entity = Entity("person", person.id, person.name, person=person.id)
        for name in (person.name, *person.aliases):
            words = tokens(name)
            if len(words) < 2:
                continue
            firsts.add(words[0])
            for part in (words[0], words[-1]):
                counts.setdefault(part, set()).add(person.id)
                owners[part] = entity
    characters = {
        normalize(n) for c in credits if c.character for n in character_names(c.character)
    }
    # One pass over all the text at once: a Python loop per text costs seconds at 100k.
    lowercase_words = set(_LOWERCASE_WORD.findall("\n".join(texts)))
    return [
        (owners[part], part, part in firsts)
        for part, ids in counts.items()
        if len(ids) == 1
        and len(part) >= MIN_PART_CHARS
        and part not in STOPWORDS
        and part not in characters
        and part not in lowercase_words
    ]
