"""/trivia (start, stop, skip, hint, leaderboard, stats) and /answer: trivia with friends.

The rules live in ``bot.trivia`` (engine, question bank, session); this cog turns slash
commands, buttons and typed messages into session calls and sessions' output into
messages. Buttons are ``DynamicItem``s, so a click is answered even after a restart or
once its question is over.

Other cogs can nest commands under ``/trivia``: the moderation cog adds
``/trivia question add|remove|list`` with::

    trivia = bot.get_cog("Trivia")
    trivia.add_subgroup(app_commands.Group(name="question", description="..."))
    # and on unload: trivia.remove_subgroup("question")

(``trivia.group`` is the ``/trivia`` group itself; commands must be synced afterwards.)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import re
from datetime import datetime
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.library import Library
from bot.services import Services
from bot.store import dumps
from bot.trivia import engine
from bot.trivia.engine import FinalResult, Game, GameOptions, Round, RoundResult
from bot.trivia.generate import catalog_questions
from bot.trivia.questions import RECENT_LIMIT, Filters, QuestionBank
from bot.trivia.session import TriviaSession, load_game, should_resume
from bot.trivia.stats import leaderboard, member_stats
from cogs._base import QUERY_LIMIT, BakerCog, attach, reply
from cogs._moderation import is_moderator

log = logging.getLogger(__name__)

#: The per-library trivia index, prepared by ``Services.prepare``.
PREPARED_KEY = "trivia"
NO_GAME = "There's no trivia game in this channel. Start one with `/trivia start`."
ALREADY_RUNNING = "A trivia game is already running here; `/trivia stop` ends it."
TEXT_OFF = (
    "Typed answers are switched off on this bot: reading chat needs Discord's Message "
    "Content intent, which the bot owner enables with `BAKERBOT_TEXT_ANSWERS=true` (see "
    "the README). Use `mode:answer` (answer with `/answer`) or `mode:buttons` instead."
)
CANNOT_POST = "I can't post embeds in this channel; a game needs Send Messages and Embed Links."
BUTTONS_GAME = "This game uses buttons: pick one of the four choices under the question."
NOT_ALLOWED = "Only {starter}, who started this game, or a moderator can {action} it."
GUESS_REPLIES = {
    "wrong": "❌ Not quite. Try again!",
    "late": "⌛ Too late: that question is over.",
    "no-question": "No question is open right now; the next one is on its way.",
    "limit": f"You've used all {engine.MAX_GUESSES} guesses on this question.",
}
PICK_REPLIES = {
    "recorded": "You picked **{choice}**. The counts are revealed when time runs out.",
    "already": "You already picked **{choice}**: one pick per question. Nothing changed.",
    "closed": "That question is over, so your click changed nothing.",
    "invalid": "That choice doesn't exist.",
}


class TriviaChoice(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"bakerbot:trivia:(?P<game>\d+):(?P<round>\d+):(?P<choice>\d)",
):
    """One of the four answer buttons; its custom id names game, question and choice."""

    def __init__(
        self,
        game_id: int,
        number: int,
        choice: int,
        label: str,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label or "?",
                style=style,
                custom_id=f"bakerbot:trivia:{game_id}:{number}:{choice}",
            )
        )
        self.game_id, self.number, self.choice = game_id, number, choice

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Button[Any],
        match: re.Match[str],
        /,
    ) -> TriviaChoice:
        return cls(int(match["game"]), int(match["round"]), int(match["choice"]), item.label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        client = interaction.client
        bots = commands.Bot | commands.AutoShardedBot
        cog = client.get_cog("Trivia") if isinstance(client, bots) else None
        if not isinstance(cog, Trivia):
            await reply(interaction, "Trivia isn't available right now.", ephemeral=True)
            return
        await cog.on_pick(interaction, self.game_id, self.number, self.choice)


def choices_view(game: Game, round_: Round, *, reveal: bool = False) -> discord.ui.View:
    """The question's buttons; once it is over, the right one is green and counts show."""
    view = discord.ui.View(timeout=None)
    counts = round_.counts()
    for i, choice in enumerate(round_.choices):
        right = reveal and i == round_.correct_choice
        label = render.trivia_choice_label(choice, counts[i] if reveal else None, correct=right)
        style = discord.ButtonStyle.success if right else discord.ButtonStyle.secondary
        if not reveal:
            style = discord.ButtonStyle.primary
        view.add_item(TriviaChoice(game.game_id, round_.number, i, label, style))
    return view


