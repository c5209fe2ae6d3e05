"""/quote: a random, attributed and cited quote, with a button for another."""

from __future__ import annotations

from collections.abc import Sequence

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.models import Quote
from bot.quotes import QuoteFilter, pick_quote
from bot.search import EntryKind
from bot.services import Services
from cogs._base import BakerCog, attach, reply

SEARCH_LIMIT = 200
ANOTHER_TIMEOUT = 300.0


def _pick(services: Services, flt: QuoteFilter, exclude: str | None = None) -> discord.Embed | None:
    quote, _count = pick_quote(services.library.quotes.values(), flt, exclude=exclude)
    return render.quote_embed(quote, services.library) if quote else None


class AnotherQuoteView(discord.ui.View):
    """ "Another one" keeps the same filters and avoids repeating the quote just shown."""

    def __init__(
        self, services: Services, flt: QuoteFilter, shown: str, pool: Sequence[Quote] = ()
    ) -> None:
        super().__init__(timeout=ANOTHER_TIMEOUT)
        self.services = services
        self.flt = flt
        self.shown = shown
        #: Quotes to pick from (curated plus the guild's); the curated ones when empty.
        self.pool = list(pool) or list(services.library.quotes.values())

    @discord.ui.button(label="Another one", style=discord.ButtonStyle.primary, emoji="🎬")
    async def another(
        self, interaction: discord.Interaction, _button: discord.ui.Button[AnotherQuoteView]
    ) -> None:
        quote, _ = pick_quote(self.pool, self.flt, exclude=self.shown)
        if quote is None:
            await interaction.response.send_message("No quotes left to show.", ephemeral=True)
            return
        self.shown = quote.id
        await interaction.response.edit_message(
            embed=render.quote_embed(quote, self.services.library),
            view=self,
            allowed_mentions=render.NO_MENTIONS,
        )


class Quotes(BakerCog):
    """Quotes from and about the films, always with who said it and where."""

    async def _resolve(
        self, interaction: discord.Interaction, value: str | None, kind: EntryKind
    ) -> tuple[bool, str | None]:
        """(ok, id); on failure the user has already been told what to fix."""
        if value is None or not value.strip():
            return True, None
        result = self.services.index.lookup(value.strip()[:SEARCH_LIMIT], kind)
        if result.match is not None:
            return True, result.match.id
        what = "film" if kind == "film" else "person"
        labels = [e.display for e in result.suggestions]
        await reply(interaction, render.did_you_mean_text(value, labels, what), ephemeral=True)
        return False, None

    @app_commands.command(name="quote")
    @app_commands.describe(
        film="Only quotes about this film",
        person="Only quotes by this person",
        search="Only quotes containing these words",
    )
    @app_commands.autocomplete(film=BakerCog.film_autocomplete, person=BakerCog.person_autocomplete)
    async def quote(
        self,
        interaction: discord.Interaction,
        film: str | None = None,
        person: str | None = None,
        search: str | None = None,
    ) -> None:
        """A random quote from Sean Baker and his collaborators, with its source."""
        ok, film_id = await self._resolve(interaction, film, "film")
        if not ok:
            return
        ok, person_id = await self._resolve(interaction, person, "person")
        if not ok:
            return
        ids = None
        if search is not None and search.strip():
            words = " ".join(search.split()[:20])[:SEARCH_LIMIT]
            ids = frozenset(await self.services.store.search_quote_ids(words, interaction.guild_id))
        flt = QuoteFilter(film=film_id, speaker=person_id, ids=ids)
        pool = list(self.services.library.quotes.values())
        if interaction.guild_id is not None:
            pool += await self.services.store.guild_quotes(interaction.guild_id)
        quote, count = pick_quote(pool, flt)
        if quote is None:
            await reply(
                interaction,
                "No quote matches those filters. Try fewer filters, or `/quote` alone.",
                ephemeral=True,
            )
            return
        embed = render.quote_embed(quote, self.services.library)
        view = AnotherQuoteView(self.services, flt, quote.id, pool) if count > 1 else None
        await reply(interaction, embed=embed, view=view)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Quotes(bot, await attach(bot)))
