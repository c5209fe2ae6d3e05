"""/film, /person and /filmography: lookups that forgive typos."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from functools import partial

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.library import DIRECTOR_ID
from bot.models import Fact
from bot.search import Entry, EntryKind
from bot.services import Services
from cogs._base import QUERY_LIMIT, BakerCog, attach, reply

CHOICE_TIMEOUT = 120.0


def entry_embed(
    services: Services, entry: Entry, guild_id: int | None = None, extra: Sequence[Fact] = ()
) -> discord.Embed:
    """The embed for a found film or person; ``extra`` are the guild's own facts (first)."""
    lib = services.library
    if entry.kind == "film":
        film = lib.films[entry.id]
        facts = [*(f for f in extra if f.film == film.id), *lib.facts_by_film.get(film.id, [])]
        return render.film_embed(film, lib, services.visible(guild_id, facts))
    person = lib.people[entry.id]
    own = [f for f in extra if f.person == person.id]
    facts = [*own, *lib.facts_by_person.get(person.id, [])]
    return render.person_embed(person, lib, services.visible(guild_id, facts))


class DidYouMeanView(discord.ui.View):
    """One button per suggestion; only the person who asked can pick."""

    def __init__(
        self,
        owner_id: int,
        choices: Sequence[Entry],
        make_embed: Callable[[Entry], discord.Embed],
    ) -> None:
        super().__init__(timeout=CHOICE_TIMEOUT)
        self.owner_id = owner_id
        self.message: discord.Message | discord.InteractionMessage | None = None
        for i, entry in enumerate(choices):
            button: discord.ui.Button[DidYouMeanView] = discord.ui.Button(
                label=render.truncate(entry.display, 80),
                style=discord.ButtonStyle.primary if i == 0 else discord.ButtonStyle.secondary,
                custom_id=f"dym:{entry.kind}:{entry.id}",
            )
            button.callback = self._make_callback(entry, make_embed)
            self.add_item(button)

    def _make_callback(
        self, entry: Entry, make_embed: Callable[[Entry], discord.Embed]
    ) -> Callable[[discord.Interaction], object]:
        async def callback(interaction: discord.Interaction) -> None:
            if interaction.user.id != self.owner_id:
                await interaction.response.send_message(
                    "Only the person who asked can pick; run the command yourself to choose.",
                    ephemeral=True,
                )
                return
            self.stop()
            await interaction.response.edit_message(
                content=None,
                embed=make_embed(entry),
                view=None,
                allowed_mentions=render.NO_MENTIONS,
            )

        return callback

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(view=self)


class Films(BakerCog):
    """Film and person lookups."""

    async def _resolve_and_reply(
        self,
        interaction: discord.Interaction,
        query: str,
        kind: EntryKind,
        make_embed: Callable[[Entry], discord.Embed] | None = None,
    ) -> None:
        """Answer with the entry, or a did-you-mean with a button per close entry."""
        if make_embed is None:
            gid = interaction.guild_id
            extra = await self.services.store.guild_facts(gid) if gid is not None else []
            make_embed = partial(entry_embed, self.services, guild_id=gid, extra=extra)
        what = "film" if kind == "film" else "person"
        query = query.strip()[:QUERY_LIMIT]
        result = self.services.index.lookup(query, kind)
        if result.match is not None:
            await reply(interaction, embed=make_embed(result.match))
            return
        text = render.did_you_mean_text(query, [e.display for e in result.suggestions], what)
        if not result.suggestions:
            await reply(interaction, text, ephemeral=True)
            return
        view = DidYouMeanView(interaction.user.id, result.suggestions, make_embed)
        await reply(interaction, text, view=view)
        view.message = await interaction.original_response()

    @app_commands.command(name="film")
    @app_commands.describe(title="The film's title; typos and missing words are fine")
    @app_commands.autocomplete(title=BakerCog.film_autocomplete)
    async def film(self, interaction: discord.Interaction, title: str) -> None:
        """Look up one of Sean Baker's films: cast, crew, awards and facts."""
        await self._resolve_and_reply(interaction, title, "film")

    @app_commands.command(name="person")
    @app_commands.describe(name="A cast or crew member; other spellings work too")
    @app_commands.autocomplete(name=BakerCog.person_autocomplete)
    async def person(self, interaction: discord.Interaction, name: str) -> None:
        """Look up someone who worked on Sean Baker's films."""
        await self._resolve_and_reply(interaction, name, "person")

    @app_commands.command(name="filmography")
    @app_commands.describe(person="Whose films to list (default: Sean Baker)")
    @app_commands.autocomplete(person=BakerCog.person_autocomplete)
    async def filmography(
        self, interaction: discord.Interaction, person: str | None = None
    ) -> None:
        """List films in release order, with each role."""
        lib = self.services.library
        if person is None or not person.strip():
            person = lib.people[DIRECTOR_ID].name if DIRECTOR_ID in lib.people else ""
        await self._resolve_and_reply(
            interaction,
            person,
            "person",
            lambda e: render.filmography_embed(lib.people[e.id], lib),
        )


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Films(bot, await attach(bot)))
