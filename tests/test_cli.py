"""The command line: playground --say, check-data, and clear failures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.catalog import default_data_dir
from bot.config import Settings
from bot.playground import PlaygroundError, say


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BAKERBOT_DATABASE", str(tmp_path / "cli.sqlite3"))
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def test_say_prints_the_reply_as_text(settings: Settings) -> None:
    text = await say(settings, "/film anora")
    assert text.startswith("## Anora (2024)")
    assert "Mikey Madison as" in text


async def test_say_accepts_named_options(settings: Settings) -> None:
    text = await say(settings, "/quote person:mikey madison")
    assert "— Mikey Madison" in text


async def test_say_marks_private_replies(settings: Settings) -> None:
    assert (await say(settings, "/film oppenheimer")).startswith("(only you can see this)")


async def test_say_unknown_command_lists_commands(settings: Settings) -> None:
    with pytest.raises(PlaygroundError, match="unknown command"):
        await say(settings, "/nonsense")


def test_check_data_ok(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-data"]) == 0
    assert "data OK" in capsys.readouterr().out


def test_check_data_reports_problems(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = cli_env / "data"
    shutil.copytree(default_data_dir(), broken)
    (broken / "films.yaml").write_text("- id: Not A Slug\n", encoding="utf-8")
    assert main(["check-data", "--data", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "films.yaml: record 'Not A Slug': field 'id'" in err


def test_sync_without_token_explains(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sync"]) == 2
    assert "DISCORD_TOKEN" in capsys.readouterr().err


def test_corrupt_database_exits_nonzero_and_keeps_file(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = cli_env / "cli.sqlite3"
    db.write_bytes(b"garbage" * 1000)
    assert main(["playground", "--say", "/film anora"]) == 1
    assert "not usable" in capsys.readouterr().err
    assert db.read_bytes() == b"garbage" * 1000


async def test_say_handles_apostrophes_and_shows_later_posts(settings: Settings) -> None:
    assert "I don't know" in await say(settings, "/ask what's the weather in paris")
    text = await say(settings, "/trivia start rounds:1 mode:buttons")
    assert "## Question 1 of 1" in text
