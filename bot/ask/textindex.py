"""Which records' free text uses which words: one tokenising pass, no statements.

Statements are built lazily (``records``), so two things need another way in:
records that mention an entity in prose without being tagged with it ("... with
Sean Baker" in a fact about Tangerine), and questions that name no entity at all.
Both go through word postings over the free text of facts, synopses, shoots,
awards, bios and credit notes. Postings are a superset: candidates are confirmed
by building their statements and scoring them, so a spurious hit costs time, never
a wrong answer.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from functools import reduce

from bot.ask.lexicon import PHRASES, concept, related
from bot.library import Library
from bot.text import quick_tokens

#: A record unit: ("fact", id), ("film", id), ("person", id), ("credit", film, index),
#: ("cast", film) or ("director",); see ``records``.
Unit = tuple

_KINDS = ("fact", "film", "person", "credit")
_APOSTROPHES = ("'", "’")
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b|(?<=s)['’](?!\w)")


def doc_words(text: str) -> set[str]:
    """The words a text uses, as statements read them (possessives both ways)."""
    words = set(quick_tokens(text))
    if any(a in text for a in _APOSTROPHES):
        words.update(quick_tokens(_POSSESSIVE.sub("", text)))
    return words


class TextIndex:
    """Word -> records postings over the catalog's free text."""

    def __init__(self) -> None:
        self._kind = bytearray()
        self._ids: list[str] = []
        self._credit_index: dict[int, int] = {}
        self.postings: dict[str, array[int]] = {}
        self._ideas: dict[str, list[str]] | None = None

    @classmethod
    def build(cls, library: Library) -> TextIndex:
        index = cls()
        for fact in library.facts.values():
            index._add(0, fact.id, fact.text)
        for film in library.films.values():
            parts = [film.synopsis, film.shoot or ""]
            parts += [f"{a.category} {a.nominee or ''} {a.festival}" for a in film.awards]
            index._add(1, film.id, " ".join(parts))
        for person in library.people.values():
            if person.bio:
                index._add(2, person.id, person.bio)
        for film_id, credits in library.credits_by_film.items():
            for i, credit in enumerate(credits):
                if credit.note:
                    index._credit_index[len(index._ids)] = i
                    index._add(3, film_id, credit.note)
        return index

    def _add(self, kind: int, record_id: str, text: str) -> None:
        doc = len(self._ids)
        self._kind.append(kind)
        self._ids.append(record_id)
        postings = self.postings
        for word in doc_words(text):
            posting = postings.get(word)
            if posting is None:
                posting = postings[word] = array("i")
            posting.append(doc)

    @property
    def vocabulary(self) -> Iterable[str]:
        return self.postings.keys()

    def unit(self, doc: int) -> Unit:
        kind = _KINDS[self._kind[doc]]
        if kind == "credit":
            return (kind, self._ids[doc], self._credit_index[doc])
        return (kind, self._ids[doc])

    def text(self, doc: int, library: Library) -> str:
        """The text a record was indexed under."""
        kind, record_id = self._kind[doc], self._ids[doc]
        if kind == 0:
            return library.facts[record_id].text
        if kind == 1:
            film = library.films[record_id]
            parts = [film.synopsis, film.shoot or ""]
            parts += [f"{a.category} {a.nominee or ''} {a.festival}" for a in film.awards]
            return " ".join(parts)
        if kind == 2:
            return library.people[record_id].bio or ""
        return library.credits_by_film[record_id][self._credit_index[doc]].note or ""

    def units(self, docs: Iterable[int]) -> Iterator[Unit]:
        return (self.unit(d) for d in sorted(docs))

    def with_all(self, words: Iterable[str]) -> set[int]:
        """Records using every one of ``words`` (rarest first, so the sets stay small)."""
        lists = sorted((self.postings.get(w, ()) for w in set(words)), key=len)
        if not lists or not lists[0]:
            return set()
        return reduce(lambda found, p: found.intersection(p), lists[1:], set(lists[0]))

    def size(self, idea: str, word: str) -> int:
        """How many postings entries ``with_idea`` would read."""
        return sum(len(self.postings.get(w, ())) for w in self._words_for(idea, word))

    def with_idea(self, idea: str, word: str) -> set[int]:
        """Records whose words may state ``idea`` (or use ``word`` itself)."""
        found: set[int] = set()
        for w in self._words_for(idea, word):
            found.update(self.postings.get(w, ()))
        for phrase in _PHRASE_IDEAS.get(idea, ()):
            found |= self.with_all(phrase)
        if word.startswith("best") and len(word) > 4:
            found |= self.with_all(("best", word[4:]))
        return found

    def _words_for(self, idea: str, word: str) -> list[str]:
        if self._ideas is None:
            ideas: dict[str, list[str]] = {}
            for w in self.postings:
                for i in {concept(w), *related(w)}:
                    ideas.setdefault(i, []).append(w)
            self._ideas = ideas
        words = self._ideas.get(idea, [])
        return words if word in words or word not in self.postings else [*words, word]


def _phrase_ideas() -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for words, token in PHRASES.items():
        for idea in {concept(token), *related(token)}:
            out.setdefault(idea, []).append(words)
    return out


_PHRASE_IDEAS = _phrase_ideas()
