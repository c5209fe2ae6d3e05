"""Command line: ``bakerbot [run | playground | check-data | sync | export | import]``."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.config import Settings

log = logging.getLogger("bakerbot")

NO_TOKEN_HELP = """\
No DISCORD_TOKEN is set, so BakerBot is starting its offline playground instead.

To run it in a real server:
  1. Open https://discord.com/developers/applications and create an application.
  2. Under "Bot", reset the token and copy it.
  3. Invite it with the scopes `bot` and `applications.commands` (see README.md).
  4. Run:  DISCORD_TOKEN=your-token bakerbot   (or put DISCORD_TOKEN=... in a .env file)
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bakerbot", description="A Discord bot about the films of Sean Baker."
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="connect to Discord (the default; needs DISCORD_TOKEN)")
    play = sub.add_parser("playground", help="the bot in an offline, in-memory Discord")
    play.add_argument("--say", metavar="LINE", help='run one command, e.g. "/film anora"')
    play.add_argument("--port", type=int, default=None, help="port for the preview page")
    check = sub.add_parser("check-data", help="validate data/ and report every problem")
    check.add_argument("--data", type=Path, default=None, help="data folder to check")
    sync = sub.add_parser("sync", help="publish slash commands to Discord (needs a token)")
    sync.add_argument("--guild", type=int, default=None, help="sync to one guild only")
    export = sub.add_parser("export", help="write one server's facts, quotes and trivia as YAML")
    export.add_argument("--guild", type=int, required=True, help="the server (guild) id")
    export.add_argument("--out", type=Path, default=None, help="file to write (default: stdout)")
    imp = sub.add_parser("import", help="import an export, or a Red trivia list with --red")
    imp.add_argument("--guild", type=int, required=True, help="the server (guild) id")
    imp.add_argument("file", type=Path, help="YAML file: a BakerBot export or data/ records")
    imp.add_argument("--red", action="store_true", help="the file is a Red-DiscordBot trivia list")
    return parser


def check_data(data_dir: Path | None) -> int:
    from bot.catalog import CatalogError, load_catalog

    try:
        catalog = load_catalog(data_dir)
    except CatalogError as exc:
        print(f"data has {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(
        f"data OK: {len(catalog.films)} films, {len(catalog.people)} people, "
        f"{len(catalog.credits)} credits, {len(catalog.facts)} facts, "
        f"{len(catalog.quotes)} quotes, {len(catalog.questions)} questions, "
        f"{len(catalog.sources)} sources"
    )
    return 0


async def run_bot(settings: Settings) -> None:
    from bot.client import create_bot

    assert settings.discord_token is not None
    bot = create_bot(settings)
    async with bot:
        await bot.login(settings.discord_token.get_secret_value())  # runs setup_hook
        # Everything loaded so far lives as long as the process: moving it out of the
        # collector's generations keeps full collections short with a large catalog.
        gc.collect()
        gc.freeze()
        await bot.connect()


async def sync_commands(settings: Settings, guild_id: int | None) -> None:
    import discord

    from bot.client import create_bot

    assert settings.discord_token is not None
    bot = create_bot(settings)
    async with bot:
        await bot.login(settings.discord_token.get_secret_value())
        if guild_id:
            guild = discord.Object(guild_id)
            bot.tree.copy_global_to(guild=guild)
            synced = await bot.tree.sync(guild=guild)
            print(f"synced {len(synced)} commands to guild {guild_id}")
        else:
            synced = await bot.tree.sync()
            print(f"synced {len(synced)} global commands (may take up to an hour to show)")


async def playground(settings: Settings, say: str | None, port: int | None) -> int:
    from bot.playground import PlaygroundError, serve
    from bot.playground import say as say_line

    if say is None:
        await serve(settings, port)
        return 0
    try:
        print(await say_line(settings, say))
    except PlaygroundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _run(coro_factory: Callable[[], Coroutine[Any, Any, Any]]) -> int:
    """Run a coroutine; Ctrl-C stops cleanly; a store problem exits non-zero."""
    from bot.store import StoreError

    try:
        result = asyncio.run(coro_factory())
    except KeyboardInterrupt:
        print("\nStopped.")
        return 0
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("No data was changed. Check BAKERBOT_DATABASE.", file=sys.stderr)
        return 1
    return result if isinstance(result, int) else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        print(f"error: invalid settings:\n{exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if args.command in (None, "run") and settings.discord_token is None:
        print(NO_TOKEN_HELP)
        args.command = "playground"
        args.say, args.port = None, None
    if args.command == "playground":
        logging.getLogger().setLevel(max(logging.WARNING, logging.getLogger().level))
        return _run(lambda: playground(settings, args.say, args.port))
    if args.command == "check-data":
        return check_data(args.data or settings.data_dir)
    if args.command in ("export", "import"):
        from bot import transfer

        if args.command == "export":
            return _run(lambda: transfer.run_export(settings, args.guild, args.out))
        return _run(lambda: transfer.run_import(settings, args.guild, args.file, args.red))
    if settings.discord_token is None:
        print("error: this command needs DISCORD_TOKEN", file=sys.stderr)
        return 2
    if args.command == "sync":
        return _run(lambda: sync_commands(settings, args.guild))
    return _run(lambda: run_bot(settings))


if __name__ == "__main__":
    raise SystemExit(main())
