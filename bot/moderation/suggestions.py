"""Member suggestions: validated on the way in, queued, then approved or rejected.

A suggestion is checked like a moderator's submission (so the queue holds only records
that could be added) and checked again on approval, since the server may have gained a
near-identical record meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.errors import UserFacingError
from bot.moderation.records import AuditEntry, GuildRecord, RecordKind, Suggestion
from bot.moderation.service import Change, Moderation
from bot.moderation.validation import REASON_MAX_LENGTH, optional_text

if TYPE_CHECKING:
    from bot.store import Store

#: How many pending suggestions one member may have at a time.
MAX_PENDING_PER_MEMBER = 10
QUEUE_LIMIT = 25


@dataclass(frozen=True)
class Decision:
    """A closed suggestion, and the change it made (approved) or its audit row."""

    suggestion: Suggestion
    audit: AuditEntry
    change: Change | None = None


def suggestion_id(value: str | int) -> int:
    """``s4``, ``S4``, ``#4`` and ``4`` all name suggestion 4."""
    text = str(value).strip().lstrip("#sS")
    if not text.isdigit():
        raise UserFacingError(f"“{str(value)[:20]}” is not a suggestion id (they look like s4).")
    return int(text)


class Suggestions:
    def __init__(self, moderation: Moderation) -> None:
        self.moderation = moderation

    @property
    def store(self) -> Store:
        return self.moderation.store

    async def suggest(
        self,
        kind: RecordKind,
        guild_id: int,
        author_id: int,
        fields: dict[str, Any],
        *,
        channel_id: int | None = None,
    ) -> Suggestion:
        """Validate and queue a member's record; nothing is visible until approved."""
        mine = [
            s
            for s in await self.store.suggestions(guild_id, limit=1000)
            if s.author_id == author_id
        ]
        if len(mine) >= MAX_PENDING_PER_MEMBER:
            raise UserFacingError(
                f"You already have {len(mine)} suggestions waiting for review; "
                "please wait until the moderators have looked at them."
            )
        record = await self.check(kind, guild_id, fields)
        payload = record.model_dump(mode="json", exclude={"id", "guild_id"}, exclude_none=True)
        return await self.store.add_suggestion(
            Suggestion(
                guild_id=guild_id,
                channel_id=channel_id,
                author_id=author_id,
                kind=kind,
                payload=payload,
                created_at=self.moderation.clock(),
            )
        )

    async def check(self, kind: RecordKind, guild_id: int, payload: dict[str, Any]) -> GuildRecord:
        """Check suggested fields like a moderator's (again on approval: things change)."""
        if kind == "fact":
            return await self.moderation.check_fact(
                guild_id,
                text=payload.get("text"),
                film=payload.get("film"),
                person=payload.get("person"),
                source=payload.get("sources"),
                spoiler=bool(payload.get("spoiler", False)),
            )
        if kind == "quote":
            return await self.moderation.check_quote(
                guild_id,
                text=payload.get("text"),
                speaker=payload.get("speaker"),
                film=payload.get("film"),
                source=payload.get("source"),
                context=payload.get("context"),
                spoiler=bool(payload.get("spoiler", False)),
            )
        return await self.moderation.check_question(
            guild_id,
            question=payload.get("question"),
            answers=payload.get("answers") or "",
            film=payload.get("film"),
            kind=payload.get("kind"),
            source=payload.get("sources"),
            spoiler=bool(payload.get("spoiler", False)),
        )

    async def queue(self, guild_id: int, limit: int = QUEUE_LIMIT) -> list[Suggestion]:
        """Pending suggestions, oldest first."""
        return await self.store.suggestions(guild_id, limit=limit)

    async def pending_count(self, guild_id: int) -> int:
        return await self.store.count_suggestions(guild_id)

    async def pending(self, guild_id: int, ident: str | int) -> Suggestion:
        suggestion = await self.store.get_suggestion(guild_id, suggestion_id(ident))
        if suggestion is None:
            raise UserFacingError(f"There is no suggestion {ident} in this server.")
        if suggestion.status != "pending":
            raise UserFacingError(f"Suggestion {suggestion.label} was already {suggestion.status}.")
        return suggestion

    async def approve(
        self,
        guild_id: int,
        reviewer_id: int,
        ident: str | int,
        edits: dict[str, Any] | None = None,
    ) -> Decision:
        """Add the suggested record (with a moderator's ``edits``) and close the suggestion."""
        suggestion = await self.pending(guild_id, ident)
        payload = {**suggestion.payload, **(edits or {})}
        record = await self.check(suggestion.kind, guild_id, payload)
        result = await self.store.approve_suggestion(
            suggestion, record, reviewer_id=reviewer_id, at=self.moderation.clock()
        )
        if result is None:
            raise UserFacingError(f"Suggestion {suggestion.label} was reviewed by someone else.")
        stored, entry = result
        closed = await self.store.get_suggestion(guild_id, suggestion.id)
        return Decision(closed or suggestion, entry, Change(entry, stored))

    async def reject(
        self, guild_id: int, reviewer_id: int, ident: str | int, reason: str | None = None
    ) -> Decision:
        suggestion = await self.pending(guild_id, ident)
        why = optional_text(reason, what="reason", max_length=REASON_MAX_LENGTH)
        entry = await self.store.reject_suggestion(
            suggestion, reviewer_id=reviewer_id, reason=why, at=self.moderation.clock()
        )
        if entry is None:
            raise UserFacingError(f"Suggestion {suggestion.label} was reviewed by someone else.")
        closed = await self.store.get_suggestion(guild_id, suggestion.id)
        return Decision(closed or suggestion, entry)
