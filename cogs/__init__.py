"""BakerBot's features as discord.py extensions.

``await bot.load_extension("cogs")`` adds every feature to any ``commands.Bot``; each
module (``cogs.films``, ``cogs.quotes``, ...) can also be loaded on its own.
"""

from __future__ import annotations

import logging

from discord.ext import commands

log = logging.getLogger(__name__)

FEATURES: tuple[str, ...] = (
    "cogs.meta",
    "cogs.films",
    "cogs.quotes",
    "cogs.ask",
    "cogs.trivia",
    "cogs.moderation",
    "cogs.curation",
    "cogs.suggestions",
)


async def setup(bot: commands.Bot) -> None:
    for name in FEATURES:
        if name in bot.extensions:
            continue
        try:
            await bot.load_extension(name)
        except commands.ExtensionNotFound:
            log.debug("feature %s not present", name)


async def teardown(bot: commands.Bot) -> None:
    for name in FEATURES:
        if name in bot.extensions:
            await bot.unload_extension(name)
