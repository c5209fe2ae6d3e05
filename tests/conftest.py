"""Shared fixtures: a fresh bot per test against SimCord, and the no-ping check."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest
import pytest_asyncio

from bot import create_bot
from bot.client import BakerBot
from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Each test gets its own database file, so tests never share state."""
    return Settings(BAKERBOT_DATABASE=str(tmp_path / "bakerbot.sqlite3"), DISCORD_TOKEN="")


@pytest_asyncio.fixture
async def simcord_bot(settings: Settings) -> AsyncIterator[BakerBot]:
    bot = create_bot(settings)
    yield bot
    await bot.close()


@dataclass
class World:
    """A small server: a channel, two members and a moderator."""

    env: Any
    guild: Any
    channel: Any
    alice: Any
    bob: Any
    mod: Any


@pytest_asyncio.fixture
async def world(simcord_env: Any) -> World:
    env = simcord_env
    guild = env.create_guild("Film Club")
    channel = guild.create_text_channel("general")
    mods = guild.create_role("Mods", permissions=discord.Permissions(manage_guild=True))
    alice = guild.add_member(env.create_user("alice"))
    bob = guild.add_member(env.create_user("bob"))
    mod = guild.add_member(env.create_user("mod"), roles=[mods])
    return World(env, guild, channel, alice, bob, mod)


def _content_bodies(body: Any) -> list[dict[str, Any]]:
    """Message payloads inside a REST body (interaction callbacks nest them in data)."""
    if not isinstance(body, dict):
        return []
    found = []
    if "content" in body or "embeds" in body:
        found.append(body)
    if isinstance(body.get("data"), dict):
        found.extend(_content_bodies(body["data"]))
    return found


def assert_no_pings(env: Any) -> None:
    """Nothing the bot sent may be able to ping: allowed_mentions must parse nothing."""
    for entry in env.http_requests:
        for body in _content_bodies(entry.json):
            mentions = body.get("allowed_mentions")
            where = f"{entry.method} {entry.path}"
            assert mentions is not None, f"{where} sent without allowed_mentions"
            assert not mentions.get("parse"), f"{entry.path} allows pings: {mentions}"
            assert not mentions.get("users") and not mentions.get("roles")
