"""Foundation figures on the bundled data: load times, per-command latency, memory.

Every command's latency is shown next to a trivial command run in the same harness
(SimCord round trip), because absolute numbers on a shared 2-core machine are noisy;
the ratio is what the targets are about.

Run: python bench/bench_foundation.py [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import discord  # noqa: E402
import simcord  # noqa: E402
from discord import app_commands  # noqa: E402

from bot import catalog as catalog_module  # noqa: E402
from bot.client import create_bot  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.services import create_services  # noqa: E402

COMMANDS: list[tuple[str, dict[str, Any]]] = [
    ("film", {"title": "anora"}),
    ("film", {"title": "florda projcet"}),
    ("person", {"name": "yuri borisov"}),
    ("filmography", {}),
    ("quote", {}),
    ("quote", {"search": "rent"}),
    ("help", {}),
    ("about", {}),
]


#: Longer than any view's timeout.
VIEW_TIMEOUT = 301

#: Commands that answer ephemerally (compared with an ephemeral ping).
PRIVATE = frozenset({"help"})


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


async def load_times(db: Path) -> dict[str, float]:
    """Cold load (empty database, nothing parsed yet) and unchanged reload."""
    catalog_module._parsed.clear()
    settings = Settings(BAKERBOT_DATABASE=str(db))
    start = time.perf_counter()
    services = await create_services(settings)
    cold = time.perf_counter() - start
    await services.close()
    reloads = []
    for _ in range(10):
        catalog_module._parsed.clear()
        start = time.perf_counter()
        services = await create_services(settings)
        reloads.append(time.perf_counter() - start)
        await services.close()
    return {"cold_load_s": cold, "unchanged_reload_s": statistics.median(reloads)}


async def time_calls(
    call: Callable[[], Awaitable[Any]], rounds: int, env: Any = None
) -> list[float]:
    """Time each call; between calls (untimed) let views expire, as they would in a
    server over time, since SimCord's settling slows down with every live view."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - start)
        if env is not None:
            await env.advance_time(VIEW_TIMEOUT)
    return samples


async def command_latency(db: Path, rounds: int) -> dict[str, dict[str, float]]:
    bot = create_bot(Settings(BAKERBOT_DATABASE=str(db)))

    @app_commands.command(name="ping")
    async def ping(interaction: discord.Interaction, private: bool = False) -> None:
        """Trivial baseline command."""
        await interaction.response.send_message("pong", ephemeral=private)

    bot.tree.add_command(ping)
    results: dict[str, dict[str, float]] = {}
    async with simcord.run(bot, strict_sync=False) as env:
        guild = env.create_guild()
        alice = guild.add_member(env.create_user("alice"))
        warm = guild.create_text_channel("warm-up")
        for _ in range(20):
            await alice.slash(warm, "ping")
        for name, options in COMMANDS:
            # A fresh channel per command, and its own baseline measured right before it,
            # so history growth and machine noise hit both sides alike. Ephemeral replies
            # cost SimCord extra, so private commands are compared with a private ping.
            channel = guild.create_text_channel(name)
            private = name in PRIVATE
            base = await time_calls(
                lambda c=channel, p=private: alice.slash(c, "ping", private=p), rounds
            )
            samples = await time_calls(
                lambda c=channel, n=name, o=options: alice.slash(c, n, **o), rounds, env
            )
            label = f"/{name} " + " ".join(f"{k}:{v}" for k, v in options.items())
            results[label.strip()] = summarise(samples, base)
    await bot.close()
    return results


def summarise(samples: list[float], base: list[float]) -> dict[str, float]:
    median = statistics.median(samples)
    return {
        "median_ms": median * 1000,
        "p99_ms": percentile(samples, 99) * 1000,
        "baseline_median_ms": statistics.median(base) * 1000,
        "x_baseline": median / statistics.median(base),
    }


def bot_rss_mb() -> float:
    """Peak RSS of a fresh process holding a ready bot (services loaded), no harness."""
    code = (
        "import asyncio, sys, tempfile;"
        f"sys.path.insert(0, {str(ROOT)!r});"
        "from bot.client import create_bot; from bot.config import Settings;"
        "from bot.services import ensure_services;"
        "b = create_bot(Settings(BAKERBOT_DATABASE=tempfile.mktemp()));"
        "s = asyncio.run(ensure_services(b, b.settings));"
        "print(next(int(l.split()[1]) for l in open('/proc/self/status')"
        " if l.startswith('VmHWM')) / 1024);"
        "asyncio.run(s.close())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1])


async def main(rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        loads = await load_times(db)
        latency = await command_latency(db, rounds)
    harness_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "loads": loads,
        "latency": latency,
        "bot_rss_mb": bot_rss_mb(),
        "harness_rss_mb": harness_rss,
    }


def report(result: dict[str, Any]) -> None:
    loads = result["loads"]
    print(f"cold load           {loads['cold_load_s'] * 1000:8.1f} ms   (target < 500 ms)")
    print(f"unchanged reload    {loads['unchanged_reload_s'] * 1000:8.1f} ms   (target < 50 ms)")
    print(f"bot RSS             {result['bot_rss_mb']:8.1f} MB   (target < 80 MB)")
    print(f"harness RSS         {result['harness_rss_mb']:8.1f} MB   (bot + SimCord + samples)")
    print(f"\n{'command':34} {'median ms':>9} {'p99 ms':>8} {'ping med':>9} {'x ping':>7}")
    for label, row in result["latency"].items():
        print(
            f"{label:34} {row['median_ms']:9.2f} {row['p99_ms']:8.2f}"
            f" {row['baseline_median_ms']:9.2f} {row['x_baseline']:7.2f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    outcome = asyncio.run(main(args.rounds))
    report(outcome)
    if args.json:
        args.json.write_text(json.dumps(outcome, indent=2))
