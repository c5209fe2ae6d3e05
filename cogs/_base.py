"""Helpers every cog shares: replying safely, the error handler, service access."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.errors import UserFacingError
from bot.search import EntryKind
from bot.services import Services, detach_services, ensure_services

if TYPE_CHECKING:
    from collections.abc import Sequence

log = logging.getLogger(__name__)

#: Longest query text passed on to the index.
QUERY_LIMIT = 200

GENERIC_ERROR = "Something went wrong on my side. It has been logged; please try again."


async def reply(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    embeds: Sequence[discord.Embed] = (),
    view: discord.ui.View | None = None,
    ephemeral: bool = False,
) -> None:
    """Answer an interaction whether or not it was already answered; never ping anyone."""
    kwargs: dict[str, Any] = {
        "content": render.truncate(content, render.CONTENT_LIMIT) if content else None,
        "embeds": [embed] if embed else list(embeds),
        "ephemeral": ephemeral,
        "allowed_mentions": render.NO_MENTIONS,
    }
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


def describe_error(error: BaseException) -> str | None:
    """A user-safe explanation for an expected error, or None for a bug."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, UserFacingError):
        return error.message
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.MissingPermissions | app_commands.CheckFailure):
        return str(error) or "You don't have permission to use this command here."
    if isinstance(error, app_commands.TransformerError):
        return f"I couldn't understand “{render.quoted(str(error.value))[:100]}”."
    return None


async def handle_app_command_error(
    interaction: discord.Interaction, error: app_commands.AppCommandError
) -> None:
    """The one error handler: friendly ephemeral message; tracebacks go to the log."""
    message = describe_error(error)
    if message is None:
        command = interaction.command.qualified_name if interaction.command else "?"
        log.error("command /%s failed", command, exc_info=error)
        message = GENERIC_ERROR
    try:
        await reply(interaction, embed=render.error_embed(message), ephemeral=True)
    except discord.HTTPException:
        log.warning("could not deliver an error message", exc_info=True)


class BakerCog(commands.Cog):
    """Base for our cogs: errors are answered here, so it works in a host bot too."""

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        self.bot = bot
        self.services = services

    def _choices(self, current: str, kind: EntryKind) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=render.choice_name(e.display), value=e.label[:100])
            for e in self.services.index.autocomplete(current[:QUERY_LIMIT], kind)
        ]

    async def film_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Typo-tolerant film titles, best first, at most 25."""
        return self._choices(current, "film")

    async def person_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Typo-tolerant names, best first, at most 25."""
        return self._choices(current, "person")

    async def cog_unload(self) -> None:
        """The last of our cogs to go closes the shared store (plugin mode included)."""
        if not any(isinstance(c, BakerCog) and c is not self for c in self.bot.cogs.values()):
            await detach_services(self.bot)

    async def cog_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await handle_app_command_error(interaction, error)


class BakerBotTree(app_commands.CommandTree):
    """Handles errors from commands outside our cogs (ours answer their own)."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        command = interaction.command
        if command is not None and isinstance(getattr(command, "binding", None), BakerCog):
            return
        await handle_app_command_error(interaction, error)


async def attach(bot: commands.Bot) -> Services:
    """Services for a cog being loaded; created on the first load (plugin mode too)."""
    return await ensure_services(bot, getattr(bot, "settings", None))
