"""Typed rows for moderation: fact versions, audit entries, suggestions, guild config.

The store returns these, the services pass them on and ``render`` shows them; nothing
here touches the database or Discord.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from bot.models import Fact, Question, Quote

#: What a guild can own: one table each, with ``guild_id`` and a soft ``deleted`` flag.
RecordKind = Literal["fact", "quote", "question"]
#: What an audit row can be about.
AuditKind = Literal["fact", "quote", "question", "config", "suggestion"]
SuggestionStatus = Literal["pending", "approved", "rejected"]

GuildRecord = Fact | Quote | Question

#: Short-id prefix per kind: ``g12`` is a server fact, ``q3`` a quote, ``t7`` a question.
ID_PREFIX: dict[RecordKind, str] = {"fact": "g", "quote": "q", "question": "t"}
#: How each kind is named in messages.
WHAT: dict[RecordKind, str] = {"fact": "fact", "quote": "quote", "question": "trivia question"}
#: Actor id recorded for changes made from the command line (imports).
CLI_ACTOR = 0


class Row(BaseModel):
    model_config = ConfigDict(frozen=True)


class FactVersion(Row):
    """One version of a server fact; version 1 is the text as first added."""

    fact: Fact
    version: int
    author_id: int
    created_at: datetime


class AuditEntry(Row):
    """Who did what, when, to which record, with the record before and after."""

    id: int
    guild_id: int
    actor_id: int
    action: str
    kind: AuditKind
    target: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    created_at: datetime


class Suggestion(Row):
    """A member's proposed fact, quote or question waiting for review.

    ``payload`` holds the validated fields of the record, without id or guild.
    """

    id: int = 0
    guild_id: int
    channel_id: int | None = None
    author_id: int
    kind: RecordKind
    payload: dict[str, Any]
    status: SuggestionStatus = "pending"
    reviewer_id: int | None = None
    record_id: str | None = None
    reason: str | None = None
    created_at: datetime
    decided_at: datetime | None = None

    @property
    def label(self) -> str:
        """The id shown to moderators, e.g. ``s4``."""
        return f"s{self.id}"


class GuildConfig(Row):
    guild_id: int
    mod_role_id: int | None = None
    log_channel_id: int | None = None


@dataclass(frozen=True)
class StoredRecord:
    """A guild-owned or curated record with its soft-delete flag."""

    record: GuildRecord
    deleted: bool

    @property
    def guild_id(self) -> int | None:
        return self.record.guild_id
