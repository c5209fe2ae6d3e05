"""/quotes and /trivia question for moderators, and /config for the server's settings."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.errors import UserFacingError
from bot.moderation.service import Change
from bot.services import Services
from cogs._base import BakerCog, attach, reply
from cogs._moderation import (
    MOD_PERMISSIONS,
    guild_id_of,
    id_choices,
    moderation_of,
    moderator_only,
    post_log,
    send_pages,
    source_autocomplete,
)

log = logging.getLogger(__name__)

#: The cog whose ``/trivia`` group gets this cog's ``question`` subgroup, when loaded.
TRIVIA_COG = "Trivia"


class QuestionCommands(app_commands.Group):
    """``/trivia question add|remove|list``, attached under the trivia cog's group."""

    def __init__(self, cog: Curation) -> None:
        # Discord applies default_permissions to top-level commands only, so /help reads
        # this mark to list the subgroup with the moderator commands.
        super().__init__(
            name="question",
            description="This server's trivia questions (moderators)",
            extras={"moderators": True},
        )
        self.cog = cog

    async def film_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.cog.film_autocomplete(interaction, current)

    async def id_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        store = self.cog.services.store
        questions = await store.guild_questions(interaction.guild_id or 0)
        return id_choices(current, [(q.id, q.question) for q in reversed(questions)])

    @app_commands.command(name="add")
    @app_commands.describe(
        question="The question, as players will see it",
        answers="Accepted answers separated by ; (the first is the one shown)",
        film="The film it is about",
        source="A web address, or a source id (suggested as you type)",
        spoiler="Only asked in games that allow spoilers",
    )
    @app_commands.autocomplete(film=film_autocomplete, source=source_autocomplete)
    @moderator_only()
    async def add(
        self,
        interaction: discord.Interaction,
        question: str,
        answers: str,
        film: str | None = None,
        source: str | None = None,
        spoiler: bool = False,
    ) -> None:
        """Add a question to this server's trivia bank."""
        moderation = self.cog.moderation
        record = await moderation.check_question(
            guild_id_of(interaction),
            question=question,
            answers=answers,
            film=film,
            source=source,
            spoiler=spoiler,
        )
        change = await moderation.add(record, interaction.user.id)
        await self.cog.done(interaction, change, f"Added trivia question {change.audit.target}")

    @app_commands.command(name="remove")
    @app_commands.rename(question_id="id")
    @app_commands.describe(question_id="The question's id, e.g. t4")
    @app_commands.autocomplete(question_id=id_autocomplete)
    @moderator_only()
    async def remove(self, interaction: discord.Interaction, question_id: str) -> None:
        """Remove a question from this server's trivia bank."""
        change = await self.cog.moderation.set_deleted(
            "question", guild_id_of(interaction), interaction.user.id, question_id, True
        )
        await self.cog.done(interaction, change, f"Removed trivia question {change.audit.target}")

    @app_commands.command(name="list")
    @moderator_only()
    async def list_questions(self, interaction: discord.Interaction) -> None:
        """This server's own trivia questions with their ids."""
        questions = await self.cog.services.store.guild_questions(guild_id_of(interaction))
        embeds = render.pages(
            "This server's trivia questions",
            [render.question_line(q) for q in questions],
            empty="No questions yet. `/trivia question add` adds one.",
            footer=f"{len(questions)} questions",
        )
        await send_pages(interaction, embeds)


