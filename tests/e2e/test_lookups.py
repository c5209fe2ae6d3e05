"""/film, /person, /filmography, /quote, /help and /about, driven through SimCord."""

from __future__ import annotations

import pytest
import simcord

pytestmark = pytest.mark.simcord(strict_sync=False)


async def test_film_lookup_shows_details_and_sources(world):
    result = await world.alice.slash(world.channel, "film", title="Anora")
    embed = result.response.embeds[0]
    assert embed.title == "Anora (2024)"
    fields = {f.name: f.value for f in embed.fields}
    assert "Mikey Madison" in fields["Cast"]
    assert "Palme d'Or" in fields["Awards"]
    assert "Best Supporting Actor — Yura Borisov (nominated)" in fields["Awards"]
    assert embed.footer.text.startswith("Sources:")
    assert not result.ephemeral


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("florda project", "The Florida Project (2017)"),
        ("the florida projcet", "The Florida Project (2017)"),
        ("floridaproject", "The Florida Project (2017)"),
        ("tangerin", "Tangerine (2015)"),
        ("4 letter words", "Four Letter Words (2000)"),
        ("four-letter words", "Four Letter Words (2000)"),
        ("redrocket", "Red Rocket (2021)"),
        ("Anora 2024", "Anora (2024)"),
    ],
)
async def test_film_lookup_forgives_typos(world, query, title):
    result = await world.alice.slash(world.channel, "film", title=query)
    assert result.response.embeds[0].title == title


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("mikey madsion", "Mikey Madison"),
        ("Yuri Borisov", "Yura Borisov"),
        ("Юра Борисов", "Yura Borisov"),
        ("shih ching tsou", "Shih-Ching Tsou"),
        ("sean baker", "Sean Baker"),
    ],
)
async def test_person_lookup_accepts_spellings(world, query, name):
    result = await world.alice.slash(world.channel, "person", name=query)
    assert result.response.embeds[0].title == name


async def test_person_shows_filmography_and_hides_spoilers(world):
    result = await world.alice.slash(world.channel, "person", name="Yura Borisov")
    embed = result.response.embeds[0]
    fields = {f.name: f.value for f in embed.fields}
    assert "*Anora*: actor (Igor)" in fields["Films"]
    text = embed.to_dict().__repr__()
    assert "ring" not in text or "||" in fields.get("Did you know?", "")


async def test_unknown_film_says_so_privately(world):
    result = await world.alice.slash(world.channel, "film", title="Oppenheimer")
    assert result.ephemeral
    assert "couldn't find a film" in result.response.content


async def test_did_you_mean_buttons_pick_the_film(world):
    result = await world.alice.slash(world.channel, "film", title="starlight")
    assert "Did you mean" in result.response.content
    message = world.channel.last_message
    click = await world.alice.click(message, label="Starlet (2012)")
    assert click.acknowledged
    edited = world.channel.last_message
    assert edited.embeds[0].title == "Starlet (2012)"
    assert not edited.components


async def test_did_you_mean_only_for_the_asker(world):
    await world.alice.slash(world.channel, "film", title="starlight")
    message = world.channel.last_message
    click = await world.bob.click(message, label="Starlet (2012)")
    assert click.ephemeral
    assert "Only the person who asked" in click.response.content
    assert world.channel.last_message.embeds == []


async def test_did_you_mean_buttons_expire(world):
    await world.alice.slash(world.channel, "film", title="starlight")
    await world.env.advance_time(121)
    message = world.channel.last_message
    assert all(c.disabled for row in message.components for c in row.children)


async def test_filmography_defaults_to_sean_baker_in_order(world):
    result = await world.alice.slash(world.channel, "filmography")
    embed = result.response.embeds[0]
    assert embed.title == "Sean Baker's films"
    years = [int(line[2:6]) for line in embed.description.splitlines()]
    assert years == sorted(years)
    assert "*Four Letter Words*" in embed.description.splitlines()[0]
    assert "*Anora*" in embed.description.splitlines()[-1]


async def test_filmography_of_actor(world):
    result = await world.alice.slash(world.channel, "filmography", person="mikey madison")
    embed = result.response.embeds[0]
    assert "Mikey Madison" in embed.title and "Anora" in embed.description


async def test_quote_is_attributed_and_cited(world):
    result = await world.alice.slash(world.channel, "quote")
    embed = result.response.embeds[0]
    assert "“" in embed.description and "\n\n— " in embed.description
    assert embed.footer.text.startswith("Source:")


