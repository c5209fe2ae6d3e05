"""/suggest for every member, /review for moderators; the suggester hears the outcome."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.moderation.records import WHAT, RecordKind, Suggestion
from bot.moderation.suggestions import Decision, Suggestions
from bot.moderation.validation import (
    ANSWER_MAX_LENGTH,
    CONTEXT_MAX_LENGTH,
    FACT_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SOURCE_MAX_LENGTH,
)
from bot.services import Services
from cogs._base import BakerCog, attach, reply
from cogs._moderation import (
    Form,
    FormField,
    OwnedView,
    guild_id_of,
    moderation_of,
    moderator_only,
    post_log,
    source_autocomplete,
)

log = logging.getLogger(__name__)

#: Per kind, the fields a reviewer can edit: (payload key, label, max length, required).
EDIT_FIELDS: dict[RecordKind, tuple[tuple[str, str, int, bool], ...]] = {
    "fact": (
        ("text", "Fact", FACT_MAX_LENGTH, True),
        ("film", "Film", 100, False),
        ("person", "Person", 100, False),
        ("sources", "Source", SOURCE_MAX_LENGTH, False),
    ),
    "quote": (
        ("text", "Quote", FACT_MAX_LENGTH, True),
        ("speaker", "Said by", 100, True),
        ("film", "Film", 100, False),
        ("source", "Source", SOURCE_MAX_LENGTH, False),
        ("context", "Context", CONTEXT_MAX_LENGTH, False),
    ),
    "question": (
        ("question", "Question", QUESTION_MAX_LENGTH, True),
        ("answers", "Answers (separate with ;)", ANSWER_MAX_LENGTH * 5, True),
        ("film", "Film", 100, False),
        ("sources", "Source", SOURCE_MAX_LENGTH, False),
    ),
}


class ReviewView(OwnedView):
    """Approve, Edit (then approve), Reject (with a reason) or Skip one suggestion."""

    def __init__(self, cog: SuggestionsCog, owner_id: int, suggestion: Suggestion) -> None:
        super().__init__(owner_id)
        self.cog = cog
        self.suggestion = suggestion
        self.skipped: set[int] = set()

    async def show_next(self, interaction: discord.Interaction, note: str) -> None:
        """Replace the message with the next waiting suggestion, or say the queue is empty."""
        gid = guild_id_of(interaction)
        queue = [s for s in await self.cog.suggestions.queue(gid) if s.id not in self.skipped]
        if not queue:
            self.stop()
            await interaction.response.edit_message(
                content=f"{note}\nNo more suggestions are waiting.".strip(),
                embed=None,
                view=None,
                allowed_mentions=render.NO_MENTIONS,
            )
            return
        self.suggestion = queue[0]
        embed = await self.cog.review_embed(self.suggestion)
        await interaction.response.edit_message(
            content=note or None, embed=embed, view=self, allowed_mentions=render.NO_MENTIONS
        )

    async def _approve(
        self, interaction: discord.Interaction, ident: int, edits: dict[str, Any] | None = None
    ) -> None:
        decision = await self.cog.suggestions.approve(
            guild_id_of(interaction), interaction.user.id, ident, edits
        )
        note = f"Approved {decision.suggestion.label} as `{decision.suggestion.record_id}`."
        await self.show_next(interaction, note)
        await self.cog.after(decision)

    @discord.ui.button(label="Approve", style=discord.ButtonStyle.green, custom_id="review:approve")
    async def approve(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        await self._approve(interaction, self.suggestion.id)

    @discord.ui.button(label="Edit", style=discord.ButtonStyle.blurple, custom_id="review:edit")
    async def edit(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        suggestion = self.suggestion

        async def submitted(modal_interaction: discord.Interaction, values: dict[str, str]) -> None:
            keys = [key for key, *_ in EDIT_FIELDS[suggestion.kind]]
            edits = {key: values.get(f"suggestion-{key}", "") for key in keys}
            await self._approve(modal_interaction, suggestion.id, edits)

        fields = [
            FormField(
                f"suggestion-{key}",
                label,
                self.cog.prefill(suggestion, key),
                required,
                limit,
                long=limit > 100,
            )
            for key, label, limit, required in EDIT_FIELDS[suggestion.kind]
        ]
        await interaction.response.send_modal(
            Form(f"Edit and approve {suggestion.label}", fields, submitted)
        )

    @discord.ui.button(label="Reject", style=discord.ButtonStyle.red, custom_id="review:reject")
    async def reject(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        suggestion = self.suggestion

        async def submitted(modal_interaction: discord.Interaction, values: dict[str, str]) -> None:
            decision = await self.cog.suggestions.reject(
                guild_id_of(modal_interaction),
                modal_interaction.user.id,
                suggestion.id,
                values.get("suggestion-reason"),
            )
            await self.show_next(modal_interaction, f"Rejected {suggestion.label}.")
            await self.cog.after(decision)

        reason = FormField(
            "suggestion-reason",
            "Reason (told to the member)",
            max_length=REASON_MAX_LENGTH,
            long=True,
            description="Optional: what was wrong, so they can do better next time.",
        )
        await interaction.response.send_modal(
            Form(f"Reject {suggestion.label}", [reason], submitted)
        )

    @discord.ui.button(label="Skip", style=discord.ButtonStyle.grey, custom_id="review:skip")
    async def skip(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        self.skipped.add(self.suggestion.id)
        await self.show_next(interaction, f"Skipped {self.suggestion.label} (still waiting).")


class SuggestionsCog(BakerCog, name="Suggestions"):
    """Members propose records; moderators review them."""

    suggest = app_commands.Group(
        name="suggest",
        description="Suggest a fact, quote or trivia question for this server",
        guild_only=True,
    )

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        super().__init__(bot, services)
        self.suggestions = Suggestions(moderation_of(services))

    # -- helpers ---------------------------------------------------------------------------

    def prefill(self, suggestion: Suggestion, key: str) -> str | None:
        """A payload value as a reviewer would type it: titles and names, not ids."""
        value = suggestion.payload.get(key)
        lib = self.services.library
        if key == "film" and value in lib.films:
            return lib.films[value].title
        if key in ("person", "speaker") and value in lib.people:
            return lib.people[value].name
        if isinstance(value, list):
            return ("; " if key == "answers" else " ").join(str(v) for v in value)
        return None if value is None else str(value)

    async def review_embed(self, suggestion: Suggestion) -> discord.Embed:
        waiting = await self.suggestions.pending_count(suggestion.guild_id)
        return render.suggestion_embed(suggestion, self.services.library, waiting=waiting)

    async def _submit(
        self, interaction: discord.Interaction, kind: RecordKind, fields: dict[str, Any]
    ) -> None:
        suggestion = await self.suggestions.suggest(
            kind,
            guild_id_of(interaction),
            interaction.user.id,
            fields,
            channel_id=interaction.channel_id,
        )
        await reply(
            interaction,
            f"Thanks! Your {WHAT[kind]} is suggestion {suggestion.label}; the moderators "
            "will review it and I'll tell you what they decide.",
            ephemeral=True,
        )
        await self._log_new(suggestion)

    async def _log_new(self, suggestion: Suggestion) -> None:
        config = await self.services.store.guild_config(suggestion.guild_id)
        channel = self.bot.get_channel(config.log_channel_id or 0)
        if not isinstance(channel, discord.abc.Messageable):
            return
        try:
            await channel.send(
                "New suggestion waiting for `/review`:",
                embed=await self.review_embed(suggestion),
                allowed_mentions=render.NO_MENTIONS,
            )
        except discord.HTTPException:
            log.warning("could not post a suggestion to the log channel", exc_info=True)

    async def after(self, decision: Decision) -> None:
        """Log the decision and tell the suggester: by DM, else in the channel, no ping."""
        await post_log(self.bot, self.services, decision.audit)
        suggestion = decision.suggestion
        text = self._outcome_text(suggestion)
        author_id = suggestion.author_id
        user: discord.User | None = self.bot.get_user(author_id)
        try:
            user = user or await self.bot.fetch_user(author_id)
            await user.send(text, allowed_mentions=render.NO_MENTIONS)
            return
        except discord.HTTPException:
            log.info("could not DM user %s; telling them in the channel", author_id)
        channel = self.bot.get_channel(suggestion.channel_id or 0)
        if not isinstance(channel, discord.abc.Messageable):
            return
        name = render.quoted(user.display_name) if user else "Someone"
        try:
            await channel.send(
                render.truncate(f"**{name}**: {text}", render.CONTENT_LIMIT),
                allowed_mentions=render.NO_MENTIONS,
            )
        except discord.HTTPException:
            log.warning("could not tell user %s the outcome", author_id)

    def _outcome_text(self, suggestion: Suggestion) -> str:
        guild = self.bot.get_guild(suggestion.guild_id)
        where = f" in **{render.quoted(guild.name)}**" if guild else ""
        kind = WHAT[suggestion.kind]
        main = str(suggestion.payload.get("question") or suggestion.payload.get("text") or "")
        quote = render.spoiler(render.truncate(main, 300), bool(suggestion.payload.get("spoiler")))
        if suggestion.status == "approved":
            head = f"Your suggested {kind}{where} was approved: it is `{suggestion.record_id}` now."
        else:
            reason = f" Reason: {render.quoted(suggestion.reason)}" if suggestion.reason else ""
            head = f"Your suggested {kind}{where} was not added.{reason}"
        return render.truncate(f"{head}\n> {quote}", render.CONTENT_LIMIT)

    # -- commands --------------------------------------------------------------------------

    @suggest.command(name="fact")
    @app_commands.describe(
        text="The fact, one sentence",
        film="The film it is about",
        person="The person it is about",
        source="Where it comes from: a web address or a source id",
    )
    @app_commands.autocomplete(
        film=BakerCog.film_autocomplete,
        person=BakerCog.person_autocomplete,
        source=source_autocomplete,
    )
    async def suggest_fact(
        self,
        interaction: discord.Interaction,
        text: str,
        film: str | None = None,
        person: str | None = None,
        source: str | None = None,
    ) -> None:
        """Suggest a fact; moderators review it before it appears."""
        fields = {"text": text, "film": film, "person": person, "sources": source}
        await self._submit(interaction, "fact", fields)

    @suggest.command(name="quote")
    @app_commands.describe(
        text="The quote, word for word",
        speaker="Who said it",
        film="The film it is about",
        source="Where it was said: a web address or a source id",
        context="When or where it was said",
    )
    @app_commands.autocomplete(
        speaker=BakerCog.person_autocomplete,
        film=BakerCog.film_autocomplete,
        source=source_autocomplete,
    )
    async def suggest_quote(
        self,
        interaction: discord.Interaction,
        text: str,
        speaker: str,
        film: str | None = None,
        source: str | None = None,
        context: str | None = None,
    ) -> None:
        """Suggest a quote; moderators review it before it appears."""
        fields = {
            "text": text,
            "speaker": speaker,
            "film": film,
            "source": source,
            "context": context,
        }
        await self._submit(interaction, "quote", fields)

    @suggest.command(name="question")
    @app_commands.describe(
        question="The trivia question",
        answers="Accepted answers separated by ; (the first is the one shown)",
        film="The film it is about",
        source="Where the answer comes from: a web address or a source id",
    )
    @app_commands.autocomplete(film=BakerCog.film_autocomplete, source=source_autocomplete)
    async def suggest_question(
        self,
        interaction: discord.Interaction,
        question: str,
        answers: str,
        film: str | None = None,
        source: str | None = None,
    ) -> None:
        """Suggest a trivia question; moderators review it before it is asked."""
        fields = {"question": question, "answers": answers, "film": film, "sources": source}
        await self._submit(interaction, "question", fields)

    @app_commands.command(name="review")
    @app_commands.rename(ident="id")
    @app_commands.describe(ident="A suggestion id such as s4 (default: the oldest waiting)")
    @moderator_only()
    async def review(self, interaction: discord.Interaction, ident: str | None = None) -> None:
        """Review members' suggestions: approve, edit, reject or skip each one."""
        gid = guild_id_of(interaction)
        if ident:
            suggestion = await self.suggestions.pending(gid, ident)
        else:
            queue = await self.suggestions.queue(gid, limit=1)
            if not queue:
                await reply(interaction, "No suggestions are waiting for review.", ephemeral=True)
                return
            suggestion = queue[0]
        view = ReviewView(self, interaction.user.id, suggestion)
        await reply(
            interaction, embed=await self.review_embed(suggestion), view=view, ephemeral=True
        )
        view.message = await interaction.original_response()


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(SuggestionsCog(bot, await attach(bot)))
