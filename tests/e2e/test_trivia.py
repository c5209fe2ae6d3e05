"""Trivia end to end: full games in every mode, time-outs, hints, idle stop, restarts,
simultaneous answers, permissions, leaderboards and bad input, as players see them.

``settle_timeout=2`` makes SimCord park the 3 s pause between questions on the virtual
clock (shorter sleeps would run in real time), so each test steps through a game with
``env.advance_time`` and the whole module stays fast.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
import simcord
from simcord import actors as simcord_actors

from bot import create_bot
from bot.config import Settings
from bot.matching import judge
from bot.models import Question
from bot.trivia.session import GAP_SECONDS

pytestmark = pytest.mark.simcord(strict_sync=False, settle_timeout=2)

SECONDS = 10


# -- helpers -------------------------------------------------------------------------------


def embeds_of(channel: Any) -> list[discord.Embed]:
    return [embed for message in channel.history() for embed in message.embeds]


def last_embed(channel: Any, title_start: str) -> discord.Embed:
    found = [e for e in embeds_of(channel) if (e.title or "").startswith(title_start)]
    assert found, f"no embed titled {title_start!r} in the channel"
    return found[-1]


def question_messages(channel: Any) -> list[Any]:
    return [
        m
        for m in channel.history()
        if m.embeds and (m.embeds[0].title or "").startswith("Question ")
    ]


def shown_question(bot: Any, channel: Any) -> Question:
    """The question on screen, looked up by its text in the game's question bank."""
    embed = question_messages(channel)[-1].embeds[0]
    text = (embed.description or "").replace("⚠️ Spoiler question\n", "").strip("|")
    question = bot.get_cog("Trivia").sessions[channel.id].bank.find_by_text(text)
    assert question is not None, f"question not in the bank: {text!r}"
    return question


def typo_of(question: Question) -> str | None:
    """A one-letter slip of the answer that the matcher forgives (not exact), if any."""
    answer = question.answer
    for i in range(len(answer) - 2, 0, -1):
        guess = answer[:i] + answer[i + 1 :]
        verdict = judge(guess, question.answers, question.kind)
        if answer[i].isalpha() and verdict.matched and not verdict.exact:
            return guess
    return None


async def start(member: Any, channel: Any, **options: Any) -> Any:
    options.setdefault("seconds", SECONDS)
    result = await member.slash(channel, "trivia start", **options)
    assert result.response.embeds[0].title == "🎬 Trivia time!", result.response
    return result


async def answer_at_once(channel: Any, members: list[Any], guess: str) -> list[Any]:
    """Several /answer interactions dispatched before the bot handles any of them.

    SimCord's public calls run one at a time, so this goes one level down: each
    ``_slash`` emits its interaction before its first await, and only then do all of
    them wait for the bot together, which handles them concurrently.
    """
    calls = [simcord_actors._slash(m, channel, "answer", {"guess": guess}) for m in members]
    return list(await asyncio.gather(*calls))


# -- full games ----------------------------------------------------------------------------