class Curation(BakerCog):
    """Server quotes, server trivia questions and server settings."""

    quotes = app_commands.Group(
        name="quotes",
        description="Curate this server's quotes (moderators)",
        default_permissions=MOD_PERMISSIONS,
        guild_only=True,
    )
    config = app_commands.Group(
        name="config",
        description="BakerBot's settings for this server",
        default_permissions=MOD_PERMISSIONS,
        guild_only=True,
    )

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        super().__init__(bot, services)
        self.moderation = moderation_of(services)
        self.questions = QuestionCommands(self)
        self._trivia: Any = None

    async def cog_load(self) -> None:
        """Attach ``/trivia question`` when the trivia cog is loaded; skip it if not."""
        trivia = self.bot.get_cog(TRIVIA_COG)
        if trivia is None or not hasattr(trivia, "add_subgroup"):
            log.info("trivia is not loaded; /trivia question is not available")
            return
        trivia.remove_subgroup(self.questions.name)
        trivia.add_subgroup(self.questions)
        self._trivia = trivia

    async def cog_unload(self) -> None:
        if self._trivia is not None:
            self._trivia.remove_subgroup(self.questions.name)
            self._trivia = None

    async def done(self, interaction: discord.Interaction, change: Change, message: str) -> None:
        await reply(interaction, message + ".", ephemeral=True)
        await post_log(self.bot, self.services, change.audit)

    async def quote_id_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        quotes = await self.services.store.guild_quotes(interaction.guild_id or 0)
        return id_choices(current, [(q.id, q.text) for q in reversed(quotes)])

    @quotes.command(name="add")
    @app_commands.describe(
        text="The quote, word for word",
        speaker="Who said it",
        film="The film it is about",
        source="A web address, or a source id (suggested as you type)",
        context="When or where it was said",
        spoiler="Show it in spoiler tags",
    )
    @app_commands.autocomplete(
        speaker=BakerCog.person_autocomplete,
        film=BakerCog.film_autocomplete,
        source=source_autocomplete,
    )
    @moderator_only()
    async def quotes_add(
        self,
        interaction: discord.Interaction,
        text: str,
        speaker: str,
        film: str | None = None,
        source: str | None = None,
        context: str | None = None,
        spoiler: bool = False,
    ) -> None:
        """Add a quote to this server; /quote picks it from now on."""
        quote = await self.moderation.check_quote(
            guild_id_of(interaction),
            text=text,
            speaker=speaker,
            film=film,
            source=source,
            context=context,
            spoiler=spoiler,
        )
        change = await self.moderation.add(quote, interaction.user.id)
        await self.done(interaction, change, f"Added quote {change.audit.target}")

    @quotes.command(name="remove")
    @app_commands.rename(quote_id="id")
    @app_commands.describe(quote_id="The quote's id, e.g. q3")
    @app_commands.autocomplete(quote_id=quote_id_autocomplete)
    @moderator_only()
    async def quotes_remove(self, interaction: discord.Interaction, quote_id: str) -> None:
        """Remove one of this server's quotes."""
        change = await self.moderation.set_deleted(
            "quote", guild_id_of(interaction), interaction.user.id, quote_id, True
        )
        await self.done(interaction, change, f"Removed quote {change.audit.target}")

    @quotes.command(name="list")
    @moderator_only()
    async def quotes_list(self, interaction: discord.Interaction) -> None:
        """This server's own quotes with their ids."""
        quotes = await self.services.store.guild_quotes(guild_id_of(interaction))
        lib = self.services.library
        embeds = render.pages(
            "This server's quotes",
            [render.quote_line(q, lib) for q in quotes],
            empty="No quotes yet. `/quotes add` adds one.",
            footer=f"{len(quotes)} quotes",
        )
        await send_pages(interaction, embeds)

    @config.command(name="modrole")
    @app_commands.describe(role="Members with this role may curate (leave out to clear)")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def config_modrole(
        self, interaction: discord.Interaction, role: discord.Role | None = None
    ) -> None:
        """Let a role use the moderator commands, besides Manage Server."""
        change = await self.moderation.update_config(
            guild_id_of(interaction), interaction.user.id, mod_role_id=role.id if role else None
        )
        if role is None:
            message = "Moderator role cleared: Manage Server is needed to curate"
        else:
            message = (
                f"Members with {role.mention} may now curate. Discord still hides the "
                "commands from them until you allow the role under Server Settings → "
                "Integrations → BakerBot"
            )
        await self.done(interaction, change, message)

    @config.command(name="logchannel")
    @app_commands.describe(channel="Where to post every change (leave out to stop posting)")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def config_logchannel(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        """Post each change to facts, quotes and questions in a channel."""
        if channel is not None:
            me = channel.guild.me
            perms = channel.permissions_for(me) if me is not None else None
            if perms is None or not (perms.send_messages and perms.embed_links):
                raise UserFacingError(
                    f"I can't post in {channel.mention}: give me Send Messages and Embed "
                    "Links there, then try again."
                )
        change = await self.moderation.update_config(
            guild_id_of(interaction),
            interaction.user.id,
            log_channel_id=channel.id if channel else None,
        )
        where = f"in {channel.mention}" if channel else "nowhere any more"
        await self.done(interaction, change, f"Changes are now posted {where}")


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Curation(bot, await attach(bot)))
