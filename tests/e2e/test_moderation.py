"""Moderators curate a server's facts from Discord; members suggest; nothing leaks."""

from __future__ import annotations

import discord
import pytest
import simcord

from bot import create_bot
from bot.moderation.validation import FACT_MAX_LENGTH

pytestmark = pytest.mark.simcord(strict_sync=False)

TANGERINE_FACT = "The Tangerine crew kept a jar of orange peel on set for luck."


def services(world):
    return world.env.bot.services


async def add_fact(world, text=TANGERINE_FACT, **options):
    options.setdefault("film", "Tangerine")
    return await world.mod.slash(world.channel, "fact add", text=text, **options)


async def test_moderator_adds_fact_and_member_gets_it_from_ask_at_once(world):
    """A fact added by a moderator answers /ask, search and /film immediately."""
    question = "what did the tangerine crew keep on set for luck?"
    before = await world.alice.slash(world.channel, "ask", question=question)
    assert "I don't know" in before.response.embeds[0].description
    result = await add_fact(world)
    embed = result.response.embeds[0]
    assert result.ephemeral
    assert embed.title == "Added fact g1"
    assert TANGERINE_FACT in embed.description
    hits = await services(world).store.search_facts("orange peel jar", world.guild.id)
    assert [hit.fact.id for hit in hits] == ["g1"]
    answer = await world.alice.slash(world.channel, "ask", question=question)
    assert answer.response.embeds[0].description == TANGERINE_FACT
    film = await world.alice.slash(world.channel, "film", title="tangerine")
    did_you_know = next(f for f in film.response.embeds[0].fields if f.name == "Did you know?")
    assert "orange peel" in did_you_know.value


async def test_member_cannot_see_or_run_moderator_commands(world):
    """Members neither see /fact, /quotes, /config, /review nor run them."""
    await world.env.bot.tree.sync()
    seen = world.alice.available_commands(world.channel)
    assert not any(name.split()[0] in {"fact", "quotes", "config", "review"} for name in seen)
    assert "suggest fact" in seen
    assert "fact add" in world.mod.available_commands(world.channel)
    with pytest.raises(simcord.SetupError):
        await world.alice.slash(world.channel, "fact add", text=TANGERINE_FACT, film="Tangerine")
    with pytest.raises(simcord.SetupError):
        await world.alice.slash(world.channel, "review")


async def test_configured_moderator_role_may_curate(world):
    """A role set with /config modrole passes the runtime check; without it, it fails."""
    curators = world.guild.create_role("Curators")
    carol = world.guild.add_member(world.env.create_user("carol"), roles=[curators])
    await world.env.bot.tree.sync()
    command = world.env.backend.find_command("fact", None)
    world.guild.set_command_permissions(int(command["id"]), {curators: True})
    refused = await carol.slash(world.channel, "fact add", text=TANGERINE_FACT, film="Tangerine")
    assert "Only moderators" in refused.response.embeds[0].description
    simcord.assert_error(world.env, discord.app_commands.CheckFailure)
    assert await services(world).store.guild_facts(world.guild.id) == []
    await world.mod.slash(world.channel, "config modrole", role=curators)
    allowed = await carol.slash(world.channel, "fact add", text=TANGERINE_FACT, film="Tangerine")
    assert allowed.response.embeds[0].title == "Added fact g1"


async def test_edit_then_history_shows_both_versions_and_audit(world):
    """Editing keeps the old text; history lists both versions and the audit rows."""
    await add_fact(world)
    shown = await world.mod.slash(world.channel, "fact edit", id="g1")
    assert shown.modal is not None
    new_text = "The Tangerine crew kept a jar of orange peel by the camera for luck."
    prefilled = {"fact-film": "Tangerine", "fact-source": "this server's moderators"}
    saved = await world.mod.submit_modal(shown, {**prefilled, "fact-text": new_text})
    assert saved.response.embeds[0].title == "Edited fact g1"
    history = await world.mod.slash(world.channel, "fact history", id="g1")
    embed = history.response.embeds[0]
    versions = [f for f in embed.fields if f.name.startswith("Version")]
    assert [f.name.split(" · ")[0] for f in versions] == ["Version 1", "Version 2"]
    assert TANGERINE_FACT in versions[0].value and new_text in versions[1].value
    trail = next(f for f in embed.fields if f.name == "Audit trail").value
    assert "**add**" in trail and "**edit**" in trail
    audit = await services(world).store.audit_entries(world.guild.id, target="g1")
    assert [(a.action, a.actor_id) for a in audit] == [
        ("add", world.mod.id),
        ("edit", world.mod.id),
    ]
    assert audit[1].before["text"] == TANGERINE_FACT
    assert audit[1].after["text"] == new_text
    hits = await services(world).store.search_facts("orange peel camera", world.guild.id)
    assert hits[0].fact.id == "g1" and hits[0].fact.text == new_text


