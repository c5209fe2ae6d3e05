"""The bot itself: ``BakerBot`` and the ``create_bot`` factory."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord.ext import commands

from bot.config import Settings
from bot.services import ATTR, Services, detach_services, ensure_services
from cogs import FEATURES
from cogs._base import BakerBotTree

log = logging.getLogger(__name__)

#: Loaded in order at start; a failing one is logged and skipped.
EXTENSIONS: tuple[str, ...] = FEATURES


def make_intents(settings: Settings) -> discord.Intents:
    """Guilds plus guild messages (for @mentions); message content only when asked for."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    if settings.text_answers:
        intents.message_content = True
    return intents


class BakerBot(commands.AutoShardedBot):
    """Sharding is only switched on when a shard count is configured."""

    def __init__(self, settings: Settings, **kwargs: Any) -> None:
        shard_kwargs: dict[str, Any] = {}
        if settings.shard_count:
            shard_kwargs["shard_count"] = settings.shard_count
            if settings.shard_ids:
                shard_kwargs["shard_ids"] = list(settings.shard_ids)
        else:
            shard_kwargs["shard_count"] = 1
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=make_intents(settings),
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=BakerBotTree,
            help_command=None,
            **shard_kwargs,
            **kwargs,
        )
        self.settings = settings

    @property
    def services(self) -> Services:
        return getattr(self, ATTR)

    async def setup_hook(self) -> None:
        await ensure_services(self, self.settings)
        for name in EXTENSIONS:
            if name in self.extensions:
                continue
            try:
                await self.load_extension(name)
            except commands.ExtensionNotFound:
                log.debug("extension %s not present", name)
            except Exception:
                log.exception("failed to load extension %s; continuing without it", name)
        if self.settings.dev_guild:
            guild = discord.Object(self.settings.dev_guild)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
            log.info("commands synced to dev guild %s", self.settings.dev_guild)

    async def on_message(self, message: discord.Message) -> None:
        """No prefix commands: cogs listen for what they need (mentions, typed answers)."""

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            await detach_services(self)


def create_bot(settings: Settings | None = None, **kwargs: Any) -> BakerBot:
    return BakerBot(settings or Settings(), **kwargs)
