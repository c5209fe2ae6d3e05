"""Export and import of a server's records, and Red-DiscordBot trivia lists."""

from __future__ import annotations

import textwrap

import pytest
import pytest_asyncio
import yaml

from bot.__main__ import main
from bot.config import Settings
from bot.moderation.service import get_moderation
from bot.services import create_services
from bot.transfer import (
    TransferError,
    export_guild,
    export_yaml,
    import_export,
    import_red,
    red_answers,
)

GUILD = 111
OTHER = 222
MOD = 5

RED_LIST = textwrap.dedent(
    """\
    AUTHOR: Twentysix
    CONFIG:
      timeout: 20
      max_score: 10
    Who directed The Florida Project?:
    - Sean Baker
    - Baker
    In what year did Tangerine premiere?:
    - 2015
    Is Anora a comedy?:
    - true
    Which city is Red Rocket set in?: Texas City
    A question nobody can answer?: []
    Who directed the florida project??:
    - Sean Baker
    """
)


async def open_moderation(path):
    settings = Settings(BAKERBOT_DATABASE=str(path), DISCORD_TOKEN="")
    services = await create_services(settings)
    moderation = get_moderation(services)
    await moderation.load_hidden()
    return moderation


@pytest_asyncio.fixture
async def moderation(tmp_path):
    moderation = await open_moderation(tmp_path / "one.sqlite3")
    yield moderation
    await moderation.services.close()


async def fill(moderation):
    """One server with a fact, a quote, a question and a hidden curated fact."""
    m = moderation
    fact = await m.check_fact(
        GUILD,
        text="Tangerine's crew kept a jar of orange peel on set for luck.",
        film="tangerine",
        source="https://example.com/tangerine",
        spoiler=True,
    )
    await m.add(fact, MOD)
    quote = await m.check_quote(
        GUILD, text="Orange peel keeps us honest.", speaker="sean baker", context="on set"
    )
    await m.add(quote, MOD)
    question = await m.check_question(
        GUILD, question="What did the crew keep in a jar?", answers="orange peel; peel"
    )
    await m.add(question, MOD)
    await m.set_hidden(GUILD, MOD, next(iter(m.library.facts)), True)


async def test_export_is_in_the_data_format(moderation):
    await fill(moderation)
    data = await export_guild(moderation.store, GUILD)
    assert [f["id"] for f in data["facts"]] == ["g1"]
    assert data["facts"][0]["spoiler"] is True and "guild_id" not in data["facts"][0]
    assert data["quotes"][0]["speaker"] == "sean-baker"
    assert data["trivia"][0]["answers"] == ["orange peel", "peel"]
    assert data["hidden"] == [next(iter(moderation.library.facts))]
    text = export_yaml(data, GUILD)
    assert yaml.safe_load(text) == data


async def test_export_import_round_trip_is_lossless(moderation, tmp_path):
    """An export imported into a fresh database exports exactly the same records."""
    await fill(moderation)
    data = await export_guild(moderation.store, GUILD)
    fresh = await open_moderation(tmp_path / "two.sqlite3")
    try:
        report = await import_export(fresh, OTHER, yaml.safe_load(export_yaml(data, GUILD)))
        assert report.skipped == [] and len(report.imported) == 4
        assert await export_guild(fresh.store, OTHER) == data
        assert fresh.services.hidden[OTHER] == set(data["hidden"])
        hits = await fresh.store.search_facts("orange peel jar", OTHER)
        assert [h.fact.id for h in hits] == ["g1"]
        audit = await fresh.store.audit_entries(OTHER)
        assert {a.action for a in audit} == {"import", "hide"}
    finally:
        await fresh.services.close()


async def test_import_into_the_same_database_renumbers_taken_ids(moderation):
    await fill(moderation)
    data = await export_guild(moderation.store, GUILD)
    report = await import_export(moderation, OTHER, data)
    assert any("g2 (was g1: that id is taken)" in line for line in report.imported)
    assert [f.id for f in await moderation.store.guild_facts(OTHER)] == ["g2"]
    assert await export_guild(moderation.store, GUILD) == data


async def test_importing_twice_skips_everything_and_says_why(moderation):
    await fill(moderation)
    data = await export_guild(moderation.store, GUILD)
    report = await import_export(moderation, GUILD, data)
    assert report.imported == []
    assert len(report.skipped) == 4
    assert any("already says this: `g1`" in line for line in report.skipped)
    assert any("already hidden" in line for line in report.skipped)


