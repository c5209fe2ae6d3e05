"""Typed records for everything BakerBot knows.

The same models validate the YAML in ``data/``, travel between the store and the
services, and are what moderators create from Discord, so a record that passes
validation here is safe to show anywhere.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = str

FilmKind = Literal["feature", "short", "tv"]
AwardResult = Literal["won", "nominated"]
AnswerKind = Literal["person", "title", "number", "other"]
Difficulty = Literal["easy", "medium", "hard"]

#: Roles a credit may carry; ``actor`` credits name the character too.
CreditRole = Literal[
    "director",
    "co-director",
    "writer",
    "producer",
    "editor",
    "cinematographer",
    "production-designer",
    "casting",
    "composer",
    "actor",
    "creator",
]

_WS = re.compile(r"\s+")
#: One set per combination of given fields (see ``Record.model_post_init``).
_FIELD_SETS: dict[frozenset[str], set[str]] = {}


class Record(BaseModel):
    """Base for every record: immutable, strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    def model_post_init(self, context: Any, /) -> None:
        """Share one ``fields_set`` among records that set the same fields.

        Why: pydantic gives every instance its own set of the fields it was given, and a
        set of five or more names costs 728 bytes, over half of a typical record. Frozen
        records never change it (``model_copy`` copies it first).
        """
        fields = self.__pydantic_fields_set__
        shared = _FIELD_SETS.setdefault(frozenset(fields), fields)
        object.__setattr__(self, "__pydantic_fields_set__", shared)


class Source(Record):
    """A text a fact can cite: a seed document or a named public reference."""

    id: Slug = Field(pattern=SLUG_PATTERN)
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    author: str | None = None
    date: str | None = None
    url: str | None = None
    #: File name in ``shared/seeds`` when the source is one of the seed texts.
    seed_file: str | None = None


class Award(Record):
    """One nomination or win; ``nominee`` is who the award names."""

    festival: str = Field(min_length=1, description="e.g. 'Academy Awards', 'Cannes'")
    edition: str | None = Field(default=None, description="e.g. '97th', '2024'")
    category: str = Field(min_length=1)
    nominee: str | None = None
    result: AwardResult
    date: str | None = None
    sources: tuple[Slug, ...] = Field(min_length=1)


class Film(Record):
    id: Slug = Field(pattern=SLUG_PATTERN)
    title: str = Field(min_length=1)
    year: int = Field(ge=1990, le=2100)
    kind: FilmKind = "feature"
    aliases: tuple[str, ...] = ()
    synopsis: str = Field(min_length=1)
    runtime_minutes: int | None = Field(default=None, ge=1)
    #: Free text because the sources state budgets loosely ("about $6 million").
    budget: str | None = None
    shoot: str | None = Field(default=None, description="how and where it was shot")
    awards: tuple[Award, ...] = ()
    sources: tuple[Slug, ...] = Field(min_length=1)


class Person(Record):
    id: Slug = Field(pattern=SLUG_PATTERN)
    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    born: str | None = None
    bio: str | None = None
    sources: tuple[Slug, ...] = Field(min_length=1)


class Credit(Record):
    film: Slug
    person: Slug
    role: CreditRole
    character: str | None = None
    #: Extra wording for the role ("co-director with Shih-Ching Tsou").
    note: str | None = None
    sources: tuple[Slug, ...] = Field(min_length=1)


class Fact(Record):
    """One sourced claim about a film or a person."""

    id: Slug = Field(pattern=SLUG_PATTERN)
    text: str = Field(min_length=1, max_length=1000)
    film: Slug | None = None
    person: Slug | None = None
    tags: tuple[str, ...] = ()
    spoiler: bool = False
    sources: tuple[str, ...] = Field(min_length=1)
    #: Set for moderator facts; ``None`` for the curated catalog.
    guild_id: int | None = None

    @field_validator("text")
    @classmethod
    def _collapse_whitespace(cls, value: str) -> str:
        return _WS.sub(" ", value)


class Quote(Record):
    """A verbatim quote; ``speaker`` is a person id from the catalog."""

    id: Slug = Field(pattern=SLUG_PATTERN)
    text: str = Field(min_length=1, max_length=1000)
    speaker: Slug
    film: Slug | None = None
    context: str | None = None
    spoiler: bool = False
    source: str = Field(min_length=1)
    guild_id: int | None = None


class Question(Record):
    """A trivia question with every answer that should count."""

    id: Slug = Field(pattern=SLUG_PATTERN)
    question: str = Field(min_length=1, max_length=500)
    answers: tuple[str, ...] = Field(min_length=1)
    kind: AnswerKind = "other"
    film: Slug | None = None
    category: str = "general"
    difficulty: Difficulty = "medium"
    #: Wrong choices for buttons mode; generated when fewer than three are given.
    distractors: tuple[str, ...] = ()
    spoiler: bool = False
    sources: tuple[str, ...] = Field(min_length=1)
    guild_id: int | None = None

    @property
    def answer(self) -> str:
        """The canonical answer, shown when the question ends."""
        return self.answers[0]
