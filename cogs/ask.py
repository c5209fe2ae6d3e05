"""/ask and @mentions: plain-English questions answered from the sources."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.ask import Answer, Asker, Conversations
from bot.ask.engine import FTS_LIMIT, MAX_QUESTION_CHARS
from bot.ask.limits import RateLimit
from bot.models import Fact
from cogs._base import BakerCog, attach, reply

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from bot.library import Library
    from bot.services import Services
    from bot.store import FactHit

log = logging.getLogger(__name__)

EXTRAS_KEY = "ask"
#: A question needs at least one letter or digit.
_WORDY = re.compile(r"\w")
HELP_TEXT = (
    "Ask me about Sean Baker's films in your own words, e.g. "
    "“who plays Igor in Anora?” or “when did Tangerine come out?”. "
    "Use `/ask` or mention me with your question."
)
TOO_LONG = (
    f"That question is too long for me: please keep it under {MAX_QUESTION_CHARS} characters."
)
EMPTY = "I didn't catch a question there. " + HELP_TEXT


async def get_asker(services: Services) -> Asker:
    """The answerer for the current catalog: built once per library in a worker thread
    (seconds at 100k records), and at start when the catalog is large."""
    return await services.prepare(EXTRAS_KEY, _builder(services))


def _builder(services: Services) -> Callable[[Library], Asker]:
    """Build over a library with the search index that goes with it (it links names)."""
    return lambda library: Asker.build(library, services.index)


def problem_with(question: str) -> str | None:
    """Why a question cannot be answered as typed, or None."""
    if len(question) > MAX_QUESTION_CHARS:
        return TOO_LONG
    if not _WORDY.search(question):
        return EMPTY
    return None


class Ask(BakerCog):
    """Answers questions, remembering each member's last topic for follow-ups."""

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        super().__init__(bot, services)
        self.conversations = Conversations()
        self.limits = RateLimit()

    async def cog_load(self) -> None:
        self.services.prepare_in_background(EXTRAS_KEY, _builder(self.services))

    def _now(self) -> float:
        return self.bot.loop.time()

    async def answer(
        self, question: str, guild_id: int | None, channel_id: int, user_id: int
    ) -> Answer:
        """Answer with this guild's facts and this member's context, then remember it."""
        asker = await get_asker(self.services)
        key = (guild_id or 0, channel_id, user_id)
        now = self._now()
        context = self.conversations.get(key, now)
        store = self.services.store

        async def search(text: str) -> list[FactHit]:
            return await store.search_facts(text, guild_id, FTS_LIMIT)

        def allow(facts: Iterable[Fact]) -> list[Fact]:
            return self.services.visible(guild_id, facts)

        result = await asker.ask(question, search=search, context=context, allow=allow)
        self.conversations.remember(key, result.entities, result.query, now)
        return result

    def _cooldown(self, guild_id: int | None, user_id: int) -> float:
        return self.limits.hit((guild_id or 0, user_id), self._now())

    @app_commands.command(name="ask")
    @app_commands.describe(question="Your question, in your own words")
    async def ask(self, interaction: discord.Interaction, question: str) -> None:
        """Ask a question about Sean Baker's films; I answer with my source, or say I don't know."""
        problem = problem_with(question)
        if problem:
            await reply(interaction, embed=render.ask_notice_embed(problem), ephemeral=True)
            return
        wait = self._cooldown(interaction.guild_id, interaction.user.id)
        if wait:
            text = f"You're asking faster than I can read! Try again in {wait:.0f} s."
            await reply(interaction, embed=render.ask_notice_embed(text), ephemeral=True)
            return
        if self.services.large and not self.services.is_prepared(EXTRAS_KEY):
            await interaction.response.defer(thinking=True)  # first /ask: still reading up
        channel_id = interaction.channel_id or 0
        result = await self.answer(question, interaction.guild_id, channel_id, interaction.user.id)
        await reply(interaction, embed=render.ask_embed(result, self.services.library))

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """A mention of the bot with a question gets the same answer as /ask, as a reply."""
        me = self.bot.user
        if me is None or message.author.bot or me.id not in message.raw_mentions:
            return
        question = re.sub(rf"<@!?{me.id}>", " ", message.content).strip()
        problem = problem_with(question) if question else HELP_TEXT
        guild_id = message.guild.id if message.guild else None
        if not problem:
            wait = self._cooldown(guild_id, message.author.id)
            if wait:
                if not self.limits.first_warning((guild_id or 0, message.author.id)):
                    return
                problem = f"You're asking faster than I can read! Try again in {wait:.0f} s."
        if problem:
            await self._reply(message, render.ask_notice_embed(problem))
            return
        result = await self.answer(question, guild_id, message.channel.id, message.author.id)
        await self._reply(message, render.ask_embed(result, self.services.library))

    async def _reply(self, message: discord.Message, embed: discord.Embed) -> None:
        try:
            await message.reply(
                embed=embed, allowed_mentions=render.NO_MENTIONS, mention_author=False
            )
        except discord.HTTPException:
            log.warning("could not answer a mention in channel %s", message.channel.id)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Ask(bot, await attach(bot)))
