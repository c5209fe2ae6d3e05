"""Load: 50 channels playing trivia at once, several members each, plus /ask traffic,
in one process, next to the same game in a single channel.

Each wave, in every channel at the same instant: two members send the right answer
(a race), two send wrong ones, and a fifth asks /ask something. All interactions of a
wave are dispatched before the bot handles any (as simultaneous users would), then the
wave settles and the next question comes. Reply time is measured in the bot: from the
interaction reaching the command tree to its response going out, so queueing behind
the other channels counts. A first, untimed wave warms up what is built lazily (the
/ask answerer, each question's prepared answers). Checks: every /answer got exactly one reply, every
question was won exactly once, and the stored scores add up.

Run: ``python bench/load.py [--channels 50] [--members 4] [--rounds 5]``. Figures only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import discord  # noqa: E402
import simcord  # noqa: E402
from simcord import actors as simcord_actors  # noqa: E402

from bot.client import create_bot  # noqa: E402
from bot.config import Settings  # noqa: E402

QUESTIONS = (
    "who directed Anora?",
    "when did Tangerine come out?",
    "who plays Igor in Anora?",
    "what was Tangerine shot on?",
    "did Anora win the Palme d'Or?",
)
GAP = 3.0


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def summary(samples: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples]
    return {"median_ms": statistics.median(ms), "p99_ms": percentile(ms, 99), "n": len(ms)}


@contextmanager
def reply_clock(bot: Any) -> Iterator[dict[str, list[float]]]:
    """Seconds from each interaction reaching the command tree to its first response."""
    arrived: dict[int, float] = {}
    times: dict[str, list[float]] = {}
    originals = {
        name: getattr(discord.InteractionResponse, name)
        for name in ("send_message", "defer", "send_modal", "edit_message")
    }

    tree_check = bot.tree.interaction_check

    async def check(interaction: discord.Interaction) -> bool:
        """The tree asks this before running any command: the arrival stamp."""
        arrived[interaction.id] = time.perf_counter()
        return await tree_check(interaction)

    def timed(name: str) -> Any:
        original = originals[name]

        async def wrapper(self: discord.InteractionResponse, *args: Any, **kwargs: Any) -> Any:
            result = await original(self, *args, **kwargs)
            interaction = self._parent
            start = arrived.pop(interaction.id, None)
            if start is not None:
                command = interaction.command.qualified_name if interaction.command else "?"
                times.setdefault(command, []).append(time.perf_counter() - start)
            return result

        return wrapper

    bot.tree.interaction_check = check  # type: ignore[method-assign]
    for name in originals:
        setattr(discord.InteractionResponse, name, timed(name))
    try:
        yield times
    finally:
        for name, original in originals.items():
            setattr(discord.InteractionResponse, name, original)
        bot.tree.interaction_check = tree_check  # type: ignore[method-assign]


async def play(channels: int, members: int, rounds: int) -> dict[str, Any]:
    """One bot, ``channels`` games at once; returns reply times and the checks."""
    with tempfile.TemporaryDirectory() as tmp:
        bot = create_bot(Settings(BAKERBOT_DATABASE=str(Path(tmp) / "load.sqlite3")))
        async with simcord.run(bot, strict_sync=False, settle_timeout=2) as env:
            ask = bot.get_cog("Ask")
            if ask is not None and hasattr(ask, "limits"):
                from bot.ask.limits import RateLimit

                ask.limits = RateLimit(rate=10**9, per=1)
            guild = env.create_guild("Load")
            rooms = [guild.create_text_channel(f"game-{i}") for i in range(channels)]
            players = {
                room.id: [
                    guild.add_member(env.create_user(f"p{i}-{m}")) for m in range(members + 1)
                ]
                for i, room in enumerate(rooms)
            }
            for room in rooms:
                host = players[room.id][0]
                await host.slash(room, "trivia start", rounds=rounds + 1, seconds=60)
            replies: list[Any] = []
            wave_seconds = []
            with reply_clock(bot) as times:
                for wave in range(rounds + 1):
                    calls = []
                    for n, room in enumerate(rooms):
                        session = bot.get_cog("Trivia").sessions[room.id]
                        answer = session.game.open_round.question.answer
                        crowd = players[room.id]
                        guesses = [answer, answer] + ["no idea", "Red Rocket"] * members
                        for member, guess in zip(crowd[:members], guesses, strict=False):
                            calls.append(
                                simcord_actors._slash(member, room, "answer", {"guess": guess})
                            )
                        question = QUESTIONS[(n + wave) % len(QUESTIONS)]
                        if ask is not None:
                            calls.append(
                                simcord_actors._slash(
                                    crowd[members], room, "ask", {"question": question}
                                )
                            )
                    start = time.perf_counter()
                    replies += await asyncio.gather(*calls)
                    if wave == 0:
                        times.clear()  # the warm-up wave
                    else:
                        wave_seconds.append(time.perf_counter() - start)
                    await env.advance_time(GAP)
            await env.advance_time(60)
            checks = await verify(bot, guild, rooms, players, replies, rounds, members)
            errors = [repr(e)[:200] for e in env.errors]
        await bot.close()
    return {
        "channels": channels,
        "members": members,
        "rounds": rounds,
        "answer": summary(times.get("answer", [])),
        "ask": summary(times.get("ask", [])) if times.get("ask") else None,
        "wave_s": statistics.median(wave_seconds),
        "interactions": len(replies),
        "checks": checks,
        "errors": errors,
    }


async def verify(
    bot: Any,
    guild: Any,
    rooms: list[Any],
    players: dict[int, list[Any]],
    replies: list[Any],
    rounds: int,
    members: int,
) -> dict[str, Any]:
    """Every answer judged once, every question won once, the scores add up."""
    answered = [r for r in replies if r.response is not None]
    verdicts = [r.response.content[:1] for r in answered if r.response.content]
    correct = sum(v == "✅" for v in verdicts)
    store = bot.services.store
    stored = 0
    for room in rooms:
        for member in players[room.id][:members]:
            row = await store.trivia_member(guild.id, member.id)
            stored += row["correct"] if row else 0
    expected = len(rooms) * (rounds + 1)
    return {
        "replies": f"{len(answered)}/{len(replies)}",
        "correct replies": f"{correct}/{expected}",
        "stored correct": f"{stored}/{expected}",
        "ok": len(answered) == len(replies) and correct == stored == expected,
    }


def main(channels: int, members: int, rounds: int) -> dict[str, Any]:
    single = asyncio.run(play(1, members, rounds))
    many = asyncio.run(play(channels, members, rounds))
    return {"single": single, "many": many}


def report(result: dict[str, Any]) -> None:
    single, many = result["single"], result["many"]
    print(f"{'load':44} {'p99 ms':>9} {'median ms':>10}   [1 channel p99, median]")
    for kind in ("answer", "ask"):
        if many.get(kind) is None:
            continue
        label = f"/{kind}: {many['channels']} channels x {many['members']} members"
        print(
            f"{label:44} {many[kind]['p99_ms']:9.1f} {many[kind]['median_ms']:10.1f}"
            f"   [{single[kind]['p99_ms']:.1f}, {single[kind]['median_ms']:.1f}]"
        )
    print(
        f"wave of {many['interactions'] // many['rounds']} interactions settles in"
        f" {many['wave_s'] * 1000:.0f} ms [1 channel: {single['wave_s'] * 1000:.0f} ms]"
    )
    for name, run in (("1 channel", single), (f"{many['channels']} channels", many)):
        checks = run["checks"]
        state = "OK" if checks["ok"] else "FAILED"
        detail = ", ".join(f"{k} {v}" for k, v in checks.items() if k != "ok")
        print(f"checks, {name}: {state} ({detail}); unhandled errors: {len(run['errors'])}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--channels", type=int, default=50)
    parser.add_argument("--members", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    outcome = main(args.channels, args.members, args.rounds)
    report(outcome)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(outcome, indent=2))
