"""One channel's running game: the engine plus its lock, timer, persistence and output.

Every change to a game happens under the session's lock and is saved before the lock is
released, so the first correct answer wins exactly once however many arrive together,
and a restart finds the game as it was. Time comes from the event loop (``loop.time``
and ``asyncio.wait_for``), never the wall clock, so tests can move it. Output goes
through a ``Presenter`` the cog implements; nothing here imports discord.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from bot.models import Question
from bot.store import dumps
from bot.trivia.engine import (
    FinalResult,
    Game,
    Guess,
    Hint,
    Pick,
    Round,
    RoundResult,
)
from bot.trivia.questions import RECENT_LIMIT, QuestionBank

if TYPE_CHECKING:
    from bot.store import Store

log = logging.getLogger(__name__)

#: Pause between one question's result and the next question, for reading.
GAP_SECONDS = 3.0
#: A game saved more recently than this resumes after a restart; older ones are closed.
RESUME_WINDOW = timedelta(minutes=10)


class Presenter(Protocol):
    """What the players see; implemented by the cog over a Discord channel."""

    async def question(
        self, game: Game, round_: Round, *, ends_at: datetime, resumed: bool
    ) -> None: ...

    async def round_over(self, game: Game, result: RoundResult) -> None: ...

    async def game_over(self, game: Game, final: FinalResult) -> None: ...


def load_game(game_id: int, state: str, lookup: Callable[[str], Question | None]) -> Game:
    """A game saved by ``TriviaSession`` (its JSON state), with questions from ``lookup``."""
    return Game.restore(game_id, json.loads(state), lookup)


def should_resume(saved_at: datetime, now: datetime) -> bool:
    """Resume a game interrupted recently; close one that has been waiting for long."""
    return now - saved_at <= RESUME_WINDOW


class TriviaSession:
    """Drives one ``Game``: asks, times out, scores, persists, and ends it."""

    def __init__(
        self,
        game: Game,
        bank: QuestionBank,
        store: Store,
        presenter: Presenter,
        *,
        wall: Callable[[], datetime],
        rng: random.Random | None = None,
        gap: float = GAP_SECONDS,
    ) -> None:
        self.game = game
        self.bank = bank
        self.store = store
        self.presenter = presenter
        self.wall = wall
        self.rng = rng or random.Random()
        self.gap = gap
        self.lock = asyncio.Lock()
        self.task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._pending: RoundResult | None = None
        self._sleeper: asyncio.Future[None] | None = None

    # -- lifecycle --------------------------------------------------------------------------

    def start(self, *, resumed: bool = False) -> asyncio.Task[None]:
        """Run the game in its own task; the caller keeps it and watches it end."""
        self.task = asyncio.create_task(
            self._run(resumed), name=f"trivia-{self.game.channel_id}-{self.game.game_id}"
        )
        return self.task

    async def cancel(self) -> None:
        """Stop the task without ending the game (unload, shutdown): it resumes later."""
        if self.task is not None and not self.task.done():
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    @staticmethod
    def _now() -> float:
        return asyncio.get_running_loop().time()

    def _state(self) -> str:
        return dumps(self.game.snapshot())

    def _stamp(self) -> str:
        return self.wall().isoformat()

    # -- player actions (each under the lock) -------------------------------------------------

    async def answer(self, member: int, text: str) -> Guess:
        """A typed or /answer guess; only the first correct one scores."""
        async with self.lock:
            guess = self.game.guess(member, text, self._now())
            if guess.result is not None:
                await self._record(guess.result)
                self._end_round(guess.result)
            return guess

    async def pick(self, member: int, number: int, choice: int) -> Pick:
        """A button press on question ``number``."""
        async with self.lock:
            pick = self.game.pick(member, number, choice, self._now())
            if pick.kind == "recorded":
                await self.store.trivia_save_game(self.game.game_id, self._state(), self._stamp())
            return pick

    async def hint(self) -> Hint:
        async with self.lock:
            hint = self.game.hint()
            await self.store.trivia_save_game(self.game.game_id, self._state(), self._stamp())
            return hint

    async def skip(self, member: int) -> RoundResult:
        async with self.lock:
            result = self.game.skip(member)
            await self._record(result)
            self._end_round(result)
            return result

    async def stop(self, member: int | None) -> FinalResult:
        """End the game now; the caller shows the final standings."""
        async with self.lock:
            final = self.game.stop(member)
            await self._finish(final)
            self._wake_up()
            return final

    # -- the game loop ----------------------------------------------------------------------

    async def _run(self, resumed: bool) -> None:
        try:
            await self._loop(resumed)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("trivia game %s crashed; closing it", self.game.game_id)
            await self._abort()

    async def _loop(self, resumed: bool) -> None:
        while True:
            async with self.lock:
                if self.game.finished:
                    await self._announce_saved_end(resumed)
                    return
                round_ = await self._next_round(resumed)
                if round_ is None:
                    final = self.game.final()
                    break
                self._wake.clear()
                remaining = max(0.0, round_.deadline - self._now())
            await self.presenter.question(
                self.game,
                round_,
                ends_at=self.wall() + timedelta(seconds=remaining),
                resumed=resumed,
            )
            resumed = False
            await self._wait(round_.deadline)
            async with self.lock:
                result = self._pending
                if result is None and self.game.open_round is round_:
                    result = self.game.time_up()
                    await self._record(result)
                self._pending = None
                self._wake.clear()
                if result is None or (self.game.finished and result.final is None):
                    return  # stopped: /trivia stop has shown the standings
            await self.presenter.round_over(self.game, result)
            if result.final is not None:
                return
            await self._wait(self._now() + self.gap)
        await self.presenter.game_over(self.game, final)

    async def _next_round(self, resumed: bool) -> Round | None:
        """The open question to (re)ask, or the next one; None when the game just ended."""
        open_round = self.game.open_round
        if open_round is not None:
            return self.game.reopen(self._now())
        while (question_id := self.game.next_question_id()) is not None:
            question = self.bank.get(question_id)
            if question is None or (
                self.game.mode == "buttons" and not self.bank.can_choose(question.id)
            ):
                self.game.drop_question(question_id)
                continue
            choices, correct = ((), None)
            if self.game.mode == "buttons":
                choices, correct = self.bank.choices(question, self.rng)
            round_ = self.game.ask(question, self._now(), choices, correct)
            await self.store.trivia_question_asked(
                self.game.game_id,
                self.game.channel_id,
                question.id,
                self._state(),
                self._stamp(),
                RECENT_LIMIT,
            )
            return round_
        await self._finish(self.game.stop(None, "complete"))
        return None

    async def _wait(self, deadline: float) -> None:
        """Sleep until ``deadline`` on the loop clock, or until ``_wake`` cuts it short.

        A plain ``asyncio.sleep`` in a child task (cancelled to wake up) rather than
        ``wait_for`` on an event: every runtime, SimCord's virtual clock included, knows
        how to fast-forward a sleep.
        """
        remaining = deadline - self._now()
        if remaining <= 0 or self._wake.is_set():
            return
        self._sleeper = asyncio.ensure_future(asyncio.sleep(remaining))
        try:
            await self._sleeper
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise  # the session itself is being cancelled
        finally:
            self._sleeper = None

    def _wake_up(self) -> None:
        self._wake.set()
        if self._sleeper is not None:
            self._sleeper.cancel()

    def _end_round(self, result: RoundResult) -> None:
        self._pending = result
        self._wake_up()

    # -- persistence -----------------------------------------------------------------------

    async def _record(self, result: RoundResult) -> None:
        """Score the round once; a game that ended with it is closed in the same breath."""
        winners = result.winners
        losers = () if result.outcome == "skipped" else self._losers(winners)
        await self.store.trivia_record_round(
            game_id=self.game.game_id,
            guild_id=self.game.guild_id,
            number=result.number,
            question_id=result.question.id,
            film=result.question.film,
            outcome=result.outcome,
            points=result.points,
            winners=winners,
            losers=losers,
            state=self._state(),
            now=self._stamp(),
        )
        if result.final is not None:
            await self._finish(result.final)

    def _losers(self, winners: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(m for m in self.game.participants if m not in winners)

    async def _finish(self, final: FinalResult) -> None:
        await self.store.trivia_finish_game(
            game_id=self.game.game_id,
            guild_id=self.game.guild_id,
            players=self.game.participants,
            winners=final.winners,
            state=self._state(),
            now=self._stamp(),
        )

    async def _announce_saved_end(self, resumed: bool) -> None:
        """A game saved as over but not yet closed (a crash between the two writes)."""
        final = self.game.final()
        await self._finish(final)
        if resumed:
            await self.presenter.game_over(self.game, final)

    async def _abort(self) -> None:
        """After a crash: close the game so the channel is free, and say so if possible."""
        try:
            async with self.lock:
                if self.game.finished:
                    return
                final = self.game.stop(None, "error")
                await self._finish(final)
            await self.presenter.game_over(self.game, final)
        except Exception:
            log.exception("could not close trivia game %s cleanly", self.game.game_id)

    async def close_interrupted(self) -> FinalResult:
        """Close a saved game that waited too long to resume (scores are kept)."""
        async with self.lock:
            final = self.game.final() if self.game.finished else self.game.stop(None, "restart")
            await self._finish(final)
        return final
