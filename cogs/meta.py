"""/help and /about."""

from __future__ import annotations

from collections.abc import Iterator

import discord
from discord import app_commands
from discord.ext import commands

import bot as bot_package
from bot import render
from cogs._base import BakerCog, attach, reply

INTRO = (
    "I know the films of **Sean Baker** — *Tangerine*, *The Florida Project*, "
    "*Red Rocket*, *Anora* and the rest — from curated, sourced facts. "
    "Every answer names its source; when I don't know, I say so."
)
EXAMPLES = (
    "`/film anora` · `/person mikey madison` · `/filmography`\n"
    "`/quote film:tangerine` · `/ask who plays igor in anora?`\n"
    "`/trivia start rounds:5 mode:buttons` · `/answer guess:...`\n"
    "You can also mention me with a question."
)


def _moderators_only(command: app_commands.Command | app_commands.Group) -> bool:
    """Set by permissions on a top-level command, or marked on a subgroup (Discord
    applies ``default_permissions`` to top-level commands only)."""
    return command.default_permissions is not None or bool(command.extras.get("moderators"))


def _leaves(
    commands_: list[app_commands.Command | app_commands.Group], moderators: bool = False
) -> Iterator[tuple[app_commands.Command, bool]]:
    """Every command under ``commands_``, with whether it is for moderators only."""
    for command in sorted(commands_, key=lambda c: c.name):
        mods = moderators or _moderators_only(command)
        if isinstance(command, app_commands.Group):
            yield from _leaves(list(command.commands), mods)
        else:
            yield command, mods


def _command_lines(commands_: list[app_commands.Command]) -> list[str]:
    """One line per command, read from the tree so help never goes stale."""
    lines: list[str] = []
    for command in commands_:
        params = " ".join(
            f"<{p.display_name}>" if p.required else f"[{p.display_name}]"
            for p in command.parameters
        )
        lines.append(
            f"`/{command.qualified_name}{' ' + params if params else ''}` — {command.description}"
        )
    return lines


def _add_lines(embed: discord.Embed, title: str, lines: list[str]) -> None:
    """Pack lines into as few fields as Discord's 1024-character field limit allows."""
    chunk: list[str] = []
    for line in lines:
        if chunk and len("\n".join([*chunk, line])) > render.FIELD_VALUE_LIMIT:
            render.add_field(embed, title, "\n".join(chunk))
            title, chunk = f"{title} (more)", []
        chunk.append(render.truncate(line, 300))
    if chunk:
        render.add_field(embed, title, "\n".join(chunk))


class Meta(BakerCog):
    """What the bot can do and what it knows."""

    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction) -> None:
        """What BakerBot can do, with examples."""
        ours = [
            c
            for c in self.bot.tree.get_commands(type=discord.AppCommandType.chat_input)
            if isinstance(c, app_commands.Command | app_commands.Group)
            and c.module is not None
            and c.module.startswith("cogs")
        ]
        is_mod = bool(interaction.permissions.manage_guild)
        leaves = list(_leaves(ours))
        everyone = [c for c, mods_only in leaves if not mods_only]
        mods = [c for c, mods_only in leaves if mods_only]
        embed = render.base_embed("BakerBot help", INTRO)
        render.add_field(embed, "Examples", EXAMPLES)
        _add_lines(embed, "Commands", _command_lines(everyone))
        if is_mod:
            _add_lines(embed, "Moderator commands", _command_lines(mods))
        await reply(interaction, embed=render.fit(embed), ephemeral=True)

    @app_commands.command(name="about")
    async def about(self, interaction: discord.Interaction) -> None:
        """What the bot knows, where it comes from, and its version."""
        counts = await self.services.store.counts(interaction.guild_id)
        embed = render.base_embed("About BakerBot", INTRO)
        render.add_field(
            embed,
            "Knowledge",
            f"{counts.films} films and shows · {counts.people} people · {counts.facts} facts\n"
            f"{counts.quotes} quotes · {counts.questions} trivia questions · "
            f"{counts.sources} sources",
        )
        render.add_field(embed, "Version", bot_package.__version__, inline=True)
        if self.services.data_problems:
            render.add_field(
                embed,
                "Data warning",
                f"The last data update had {len(self.services.data_problems)} problem(s); "
                "the previous data is being served.",
            )
        names = self.services.library.source_names(list(self.services.library.sources))
        await reply(interaction, embed=render.set_sources(embed, names))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Meta(bot, await attach(bot)))
