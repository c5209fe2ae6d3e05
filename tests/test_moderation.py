"""The moderation service: validation, versions, audit, hiding, suggestions."""

from __future__ import annotations

import re

import pytest
import pytest_asyncio
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import UserFacingError
from bot.models import Fact
from bot.moderation.service import Moderation, get_moderation
from bot.moderation.suggestions import Suggestions, suggestion_id
from bot.moderation.validation import (
    DUPLICATE_SCORE,
    FACT_MAX_LENGTH,
    SERVER_SOURCE,
    clean_text,
    find_duplicate,
    is_url,
    neutralise_mentions,
    parse_answers,
)
from bot.services import create_services

GUILD = 111
OTHER = 222
MOD = 5
MEMBER = 7
TEXT = "Tangerine was shot in Los Angeles on Christmas Eve, in one long day."


@pytest_asyncio.fixture
async def moderation(settings):
    services = await create_services(settings)
    moderation = get_moderation(services)
    await moderation.load_hidden()
    yield moderation
    await services.close()


async def add(moderation: Moderation, text: str = TEXT, guild: int = GUILD, **fields) -> Fact:
    fields.setdefault("film", "tangerine")
    fact = await moderation.check_fact(guild, text=text, **fields)
    change = await moderation.add(fact, MOD)
    assert isinstance(change.record, Fact)
    return change.record


# -- validation ---------------------------------------------------------------------------


def test_mentions_are_broken_with_a_zero_width_space():
    """@everyone, @here and raw user/role mentions cannot ping after neutralising."""
    text = neutralise_mentions("hi @everyone @here <@123456789012345678> <@&123456789012345678>")
    assert "@everyone" not in text and "@here" not in text
    assert "<@123456789012345678>" not in text and "<@&123456789012345678>" not in text


@given(st.text(max_size=300))
def test_cleaned_text_never_contains_a_mention(value):
    """Whatever is typed, accepted text is bounded and holds no live mention."""
    try:
        text = clean_text(value, what="fact", max_length=FACT_MAX_LENGTH)
    except UserFacingError:
        return
    assert text and len(text) <= FACT_MAX_LENGTH + text.count("\u200b")
    assert not re.search(r"@(everyone|here|[!&]?[0-9]{17,20})", text)
    assert clean_text(text, what="fact", max_length=10_000) == text


@pytest.mark.parametrize("url", ["https://example.com/a", "http://indiewire.com/x?y=1"])
def test_web_addresses_are_sources(url):
    assert is_url(url)


@pytest.mark.parametrize(
    "url", ["example.com", "ftp://example.com", "https://localhost", "my uncle"]
)
def test_other_text_is_not_a_web_address(url):
    assert not is_url(url)


def test_answers_split_on_semicolons_and_drop_repeats():
    assert parse_answers("Orange; oranges;orange ;; Oranges") == ("Orange", "oranges")


def test_duplicate_threshold_catches_rewording_but_not_other_numbers():
    """Near-identical wording is a duplicate; a different number is a different claim."""
    facts = ["Anora won five Oscars at the 97th Academy Awards."]
    assert find_duplicate("Anora won 5 Oscars at the 97th Academy Awards!", facts, str)
    assert find_duplicate("Anora won 6 Oscars at the 97th Academy Awards.", facts, str) is None
    assert find_duplicate("Anora is a film about a young sex worker.", facts, str) is None
    assert 80 < DUPLICATE_SCORE < 100


# -- facts ----------------------------------------------------------------------------------


async def test_added_fact_gets_a_short_id_and_version_and_audit(moderation):
    fact = await add(moderation)
    assert fact.id == "g1" and fact.guild_id == GUILD and fact.sources == (SERVER_SOURCE,)
    versions = await moderation.store.fact_versions("g1")
    assert [(v.version, v.author_id) for v in versions] == [(1, MOD)]
    [entry] = await moderation.store.audit_entries(GUILD)
    assert (entry.action, entry.actor_id, entry.before, entry.after["text"]) == (
        "add",
        MOD,
        None,
        TEXT,
    )


async def test_ids_are_unique_across_servers(moderation):
    first = await add(moderation)
    second = await add(moderation, guild=OTHER)
    assert (first.id, second.id) == ("g1", "g2")