async def test_quote_filters_by_person_and_search(world):
    result = await world.alice.slash(world.channel, "quote", person="Mikey Madison")
    assert "— Mikey Madison" in result.response.embeds[0].description
    result = await world.alice.slash(world.channel, "quote", search="pay rent")
    assert "struggling to pay rent" in result.response.embeds[0].description


async def test_quote_button_shows_another(world):
    result = await world.alice.slash(world.channel, "quote", person="sean baker")
    first = result.response.embeds[0].description
    message = world.channel.last_message
    await world.bob.click(message, label="Another one")
    second = world.channel.last_message.embeds[0].description
    assert second != first and "— Sean Baker" in second


async def test_quote_with_no_match_explains(world):
    result = await world.alice.slash(world.channel, "quote", search="xylophone zeppelin")
    assert result.ephemeral and "No quote matches" in result.response.content


async def test_quote_unknown_film_suggests(world):
    result = await world.alice.slash(world.channel, "quote", film="Barbie")
    assert result.ephemeral and "couldn't find a film" in result.response.content


async def test_autocomplete_offers_titles_and_names(world):
    choices = await world.alice.autocomplete(world.channel, "film", "title", "tang")
    assert choices[0]["name"] == "Tangerine (2015)"
    choices = await world.alice.autocomplete(world.channel, "film", "title", "florda")
    assert any(c["value"] == "The Florida Project" for c in choices)
    choices = await world.alice.autocomplete(world.channel, "person", "name", "")
    assert 0 < len(choices) <= 25
    choices = await world.alice.autocomplete(world.channel, "quote", "person", "mikey")
    assert choices[0]["value"] == "Mikey Madison"


async def test_help_lists_every_command(world):
    result = await world.alice.slash(world.channel, "help")
    assert result.ephemeral
    text = " ".join(f.value for f in result.response.embeds[0].fields)
    for name in ("/film", "/person", "/filmography", "/quote", "/about", "/help"):
        assert f"`{name}" in text


async def test_about_shows_counts_and_version(world):
    result = await world.alice.slash(world.channel, "about")
    fields = {f.name: f.value for f in result.response.embeds[0].fields}
    assert "9 films and shows" in fields["Knowledge"]
    assert fields["Version"]


BAD_INPUTS = [
    "",
    "   ",
    "x" * 5000,
    "!!!???...",
    "🎬🍊🚀",
    "\u200b\u200b\u200b",
    "@everyone",
    "@here look at this",
    "**bold** __under__ `code` ||spoiler|| [link](http://x)",
    "<@123456789012345678> <@&123456789012345678>",
]


@pytest.mark.parametrize("text", BAD_INPUTS)
@pytest.mark.parametrize(("command", "option"), [("film", "title"), ("person", "name")])
async def test_bad_input_gets_a_clear_reply(world, command, option, text):
    result = await world.alice.slash(world.channel, command, **{option: text})
    message = result.response
    assert message.content or message.embeds
    assert "@everyone" not in (message.content or "").replace("@\u200beveryone", "")
    assert not world.env.errors


@pytest.mark.parametrize("text", BAD_INPUTS)
async def test_bad_quote_filters_never_crash(world, text):
    result = await world.alice.slash(world.channel, "quote", film=text, person=text, search=text)
    assert result.response.content or result.response.embeds
    assert not world.env.errors


async def test_missing_required_option_is_refused_by_discord(world):
    with pytest.raises(simcord.OptionError):
        await world.alice.slash(world.channel, "film")


async def test_help_lists_moderator_subcommands_only_for_moderators(world):
    """Discord hides only top-level commands by permission, so /help must sort the
    moderators' `/trivia question` subgroup itself."""
    member = await world.alice.slash(world.channel, "help")
    text = " ".join(f.value for f in member.response.embeds[0].fields)
    assert "`/trivia start" in text
    assert "/trivia question" not in text
    assert "/fact add" not in text
    moderator = await world.mod.slash(world.channel, "help")
    fields = {f.name: f.value for f in moderator.response.embeds[0].fields}
    mods = " ".join(v for k, v in fields.items() if k.startswith("Moderator commands"))
    members = " ".join(v for k, v in fields.items() if k.startswith("Commands"))
    assert "`/trivia question add" in mods and "`/fact add" in mods
    assert "/trivia question" not in members and "`/trivia start" in members
