"""Server curation: add, edit, remove, restore and hide facts; quotes, questions, config.

Plain values in, records out: cogs turn Discord options into calls here and render what
comes back. Every write goes through the store in one transaction together with its
audit row, so the trail can never miss a change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.errors import UserFacingError
from bot.models import AnswerKind, Fact, Question, Quote
from bot.moderation.records import (
    WHAT,
    AuditEntry,
    FactVersion,
    GuildConfig,
    GuildRecord,
    RecordKind,
    StoredRecord,
)
from bot.moderation.validation import (
    CONTEXT_MAX_LENGTH,
    FACT_MAX_LENGTH,
    FACT_MIN_LENGTH,
    QUESTION_MAX_LENGTH,
    QUOTE_MAX_LENGTH,
    clean_text,
    find_duplicate,
    guess_answer_kind,
    optional_text,
    parse_answers,
    resolve_entity,
    resolve_sources,
    shown,
)

if TYPE_CHECKING:
    from bot.library import Library
    from bot.search import SearchIndex
    from bot.services import Services
    from bot.store import Store

log = logging.getLogger(__name__)

#: Placeholder id of a record not yet stored; the store gives it a short id.
PENDING_ID = "new"
#: Full-text hits compared with a new fact to find a near-duplicate of it.
DUPLICATE_HITS = 50
EXTRAS_KEY = "moderation"


def utcnow() -> datetime:
    return datetime.now(UTC)


def clean_id(value: str) -> str:
    """Ids as typed: ``G12``, `` `g12` `` and ``g12`` are the same."""
    return value.strip().strip("`").strip().lower()[:100]


@dataclass(frozen=True)
class Change:
    """A write that happened: the record as it is now, and its audit row."""

    audit: AuditEntry
    record: GuildRecord | None = None


@dataclass(frozen=True)
class FactHistory:
    fact: Fact
    deleted: bool
    versions: list[FactVersion]
    audit: list[AuditEntry]


@dataclass(frozen=True)
class FactListing:
    """This server's facts, and when filtered by subject, the curated ones too."""

    server: list[Fact]
    curated: list[Fact] = field(default_factory=list)
    hidden: frozenset[str] = frozenset()