async def test_answer_mode_full_game_with_two_members(world, simcord_bot):
    """Two members play three questions with /answer; the channel sees every step."""
    env, ch, alice, bob = world.env, world.channel, world.alice, world.bob
    intro = await start(alice, ch, rounds=3)
    assert "3** questions" in intro.response.embeds[0].description
    first = question_messages(ch)[-1].embeds[0]
    assert first.title == "Question 1 of 3"
    fields = {f.name: f.value for f in first.fields}
    assert set(fields) >= {"Film", "Points", "Time left"}
    assert fields["Time left"].startswith(f"{SECONDS} s")

    wrong = await bob.slash(ch, "answer", guess="definitely not this")
    assert wrong.ephemeral and wrong.response.content.startswith("❌")
    question = shown_question(simcord_bot, ch)
    right = await alice.slash(ch, "answer", guess=question.answer)
    assert right.ephemeral and right.response.content.startswith("✅ Correct!")
    result = last_embed(ch, "✅ Question 1")
    assert f"<@{alice.id}> got it" in result.description
    assert "Standings" in [f.name for f in result.fields]
    assert result.footer.text.startswith("Source")

    await env.advance_time(GAP_SECONDS)
    assert question_messages(ch)[-1].embeds[0].title == "Question 2 of 3"
    second = shown_question(simcord_bot, ch)
    await bob.slash(ch, "answer", guess=second.answer)
    assert f"<@{bob.id}> got it" in last_embed(ch, "✅ Question 2").description

    await env.advance_time(GAP_SECONDS)
    third = shown_question(simcord_bot, ch)
    await env.advance_time(SECONDS)
    timeout = last_embed(ch, "⌛ Time's up on question 3")
    assert third.answer in timeout.description
    final = last_embed(ch, "🏁 Trivia over")
    assert "All 3 questions played." in final.description
    standings = next(f.value for f in final.fields if f.name == "Final standings")
    assert f"<@{alice.id}>" in standings and f"<@{bob.id}>" in standings

    board = await bob.slash(ch, "trivia leaderboard")
    lines = board.response.embeds[0].description
    assert f"<@{alice.id}>" in lines and f"<@{bob.id}>" in lines
    stats = await alice.slash(ch, "trivia stats")
    values = {f.name: f.value for f in stats.response.embeds[0].fields}
    assert values["Games"] == "1" and values["Correct answers"] == "1"


async def test_forgiven_typo_says_accepted_as(world, simcord_bot):
    """A guess with a slip wins and the reply says which answer it was accepted as."""
    env, ch, alice = world.env, world.channel, world.alice
    await start(alice, ch, rounds=10, category="cast")
    for _ in range(10):
        question = shown_question(simcord_bot, ch)
        guess = typo_of(question)
        if guess is not None:
            break
        await alice.slash(ch, "trivia skip")
        await env.advance_time(GAP_SECONDS)
    assert guess is not None, "no question with a forgivable answer came up"
    reply = await alice.slash(ch, "answer", guess=guess)
    assert "accepted as" in reply.response.content
    assert "accepted as" in embeds_of(ch)[-1].description


async def test_buttons_mode_counts_picks_once_and_refuses_late_clicks(world, simcord_bot):
    """Four choices, one pick each, counts revealed when the question ends."""
    env, ch, alice, bob = world.env, world.channel, world.alice, world.bob
    await start(alice, ch, rounds=2, mode="buttons")
    message = question_messages(ch)[-1]
    buttons = [c for row in message.components for c in row.children]
    assert len(buttons) == 4
    question = shown_question(simcord_bot, ch)
    wrong_label = next(b.label for b in buttons if b.label != question.answer)

    picked = await alice.click(message, label=question.answer)
    assert picked.ephemeral and "You picked" in picked.response.content
    await bob.click(message, label=wrong_label)
    again = await alice.click(message, label=wrong_label)
    assert "already picked" in again.response.content

    await env.advance_time(SECONDS)
    result = last_embed(ch, "✅ Question 1")
    assert f"<@{alice.id}> picked it" in result.description
    assert f"<@{bob.id}>" not in result.description
    picks = next(f.value for f in result.fields if f.name == "Picks")
    assert f"✅ {question.answer} — 1" in picks and f"{wrong_label} — 1" in picks
    edited = next(m for m in ch.history() if m.id == message.id)
    labels = [c.label for row in edited.components for c in row.children]
    assert f"✅ {question.answer} · 1" in labels

    late = await bob.click(edited, label=f"✅ {question.answer} · 1")
    assert "question is over" in late.response.content
    answer = await bob.slash(ch, "answer", guess=question.answer)
    assert "buttons" in answer.response.embeds[0].description

    await env.advance_time(GAP_SECONDS + SECONDS)
    final = last_embed(ch, "🏁 Trivia over")
    assert f"Winner: <@{alice.id}>" in final.description


