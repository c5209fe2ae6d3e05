"""Sharded mode: with BAKERBOT_SHARD_COUNT set, guilds on every shard get answers.

``BakerBot`` is an ``AutoShardedBot``; SimCord runs one fake gateway per shard and puts
each guild on the shard its id belongs to, so these tests drive the same routing
Discord does. ``BAKERBOT_SHARD_IDS`` picks the shards one process serves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot import create_bot
from bot.config import Settings

pytestmark = pytest.mark.simcord(strict_sync=False)

SHARDS = 3


@pytest.fixture
def shard_env() -> dict[str, str]:
    """Shard variables as the environment gives them; tests parametrize this."""
    return {}


@pytest.fixture
def settings(tmp_path: Path, shard_env: dict[str, str]) -> Settings:
    db = str(tmp_path / "bakerbot.sqlite3")
    return Settings(DISCORD_TOKEN="", BAKERBOT_DATABASE=db, **shard_env)


def shards(count: int, ids: str | None = None) -> pytest.MarkDecorator:
    env = {"BAKERBOT_SHARD_COUNT": str(count)}
    if ids is not None:
        env["BAKERBOT_SHARD_IDS"] = ids
    return pytest.mark.parametrize("shard_env", [env], ids=[f"shards={count}:{ids or 'all'}"])


def guild_on(env: Any, shard_id: int, name: str) -> tuple[Any, Any, Any]:
    guild = env.create_guild(name, shard_id=shard_id)
    channel = guild.create_text_channel("general")
    member = guild.add_member(env.create_user(f"member-{shard_id}"))
    return guild, channel, member


@shards(SHARDS)
async def test_every_shard_answers_lookups_autocomplete_and_ask(simcord_env, simcord_bot):
    """One guild per shard: each gets /film, autocomplete and /ask answered."""
    assert simcord_bot.shard_count == SHARDS
    assert sorted(simcord_bot.shards) == list(range(SHARDS))
    for shard_id in range(SHARDS):
        guild, channel, member = guild_on(simcord_env, shard_id, f"Club {shard_id}")
        assert simcord_bot.get_guild(guild.id).shard_id == shard_id
        film = await member.slash(channel, "film", title="florda projcet")
        assert film.response.embeds[0].title == "The Florida Project (2017)"
        choices = await member.autocomplete(channel, "film", "title", "tang")
        assert choices[0]["value"] == "Tangerine"
        if simcord_bot.tree.get_command("ask") is not None:
            answer = await member.slash(channel, "ask", question="who directed Anora?")
            assert "Sean Baker" in str(answer.response.embeds[0].to_dict())


@shards(SHARDS)
async def test_guild_state_stays_with_its_guild_across_shards(simcord_env, simcord_bot):
    """A trivia game on one shard does not block or leak into a guild on another."""
    if simcord_bot.tree.get_command("trivia") is None:
        pytest.skip("trivia is not loaded")
    _, first_channel, first = guild_on(simcord_env, 0, "Shard zero")
    _, second_channel, second = guild_on(simcord_env, 2, "Shard two")
    started = await first.slash(first_channel, "trivia start", rounds=1)
    assert not started.ephemeral
    other = await second.slash(second_channel, "trivia start", rounds=1)
    assert not other.ephemeral, "a game on another shard must not block this channel"
    stopped = await second.slash(second_channel, "trivia stop")
    assert not stopped.ephemeral
    await first.slash(first_channel, "trivia stop")


@shards(4, "1,3")
async def test_one_process_serves_only_its_shard_ids(simcord_env, simcord_bot):
    """BAKERBOT_SHARD_IDS=1,3 of 4: this process identifies shards 1 and 3 only."""
    assert simcord_bot.shard_count == 4
    assert simcord_bot.shard_ids == [1, 3]
    assert sorted(simcord_bot.shards) == [1, 3]
    for shard_id in (1, 3):
        _, channel, member = guild_on(simcord_env, shard_id, f"Club {shard_id}")
        person = await member.slash(channel, "person", name="mikey madsion")
        assert person.response.embeds[0].title == "Mikey Madison"
    elsewhere = simcord_env.create_guild("Another process's guild", shard_id=0)
    assert simcord_bot.get_guild(elsewhere.id) is None


async def test_without_a_shard_count_the_bot_runs_one_shard(simcord_env, simcord_bot):
    """The default stays a single connection."""
    assert simcord_bot.shard_count == 1
    _, channel, member = guild_on(simcord_env, 0, "Solo")
    film = await member.slash(channel, "film", title="anora")
    assert film.response.embeds[0].title == "Anora (2024)"


def test_shard_settings_read_from_plain_environment_text(monkeypatch: pytest.MonkeyPatch):
    """Environment variables are text: "0,2" and "[0, 2]" both name shards 0 and 2."""
    monkeypatch.setenv("BAKERBOT_SHARD_COUNT", "4")
    for text in ("0,2", "[0, 2]", " 0 , 2 "):
        monkeypatch.setenv("BAKERBOT_SHARD_IDS", text)
        settings = Settings(DISCORD_TOKEN="")
        assert settings.shard_count == 4 and settings.shard_ids == (0, 2)


@shards(4, "1,3")
async def test_restart_leaves_another_processes_games_alone(simcord_env, simcord_bot, settings):
    """A game saved for a guild on shard 0 stays running when the shard 1+3 process restarts."""
    if simcord_bot.get_cog("Trivia") is None:
        pytest.skip("trivia is not loaded")
    foreign = simcord_env.create_guild("Another process's guild", shard_id=0)
    store = simcord_bot.services.store
    game_id = await store.trivia_create_game(foreign.id, 4242, 1, "{}", "2025-01-01T00:00:00")
    fresh = create_bot(settings)
    try:
        await simcord_env.restart_bot(fresh)
        await simcord_env.settle()
        running = await fresh.services.store.trivia_running_games()
        assert game_id in [row[0] for row in running]
    finally:
        await fresh.close()
