"""/ask and @mentions through SimCord: answers, sources, follow-ups, cooldown, bad input."""

from __future__ import annotations

import pytest

from bot.ask.limits import ASK_PER, ASK_RATE
from bot.services import get_services

pytestmark = pytest.mark.simcord(strict_sync=False)


async def ask(world, question, member=None):
    return await (member or world.alice).slash(world.channel, "ask", question=question)


async def mention(world, text, member=None):
    bot_id = world.env.bot.user.id
    return await (member or world.alice).send(world.channel, f"<@{bot_id}> {text}")


async def test_ask_answers_with_source_in_footer(world):
    """The answer is in the first embed's description, the sources in its footer."""
    result = await ask(world, "who plays igor in anora")
    embed = result.response.embeds[0]
    assert "Yura Borisov" in embed.description
    assert embed.footer.text.startswith(("Source:", "Sources:"))
    assert "Filmmaker Magazine" in embed.footer.text
    assert not result.ephemeral


async def test_ask_forgives_typos_and_lower_case(world):
    """Casual typing still finds the film."""
    result = await ask(world, "wat year was starlet")
    assert "2012" in result.response.embeds[0].description


async def test_ask_says_i_dont_know_with_suggestions(world):
    """Out-of-catalog questions get "I don't know" and questions it can answer."""
    result = await ask(world, "who plays halley in the florida project")
    embed = result.response.embeds[0]
    assert "I don't know" in embed.description
    assert "The Florida Project" in embed.description  # a suggestion about what it recognised
    assert embed.description.count("•") >= 2


async def test_ask_hides_spoilers_in_spoiler_tags(world):
    """Anora's ending is only shown inside ||spoiler|| tags."""
    result = await ask(world, "what does igor give ani at the end of anora")
    description = result.response.embeds[0].description
    assert "ring" in description
    start = description.index("||")
    assert description.index("ring") > start
    assert description.rstrip().endswith("||")


async def test_mention_gets_the_same_answer_as_a_reply(world):
    """Mentioning the bot with a question answers it, replying to the message."""
    asked = await mention(world, "who directed tangerine?")
    answer = world.channel.last_message
    assert answer.id != asked.id
    assert answer.author.id == world.env.bot.user.id
    assert answer.reference is not None and answer.reference.message_id == asked.id
    assert "Sean Baker" in answer.embeds[0].description
    assert "Source" in answer.embeds[0].footer.text


async def test_mention_without_question_gets_help(world):
    """A bare mention explains how to ask."""
    await mention(world, "")
    answer = world.channel.last_message
    assert answer.author.id == world.env.bot.user.id
    assert "/ask" in answer.embeds[0].description


async def test_message_without_mention_is_ignored(world):
    """The bot only speaks when spoken to."""
    await world.alice.send(world.channel, "who directed tangerine?")
    assert world.channel.last_message.author.id == world.alice.id


async def test_follow_up_resolves_it_to_the_last_film(world):
    """ "it" in a follow-up means the film of the previous question."""
    first = await ask(world, "who made Prince of Broadway?")
    assert "Sean Baker" in first.response.embeds[0].description
    second = await ask(world, "when was it released?")
    assert "2008" in second.response.embeds[0].description


async def test_follow_up_context_is_per_member(world):
    """Bob's "it" is not Alice's film."""
    await ask(world, "who made Prince of Broadway?")
    result = await ask(world, "when was it released?", member=world.bob)
    assert "2008" not in result.response.embeds[0].description


async def test_follow_up_context_expires(world):
    """After a few minutes, "it" no longer refers to the old topic."""
    await ask(world, "who made Prince of Broadway?")
    await world.env.advance_time(600)
    result = await ask(world, "when was it released?")
    assert "2008" not in result.response.embeds[0].description


async def test_follow_up_by_mention(world):
    """Follow-ups work through mentions too."""
    await mention(world, "who directed starlet")
    await mention(world, "what year did it come out?")
    assert "2012" in world.channel.last_message.embeds[0].description


async def test_what_about_asks_the_last_question_again(world):
    """ "what about Red Rocket?" repeats the previous question for another film."""
    await ask(world, "when did tangerine come out?")
    result = await ask(world, "what about red rocket?")
    assert "2021" in result.response.embeds[0].description