class TestTextMode:
    """Typed answers, with the Message Content intent switched on by the setting."""

    @pytest.fixture
    def settings(self, tmp_path: Path) -> Settings:
        return Settings(
            BAKERBOT_DATABASE=str(tmp_path / "bakerbot.sqlite3"),
            DISCORD_TOKEN="",
            BAKERBOT_TEXT_ANSWERS=True,
        )

    async def test_typed_answers_in_the_channel(self, world, simcord_bot):
        """Wrong messages stay unanswered; the first right one is announced."""
        env, ch, alice, bob = world.env, world.channel, world.alice, world.bob
        intro = await start(alice, ch, rounds=2, mode="text")
        assert "Type your answer" in intro.response.embeds[0].description
        question = shown_question(simcord_bot, ch)
        before = len(ch.history())
        await alice.send(ch, "hmm no idea at all")
        assert len(ch.history()) == before + 1  # only alice's message
        await bob.send(ch, f"it's {question.answer}")
        assert f"<@{bob.id}> got it" in last_embed(ch, "✅ Question 1").description

        await env.advance_time(GAP_SECONDS)
        second = shown_question(simcord_bot, ch)
        await alice.send(ch, second.answer)
        final = last_embed(ch, "🏁 Trivia over")
        assert f"<@{alice.id}>" in final.description or f"<@{bob.id}>" in final.description


async def test_text_mode_is_refused_without_the_intent(world):
    """Without BAKERBOT_TEXT_ANSWERS the mode is refused, with the reason and a way out."""
    result = await world.alice.slash(world.channel, "trivia start", mode="text")
    assert result.ephemeral
    text = result.response.embeds[0].description
    assert "Message Content" in text and "mode:answer" in text
    assert not question_messages(world.channel)


# -- time ------------------------------------------------------------------------------------


async def test_time_out_reveals_answer_and_source_then_idle_stop(world, simcord_bot):
    """Unanswered questions reveal their answer; three in a row end the game."""
    env, ch, alice = world.env, world.channel, world.alice
    await start(alice, ch, rounds=6)
    for number in (1, 2, 3):
        question = shown_question(simcord_bot, ch)
        await env.advance_time(SECONDS)
        timeout = last_embed(ch, f"⌛ Time's up on question {number}")
        assert question.answer in timeout.description
        assert timeout.footer.text.startswith("Source")
        await env.advance_time(GAP_SECONDS)
    final = last_embed(ch, "🏁 Trivia over")
    assert "Nobody answered 3 questions in a row" in final.description
    assert len(question_messages(ch)) == 3
    late = await alice.slash(ch, "answer", guess="anything")
    assert late.ephemeral and "no trivia game" in late.response.embeds[0].description


async def test_hints_reveal_letters_and_halve_points(world, simcord_bot):
    """Each hint shows more letters and halves the question's worth; two at most."""
    env, ch, alice = world.env, world.channel, world.alice
    await start(alice, ch, rounds=1)
    worth = int(
        next(f.value for f in question_messages(ch)[-1].embeds[0].fields if f.name == "Points")
    )
    first = await alice.slash(ch, "trivia hint")
    assert not first.ephemeral
    embed = first.response.embeds[0]
    assert embed.title == "💡 Hint 1 of 2" and "`" in embed.description
    assert f"worth {max(1, worth // 2)} point" in embed.description
    await alice.slash(ch, "trivia hint")
    third = await alice.slash(ch, "trivia hint")
    assert third.ephemeral and "No more hints" in third.response.embeds[0].description
    question = shown_question(simcord_bot, ch)
    won = await alice.slash(ch, "answer", guess=question.answer)
    assert f"**+{max(1, worth // 4)}**" in won.response.content
    await env.advance_time(GAP_SECONDS)
    nothing = await alice.slash(ch, "trivia hint")
    assert nothing.ephemeral and "no trivia game" in nothing.response.embeds[0].description


# -- fairness and persistence --------------------------------------------------------------


