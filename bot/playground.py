"""The offline playground: the real bot inside SimCord's in-memory Discord.

Lets anyone try BakerBot without a Discord application: either a local preview page
in the browser, or one command run from the shell with the reply printed as text.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord
import simcord
from discord import app_commands

from bot import render
from bot.client import BakerBot, create_bot
from bot.config import Settings

log = logging.getLogger(__name__)

_OPTION = re.compile(r"(?:^|\s)([a-z_]+):")


class PlaygroundError(Exception):
    """A --say line that does not name a command or its options correctly."""


def find_command(bot: BakerBot, words: list[str]) -> app_commands.Command[Any, ..., Any]:
    """The command named by the leading words, e.g. ``trivia start``."""
    command: object = None
    lookup = bot.tree.get_command
    for word in words[:3]:
        found = lookup(word)
        if found is None:
            break
        command = found
        if not isinstance(found, app_commands.Group):
            break
        lookup = found.get_command
    if isinstance(command, app_commands.Command):
        return command
    known = sorted(c.name for c in bot.tree.get_commands())
    raise PlaygroundError(f"unknown command; try one of: /{', /'.join(known)}")


def parse_options(command: app_commands.Command[Any, ..., Any], rest: str) -> dict[str, Any]:
    """Read ``name:value`` pairs like Discord's composer; leading free text fills the first
    option, so ``/film anora`` works as well as ``/film title:anora``."""
    params = {p.display_name: p for p in command.parameters}
    options: dict[str, str] = {}
    matches = [m for m in _OPTION.finditer(rest) if m.group(1) in params]
    free = rest[: matches[0].start()].strip() if matches else rest.strip()
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(rest)
        options[match.group(1)] = rest[match.end() : end].strip()
    if free:
        first = next((p for p in command.parameters if p.display_name not in options), None)
        if first is None:
            raise PlaygroundError(f"/{command.qualified_name} takes no more options")
        options[first.display_name] = free
    return {name: _convert(params[name], value) for name, value in options.items()}


def _convert(param: app_commands.Parameter, value: str) -> Any:
    kind = param.type
    try:
        if kind is discord.AppCommandOptionType.integer:
            return int(value)
        if kind is discord.AppCommandOptionType.number:
            return float(value)
    except ValueError as exc:
        raise PlaygroundError(f"option {param.name} needs a number, not {value!r}") from exc
    if kind is discord.AppCommandOptionType.boolean:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return value


def message_text(content: str | None, embeds: list[discord.Embed], components: Any) -> str:
    """A message as plain text, close to what Discord shows."""
    lines: list[str] = []
    if content:
        lines.append(content)
    for embed in embeds:
        if embed.title:
            lines.append(f"## {embed.title}")
        if embed.description:
            lines.append(embed.description)
        for field in embed.fields:
            lines.append(f"**{field.name}**\n{field.value}")
        if embed.footer and embed.footer.text:
            lines.append(f"_{embed.footer.text}_")
    labels = [
        c.get("label")
        for row in components or []
        for c in row.get("components", [])
        if isinstance(c, dict) and c.get("label")
    ]
    if labels:
        lines.append(" ".join(f"[{label}]" for label in labels))
    return "\n".join(lines)


async def _world(env: simcord.Env) -> tuple[Any, Any]:
    guild = env.create_guild("BakerBot playground")
    channel = guild.create_text_channel("film-club")
    mods = guild.create_role("Moderators", permissions=discord.Permissions(manage_guild=True))
    you = guild.add_member(env.create_user("you"), roles=[mods])
    return channel, you


async def say(settings: Settings, line: str) -> str:
    """Run one slash command line and return everything the bot answered, as text."""
    bot = create_bot(settings)
    async with simcord.run(bot, strict_sync=False, check_errors=False) as env:
        channel, you = await _world(env)
        words = line.strip().lstrip("/").split()
        if not words:
            raise PlaygroundError('nothing to run; e.g. --say "/film anora"')
        command = find_command(bot, words)
        depth = len(command.qualified_name.split())
        rest = line.strip().lstrip("/").split(None, depth)[depth:]
        options = parse_options(command, rest[0] if rest else "")
        try:
            result = await you.slash(channel, command.qualified_name, **options)
        except simcord.OptionError as exc:
            raise PlaygroundError(str(exc)) from exc
        parts = []
        for message in [result.response, *result.followups]:
            if message is None:
                continue
            text = message_text(message.content, message.embeds, message.components)
            parts.append(("(only you can see this)\n" if message.ephemeral else "") + text)
        shown = {m.id for m in [result.response, *result.followups] if m is not None}
        for message in channel.history():  # what the command went on to post (trivia)
            if message.id not in shown and message.author.bot:
                components = [c.to_dict() for c in message.components]
                parts.append(message_text(message.content, message.embeds, components))
        return "\n\n".join(parts) or "(no reply)"


WELCOME = (
    "This is the same bot that runs in a real server, in an offline Discord. Type `/` in "
    "the box below to see every command. Try:\n"
    "`/film anora` · `/person yuri borisov` · `/quote`\n"
    "`/ask did anora win at cannes` · `/trivia start rounds:3 mode:buttons`\n"
    "You are a moderator here too: `/fact add`, `/fact list film:anora`."
)


async def _welcome(bot: BakerBot, channel_id: int) -> None:
    channel = bot.get_channel(channel_id)
    if isinstance(channel, discord.TextChannel):
        embed = render.base_embed("Welcome to the BakerBot playground", WELCOME)
        await channel.send(embed=embed, allowed_mentions=render.NO_MENTIONS)


async def serve(settings: Settings, port: int | None = None) -> None:
    """Open the local preview page and serve until it is closed or Ctrl-C."""
    bot = create_bot(settings)
    async with simcord.run(bot, strict_sync=False, check_errors=False) as env:
        channel, you = await _world(env)
        await _welcome(bot, channel.id)
        async with env.preview(channel, viewers=[you], layout="channel", port=port) as page:
            print(f"BakerBot playground is running at: {page.url}")
            print("Open it in a browser, type /help in the composer. Ctrl-C stops it.")
            await page.wait_closed()