async def test_cooldown_stops_spam_with_a_friendly_message(world):
    """Past the rate, a member is asked to wait; after the window, they can ask again."""
    for _ in range(ASK_RATE):
        result = await ask(world, "who directed anora")
        assert not result.ephemeral
    limited = await ask(world, "who directed anora")
    assert limited.ephemeral
    assert "Try again" in limited.response.embeds[0].description
    other = await ask(world, "who directed anora", member=world.bob)
    assert not other.ephemeral
    await world.env.advance_time(ASK_PER + 1)
    again = await ask(world, "who directed anora")
    assert not again.ephemeral


async def test_mention_cooldown_warns_once(world):
    """Mention spam gets one notice, then silence until the window passes."""
    for _ in range(ASK_RATE):
        await mention(world, "who directed anora")
    before = len(world.channel.history())
    await mention(world, "who directed anora")
    await mention(world, "who directed anora")
    messages = list(world.channel.history())
    bot_replies = [m for m in messages[before:] if m.author.id == world.env.bot.user.id]
    assert len(bot_replies) == 1
    assert "Try again" in bot_replies[0].embeds[0].description


@pytest.mark.parametrize(
    "question",
    [
        "   ",
        "🎬🍿🎥",
        "???",
        "x" * 5000,
        "who directed anora? " * 250,
        "**who** _directed_ ~~anora~~ `code` > quote",
        "@everyone who directed anora",
        "@here <@&123> <@456> who plays igor",
        "<script>alert(1)</script>",
        "\u200b\u200b\u200b",
        "'; DROP TABLE facts; --",
        'anora" OR "1',
        "NEAR(anora tangerine) AND title:x*",
    ],
)
async def test_bad_input_gets_a_clear_reply_and_no_ping(world, question):
    """Empty, long, emoji-only, markdown and mention-laden questions never raise or ping."""
    result = await ask(world, question)
    embed = result.response.embeds[0]
    assert embed.description
    messages = list(world.channel.history(viewer=world.alice))
    assert not any(m.mention_everyone for m in messages)


async def test_markdown_and_mentions_in_a_question_are_answered(world):
    """Formatting around a real question does not stop the answer."""
    result = await ask(world, "**who** plays _igor_ in @everyone anora?")
    assert "Borisov" in result.response.embeds[0].description
    assert "@everyone" not in (result.response.embeds[0].title or "")


async def test_bad_mentions_never_ping(world):
    """A mention carrying @everyone and a long tail still answers without pinging."""
    await mention(world, "@everyone " + "tell me about anora " * 90)
    await mention(world, "🎬🍿")
    messages = list(world.channel.history())
    assert not any(m.mention_everyone for m in messages if m.author.id == world.env.bot.user.id)


async def test_moderator_fact_is_answerable_in_that_guild_only(world):
    """A fact added with /fact add answers /ask at once, in its own server only."""
    if world.env.bot.tree.get_command("fact") is None:
        pytest.skip("the moderation feature is not loaded")
    before = await ask(world, "what is anora's working title")
    assert "I don't know" in before.response.embeds[0].description
    added = await world.mod.slash(
        world.channel,
        "fact add",
        text="Anora's working title was Brighton Beach Story.",
        film="Anora",
        source="https://example.org/anora-working-title",
    )
    assert not added.response.embeds or "Added" in (added.response.embeds[0].title or "")
    after = await ask(world, "what was the working title of anora", member=world.bob)
    description = after.response.embeds[0].description
    assert "Brighton Beach Story" in description
    other_guild = world.env.create_guild("Other Club")
    channel = other_guild.create_text_channel("general")
    carol = other_guild.add_member(world.env.create_user("carol"))
    elsewhere = await carol.slash(channel, "ask", question="what was the working title of anora")
    assert "Brighton Beach Story" not in elsewhere.response.embeds[0].description


async def test_hidden_curated_fact_is_not_used(world):
    """A curated fact a guild has hidden is never used to answer there."""
    sentence = "Anora opens with Take That's 2008 hit"
    shown = await ask(world, "what song opens anora")
    assert sentence in shown.response.embeds[0].description
    services = get_services(world.env.bot)
    services.hidden.setdefault(world.guild.id, set()).add("anora-greatest-day")
    hidden = await ask(world, "what song opens anora", member=world.bob)
    assert sentence not in hidden.response.embeds[0].description