async def test_typo_in_film_is_resolved_to_its_id(moderation):
    fact = await add(moderation, film="tangerin")
    assert fact.film == "tangerine"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "empty"),
        ({"text": "too short"}, "too short"),
        ({"text": "y" * (FACT_MAX_LENGTH + 1)}, "Shorten it by 1"),
        ({"film": "Casablanca"}, "I don't know the film"),
        ({"film": None}, "which film or person"),
        ({"source": "ftp://x"}, "not a source I can cite"),
    ],
)
async def test_invalid_fact_is_refused_with_what_to_fix(moderation, fields, message):
    values = {"text": TEXT, "film": "tangerine", **fields}
    with pytest.raises(UserFacingError, match=message):
        await moderation.check_fact(GUILD, **values)


async def test_known_source_ids_and_urls_are_accepted(moderation):
    source = next(iter(moderation.library.sources))
    fact = await add(moderation, source=f"{source.upper()} https://example.com/page")
    assert fact.sources == (source, "https://example.com/page")


async def test_duplicate_of_a_curated_fact_names_it(moderation):
    curated = next(iter(moderation.library.facts.values()))
    with pytest.raises(UserFacingError, match=f"`{curated.id}`"):
        await moderation.check_fact(
            GUILD, text=curated.text, film=curated.film, person=curated.person
        )


async def test_a_hidden_curated_fact_is_no_duplicate_there(moderation):
    curated = next(iter(moderation.library.facts.values()))
    await moderation.set_hidden(GUILD, MOD, curated.id, True)
    fact = await moderation.check_fact(
        GUILD, text=curated.text, film=curated.film, person=curated.person
    )
    assert fact.text == curated.text


async def test_edit_keeps_the_old_version_and_audits_before_and_after(moderation):
    await add(moderation)
    new = "Tangerine was shot in Los Angeles over about a month, mostly on the street."
    change = await moderation.edit_fact(GUILD, MOD, "G1", text=new, spoiler=True)
    assert change.record.text == new and change.record.spoiler
    history = await moderation.history(GUILD, "g1")
    assert [v.fact.text for v in history.versions] == [TEXT, new]
    edit = history.audit[-1]
    assert edit.action == "edit" and edit.before["text"] == TEXT and edit.after["text"] == new


async def test_edit_without_change_is_refused(moderation):
    await add(moderation)
    with pytest.raises(UserFacingError, match="Nothing changed"):
        await moderation.edit_fact(GUILD, MOD, "g1", text=TEXT)


async def test_removed_fact_leaves_search_and_comes_back(moderation):
    await add(moderation)
    await moderation.set_deleted("fact", GUILD, MOD, "g1", True)
    assert await moderation.store.search_facts("Christmas Eve", GUILD) == []
    with pytest.raises(UserFacingError, match="removed; restore it first"):
        await moderation.edit_fact(GUILD, MOD, "g1", text=TEXT + " Really.")
    await moderation.set_deleted("fact", GUILD, MOD, "g1", False)
    hits = await moderation.store.search_facts("Christmas Eve", GUILD)
    assert "g1" in [h.fact.id for h in hits]


async def test_another_servers_fact_is_unknown_here(moderation):
    await add(moderation)
    with pytest.raises(UserFacingError, match="no fact `g1` in this server"):
        await moderation.set_deleted("fact", OTHER, MOD, "g1", True)
    with pytest.raises(UserFacingError, match="no fact"):
        await moderation.history(OTHER, "g1")
    assert await moderation.store.search_facts("Christmas Eve", OTHER) == []


async def test_curated_facts_cannot_be_edited_only_hidden(moderation):
    curated = next(iter(moderation.library.facts))
    with pytest.raises(UserFacingError, match="fact hide"):
        await moderation.edit_fact(GUILD, MOD, curated, text=TEXT)
    await moderation.set_hidden(GUILD, MOD, curated, True)
    assert moderation.services.hidden == {GUILD: {curated}}
    assert await moderation.store.hidden_facts() == {GUILD: {curated}}
    with pytest.raises(UserFacingError, match="already hidden"):
        await moderation.set_hidden(GUILD, MOD, curated, True)
    await moderation.set_hidden(GUILD, MOD, curated, False)
    assert moderation.services.hidden[GUILD] == set()


async def test_a_failed_write_changes_nothing(moderation, monkeypatch):
    """If the audit row cannot be written, the fact and its version are rolled back."""
    fact = await moderation.check_fact(GUILD, text=TEXT, film="tangerine")

    async def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(type(moderation.store), "_write_audit", staticmethod(broken))
    with pytest.raises(RuntimeError):
        await moderation.add(fact, MOD)
    monkeypatch.undo()
    store = moderation.store
    assert await store.guild_facts(GUILD) == []
    assert await store.fact_versions("g1") == []
    assert await store.search_facts("Christmas Eve", GUILD) == []
    assert (await add(moderation)).id == "g1"