async def test_remove_then_restore(world):
    """A removed fact disappears from search and comes back when restored."""
    await add_fact(world)
    store = services(world).store
    removed = await world.mod.slash(world.channel, "fact remove", id="g1")
    assert removed.response.embeds[0].title == "Removed fact g1"
    assert await store.search_facts("orange peel", world.guild.id) == []
    listed = await world.mod.slash(world.channel, "fact list", removed=True)
    assert "g1" in listed.response.embeds[0].description
    await world.mod.slash(world.channel, "fact restore", id="g1")
    assert [h.fact.id for h in await store.search_facts("orange peel", world.guild.id)] == ["g1"]
    actions = [a.action for a in await store.audit_entries(world.guild.id, target="g1")]
    assert actions == ["add", "remove", "restore"]


async def test_hide_curated_fact_in_this_server_only(world):
    """A hidden curated fact leaves this server's lookups and search, not others'."""
    svc = services(world)
    fact = svc.library.facts_by_film["tangerine"][0]
    before = await world.alice.slash(world.channel, "film", title="tangerine")
    assert fact.text[:40] in str(before.response.embeds[0].to_dict())
    await world.mod.slash(world.channel, "fact hide", id=fact.id)
    assert svc.hidden[world.guild.id] == {fact.id}
    after = await world.alice.slash(world.channel, "film", title="tangerine")
    assert fact.text[:40] not in str(after.response.embeds[0].to_dict())
    other = world.env.create_guild("Other Club")
    channel = other.create_text_channel("general")
    dave = other.add_member(world.env.create_user("dave"))
    elsewhere = await dave.slash(channel, "film", title="tangerine")
    assert fact.text[:40] in str(elsewhere.response.embeds[0].to_dict())
    words = " ".join(fact.text.split()[:6])
    assert fact.id not in [h.fact.id for h in await svc.store.search_facts(words, world.guild.id)]
    assert fact.id in [h.fact.id for h in await svc.store.search_facts(words, other.id)]
    await world.mod.slash(world.channel, "fact unhide", id=fact.id)
    assert fact.id not in svc.hidden[world.guild.id]


async def test_suggestion_approved_and_author_told(world):
    """A member's suggestion waits for review, then goes live when approved."""
    text = "Tangerine was edited by Sean Baker himself on a laptop."
    sent = await world.alice.slash(world.channel, "suggest fact", text=text, film="Tangerine")
    assert "s1" in sent.response.content and sent.ephemeral
    store = services(world).store
    assert await store.guild_facts(world.guild.id) == []
    review = await world.mod.slash(world.channel, "review")
    assert text in review.response.embeds[0].description
    done = await world.mod.click(review.response.message, label="Approve")
    assert "Approved s1 as `g1`" in done.response.content
    assert [f.text for f in await store.guild_facts(world.guild.id)] == [text]
    dm = world.alice.user.dm_channel.history()[-1]
    assert "approved" in dm.content and "g1" in dm.content


async def test_suggestion_rejected_with_reason(world):
    """Rejecting asks for a reason, writes nothing and tells the suggester why."""
    sent = await world.bob.slash(
        world.channel, "suggest quote", text="Every film is a small miracle.", speaker="Sean Baker"
    )
    assert "s1" in sent.response.content
    review = await world.mod.slash(world.channel, "review")
    form = await world.mod.click(review.response.message, label="Reject")
    await world.mod.submit_modal(form, {"suggestion-reason": "We could not find a source."})
    store = services(world).store
    assert await store.guild_quotes(world.guild.id) == []
    [closed] = await store.suggestions(world.guild.id, status="rejected")
    assert closed.reason == "We could not find a source."
    dm = world.bob.user.dm_channel.history()[-1]
    assert "not added" in dm.content and "could not find a source" in dm.content


async def test_suggestion_edited_before_approval(world):
    """Edit opens the suggestion prefilled; the edited version is what gets added."""
    await world.alice.slash(
        world.channel, "suggest fact", text="Tangerine was shot on iphones.", film="Tangerine"
    )
    review = await world.mod.slash(world.channel, "review")
    form = await world.mod.click(review.response.message, label="Edit")
    assert form.modal is not None
    fixed = "Tangerine was shot on three iPhone 5s phones with anamorphic adapters."
    await world.mod.submit_modal(form, {"suggestion-text": fixed, "suggestion-film": "Tangerine"})
    [fact] = await services(world).store.guild_facts(world.guild.id)
    assert fact.text == fixed