class Moderation:
    """One per bot; reads the current library from ``services`` on every call."""

    def __init__(self, services: Services, clock: Callable[[], datetime] = utcnow) -> None:
        self.services = services
        self.clock = clock

    @property
    def store(self) -> Store:
        return self.services.store

    @property
    def library(self) -> Library:
        return self.services.library

    @property
    def index(self) -> SearchIndex:
        return self.services.index

    async def load_hidden(self) -> None:
        """Fill ``Services.hidden`` from the store (at start; it is then kept in step)."""
        hidden = await self.store.hidden_facts()
        self.services.hidden.clear()
        self.services.hidden.update(hidden)

    # -- validation ----------------------------------------------------------------------

    async def check_fact(
        self,
        guild_id: int,
        *,
        text: str | None,
        film: str | None = None,
        person: str | None = None,
        source: str | Sequence[str] | None = None,
        spoiler: bool = False,
        fact_id: str = PENDING_ID,
    ) -> Fact:
        """A valid, non-duplicate server fact, or ``UserFacingError`` saying what to fix."""
        text = clean_text(text, what="fact", max_length=FACT_MAX_LENGTH, min_length=FACT_MIN_LENGTH)
        film_id = resolve_entity(film, "film", self.library, self.index)
        person_id = resolve_entity(person, "person", self.library, self.index)
        if film_id is None and person_id is None:
            raise UserFacingError(
                "Say which film or person the fact is about: fill in `film` or `person` "
                "(both suggest names as you type)."
            )
        sources = resolve_sources(source, self.library)
        # Not every curated fact: those about the same film or person, and those sharing
        # its words (full-text), which is where a near-duplicate is; at 100k facts a
        # full comparison would take seconds.
        related = [
            *self.library.facts_by_film.get(film_id or "", []),
            *self.library.facts_by_person.get(person_id or "", []),
            *(hit.fact for hit in await self.store.search_facts(text, guild_id, DUPLICATE_HITS)),
        ]
        candidates = self.services.visible(
            guild_id, [*related, *await self.store.guild_facts(guild_id)]
        )
        same = find_duplicate(text, candidates, lambda f: f.text, exclude=lambda f: f.id == fact_id)
        if same is not None:
            where = "A curated fact" if same.guild_id is None else "A fact in this server"
            raise UserFacingError(
                f"{where} already says this: `{same.id}` “{shown(same.text, 200)}”. "
                "Edit that one instead, or make clear what your fact adds."
            )
        return Fact(
            id=fact_id,
            text=text,
            film=film_id,
            person=person_id,
            spoiler=spoiler,
            sources=sources,
            guild_id=guild_id,
        )

    async def check_quote(
        self,
        guild_id: int,
        *,
        text: str | None,
        speaker: str | None,
        film: str | None = None,
        source: str | Sequence[str] | None = None,
        context: str | None = None,
        spoiler: bool = False,
    ) -> Quote:
        text = clean_text(text, what="quote", max_length=QUOTE_MAX_LENGTH)
        speaker_id = resolve_entity(speaker, "person", self.library, self.index)
        if speaker_id is None:
            raise UserFacingError("Say who said it: fill in `speaker` with a person.")
        film_id = resolve_entity(film, "film", self.library, self.index)
        sources = resolve_sources(source, self.library)
        if len(sources) > 1:
            raise UserFacingError("A quote cites exactly one source.")
        pool = [*self.library.quotes.values(), *await self.store.guild_quotes(guild_id)]
        same = find_duplicate(text, pool, lambda q: q.text)
        if same is not None:
            raise UserFacingError(
                f"That quote is already here: `{same.id}` “{shown(same.text, 200)}”."
            )
        return Quote(
            id=PENDING_ID,
            text=text,
            speaker=speaker_id,
            film=film_id,
            context=optional_text(context, what="context", max_length=CONTEXT_MAX_LENGTH),
            spoiler=spoiler,
            source=sources[0],
            guild_id=guild_id,
        )

    async def check_question(
        self,
        guild_id: int,
        *,
        question: str | None,
        answers: str | Sequence[str],
        film: str | None = None,
        kind: AnswerKind | None = None,
        source: str | Sequence[str] | None = None,
        spoiler: bool = False,
        category: str = "server",
    ) -> Question:
        text = clean_text(question, what="question", max_length=QUESTION_MAX_LENGTH)
        accepted = parse_answers(answers)
        film_id = resolve_entity(film, "film", self.library, self.index)
        pool = [*self.library.questions.values(), *await self.store.guild_questions(guild_id)]
        same = find_duplicate(text, pool, lambda q: q.question)
        if same is not None:
            raise UserFacingError(
                f"That question is already in the bank: `{same.id}` “{shown(same.question)}”."
            )
        return Question(
            id=PENDING_ID,
            question=text,
            answers=accepted,
            kind=kind or guess_answer_kind(accepted, self.index),
            film=film_id,
            category=category,
            spoiler=spoiler,
            sources=resolve_sources(source, self.library),
            guild_id=guild_id,
        )

    # -- records -------------------------------------------------------------------------

    async def get(
        self, kind: RecordKind, guild_id: int, record_id: str, *, deleted: bool | None = None
    ) -> StoredRecord:
        """This server's record, or an error that never reveals another server's data."""
        rid = clean_id(record_id)
        stored = await self.store.get_record(kind, rid)
        what = WHAT[kind]
        if stored is not None and stored.guild_id is None and kind == "fact":
            raise UserFacingError(
                f"`{rid}` is a curated fact: it can't be changed from Discord, but "
                "`/fact hide` hides it in this server."
            )
        if stored is None or stored.guild_id != guild_id:
            raise UserFacingError(
                f"There is no {what} `{shown(rid, 40)}` in this server; "
                "the list command shows every id."
            )
        if deleted is True and not stored.deleted:
            raise UserFacingError(f"The {what} `{rid}` is not removed.")
        if deleted is False and stored.deleted:
            raise UserFacingError(f"The {what} `{rid}` is removed; restore it first.")
        return stored

    async def add(self, record: GuildRecord, actor_id: int) -> Change:
        """Store a record checked by a ``check_*`` method under a fresh short id."""
        stored, entry = await self.store.add_guild_record(
            record, actor_id=actor_id, at=self.clock()
        )
        log.info("guild %s: %s added %s", stored.guild_id, actor_id, stored.id)
        return Change(entry, stored)

    async def set_deleted(
        self, kind: RecordKind, guild_id: int, actor_id: int, record_id: str, deleted: bool
    ) -> Change:
        """Soft-delete (``deleted=True``) or restore a server record."""
        stored = await self.get(kind, guild_id, record_id, deleted=not deleted)
        entry = await self.store.set_record_deleted(
            kind, guild_id, stored.record.id, deleted, actor_id=actor_id, at=self.clock()
        )
        if entry is None:
            raise UserFacingError("Someone else changed it just now; try again.")
        return Change(entry, stored.record)

    async def edit_fact(
        self,
        guild_id: int,
        actor_id: int,
        fact_id: str,
        *,
        text: str | None = None,
        film: str | None = None,
        person: str | None = None,
        source: str | Sequence[str] | None = None,
        spoiler: bool | None = None,
    ) -> Change:
        """A new version of a server fact; ``None`` keeps a field, ``""`` clears it."""
        old = (await self.get("fact", guild_id, fact_id, deleted=False)).record
        assert isinstance(old, Fact)
        new = await self.check_fact(
            guild_id,
            text=old.text if text is None else text,
            film=old.film if film is None else film,
            person=old.person if person is None else person,
            source=old.sources if source is None else source,
            spoiler=old.spoiler if spoiler is None else spoiler,
            fact_id=old.id,
        )
        if new == old:
            raise UserFacingError(f"Nothing changed in `{old.id}`.")
        entry = await self.store.edit_guild_fact(new, actor_id=actor_id, at=self.clock())
        return Change(entry, new)

    async def history(self, guild_id: int, fact_id: str) -> FactHistory:
        stored = await self.get("fact", guild_id, fact_id)
        assert isinstance(stored.record, Fact)
        rid = stored.record.id
        return FactHistory(
            fact=stored.record,
            deleted=stored.deleted,
            versions=await self.store.fact_versions(rid),
            audit=await self.store.audit_entries(guild_id, kind="fact", target=rid),
        )

    async def list_facts(
        self,
        guild_id: int,
        *,
        film: str | None = None,
        person: str | None = None,
        author_id: int | None = None,
        removed: bool = False,
    ) -> FactListing:
        film_id = resolve_entity(film, "film", self.library, self.index)
        person_id = resolve_entity(person, "person", self.library, self.index)
        server = await self.store.guild_facts(
            guild_id, film=film_id, person=person_id, author_id=author_id, deleted=removed
        )
        curated: list[Fact] = []
        if (film_id or person_id) and author_id is None and not removed:
            about = (
                self.library.facts_by_film.get(film_id, [])
                if film_id
                else self.library.facts_by_person.get(person_id or "", [])
            )
            curated = [f for f in about if person_id is None or f.person == person_id]
        hidden = frozenset(self.services.hidden.get(guild_id, set()))
        return FactListing(server, curated, hidden)

    async def set_hidden(self, guild_id: int, actor_id: int, fact_id: str, hidden: bool) -> Change:
        """Hide a curated fact in this server only, or show it again."""
        rid = clean_id(fact_id)
        fact = self.library.facts.get(rid)
        if fact is None:
            stored = await self.store.get_record("fact", rid)
            if stored is not None and stored.guild_id == guild_id:
                raise UserFacingError(
                    f"`{rid}` is this server's own fact: use `/fact remove` instead."
                )
            raise UserFacingError(
                f"There is no curated fact `{shown(rid, 40)}`; "
                "`/fact list film:…` shows the curated facts about a film with their ids."
            )
        entry = await self.store.set_fact_hidden(
            guild_id, rid, hidden, actor_id=actor_id, at=self.clock()
        )
        if entry is None:
            state = "already hidden" if hidden else "not hidden"
            raise UserFacingError(f"`{rid}` is {state} in this server.")
        ids = self.services.hidden.setdefault(guild_id, set())
        if hidden:
            ids.add(rid)
        else:
            ids.discard(rid)
        return Change(entry, fact)

    # -- config --------------------------------------------------------------------------

    async def config(self, guild_id: int) -> GuildConfig:
        return await self.store.guild_config(guild_id)

    async def update_config(self, guild_id: int, actor_id: int, **changes: int | None) -> Change:
        """Set ``mod_role_id`` and/or ``log_channel_id`` (None clears)."""
        config = (await self.config(guild_id)).model_copy(update=changes)
        entry = await self.store.set_guild_config(config, actor_id=actor_id, at=self.clock())
        return Change(entry)


def get_moderation(services: Services, clock: Callable[[], datetime] | None = None) -> Moderation:
    """The bot's ``Moderation``, created on first use and kept in ``services.extras``.

    Cogs pass ``discord.utils.utcnow`` as the clock, so simulated time applies too.
    """
    moderation = services.extras.get(EXTRAS_KEY)
    if not isinstance(moderation, Moderation):
        moderation = Moderation(services)
        services.extras[EXTRAS_KEY] = moderation
    if clock is not None:
        moderation.clock = clock
    return moderation
