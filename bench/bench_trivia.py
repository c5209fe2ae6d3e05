"""Trivia throughput: guesses judged by the engine, and many channels playing at once.

Run: ``python bench/bench_trivia.py [--channels 300] [--guesses 200000]``. Prints
figures; nothing here is asserted (the machine is shared and noisy).

1. Engine: ``Game.guess`` on a realistic mix of guesses (right, typos, wrong films,
   chatter) against one open question, i.e. judging plus the state machine.
2. Sessions: N channels each run a game on one SQLite store; every channel gets a burst
   of wrong guesses and then several right answers at the same instant. Reports guesses
   per second through the per-channel locks and checks each round was scored once.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.catalog import load_catalog
from bot.library import Library
from bot.store import Store
from bot.trivia.engine import Game, GameOptions
from bot.trivia.questions import Filters, build_bank
from bot.trivia.session import TriviaSession

GUESS_MIX = (
    "The Florida Project",
    "florida project",
    "the florda project",
    "Tangerine",
    "i think it's the florida project?",
    "Red Rocket",
    "project",
    "lol no idea",
    "Anora",
    "THE FLORIDA PROJECT!!!",
)


class Quiet:
    """A presenter that shows nothing."""

    async def question(self, game, round_, *, ends_at, resumed) -> None:
        return None

    async def round_over(self, game, result) -> None:
        return None

    async def game_over(self, game, final) -> None:
        return None


def bench_engine(library: Library, guesses: int) -> None:
    bank = build_bank(library.catalog.questions, library)
    question = bank.get("gen-film-of-year-2017")
    assert question is not None
    wrong = [g for g in GUESS_MIX if "florida" not in g.lower() and "florda" not in g.lower()]
    rates = []
    for _ in range(5):
        game = Game(1, 1, 1, 1, GameOptions(1, 30, "answer"), [question.id])
        game.ask(question, 0.0)
        start = time.perf_counter()
        for i in range(guesses):
            game.guess(i, wrong[i % len(wrong)], 1.0)  # one guess per member: no limit hit
        rates.append(guesses / (time.perf_counter() - start))
    right = Game(1, 1, 1, 1, GameOptions(1, 30, "answer"), [question.id])
    right.ask(question, 0.0)
    accepted = sum(right.guess(i, g, 1.0).kind == "correct" for i, g in enumerate(GUESS_MIX))
    print(f"engine: {statistics.median(rates):,.0f} wrong guesses/s judged (median of 5)")
    print(f"engine: first right guess wins, later ones are late: {accepted} correct")


async def bench_sessions(library: Library, channels: int, burst: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = await Store.open(Path(tmp) / "bench.sqlite3")
        bank = build_bank(library.catalog.questions, library)
        rng = random.Random(1)
        questions = bank.select(Filters(), 2, [], rng)
        sessions: list[TriviaSession] = []
        for channel in range(1, channels + 1):
            game = Game(0, 1, channel, 1, GameOptions(2, 60, "answer"), [q.id for q in questions])
            game_id = await store.trivia_create_game(1, channel, 1, "{}", "t")
            assert game_id is not None
            game.game_id = game_id
            wall = lambda: datetime(2025, 1, 1, tzinfo=UTC)  # noqa: E731
            session = TriviaSession(game, bank, store, Quiet(), wall=wall, gap=60)
            sessions.append(session)
            session.start()
        await asyncio.sleep(0.5)  # every first question asked
        right = questions[0].answer
        start = time.perf_counter()
        calls = []
        for session in sessions:
            calls += [session.answer(m, "lol no idea") for m in range(2, 2 + burst)]
            calls += [session.answer(m, right) for m in range(100, 105)]
        outcomes = await asyncio.gather(*calls)
        elapsed = time.perf_counter() - start
        correct = sum(o.kind == "correct" for o in outcomes)
        print(
            f"sessions: {channels} channels, {len(calls):,} guesses in {elapsed:.2f} s "
            f"({len(calls) / elapsed:,.0f}/s); correct answers scored: {correct} "
            f"(expected {channels})"
        )
        for session in sessions:
            await session.stop(None)
        await asyncio.gather(*(s.task for s in sessions if s.task))
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--guesses", type=int, default=200_000)
    parser.add_argument("--channels", type=int, default=300)
    parser.add_argument("--burst", type=int, default=20)
    args = parser.parse_args()
    library = Library.from_catalog(load_catalog())
    bench_engine(library, args.guesses)
    asyncio.run(bench_sessions(library, args.channels, args.burst))


if __name__ == "__main__":
    main()