async def test_invalid_records_are_skipped_with_reasons_and_the_rest_imported(moderation):
    data = {
        "facts": [
            {
                "id": "ok",
                "text": "Sean Baker edits his own films on a laptop.",
                "person": "sean-baker",
                "sources": ["https://example.com"],
            },
            {"id": "nofilm", "text": "A fact about nothing in particular here.", "sources": ["x"]},
            {
                "id": "unknown",
                "text": "A fact about a film nobody made.",
                "film": "jaws",
                "sources": ["https://example.com"],
            },
            {
                "id": "extra",
                "text": "Has a field that is not allowed.",
                "film": "anora",
                "sources": ["https://example.com"],
                "deleted": True,
            },
            "not a record",
        ],
        "hidden": ["no-such-fact"],
    }
    report = await import_export(moderation, GUILD, data)
    assert report.imported == ["fact ok: Sean Baker edits his own films on a laptop."]
    reasons = "\n".join(report.skipped)
    assert "fact nofilm" in reasons and "which film or person" in reasons
    assert "fact unknown" in reasons and "I don't know the film" in reasons
    assert "fact extra" in reasons and "'deleted'" in reasons
    assert "not a record" in reasons
    assert "hide no-such-fact: no such curated fact" in reasons


def test_a_file_that_is_no_export_is_refused():
    with pytest.raises(TransferError, match="--red"):
        from bot.transfer import split_export

        split_export({"Who directed Anora?": ["Sean Baker"]})


def test_red_answers_follow_reds_rules():
    assert red_answers([2015, True, "x", None]) == ["2015", "True", "Yes", "On", "x"]
    assert red_answers("Texas City") is None


async def test_red_trivia_list_import_is_lossless_and_reported(moderation):
    """Every valid question arrives with exactly its answers; the rest are explained."""
    report = await import_red(moderation, GUILD, yaml.safe_load(RED_LIST), name="baker.yaml")
    assert report.notes[0] == "Red trivia list 'baker.yaml' by Twentysix"
    assert "CONFIG" in report.notes[1]
    questions = {q.question: q for q in await moderation.store.guild_questions(GUILD)}
    assert questions["Who directed The Florida Project?"].answers == ("Sean Baker", "Baker")
    assert questions["In what year did Tangerine premiere?"].answers == ("2015",)
    assert questions["In what year did Tangerine premiere?"].kind == "number"
    assert questions["Is Anora a comedy?"].answers == ("True", "Yes", "On")
    assert {q.category for q in questions.values()} == {"baker"}
    assert len(questions) == 3 and len(report.imported) == 3
    skipped = "\n".join(report.skipped)
    assert "Red Rocket" in skipped and "must be a list" in skipped
    assert "nobody can answer" in skipped and "no answers given" in skipped
    assert "earlier in the file" in skipped


async def test_red_import_skips_questions_already_in_the_bank(moderation):
    red = yaml.safe_load(RED_LIST)
    await import_red(moderation, GUILD, red, name="baker.yaml")
    again = await import_red(moderation, GUILD, red, name="baker.yaml")
    assert again.imported == []
    assert any("already in the bank" in line for line in again.skipped)


def test_cli_export_and_import(tmp_path, monkeypatch, capsys):
    """bakerbot export/import work on BAKERBOT_DATABASE without a token."""
    red = tmp_path / "baker.yaml"
    red.write_text(RED_LIST, encoding="utf-8")
    monkeypatch.setenv("BAKERBOT_DATABASE", str(tmp_path / "cli.sqlite3"))
    monkeypatch.setenv("DISCORD_TOKEN", "")
    assert main(["import", "--guild", str(GUILD), str(red), "--red"]) == 0
    assert "Imported 3, skipped 3." in capsys.readouterr().out
    out = tmp_path / "export.yaml"
    assert main(["export", "--guild", str(GUILD), "--out", str(out)]) == 0
    exported = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert len(exported["trivia"]) == 3
    monkeypatch.setenv("BAKERBOT_DATABASE", str(tmp_path / "other.sqlite3"))
    assert main(["import", "--guild", str(OTHER), str(out)]) == 0
    capsys.readouterr()
    assert main(["export", "--guild", str(OTHER)]) == 0
    assert yaml.safe_load(capsys.readouterr().out) == exported


def test_cli_import_of_an_unreadable_file_fails_cleanly(tmp_path, monkeypatch, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("facts: [unclosed", encoding="utf-8")
    monkeypatch.setenv("BAKERBOT_DATABASE", str(tmp_path / "cli.sqlite3"))
    monkeypatch.setenv("DISCORD_TOKEN", "")
    assert main(["import", "--guild", str(GUILD), str(bad)]) == 1
    assert "cannot read" in capsys.readouterr().err
