"""The cogs as a plugin: an existing discord.py bot loads them with load_extension."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest
import pytest_asyncio
from discord.ext import commands

from bot.services import ATTR

pytestmark = pytest.mark.simcord(strict_sync=False)


class HostBot(commands.Bot):
    """Someone else's bot: its own prefix and intents, loading our extension."""

    def __init__(self, extension: str) -> None:
        super().__init__(command_prefix="!", intents=discord.Intents.default())
        self.extension = extension

    async def setup_hook(self) -> None:
        await self.load_extension(self.extension)


@pytest.fixture(params=["cogs", "cogs.films"])
def extension(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest_asyncio.fixture
async def simcord_bot(
    extension: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[HostBot]:
    monkeypatch.setenv("BAKERBOT_DATABASE", str(tmp_path / "host.sqlite3"))
    bot = HostBot(extension)
    yield bot
    await bot.close()


async def test_plugin_answers_film_lookups(world, simcord_bot, extension):
    result = await world.alice.slash(world.channel, "film", title="tangerine")
    assert result.response.embeds[0].title == "Tangerine (2015)"
    services = getattr(simcord_bot, ATTR)
    assert services.store.path.endswith("host.sqlite3")
    assert ("help" in world.alice.available_commands(world.channel)) == (extension == "cogs")


async def test_unloading_the_plugin_closes_the_store(world, simcord_bot, extension):
    await simcord_bot.unload_extension(extension)
    assert getattr(simcord_bot, ATTR) is None
