"""/ask figures: time to answer next to a trivial command, accuracy, every miss.

Three timings, each a median and a p99:
- the answerer alone, in process (``Asker.answer``, no Discord);
- ``/ask`` through SimCord next to a trivial ``/ping`` in the same harness, asked in
  turns on fresh channels, since absolute numbers on a shared 2-core machine are noisy
  and the ratio is what the target (median within 3x) is about;
- the "I don't know" path, which also checks the questions it suggests.

Then the accuracy on tests/ask_cases.yaml and the full table of misses.

Run: python bench/bench_ask.py [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
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
import yaml  # noqa: E402
from discord import app_commands  # noqa: E402

from bot.ask import Asker  # noqa: E402
from bot.ask.limits import RateLimit  # noqa: E402
from bot.ask.quality import Report, evaluate  # noqa: E402
from bot.catalog import load_catalog  # noqa: E402
from bot.client import create_bot  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.library import Library  # noqa: E402

CASES = ROOT / "tests" / "ask_cases.yaml"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def summary(samples: list[float]) -> str:
    median = statistics.median(samples) * 1000
    return f"median {median:7.2f} ms   p99 {percentile(samples, 99) * 1000:7.2f} ms"


def load_cases() -> tuple[list[tuple[str, list[str]]], list[str]]:
    data = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    return [(c["q"], c["expect"]) for c in data["answerable"]], list(data["unanswerable"])


def in_process(asker: Asker, questions: list[str], rounds: int) -> tuple[list[float], list[float]]:
    """Time ``Asker.answer``; answered and "I don't know" questions apart."""
    known: list[float] = []
    unknown: list[float] = []
    for _ in range(rounds):
        for question in questions:
            start = time.perf_counter()
            answer = asker.answer(question)
            (known if answer.known else unknown).append(time.perf_counter() - start)
    return known, unknown


async def timed(call: Callable[[], Awaitable[Any]]) -> float:
    start = time.perf_counter()
    await call()
    return time.perf_counter() - start


async def through_discord(questions: list[str], rounds: int) -> tuple[list[float], list[float]]:
    """/ask and /ping in turns, in the same SimCord harness, on fresh channels."""
    with tempfile.TemporaryDirectory() as tmp:
        bot = create_bot(Settings(BAKERBOT_DATABASE=str(Path(tmp) / "bench.sqlite3")))

        @app_commands.command(name="ping")
        async def ping(interaction: discord.Interaction) -> None:
            """Trivial baseline command."""
            await interaction.response.send_message("pong")

        bot.tree.add_command(ping)
        ask_samples: list[float] = []
        ping_samples: list[float] = []
        async with simcord.run(bot, strict_sync=False) as env:
            bot.get_cog("Ask").limits = RateLimit(rate=10**9, per=1)
            guild = env.create_guild()
            alice = guild.add_member(env.create_user("alice"))
            warm = guild.create_text_channel("warm-up")
            for question in questions[:20]:
                await alice.slash(warm, "ping")
                await alice.slash(warm, "ask", question=question)
            for round_ in range(rounds):
                channel = guild.create_text_channel(f"round-{round_}")
                for question in questions:
                    ping_samples.append(await timed(lambda c=channel: alice.slash(c, "ping")))
                    ask_samples.append(
                        await timed(lambda c=channel, q=question: alice.slash(c, "ask", question=q))
                    )
        await bot.close()
    return ask_samples, ping_samples


def print_misses(report: Report) -> None:
    print(f"\nMisses on answerable questions ({len(report.misses)}):")
    print(f"{'question':58} {'expected':24} {'type':9} {'conf':>5}  answer")
    for miss in report.misses:
        expected = ", ".join(miss.expected)
        print(
            f"{miss.question[:58]:58} {expected[:24]:24} {miss.qtype:9} {miss.confidence:5.2f}"
            f"  {miss.answer[:90]}"
        )
    print(f"\nAnswers given to unanswerable questions ({len(report.wrong_answers)}):")
    for miss in report.wrong_answers:
        print(f"{miss.question[:58]:58} {miss.qtype:9} {miss.confidence:5.2f}  {miss.answer[:90]}")


def main(rounds: int, discord_rounds: int) -> None:
    answerable, unanswerable = load_cases()
    questions = [q for q, _ in answerable] + unanswerable
    start = time.perf_counter()
    library = Library.from_catalog(load_catalog())
    asker = Asker.build(library)
    print(f"build answerer          {(time.perf_counter() - start) * 1000:7.1f} ms")
    print(f"record units            {asker.records.count():7d}")

    known, unknown = in_process(asker, questions, rounds)
    print(f"\nin process, answered    {summary(known)}   (n={len(known)})")
    print(f"in process, don't know  {summary(unknown)}   (n={len(unknown)}, checks suggestions)")

    ask_samples, ping_samples = asyncio.run(through_discord(questions, discord_rounds))
    ratio = statistics.median(ask_samples) / statistics.median(ping_samples)
    print(f"\nSimCord /ask            {summary(ask_samples)}   (n={len(ask_samples)})")
    print(f"SimCord /ping           {summary(ping_samples)}   (n={len(ping_samples)})")
    print(f"/ask median / /ping     {ratio:7.2f} x   (target within 3x)")

    report = evaluate(asker, answerable, unanswerable)
    print(
        f"\naccuracy: answerable {report.answered}/{report.answerable}"
        f" = {report.answer_rate:.1%} (target >= 90%),"
        f" unanswerable declined {report.declined}/{report.unanswerable}"
        f" = {report.decline_rate:.1%} (target >= 95%)"
    )
    print_misses(report)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="passes over the set, in process")
    parser.add_argument("--discord-rounds", type=int, default=2, help="passes through SimCord")
    args = parser.parse_args()
    main(args.rounds, args.discord_rounds)