async def test_list_mine_and_curated(moderation):
    await add(moderation)
    other_author = await moderation.check_fact(
        GUILD, text="Sean Baker edited Tangerine himself on a laptop.", person="sean-baker"
    )
    await moderation.add(other_author, MEMBER)
    mine = await moderation.list_facts(GUILD, author_id=MOD)
    assert [f.id for f in mine.server] == ["g1"]
    about = await moderation.list_facts(GUILD, film="Tangerine")
    assert [f.id for f in about.server] == ["g1"]
    assert about.curated and all(f.film == "tangerine" for f in about.curated)


async def test_config_is_stored_and_audited(moderation):
    await moderation.update_config(GUILD, MOD, mod_role_id=42)
    await moderation.update_config(GUILD, MOD, log_channel_id=99)
    config = await moderation.config(GUILD)
    assert (config.mod_role_id, config.log_channel_id) == (42, 99)
    entries = await moderation.store.audit_entries(GUILD, kind="config")
    assert entries[-1].before["mod_role_id"] == 42 and entries[-1].after["log_channel_id"] == 99


# -- quotes and questions ----------------------------------------------------------------


async def test_quote_needs_a_known_speaker(moderation):
    with pytest.raises(UserFacingError, match="person"):
        await moderation.check_quote(GUILD, text="Some words.", speaker="Nobody Atall")
    quote = await moderation.check_quote(GUILD, text="Some words.", speaker="sean baker")
    assert quote.speaker == "sean-baker"


async def test_question_answer_kind_is_guessed(moderation):
    number = await moderation.check_question(
        GUILD, question="How many iPhones shot Tangerine?", answers="3; three"
    )
    person = await moderation.check_question(
        GUILD, question="Who directed The Florida Project?", answers="Sean Baker"
    )
    assert (number.kind, person.kind) == ("number", "person")


# -- suggestions --------------------------------------------------------------------------


async def test_suggestion_is_validated_queued_and_approved(moderation):
    suggestions = Suggestions(moderation)
    with pytest.raises(UserFacingError):
        await suggestions.suggest("fact", GUILD, MEMBER, {"text": "", "film": "anora"})
    queued = await suggestions.suggest("fact", GUILD, MEMBER, {"text": TEXT, "film": "Tangerine"})
    assert queued.label == "s1" and queued.payload["film"] == "tangerine"
    assert await moderation.store.guild_facts(GUILD) == []
    decision = await suggestions.approve(GUILD, MOD, "s1")
    assert decision.suggestion.status == "approved" and decision.suggestion.record_id == "g1"
    [version] = await moderation.store.fact_versions("g1")
    assert version.author_id == MEMBER
    assert decision.audit.actor_id == MOD and decision.audit.action == "approve"
    with pytest.raises(UserFacingError, match="already approved"):
        await suggestions.reject(GUILD, MOD, "s1")


async def test_approval_rechecks_duplicates(moderation):
    suggestions = Suggestions(moderation)
    await suggestions.suggest("fact", GUILD, MEMBER, {"text": TEXT, "film": "Tangerine"})
    await add(moderation)
    with pytest.raises(UserFacingError, match="`g1`"):
        await suggestions.approve(GUILD, MOD, "s1")
    assert len(await suggestions.queue(GUILD)) == 1


async def test_rejection_keeps_the_reason_and_other_servers_cannot_decide(moderation):
    suggestions = Suggestions(moderation)
    await suggestions.suggest("fact", GUILD, MEMBER, {"text": TEXT, "film": "Tangerine"})
    with pytest.raises(UserFacingError, match="no suggestion"):
        await suggestions.reject(OTHER, MOD, "s1")
    decision = await suggestions.reject(GUILD, MOD, "#1", "No source given.")
    assert decision.suggestion.status == "rejected"
    assert decision.suggestion.reason == "No source given."
    assert await suggestions.queue(GUILD) == []


@pytest.mark.parametrize(("value", "number"), [("s4", 4), ("S4", 4), ("#4", 4), (4, 4)])
def test_suggestion_ids(value, number):
    assert suggestion_id(value) == number


def test_bad_suggestion_id_is_explained():
    with pytest.raises(UserFacingError, match="not a suggestion id"):
        suggestion_id("g4")