class ChannelPresenter:
    """Shows one game in its channel; every message goes out with no mentions."""

    def __init__(self, channel: discord.abc.Messageable, library: Library) -> None:
        self.channel = channel
        self.library = library
        self.message: discord.Message | None = None

    async def _send(self, **kwargs: Any) -> discord.Message:
        return await self.channel.send(allowed_mentions=render.NO_MENTIONS, **kwargs)

    async def question(
        self, game: Game, round_: Round, *, ends_at: datetime, resumed: bool
    ) -> None:
        remaining = (ends_at - discord.utils.utcnow()).total_seconds()
        embed = render.trivia_question_embed(
            game, round_, self.library, ends_at=ends_at, remaining=remaining, resumed=resumed
        )
        kwargs: dict[str, Any] = {"embed": embed}
        if game.mode == "buttons":
            kwargs["view"] = choices_view(game, round_)
        self.message = await self._send(**kwargs)

    async def round_over(self, game: Game, result: RoundResult) -> None:
        if game.mode == "buttons" and self.message is not None and game.round is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(view=choices_view(game, game.round, reveal=True))
        embeds = [render.trivia_result_embed(game, result, self.library)]
        if result.final is not None:
            embeds.append(render.trivia_final_embed(game, result.final))
        await self._send(embeds=embeds)

    async def game_over(self, game: Game, final: FinalResult) -> None:
        await self._send(embed=render.trivia_final_embed(game, final))


