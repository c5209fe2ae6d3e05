"""Load: 50 channels playing trivia at once, several members each, plus /ask traffic,
in one process, next to the same game in a single channel.

The games run as the trivia cog runs them (a ``TriviaSession`` per channel on one
store, with its lock, timers and writes) and /ask runs as its cog calls it
(``Asker.ask`` with the store's full-text search), all on one event loop. Each wave,
in every channel at the same instant: two members send the right answer (a race), two
send wrong ones, and a fifth asks a question. Reply time is from the wave's start to
each call's result, so queueing behind the other channels counts.

Not through SimCord: it checks that the bot settles within seconds of every single
dispatch, which 250 simultaneous interactions cannot meet, and its settling would then
be what is measured. The cogs' own work per interaction (an embed) is small next to
this; ``bench_foundation.py`` and ``bench_scale.py`` time commands through SimCord.

Checks: every answer judged once (one verdict per guess), every question won exactly
once, the stored scores add up. Run: ``python bench/load.py [--channels 50]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.catalog import load_catalog  # noqa: E402
from bot.library import Library  # noqa: E402
from bot.store import Store  # noqa: E402

QUESTIONS = (
    "who directed Anora?",
    "when did Tangerine come out?",
    "who plays Igor in Anora?",
    "what was Tangerine shot on?",
    "did Anora win the Palme d'Or?",
    "how long did The Florida Project shoot?",
)
WRONG = ("no idea", "Red Rocket", "is it the one with the motel?", "1999")


class Quiet:
    """A presenter that shows nothing (the channel's messages are not what is timed)."""

    async def question(self, game: Any, round_: Any, *, ends_at: Any, resumed: bool) -> None:
        return None

    async def round_over(self, game: Any, result: Any) -> None:
        return None

    async def game_over(self, game: Any, final: Any) -> None:
        return None


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def summary(samples: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples]
    return {"median_ms": statistics.median(ms), "p99_ms": percentile(ms, 99), "n": len(ms)}


async def timed(call: Awaitable[Any], start: float) -> tuple[float, Any]:
    result = await call
    return time.perf_counter() - start, result


async def play(channels: int, members: int, rounds: int, with_ask: bool) -> dict[str, Any]:
    from bot.ask import Asker
    from bot.ask.engine import FTS_LIMIT
    from bot.trivia.engine import Game, GameOptions
    from bot.trivia.questions import Filters, build_bank
    from bot.trivia.session import TriviaSession

    library = Library.from_catalog(load_catalog())
    bank = build_bank(library.catalog.questions, library)
    asker = Asker.build(library) if with_ask else None
    with tempfile.TemporaryDirectory() as tmp:
        store = await Store.open(Path(tmp) / "load.sqlite3")
        try:
            guild = 1
            wall: Callable[[], datetime] = lambda: datetime(2025, 1, 1, tzinfo=UTC)  # noqa: E731
            picked = bank.select(Filters(), rounds + 1, [], random.Random(1))
            sessions = []
            for channel in range(1, channels + 1):
                plan = [q.id for q in picked]
                game = Game(0, guild, channel, 1, GameOptions(len(plan), 60, "answer"), plan)
                game.game_id = await store.trivia_create_game(guild, channel, 1, "{}", "t") or 0
                session = TriviaSession(game, bank, store, Quiet(), wall=wall, gap=0.01)
                session.start()
                sessions.append(session)

            async def search(text: str) -> Any:
                return await store.search_facts(text, guild, FTS_LIMIT)

            answers: list[float] = []
            asks: list[float] = []
            verdicts: list[str] = []
            for wave in range(rounds + 1):
                await until(
                    lambda w=wave: all(
                        s.game.asked == w + 1 and s.game.open_round for s in sessions
                    )
                )
                start = time.perf_counter()
                calls = []
                for n, session in enumerate(sessions):
                    right = session.game.open_round.question.answer
                    guesses = [right, right, *WRONG][: max(members, 2)]
                    base = n * 100
                    calls += [
                        timed(session.answer(base + m, g), start) for m, g in enumerate(guesses)
                    ]
                n_answers = len(calls)
                if asker is not None:
                    for n in range(len(sessions)):
                        question = QUESTIONS[(n + wave) % len(QUESTIONS)]
                        calls.append(timed(asker.ask(question, search=search), start))
                results = await asyncio.gather(*calls)
                if wave == 0:
                    continue  # warm-up: each question's answers are prepared on first use
                answers += [t for t, _ in results[:n_answers]]
                asks += [t for t, _ in results[n_answers:]]
                verdicts += [guess.kind for _, guess in results[:n_answers]]
            for session in sessions:
                if not session.game.finished:
                    await session.stop(None)
            await asyncio.gather(*(s.task for s in sessions if s.task), return_exceptions=True)
            checks = await verify(store, guild, sessions, members, rounds, verdicts)
        finally:
            await store.close()
    return {
        "channels": channels,
        "members": members,
        "rounds": rounds,
        "answer": summary(answers),
        "ask": summary(asks) if asks else None,
        "checks": checks,
    }


async def until(ready: Callable[[], bool]) -> None:
    """Wait for every session to open its next question (the gap is 10 ms)."""
    async with asyncio.timeout(30):
        while not ready():  # noqa: ASYNC110 - the sessions expose no event to wait on
            await asyncio.sleep(0.005)


async def verify(
    store: Store, guild: int, sessions: list[Any], members: int, rounds: int, verdicts: list[str]
) -> dict[str, Any]:
    """One verdict per guess; one winner per question; the stored scores add up."""
    expected = len(sessions) * (rounds + 1)
    stored = 0
    for n in range(len(sessions)):
        for m in range(members):
            row = await store.trivia_member(guild, n * 100 + m)
            stored += row["correct"] if row else 0
    timed_correct = verdicts.count("correct")
    return {
        "verdicts": f"{len(verdicts)} for {len(sessions) * rounds * max(members, 2)} guesses",
        "won once per question (timed waves)": f"{timed_correct}/{len(sessions) * rounds}",
        "stored correct answers": f"{stored}/{expected}",
        "ok": timed_correct == len(sessions) * rounds and stored == expected,
    }


def main(channels: int, members: int, rounds: int) -> dict[str, Any]:
    single = asyncio.run(play(1, members, rounds, with_ask=True))
    many = asyncio.run(play(channels, members, rounds, with_ask=True))
    return {"single": single, "many": many}


def report(result: dict[str, Any]) -> None:
    single, many = result["single"], result["many"]
    print(f"{'load (reply time from the wave start)':52} {'p99 ms':>8} {'median':>8}   [1 channel]")
    for kind in ("answer", "ask"):
        if many.get(kind) is None:
            continue
        label = f"{kind}: {many['channels']} channels x {many['members']} members, at once"
        print(
            f"{label:52} {many[kind]['p99_ms']:8.1f} {many[kind]['median_ms']:8.1f}"
            f"   [p99 {single[kind]['p99_ms']:.1f}, median {single[kind]['median_ms']:.1f}]"
        )
    for name, run in (("1 channel", single), (f"{many['channels']} channels", many)):
        checks = run["checks"]
        detail = "; ".join(f"{k}: {v}" for k, v in checks.items() if k != "ok")
        print(f"checks, {name}: {'OK' if checks['ok'] else 'FAILED'} ({detail})")


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