async def test_another_server_never_sees_first_servers_facts(world):
    """Facts, quotes and ids of one server are invisible and untouchable in another."""
    await add_fact(world)
    await world.mod.slash(
        world.channel, "quotes add", text="Orange peel keeps us honest.", speaker="Sean Baker"
    )
    other = world.env.create_guild("Other Club")
    channel = other.create_text_channel("general")
    boss = other.create_role("Boss", permissions=discord.Permissions(manage_guild=True))
    eve = other.add_member(world.env.create_user("eve"), roles=[boss])
    store = services(world).store
    assert await store.search_facts("orange peel", other.id) == []
    assert await store.guild_facts(other.id) == []
    film = await eve.slash(channel, "film", title="tangerine")
    assert "orange peel" not in str(film.response.embeds[0].to_dict())
    quote = await eve.slash(channel, "quote", search="orange peel")
    assert "No quote matches" in quote.response.content
    refused = await eve.slash(channel, "fact edit", id="g1")
    assert "no fact `g1` in this server" in refused.response.embeds[0].description
    simcord.assert_error(world.env, Exception)
    listed = await eve.slash(channel, "fact list")
    assert "g1" not in listed.response.embeds[0].description


async def test_restart_keeps_everything(world, settings):
    """Facts, edits, hidden facts, config and suggestions survive a restart."""
    await add_fact(world)
    curated = services(world).library.facts_by_film["anora"][0]
    await world.mod.slash(world.channel, "fact hide", id=curated.id)
    log = world.guild.create_text_channel("mod-log")
    await world.mod.slash(world.channel, "config logchannel", channel=log)
    await world.alice.slash(
        world.channel, "suggest fact", text="Anora was shot on 35mm film stock.", film="Anora"
    )
    fresh = create_bot(settings)
    try:
        await world.env.restart_bot(fresh)
        svc = fresh.services
        assert [f.id for f in await svc.store.guild_facts(world.guild.id)] == ["g1"]
        assert svc.hidden[world.guild.id] == {curated.id}
        assert (await svc.store.guild_config(world.guild.id)).log_channel_id == log.id
        review = await world.mod.slash(world.channel, "review")
        assert "35mm" in review.response.embeds[0].description
        history = await world.mod.slash(world.channel, "fact history", id="g1")
        fields = {f.name: f.value for f in history.response.embeds[0].fields}
        assert "**add**" in fields["Audit trail"]
        film = await world.alice.slash(world.channel, "film", title="tangerine")
        assert "orange peel" in str(film.response.embeds[0].to_dict())
    finally:
        await fresh.close()


async def test_log_channel_gets_every_change(world):
    """With /config logchannel set, each change is posted there."""
    log = world.guild.create_text_channel("mod-log")
    await world.mod.slash(world.channel, "config logchannel", channel=log)
    await add_fact(world)
    await world.mod.slash(world.channel, "fact remove", id="g1")
    titles = [m.embeds[0].title for m in log.history() if m.embeds]
    assert "Fact g1: add" in titles and "Fact g1: remove" in titles


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"text": "   "}, "empty"),
        ({"text": "x" * (FACT_MAX_LENGTH + 1)}, f"the limit is {FACT_MAX_LENGTH}"),
        ({"text": TANGERINE_FACT, "film": "Blade Runner"}, "I don't know the film"),
        ({"text": TANGERINE_FACT, "film": None}, "which film or person"),
        ({"text": TANGERINE_FACT, "source": "my uncle"}, "not a source I can cite"),
    ],
)
async def test_bad_submissions_are_refused_and_write_nothing(world, options, message):
    """Empty, too long, unknown film, no subject or a bad source: a clear error, no write."""
    options = {"film": "Tangerine", **options}
    if options["film"] is None:
        del options["film"]
    result = await world.mod.slash(world.channel, "fact add", **options)
    assert result.ephemeral
    assert message in result.response.embeds[0].description
    simcord.assert_error(world.env, Exception)
    store = services(world).store
    assert await store.guild_facts(world.guild.id) == []
    assert await store.audit_entries(world.guild.id) == []


async def test_duplicate_fact_names_the_existing_one(world):
    """A near-identical fact is refused with the id of the one already there."""
    await add_fact(world)
    again = await add_fact(world, text=TANGERINE_FACT.replace("for luck", "for good luck!"))
    assert "`g1`" in again.response.embeds[0].description
    simcord.assert_error(world.env, Exception)
    assert len(await services(world).store.guild_facts(world.guild.id)) == 1


async def test_add_without_text_opens_a_form(world):
    """/fact add with no text opens a modal; its submission adds the fact."""
    shown = await world.mod.slash(world.channel, "fact add", film="Tangerine")
    assert shown.modal is not None
    done = await world.mod.submit_modal(
        shown, {"fact-text": TANGERINE_FACT, "fact-film": "Tangerine"}
    )
    assert done.response.embeds[0].title == "Added fact g1"