async def test_simultaneous_correct_answers_score_exactly_once(world, simcord_bot):
    """Four right answers at the same instant: one winner, one point award."""
    env, ch, guild = world.env, world.channel, world.guild
    carol = guild.add_member(env.create_user("carol"))
    players = [world.alice, world.bob, world.mod, carol]
    await start(world.alice, ch, rounds=1)
    question = shown_question(simcord_bot, ch)
    replies = await answer_at_once(ch, players, question.answer)
    texts = [r.response.content for r in replies]
    assert sum(t.startswith("✅ Correct!") for t in texts) == 1, texts
    assert sum(t.startswith("⌛ Too late") for t in texts) == 3, texts
    results = [e for e in embeds_of(ch) if (e.title or "").startswith("✅ Question 1")]
    assert len(results) == 1
    board = (await world.bob.slash(ch, "trivia leaderboard")).response.embeds[0]
    assert board.description.count("<@") == 1


async def test_restart_mid_game_resumes_without_double_counting(world, simcord_bot, settings):
    """A fresh bot on the same database resumes the question and keeps the scores."""
    env, ch, alice = world.env, world.channel, world.alice
    await start(alice, ch, rounds=2)
    first = shown_question(simcord_bot, ch)
    await alice.slash(ch, "answer", guess=first.answer)
    await env.advance_time(GAP_SECONDS)
    assert question_messages(ch)[-1].embeds[0].title == "Question 2 of 2"
    worth_first = int(last_embed(ch, "✅ Question 1").description.split("**+")[1].split("**")[0])

    fresh = create_bot(settings)
    try:
        await env.restart_bot(fresh)
        await env.settle()
        resumed = question_messages(ch)[-1].embeds[0]
        assert resumed.title == "Question 2 of 2"
        assert resumed.author.name == "Resumed after a restart"
        second = shown_question(fresh, ch)
        won = await alice.slash(ch, "answer", guess=second.answer)
        worth_second = int(won.response.content.split("**+")[1].split("**")[0])
        final = last_embed(ch, "🏁 Trivia over")
        assert f"with {worth_first + worth_second} points" in final.description
        stats = await alice.slash(ch, "trivia stats")
        values = {f.name: f.value for f in stats.response.embeds[0].fields}
        assert values["Points"] == str(worth_first + worth_second)
        assert values["Correct answers"] == "2" and values["Games"] == "1"
        assert values["Best streak"] == "2"
    finally:
        await fresh.close()


# -- control and bad input ---------------------------------------------------------------


async def test_only_starter_or_moderator_can_skip_and_stop(world, simcord_bot):
    """Bob may not skip or stop alice's game; a moderator may, and alice may."""
    env, ch, alice, bob, mod = world.env, world.channel, world.alice, world.bob, world.mod
    await start(alice, ch, rounds=5)
    for action in ("skip", "stop"):
        refused = await bob.slash(ch, f"trivia {action}")
        assert refused.ephemeral
        assert f"Only <@{alice.id}>" in refused.response.embeds[0].description
    question = shown_question(simcord_bot, ch)
    skipped = await mod.slash(ch, "trivia skip")
    assert skipped.ephemeral and "Skipped question 1" in skipped.response.content
    reveal = last_embed(ch, "⏭️ Question 1 skipped")
    assert f"Skipped by <@{mod.id}>" in reveal.description and question.answer in reveal.description
    await env.advance_time(GAP_SECONDS)
    stopped = await mod.slash(ch, "trivia stop")
    assert stopped.response.embeds[0].title == "🏁 Trivia over"
    assert f"Stopped by <@{mod.id}>" in stopped.response.embeds[0].description
    await env.advance_time(SECONDS + GAP_SECONDS)
    assert len(question_messages(ch)) == 2  # nothing asked after the stop

    await start(alice, ch, rounds=1)
    own = await alice.slash(ch, "trivia stop")
    assert f"Stopped by <@{alice.id}>" in own.response.embeds[0].description


