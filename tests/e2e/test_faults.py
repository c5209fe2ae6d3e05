"""Faults: Discord failing a send, restarts mid-game and mid-edit, two writers on one
database file, an unusable database at start, a broken data file.

In every case the same two things are checked: no score or fact is lost or counted
twice, and whoever was affected is told something clear (or, for an operator, the
process stops with a clear error and leaves the file alone).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import pytest
from simcord import actors as simcord_actors

from bot import create_bot
from bot.catalog import default_data_dir
from bot.config import Settings
from bot.models import Fact
from bot.store import Store
from bot.trivia.session import GAP_SECONDS
from cogs._base import GENERIC_ERROR

pytestmark = pytest.mark.simcord(strict_sync=False, settle_timeout=2)

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 10
FACT = "The Tangerine crew kept a jar of orange peel by the camera for luck."
EDITED = "The Tangerine crew kept two jars of orange peel by the camera."


# -- helpers -------------------------------------------------------------------------------


def titles(channel: Any) -> list[str]:
    return [e.title or "" for m in channel.history() for e in m.embeds]


def finals(channel: Any) -> list[discord.Embed]:
    return [e for m in channel.history() for e in m.embeds if e.title == "🏁 Trivia over"]


def open_question(bot: Any, channel: Any) -> Any:
    session = bot.get_cog("Trivia").sessions[channel.id]
    assert session.game.open_round is not None, "no question is open"
    return session.game.open_round.question


def points_of(reply: Any) -> int:
    """Points from "✅ Correct! **+20** points."."""
    return int(reply.response.content.split("**+")[1].split("**")[0])


async def start_game(member: Any, channel: Any, rounds: int) -> None:
    result = await member.slash(channel, "trivia start", rounds=rounds, seconds=SECONDS)
    assert result.response.embeds[0].title == "🎬 Trivia time!", result.response


async def stats(store: Store, guild: Any, member: Any) -> dict[str, int]:
    return await store.trivia_member(guild.id, member.id) or {}


async def play_out(env: Any) -> None:
    """Let whatever is left of a game run to its end (each question times out)."""
    for _ in range(6):
        await env.advance_time(SECONDS + GAP_SECONDS)


# -- Discord failing a send during a trivia question ------------------------------------------


@pytest.mark.parametrize("status", [500, 429])
async def test_failed_channel_send_after_a_right_answer_keeps_the_point_once(
    world, simcord_bot, status
):
    """The result post fails: the point stays, counted once; the channel hears the end."""
    env, ch, alice = world.env, world.channel, world.alice
    await start_game(alice, ch, rounds=2)
    question = open_question(simcord_bot, ch)
    env.inject_error("POST", "/channels/*/messages", status=status, times=1)
    won = await alice.slash(ch, "answer", guess=question.answer)
    assert won.ephemeral and won.response.content.startswith("✅ Correct!")
    await play_out(env)
    assert len(finals(ch)) == 1, titles(ch)
    final = finals(ch)[0]
    assert f"<@{alice.id}>" in final.description
    record = await stats(simcord_bot.services.store, world.guild, alice)
    assert record["points"] == points_of(won) and record["correct"] == 1
    assert record["games"] == 1 and record["wins"] == 1
    again = await alice.slash(ch, "trivia start", rounds=1, seconds=SECONDS)
    assert again.response.embeds[0].title == "🎬 Trivia time!", "the channel must be free"
    await alice.slash(ch, "trivia stop")


@pytest.mark.parametrize("status", [500, 429])
async def test_failed_post_of_the_next_question_scores_nothing_extra(world, simcord_bot, status):
    """Question 2 cannot be posted: nobody gains for it and the game ends in the open."""
    env, ch, alice, bob = world.env, world.channel, world.alice, world.bob
    await start_game(alice, ch, rounds=3)
    won = await bob.slash(ch, "answer", guess=open_question(simcord_bot, ch).answer)
    env.inject_error("POST", "/channels/*/messages", status=status, times=1)
    await play_out(env)
    assert len(finals(ch)) == 1, titles(ch)
    store = simcord_bot.services.store
    assert (await stats(store, world.guild, bob))["points"] == points_of(won)
    assert (await stats(store, world.guild, alice)).get("points", 0) == 0
    board = await alice.slash(ch, "trivia leaderboard")
    assert board.response.embeds[0].description.count("<@") == 1


async def test_failed_reply_to_an_answer_still_scores_once_and_says_so(world, simcord_bot):
    """Discord drops the reply to /answer: the point is kept once and alice is told."""
    env, ch, alice = world.env, world.channel, world.alice
    await start_game(alice, ch, rounds=2)
    question = open_question(simcord_bot, ch)
    env.inject_error("POST", "/interactions/*/*/callback", status=500, times=1)
    first = await alice.slash(ch, "answer", guess=question.answer)
    errors = env.errors  # reading them acknowledges the one expected failure
    assert len(errors) == 1 and isinstance(errors[0].__cause__ or errors[0], Exception)
    assert "HTTPException" in repr(errors[0])
    assert first.ephemeral and first.response.embeds[0].description == GENERIC_ERROR
    retry = await alice.slash(ch, "answer", guess=question.answer)
    assert retry.response.content.startswith("⌛ Too late"), retry.response.content
    record = await stats(simcord_bot.services.store, world.guild, alice)
    assert record["correct"] == 1 and record["points"] > 0
    await play_out(env)
    assert len(finals(ch)) == 1
    assert (await stats(simcord_bot.services.store, world.guild, alice))["correct"] == 1


# -- restarts ----------------------------------------------------------------------------------


async def test_restart_between_questions_counts_each_round_once(world, simcord_bot, settings):
    """Restart in the pause after question 1: question 2 comes once, totals are exact."""
    env, ch, alice, bob = world.env, world.channel, world.alice, world.bob
    await start_game(alice, ch, rounds=2)
    first = await alice.slash(ch, "answer", guess=open_question(simcord_bot, ch).answer)
    fresh = create_bot(settings)
    try:
        await env.restart_bot(fresh)
        await env.settle()
        await env.advance_time(GAP_SECONDS)
        second = await bob.slash(ch, "answer", guess=open_question(fresh, ch).answer)
        assert second.response.content.startswith("✅ Correct!")
        await play_out(env)
        assert titles(ch).count("Question 2 of 2") == 1, titles(ch)
        assert len(finals(ch)) == 1
        store = fresh.services.store
        alice_stats, bob_stats = (
            await stats(store, world.guild, alice),
            await stats(store, world.guild, bob),
        )
        assert (alice_stats["points"], alice_stats["correct"]) == (points_of(first), 1)
        assert (bob_stats["points"], bob_stats["correct"]) == (points_of(second), 1)
        assert alice_stats["games"] == bob_stats["games"] == 1
    finally:
        await fresh.close()


async def test_restart_with_a_question_open_then_a_race_has_one_winner(
    world, simcord_bot, settings
):
    """Restart while question 1 is open; after it resumes, four answer at the same instant."""
    env, ch, guild = world.env, world.channel, world.guild
    carol = guild.add_member(env.create_user("carol"))
    players = [world.alice, world.bob, world.mod, carol]
    await start_game(world.alice, ch, rounds=1)
    fresh = create_bot(settings)
    try:
        await env.restart_bot(fresh)
        await env.settle()
        resumed = [m for m in ch.history() if m.embeds and m.embeds[0].title == "Question 1 of 1"]
        assert resumed[-1].embeds[0].author.name == "Resumed after a restart"
        answer = open_question(fresh, ch).answer
        calls = [simcord_actors._slash(m, ch, "answer", {"guess": answer}) for m in players]
        replies = await asyncio.gather(*calls)
        texts = [r.response.content for r in replies]
        assert sum(t.startswith("✅ Correct!") for t in texts) == 1, texts
        await play_out(env)
        rows = await fresh.services.store.trivia_leaderboard(guild.id)
        assert len(rows) == 1 and rows[0][2] == 1, rows
    finally:
        await fresh.close()


async def test_restart_mid_edit_writes_nothing_and_the_edit_can_be_redone(
    world, simcord_bot, settings
):
    """The form is open when the bot restarts: the stale submission changes nothing."""
    env, ch, mod = world.env, world.channel, world.mod
    added = await mod.slash(ch, "fact add", text=FACT, film="Tangerine")
    assert added.response.embeds[0].title == "Added fact g1"
    form = await mod.slash(ch, "fact edit", id="g1")
    assert form.modal is not None
    values = {
        "fact-text": EDITED,
        "fact-film": "Tangerine",
        "fact-source": "this server's moderators",
    }
    fresh = create_bot(settings)
    try:
        await env.restart_bot(fresh)
        await mod.submit_modal(form, values)
        store = fresh.services.store
        assert [f.text for f in await store.guild_facts(world.guild.id)] == [FACT]
        assert len(await store.fact_versions("g1")) == 1
        assert [a.action for a in await store.audit_entries(world.guild.id, target="g1")] == ["add"]
        redo = await mod.slash(ch, "fact edit", id="g1")
        saved = await mod.submit_modal(redo, values)
        assert saved.response.embeds[0].title == "Edited fact g1"
        assert [f.text for f in await store.guild_facts(world.guild.id)] == [EDITED]
        assert len(await store.fact_versions("g1")) == 2
        actions = [a.action for a in await store.audit_entries(world.guild.id, target="g1")]
        assert actions == ["add", "edit"]
    finally:
        await fresh.close()


async def test_restart_right_after_an_edit_keeps_exactly_that_edit(world, simcord_bot, settings):
    """An edit that was answered is on disk: after a restart, one edit, two versions."""
    env, ch, mod = world.env, world.channel, world.mod
    await mod.slash(ch, "fact add", text=FACT, film="Tangerine")
    form = await mod.slash(ch, "fact edit", id="g1")
    values = {
        "fact-text": EDITED,
        "fact-film": "Tangerine",
        "fact-source": "this server's moderators",
    }
    saved = await mod.submit_modal(form, values)
    assert saved.response.embeds[0].title == "Edited fact g1"
    fresh = create_bot(settings)
    try:
        await env.restart_bot(fresh)
        store = fresh.services.store
        assert [f.text for f in await store.guild_facts(world.guild.id)] == [EDITED]
        assert len(await store.fact_versions("g1")) == 2
        film = await world.alice.slash(ch, "film", title="tangerine")
        assert "two jars" in str(film.response.embeds[0].to_dict())
    finally:
        await fresh.close()


# -- two writers on one database file ------------------------------------------------------------

WRITES = 40


def guild_fact(guild_id: int, n: int) -> Fact:
    return Fact(
        id="new", text=f"Writer fact number {n}.", film="anora", sources=("x",), guild_id=guild_id
    )


async def write_many(
    store: Store, guild_id: int, label: str, user_id: int, first_game: int
) -> None:
    """Facts and scored rounds, each in its own transaction, yielding between writes."""
    at = datetime(2025, 1, 1, tzinfo=UTC)
    for n in range(WRITES):
        await store.add_guild_record(guild_fact(guild_id, n), actor_id=user_id, at=at)
        await store.trivia_record_round(
            game_id=first_game,
            guild_id=guild_id,
            number=n + 1,
            question_id=f"{label}-{n}",
            film="anora",
            outcome="answered",
            points=1,
            winners=(7,),
            losers=(),
            state="{}",
            now=at.isoformat(),
        )
        await asyncio.sleep(0)


async def test_two_stores_on_one_file_lose_and_double_nothing(world, tmp_path):
    """Two connections write interleaved: every fact gets its own id, every point counts once."""
    path = tmp_path / "shared.sqlite3"
    first, second = await Store.open(path), await Store.open(path)
    try:
        guild_id = world.guild.id
        games = [
            await s.trivia_create_game(guild_id, 100 + i, 1, "{}", "t")
            for i, s in enumerate((first, second))
        ]
        await asyncio.gather(
            write_many(first, guild_id, "a", 1, games[0] or 0),
            write_many(second, guild_id, "b", 2, games[1] or 0),
        )
        twice = await asyncio.gather(
            *(
                s.trivia_record_round(
                    game_id=games[0] or 0,
                    guild_id=guild_id,
                    number=1,
                    question_id="a-0",
                    film=None,
                    outcome="answered",
                    points=1,
                    winners=(7,),
                    losers=(),
                    state="{}",
                    now="t",
                )
                for s in (first, second)
            )
        )
        assert twice == [False, False], "a round already scored must not score again"
        facts = await first.guild_facts(guild_id)
        ids = [f.id for f in facts]
        assert len(ids) == len(set(ids)) == 2 * WRITES
        assert sorted(ids, key=lambda i: int(i[1:])) == [f"g{n}" for n in range(1, 2 * WRITES + 1)]
        assert len(await second.audit_entries(guild_id, limit=1000)) == 2 * WRITES
        member = await second.trivia_member(guild_id, 7)
        assert member is not None and member["points"] == member["correct"] == 2 * WRITES
    finally:
        await first.close()
        await second.close()


WRITER = """
import asyncio, sys
from datetime import UTC, datetime
sys.path.insert(0, {root!r})
from bot.models import Fact
from bot.store import Store