class Trivia(BakerCog):
    """Trivia games about Sean Baker's films, one per channel."""

    group = app_commands.Group(
        name="trivia", description="Trivia about Sean Baker's films", guild_only=True
    )

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        super().__init__(bot, services)
        self.sessions: dict[int, TriviaSession] = {}
        self.rng = random.Random()
        self._resume_task: asyncio.Task[None] | None = None

    # -- lifecycle and plumbing ---------------------------------------------------------------

    async def cog_load(self) -> None:
        self.services.prepare_in_background(PREPARED_KEY, catalog_questions)
        self.bot.add_dynamic_items(TriviaChoice)
        self._resume_task = asyncio.create_task(self._resume_saved(), name="trivia-resume")

    async def cog_unload(self) -> None:
        """Games stop here but stay saved as running, so they resume on the next load."""
        self.bot.remove_dynamic_items(TriviaChoice)
        if self._resume_task is not None:
            self._resume_task.cancel()
        for session in list(self.sessions.values()):
            await session.cancel()
        self.sessions.clear()
        await super().cog_unload()

    def add_subgroup(self, subgroup: app_commands.Group) -> None:
        """Nest another cog's group under ``/trivia`` (e.g. ``/trivia question``)."""
        self.group.add_command(subgroup)

    def remove_subgroup(self, name: str) -> None:
        self.group.remove_command(name)

    def _text_enabled(self) -> bool:
        return bool(self.services.settings.text_answers and self.bot.intents.message_content)

    async def _bank(self, guild_id: int | None) -> QuestionBank:
        """This guild's own questions, read now so a moderator's change shows at once, over
        the library's curated and generated ones (indexed once per library, not here)."""
        store = self.services.store
        own = [] if guild_id is None else await store.guild_questions(guild_id)
        await self.services.prepare(PREPARED_KEY, catalog_questions)  # in a worker thread
        return QuestionBank(own, self.services.library, catalog=True)

    def _launch(self, session: TriviaSession, *, resumed: bool = False) -> None:
        channel_id = session.game.channel_id
        self.sessions[channel_id] = session
        task = session.start(resumed=resumed)

        def done(finished: asyncio.Task[None]) -> None:
            if self.sessions.get(channel_id) is session:
                del self.sessions[channel_id]
            if not finished.cancelled() and finished.exception() is not None:
                log.error("trivia task failed", exc_info=finished.exception())

        task.add_done_callback(done)

    def _session(
        self, game: Game, bank: QuestionBank, channel: discord.abc.Messageable
    ) -> TriviaSession:
        presenter = ChannelPresenter(channel, self.services.library)
        return TriviaSession(
            game, bank, self.services.store, presenter, wall=discord.utils.utcnow, rng=self.rng
        )

    def _running(self, channel_id: int | None) -> TriviaSession | None:
        session = self.sessions.get(channel_id or 0)
        return session if session is not None and not session.game.finished else None

    async def _resume_saved(self) -> None:
        """After a restart: resume recent games in this bot's guilds, close stale ones."""
        await self.bot.wait_until_ready()
        for game_id, guild_id, state, saved_at in await self.services.store.trivia_running_games():
            if self.bot.get_guild(guild_id) is None:
                continue  # another shard's guild, or one we left
            try:
                await self._resume_one(game_id, guild_id, state, datetime.fromisoformat(saved_at))
            except Exception:
                log.exception("could not resume trivia game %s; closing it", game_id)
                await self.services.store.trivia_finish_game(
                    game_id=game_id,
                    guild_id=guild_id,
                    players=[],
                    winners=[],
                    state=state,
                    now=discord.utils.utcnow().isoformat(),
                )

    async def _resume_one(self, game_id: int, guild_id: int, state: str, saved: datetime) -> None:
        bank = await self._bank(guild_id)
        game = load_game(game_id, state, bank.get)
        if game.channel_id in self.sessions:
            return
        channel = self.bot.get_channel(game.channel_id)
        if not isinstance(channel, discord.abc.Messageable):  # deleted, or no access
            partial = self.bot.get_partial_messageable(game.channel_id)
            await self._session(game, bank, partial).close_interrupted()
            return
        session = self._session(game, bank, channel)
        if should_resume(saved, discord.utils.utcnow()):
            self._launch(session, resumed=True)
            return
        final = await session.close_interrupted()
        with contextlib.suppress(discord.HTTPException):
            await session.presenter.game_over(game, final)

    async def _refuse(self, interaction: discord.Interaction, message: str) -> None:
        await reply(interaction, embed=render.error_embed(message), ephemeral=True)

    def _find_film(self, title: str | None) -> tuple[str | None, str | None]:
        """(film id, None) or (None, the explanation to show)."""
        if title is None or not title.strip():
            return None, None
        result = self.services.index.lookup(title.strip()[:QUERY_LIMIT], "film")
        if result.match is not None:
            return result.match.id, None
        labels = [e.display for e in result.suggestions]
        return None, render.did_you_mean_text(title, labels, "film")

    async def _may_control(self, interaction: discord.Interaction, session: TriviaSession) -> bool:
        return interaction.user.id == session.game.starter_id or await is_moderator(interaction)

    # -- /trivia start ---------------------------------------------------------------------------

    async def category_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        bank = await self._bank(interaction.guild_id)
        wanted = current.casefold().strip()
        return [
            app_commands.Choice(name=c, value=c)
            for c in bank.categories()
            if wanted in c.casefold()
        ][:25]

    @group.command(name="start")
    @app_commands.describe(
        rounds="How many questions (1-50, default 10)",
        film="Only questions about this film",
        category="Only questions from this category (awards, cast, plot, ...)",
        mode="text: type answers in chat · answer: use /answer · buttons: pick one of four",
        seconds="Seconds per question (10-120, default 30)",
        spoilers="Allow questions that reveal how films end (default: no)",
    )
    @app_commands.autocomplete(film=BakerCog.film_autocomplete, category=category_autocomplete)
    async def start(
        self,
        interaction: discord.Interaction,
        rounds: app_commands.Range[int, 1, 50] = 10,
        film: str | None = None,
        category: str | None = None,
        mode: Literal["text", "answer", "buttons"] = "answer",
        seconds: app_commands.Range[int, 10, 120] = 30,
        spoilers: bool = False,
    ) -> None:
        """Start a trivia game in this channel."""
        channel, guild_id = interaction.channel, interaction.guild_id
        if not isinstance(channel, discord.abc.Messageable) or guild_id is None:
            await self._refuse(interaction, "Trivia works in server channels only.")
            return
        if self._running(interaction.channel_id):
            await self._refuse(interaction, ALREADY_RUNNING)
            return
        if mode == "text" and not self._text_enabled():
            await self._refuse(interaction, TEXT_OFF)
            return
        perms = interaction.app_permissions
        if not (perms.send_messages and perms.embed_links):
            await self._refuse(interaction, CANNOT_POST)
            return
        film_id, problem = self._find_film(film)
        if self.services.large and not self.services.is_prepared(PREPARED_KEY):
            await interaction.response.defer(thinking=True)  # first start on a big catalog
        bank = await self._bank(guild_id)
        known = {c.casefold(): c for c in bank.categories()}
        if category:
            category = known.get(category.strip().casefold())
            if category is None:
                problem = "No such category. Try one of: " + ", ".join(known.values())
        if problem:
            await self._refuse(interaction, problem)
            return
        filters = Filters(film_id, category, spoilers, buttons=mode == "buttons")
        recent = await self.services.store.trivia_recent(channel.id, RECENT_LIMIT)
        picked = bank.select(filters, rounds, recent, self.rng)
        if not picked:
            await self._refuse(interaction, "No questions match those options; try fewer.")
            return
        options = GameOptions(rounds, seconds, mode, film_id, category, spoilers)
        game = Game(0, guild_id, channel.id, interaction.user.id, options, [q.id for q in picked])
        now = discord.utils.utcnow().isoformat()
        game_id = await self.services.store.trivia_create_game(
            guild_id, channel.id, interaction.user.id, dumps(game.snapshot()), now
        )
        if game_id is None:
            await self._refuse(interaction, ALREADY_RUNNING)
            return
        game.game_id = game_id
        embed = render.trivia_start_embed(
            game, self.services.library, asked_for=rounds, spoilers=spoilers
        )
        await reply(interaction, embed=embed)
        self._launch(self._session(game, bank, channel))

    # -- in-game commands ----------------------------------------------------------------------

    async def _controlled_session(
        self, interaction: discord.Interaction, action: str
    ) -> TriviaSession | None:
        """The channel's game if this member may ``action`` it; else refuse and None."""
        session = self._running(interaction.channel_id)
        if session is None:
            await self._refuse(interaction, NO_GAME)
            return None
        if not await self._may_control(interaction, session):
            starter = render.member(session.game.starter_id)
            await self._refuse(interaction, NOT_ALLOWED.format(starter=starter, action=action))
            return None
        return session

    @group.command(name="stop")
    async def stop(self, interaction: discord.Interaction) -> None:
        """End the game in this channel (the starter or a moderator)."""
        session = await self._controlled_session(interaction, "stop")
        if session is None:
            return
        try:
            final = await session.stop(interaction.user.id)
        except engine.TriviaError as exc:
            await self._refuse(interaction, str(exc))
            return
        await reply(interaction, embed=render.trivia_final_embed(session.game, final))

    @group.command(name="skip")
    async def skip(self, interaction: discord.Interaction) -> None:
        """Reveal the answer and move to the next question (the starter or a moderator)."""
        session = await self._controlled_session(interaction, "skip")
        if session is None:
            return
        try:
            result = await session.skip(interaction.user.id)
        except engine.TriviaError as exc:
            await self._refuse(interaction, str(exc))
            return
        await reply(interaction, f"⏭️ Skipped question {result.number}.", ephemeral=True)

    @group.command(name="hint")
    async def hint(self, interaction: discord.Interaction) -> None:
        """Reveal some letters of the answer; the question is then worth half."""
        session = self._running(interaction.channel_id)
        if session is None:
            await self._refuse(interaction, NO_GAME)
            return
        try:
            hint = await session.hint()
        except engine.TriviaError as exc:
            await self._refuse(interaction, str(exc))
            return
        await reply(interaction, embed=render.trivia_hint_embed(hint))

    @app_commands.command(name="answer")
    @app_commands.guild_only()
    @app_commands.describe(guess="Your answer to the current trivia question")
    async def answer(
        self, interaction: discord.Interaction, guess: app_commands.Range[str, 1, 200]
    ) -> None:
        """Answer the current trivia question; only you see whether you were right."""
        session = self.sessions.get(interaction.channel_id or 0)  # just-ended games say "late"
        if session is None:
            await self._refuse(interaction, NO_GAME)
            return
        if session.game.mode == "buttons":
            await self._refuse(interaction, BUTTONS_GAME)
            return
        outcome = await session.answer(interaction.user.id, guess)
        if outcome.kind == "correct":
            text = f"✅ Correct! **+{outcome.points}** points."
            if outcome.verdict is not None and not outcome.verdict.exact:
                text += f" Close enough: accepted as **{outcome.verdict.answer}**."
        elif outcome.kind == "late" and outcome.winner is not None:
            text = f"⌛ Too late: {render.member(outcome.winner)} got it first."
        else:
            text = GUESS_REPLIES[outcome.kind]
        await reply(interaction, text, ephemeral=True)

    async def on_pick(
        self, interaction: discord.Interaction, game_id: int, number: int, choice: int
    ) -> None:
        """A button click: one pick per member per question; late clicks change nothing."""
        session = self._running(interaction.channel_id)
        if session is None or session.game.game_id != game_id:
            await reply(
                interaction, "That game is over, so your click changed nothing.", ephemeral=True
            )
            return
        pick = await session.pick(interaction.user.id, number, choice)
        text = PICK_REPLIES[pick.kind].format(choice=render.quoted(pick.choice or ""))
        await reply(interaction, text, ephemeral=True)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Typed answers (text mode): wrong ones stay silent, the winner is announced."""
        if message.guild is None or message.author.bot or not message.content:
            return
        session = self._running(message.channel.id)
        if session is None or session.game.mode != "text":
            return
        await session.answer(message.author.id, message.content)

    # -- scores ---------------------------------------------------------------------------------

    @group.command(name="leaderboard")
    @app_commands.describe(
        scope="server: all-time points in this server · film: points on one film",
        film="The film to rank (for scope film)",
    )
    @app_commands.autocomplete(film=BakerCog.film_autocomplete)
    async def leaderboard(
        self,
        interaction: discord.Interaction,
        scope: Literal["server", "film"] = "server",
        film: str | None = None,
    ) -> None:
        """The best trivia players in this server, overall or on one film."""
        guild = interaction.guild
        if guild is None:
            await self._refuse(interaction, "Leaderboards are per server.")
            return
        if scope == "film" and not film:
            await self._refuse(interaction, "Name the film too, e.g. `scope:film film:Anora`.")
            return
        film_id, problem = self._find_film(film)
        if problem:
            await self._refuse(interaction, problem)
            return
        rows = await leaderboard(self.services.store, guild.id, film_id)
        title = f"Trivia leaderboard: {guild.name}"
        if film_id is not None:
            title = f"Trivia leaderboard: {self.services.library.films[film_id].title}"
        await reply(interaction, embed=render.trivia_leaderboard_embed(title, rows))

    @group.command(name="stats")
    @app_commands.describe(member="Whose stats to show (default: yours)")
    async def stats(
        self, interaction: discord.Interaction, member: discord.Member | None = None
    ) -> None:
        """Points, wins, streaks and best films of a member in this server."""
        if interaction.guild_id is None:
            await self._refuse(interaction, "Stats are per server.")
            return
        who = member or interaction.user
        found = await member_stats(
            self.services.store, self.services.library, interaction.guild_id, who.id
        )
        await reply(interaction, embed=render.trivia_stats_embed(found, who.display_name))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Trivia(bot, await attach(bot)))