async def test_second_game_and_answer_without_game_are_refused(world):
    """One game per channel; /answer and /trivia hint need a game."""
    ch, alice, bob = world.channel, world.alice, world.bob
    none = await bob.slash(ch, "answer", guess="Anora")
    assert none.ephemeral and "no trivia game" in none.response.embeds[0].description
    await start(alice, ch, rounds=2)
    second = await bob.slash(ch, "trivia start")
    assert second.ephemeral
    assert "already running here; `/trivia stop` ends it" in second.response.embeds[0].description
    other = world.guild.create_text_channel("other")
    hint = await bob.slash(other, "trivia hint")
    assert hint.ephemeral and "no trivia game" in hint.response.embeds[0].description


async def test_out_of_range_and_unknown_options_are_refused(world):
    """Discord's ranges stop bad numbers; unknown films and categories get an explanation."""
    ch, alice = world.channel, world.alice
    for options in ({"rounds": 0}, {"rounds": 51}, {"seconds": 9}, {"seconds": 121}):
        with pytest.raises(simcord.OptionError):
            await alice.slash(ch, "trivia start", **options)
    film = await alice.slash(ch, "trivia start", film="zzzz qqqq")
    assert film.ephemeral and "couldn't find a film" in film.response.embeds[0].description
    category = await alice.slash(ch, "trivia start", category="cooking")
    assert category.ephemeral and "No such category" in category.response.embeds[0].description
    assert not question_messages(ch)


async def test_film_leaderboard_and_autocomplete(world, simcord_bot):
    """A film game scores on that film's board; the film option autocompletes."""
    env, ch, alice = world.env, world.channel, world.alice
    choices = await alice.autocomplete(ch, "trivia start", "film", "tanger")
    assert choices and choices[0]["value"] == "Tangerine"
    categories = await alice.autocomplete(ch, "trivia start", "category", "aw")
    assert [c["value"] for c in categories] == ["awards"]
    await start(alice, ch, rounds=1, film="Tangerine")
    assert "Tangerine (2015)" in question_messages(ch)[-1].embeds[0].fields[0].value
    question = shown_question(simcord_bot, ch)
    await alice.slash(ch, "answer", guess=question.answer)
    board = await alice.slash(ch, "trivia leaderboard", scope="film", film="Tangerine")
    assert board.response.embeds[0].title == "Trivia leaderboard: Tangerine"
    assert f"<@{alice.id}>" in board.response.embeds[0].description
    other = await alice.slash(ch, "trivia leaderboard", scope="film", film="Anora")
    assert "No scores yet" in other.response.embeds[0].description
    missing = await alice.slash(ch, "trivia leaderboard", scope="film")
    assert missing.ephemeral and "Name the film" in missing.response.embeds[0].description
    await env.advance_time(GAP_SECONDS)


async def test_restart_after_a_long_outage_closes_the_game_cleanly(
    world, simcord_bot, settings, monkeypatch
):
    """A game too old to resume is closed with its standings; the channel is free again."""
    env, ch, alice = world.env, world.channel, world.alice
    await start(alice, ch, rounds=3)
    question = shown_question(simcord_bot, ch)
    await alice.slash(ch, "answer", guess=question.answer)
    monkeypatch.setattr("bot.trivia.session.RESUME_WINDOW", timedelta(seconds=-1))
    fresh = create_bot(settings)
    try:
        await env.restart_bot(fresh)
        await env.settle()
        final = last_embed(ch, "🏁 Trivia over")
        assert "interrupted by a restart" in final.description
        assert f"Winner: <@{alice.id}>" in final.description
        assert len(question_messages(ch)) == 1
        stats = await alice.slash(ch, "trivia stats")
        values = {f.name: f.value for f in stats.response.embeds[0].fields}
        assert values["Games"] == "1" and values["Correct answers"] == "1"
        await start(alice, ch, rounds=1)
    finally:
        await fresh.close()