async def main():
    store = await Store.open({path!r})
    at = datetime(2025, 1, 1, tzinfo=UTC)
    try:
        for n in range({writes}):
            fact = Fact(id="new", text=f"Other process fact {{n}}.", film="anora",
                        sources=("x",), guild_id={guild})
            await store.add_guild_record(fact, actor_id=2, at=at)
    finally:
        await store.close()

asyncio.run(main())
"""


async def test_a_second_process_writing_at_the_same_time_loses_nothing(world, tmp_path):
    """Another process adds facts to the same file while this one does."""
    path = tmp_path / "shared.sqlite3"
    store = await Store.open(path)
    try:
        guild_id = world.guild.id
        code = WRITER.format(root=str(ROOT), path=str(path), writes=WRITES, guild=guild_id)
        other = await asyncio.create_subprocess_exec(sys.executable, "-c", code)
        at = datetime(2025, 1, 1, tzinfo=UTC)
        for n in range(WRITES):
            await store.add_guild_record(guild_fact(guild_id, n), actor_id=1, at=at)
        assert await other.wait() == 0
        facts = await store.guild_facts(guild_id)
        assert len({f.id for f in facts}) == len(facts) == 2 * WRITES
        texts = {f.text for f in facts}
        assert {f"Other process fact {n}." for n in range(WRITES)} <= texts
        assert {f"Writer fact number {n}." for n in range(WRITES)} <= texts
    finally:
        await store.close()


# -- an unusable database at start ----------------------------------------------------------------


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BAKERBOT_DATABASE": str(database), "DISCORD_TOKEN": ""}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("content", [b"\x00garbage" * 512, b"SQLite format 3\x00" + b"\xff" * 4000])
def test_corrupt_database_exits_with_a_clear_error_and_keeps_the_file(tmp_path, content):
    """A file that is not a database: exit 1, say so, change nothing."""
    folder = tmp_path / "operator"  # not the fixture bot's own database file
    folder.mkdir()
    database = folder / "bakerbot.sqlite3"
    database.write_bytes(content)
    before = digest(database)
    done = run_cli(database, "playground", "--say", "/film anora")
    assert done.returncode != 0
    assert "is not usable" in done.stderr and "No data was changed" in done.stderr
    assert digest(database) == before
    assert sorted(p.name for p in folder.iterdir()) == ["bakerbot.sqlite3"]


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make ``path`` unwritable even for root (immutable flag), or skip."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(path)], check=False).returncode:
        pytest.skip("cannot make a file read-only for root here")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


async def test_read_only_database_exits_with_a_clear_error_and_keeps_the_file(tmp_path):
    """A database the bot cannot write: exit 1, say so, the file stays as it was."""
    database = tmp_path / "operator.sqlite3"
    store = await Store.open(database)
    await store.close()
    before = digest(database)
    with read_only(database):
        done = await asyncio.to_thread(run_cli, database, "playground", "--say", "/film anora")
    assert done.returncode != 0
    assert "readonly" in done.stderr or "read-only" in done.stderr, done.stderr
    assert "No data was changed" in done.stderr
    assert digest(database) == before


# -- a broken data file -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "damage"),
    [
        ("films.yaml", "\n- id: [unclosed\n"),
        ("people.yaml", "\n- id: nameless-person\n  sources: [ap-2024]\n"),
    ],
)
async def test_broken_data_file_keeps_the_old_data_served(world, settings, tmp_path, file, damage):
    """data/ is broken at a restart: lookups still answer from the last good load."""
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    good = Settings(
        DISCORD_TOKEN="", BAKERBOT_DATABASE=settings.database, BAKERBOT_DATA_DIR=str(data)
    )
    first = create_bot(good)
    await world.env.restart_bot(first)
    await world.mod.slash(world.channel, "fact add", text=FACT, film="Tangerine")
    with (data / file).open("a", encoding="utf-8") as handle:
        handle.write(damage)
    second = create_bot(good)
    try:
        await world.env.restart_bot(second)
        problems = second.services.data_problems
        assert problems and problems[0].startswith(file), problems[:3]
        film = await world.alice.slash(world.channel, "film", title="anora")
        assert film.response.embeds[0].title == "Anora (2024)"
        person = await world.alice.slash(world.channel, "person", name="mikey madison")
        assert person.response.embeds[0].title == "Mikey Madison"
        own = await world.alice.slash(world.channel, "film", title="tangerine")
        assert "orange peel" in str(own.response.embeds[0].to_dict())
        about = await world.mod.slash(world.channel, "about")
        fields = {f.name: f.value for f in about.response.embeds[0].fields}
        assert "previous data is being served" in fields["Data warning"]
    finally:
        await first.close()
        await second.close()


# -- reloading the catalog keeps full-text search whole -------------------------------------------


async def test_catalog_reload_keeps_full_text_search_exact(world, tmp_path):
    """A changed catalog replaces curated rows; guild facts and search stay exact."""
    import dataclasses
    import sqlite3

    from bot.catalog import load_catalog

    catalog = load_catalog()
    path = tmp_path / "reload.sqlite3"
    store = await Store.open(path)
    try:
        await store.load_catalog(catalog)
        at = datetime(2025, 1, 1, tzinfo=UTC)
        await store.add_guild_record(
            Fact(id="new", text=FACT, film="tangerine", sources=("x",), guild_id=world.guild.id),
            actor_id=1,
            at=at,
        )
        dropped, kept = catalog.facts[0], catalog.facts[1]
        smaller = dataclasses.replace(catalog, facts=catalog.facts[1:], content_hash="changed")
        assert await store.load_catalog(smaller)
        ids = [h.fact.id for h in await store.search_facts(dropped.text, world.guild.id, 50)]
        assert dropped.id not in ids
        assert kept.id in [h.fact.id for h in await store.search_facts(kept.text, None, 50)]
        assert [h.fact.id for h in await store.search_facts("orange peel", world.guild.id)] == [
            "g1"
        ]
        later = Fact(
            id="new",
            text="A jukebox played all night.",
            film="anora",
            sources=("x",),
            guild_id=world.guild.id,
        )
        await store.add_guild_record(later, actor_id=1, at=at)
        assert [h.fact.id for h in await store.search_facts("jukebox", world.guild.id)] == ["g2"]
    finally:
        await store.close()
    with sqlite3.connect(path) as conn:
        for fts in ("facts_fts", "quotes_fts"):
            conn.execute(f"INSERT INTO {fts} ({fts}) VALUES ('integrity-check')")