async def test_server_quote_is_picked_by_quote_in_this_server(world):
    """/quotes add puts a quote in this server's /quote (search included), listed by id."""
    text = "Orange peel keeps the whole crew honest."
    added = await world.mod.slash(
        world.channel, "quotes add", text=text, speaker="Sean Baker", film="Tangerine"
    )
    assert "Added quote q1" in added.response.content
    found = await world.alice.slash(world.channel, "quote", search="orange peel honest")
    assert text in found.response.embeds[0].description
    listed = await world.mod.slash(world.channel, "quotes list")
    assert "`q1`" in listed.response.embeds[0].description
    await world.mod.slash(world.channel, "quotes remove", id="q1")
    gone = await world.alice.slash(world.channel, "quote", search="orange peel honest")
    assert "No quote matches" in gone.response.content


async def test_trivia_question_add_list_remove(world):
    """/trivia question add puts a question in this server's bank; remove takes it out."""
    added = await world.mod.slash(
        world.channel,
        "trivia question add",
        question="What fruit did the Tangerine crew keep the peel of?",
        answers="Orange; Oranges",
        film="Tangerine",
    )
    assert "Added trivia question t1" in added.response.content
    store = services(world).store
    [question] = await store.guild_questions(world.guild.id)
    assert question.answers == ("Orange", "Oranges") and question.film == "tangerine"
    bank = await world.env.bot.get_cog("Trivia")._bank(world.guild.id)
    assert bank.get(question.id) == question  # what /trivia start draws from
    listed = await world.mod.slash(world.channel, "trivia question list")
    assert "`t1`" in listed.response.embeds[0].description
    await world.mod.slash(world.channel, "trivia question remove", id="t1")
    assert await store.guild_questions(world.guild.id) == []


async def test_trivia_bank_reflects_a_new_question_at_once(world):
    """A question a moderator adds is asked in the next game; once removed, it is not."""
    await world.mod.slash(
        world.channel,
        "trivia question add",
        question="What fruit did the Tangerine crew keep the peel of?",
        answers="Orange",
        film="Tangerine",
    )
    started = await world.alice.slash(world.channel, "trivia start", category="server", rounds=3)
    assert "1** question" in started.response.embeds[0].description
    asked = [
        m for m in world.channel.history() if m.embeds and "peel" in str(m.embeds[0].description)
    ]
    assert asked, "the new question was not asked"
    await world.alice.slash(world.channel, "trivia stop")
    await world.mod.slash(world.channel, "trivia question remove", id="t1")
    refused = await world.alice.slash(world.channel, "trivia start", category="server")
    assert "No such category" in refused.response.embeds[0].description


async def test_member_cannot_run_trivia_question_commands(world):
    """/trivia is for everyone, so /trivia question is refused at run time for members."""
    refused = await world.alice.slash(
        world.channel, "trivia question add", question="Who directed Anora?", answers="Sean Baker"
    )
    assert "Only moderators" in refused.response.embeds[0].description
    simcord.assert_error(world.env, discord.app_commands.CheckFailure)
    assert await services(world).store.guild_questions(world.guild.id) == []


async def test_fact_list_pages_with_buttons(world):
    """More facts than fit on a page are listed with Previous / Next buttons."""
    for n in range(12):
        await add_fact(world, text=f"Tangerine trivia number {n} mentions {n * 7} oranges on set.")
    listed = await world.mod.slash(world.channel, "fact list", mine=True)
    first = listed.response.embeds[0]
    assert "`g1`" in first.description and "`g12`" not in first.description
    assert first.footer.text.startswith("Page 1/2")
    turned = await world.mod.click(listed.response.message, label="Next ▶")
    second = turned.response.embeds[0]
    assert "`g12`" in second.description and second.footer.text.startswith("Page 2/2")
    others = await world.mod.slash(world.channel, "fact list", film="Red Rocket")
    assert "Curated facts" in others.response.embeds[0].description


async def test_mentions_are_neutralised(world):
    """Mention syntax in a fact can never ping, even where allowed_mentions is missing."""
    await add_fact(world, text="Tangerine fans shouted @everyone at the first screening.")
    [fact] = await services(world).store.guild_facts(world.guild.id)
    assert "@everyone" not in fact.text and "@\u200beveryone" in fact.text


async def test_outcome_goes_to_the_channel_without_a_ping_when_dms_are_closed(world):
    """If the suggester's DMs are closed, the outcome is posted where they suggested."""
    await world.alice.slash(
        world.channel,
        "suggest fact",
        text="Tangerine premiered at Sundance in 2015.",
        film="Tangerine",
    )
    review = await world.mod.slash(world.channel, "review")
    world.env.inject_error("POST", "/users/@me/channels", status=403, times=1)
    await world.mod.click(review.response.message, label="Approve")
    told = world.channel.history()[-1]
    assert told.content.startswith("**alice**: Your suggested fact") and "approved" in told.content
    assert not told.mentions and not told.mention_everyone
