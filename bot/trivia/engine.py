"""The trivia game as a pure state machine: no discord, no I/O, no clock of its own.

A game walks ``asked -> answered | timed out | skipped -> next asked -> ... -> finished``.
The session (``bot.trivia.session``) drives it: it passes the event loop's time in, holds
the channel's lock around every call, and persists ``snapshot()`` after each change, so
the rules here can be tested without Discord, a database or real time.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.matching import PreparedAnswers, Verdict, prepare
from bot.models import Question

Mode = Literal["text", "answer", "buttons"]
Outcome = Literal["answered", "timeout", "skipped", "stopped"]
EndReason = Literal["complete", "idle", "stopped", "restart", "error"]
GuessKind = Literal["correct", "wrong", "late", "no-question", "limit"]
PickKind = Literal["recorded", "already", "closed", "invalid"]

MODES: tuple[Mode, ...] = ("text", "answer", "buttons")
#: Points for a question by difficulty; every hint halves what is left.
POINTS = {"easy": 10, "medium": 20, "hard": 30}
MIN_POINTS = 1
MAX_HINTS = 2
#: The game ends itself after this many questions in a row with no guess or pick at all.
IDLE_LIMIT = 3
#: Buttons mode shows the answer among this many choices.
CHOICE_COUNT = 4
#: Typed or /answer guesses one member may make on one question (stops brute force).
MAX_GUESSES = 5
SNAPSHOT_VERSION = 1


class TriviaError(Exception):
    """A call the game's current state does not allow; the message is user-safe."""


class GameFinishedError(TriviaError):
    """The game is over."""


class NoOpenQuestionError(TriviaError):
    """Between questions: nothing to hint at or skip."""


class NoMoreHintsError(TriviaError):
    """Every hint for this question has been given."""


class WrongModeError(TriviaError):
    """A typed guess in a buttons game, or a pick in a typed one."""


@dataclass(frozen=True)
class GameOptions:
    """What ``/trivia start`` asked for."""

    rounds: int = 10
    seconds: int = 30
    mode: Mode = "answer"
    film: str | None = None
    category: str | None = None
    spoilers: bool = False


def points_for(question: Question, hints: int = 0) -> int:
    """What a correct answer is worth after ``hints`` hints."""
    return max(MIN_POINTS, POINTS.get(question.difficulty, POINTS["medium"]) >> hints)


_WORDS = re.compile(r"(\s+)")


def mask_answer(answer: str, level: int) -> str:
    """The answer with most letters hidden: level 1 shows each word's first letter (words of
    three or more), level 2 also every other letter. Short words and single digits stay
    hidden, so a hint never gives a short answer away."""
    out: list[str] = []
    for part in _WORDS.split(answer.strip()):
        if not part or part.isspace():
            out.append("   " if part else "")
            continue
        length = sum(ch.isalnum() for ch in part)
        shown: set[int] = set()
        if length >= 3:
            shown.add(0)
            if level >= 2:
                shown |= set(range(0, length - 1, 2))
        elif length == 2 and level >= 2:
            shown.add(0)
        chars: list[str] = []
        index = 0
        for ch in part:
            if ch.isalnum():
                chars.append(ch if index in shown else "_")
                index += 1
            else:
                chars.append(ch)
        out.append(" ".join(chars))
    return "".join(out)


@dataclass
class RoundResult:
    """How a question ended; ``final`` is set when the game ended with it."""

    number: int
    question: Question
    outcome: Outcome
    winners: tuple[int, ...] = ()
    points: int = 0
    verdict: Verdict | None = None
    by: int | None = None
    counts: tuple[int, ...] = ()
    choices: tuple[str, ...] = ()
    correct_choice: int | None = None
    standings: list[tuple[int, int]] = field(default_factory=list)
    final: FinalResult | None = None


@dataclass
class FinalResult:
    reason: EndReason
    standings: list[tuple[int, int]]
    winners: tuple[int, ...]
    played: int
    total: int
    by: int | None = None


@dataclass(frozen=True)
class Guess:
    kind: GuessKind
    verdict: Verdict | None = None
    points: int = 0
    winner: int | None = None
    result: RoundResult | None = None


@dataclass(frozen=True)
class Pick:
    kind: PickKind
    choice: str | None = None
    number: int = 0


@dataclass(frozen=True)
class Hint:
    number: int
    text: str
    level: int
    points: int


@dataclass
class Round:
    """One asked question and everything that happened on it."""

    number: int
    question: Question
    deadline: float
    choices: tuple[str, ...] = ()
    correct_choice: int | None = None
    hints: int = 0
    picks: dict[int, int] = field(default_factory=dict)
    guesses: dict[int, int] = field(default_factory=dict)
    closed: bool = False
    outcome: Outcome | None = None
    winners: tuple[int, ...] = ()
    _prepared: PreparedAnswers | None = field(default=None, repr=False)

    @property
    def points(self) -> int:
        return points_for(self.question, self.hints)

    @property
    def active(self) -> bool:
        """Whether anyone guessed or picked: a question with neither counts as idle."""
        return bool(self.picks or self.guesses or self.winners)

    def judge(self, guess: str) -> Verdict:
        if self._prepared is None:
            self._prepared = prepare(self.question.answers, self.question.kind)
        return self._prepared.judge(guess)

    def counts(self) -> tuple[int, ...]:
        tally = Counter(self.picks.values())
        return tuple(tally.get(i, 0) for i in range(len(self.choices)))


@dataclass
class Game:
    """One channel's game. Build with ``Game(...)``; every change goes through a method."""

    game_id: int
    guild_id: int
    channel_id: int
    starter_id: int
    options: GameOptions
    plan: list[str]
    scores: dict[int, int] = field(default_factory=dict)
    correct: dict[int, int] = field(default_factory=dict)
    participants: list[int] = field(default_factory=list)
    round: Round | None = None
    idle: int = 0
    finished: bool = False
    end_reason: EndReason | None = None
    ended_by: int | None = None

    # -- reading ------------------------------------------------------------------------

    @property
    def mode(self) -> Mode:
        return self.options.mode

    @property
    def total(self) -> int:
        return len(self.plan)

    @property
    def asked(self) -> int:
        return self.round.number if self.round else 0

    @property
    def open_round(self) -> Round | None:
        return self.round if self.round and not self.round.closed else None

    def next_question_id(self) -> str | None:
        """The id to ask next, or None when the plan is done."""
        if self.finished or self.open_round is not None or self.asked >= self.total:
            return None
        return self.plan[self.asked]

    def standings(self) -> list[tuple[int, int]]:
        """(member, points), best first; ties keep the order members joined in."""
        order = {member: i for i, member in enumerate(self.participants)}
        return sorted(self.scores.items(), key=lambda item: (-item[1], order.get(item[0], 0)))

    def leaders(self) -> tuple[int, ...]:
        """Everyone tied on the top score, if anyone scored."""
        table = self.standings()
        if not table or table[0][1] <= 0:
            return ()
        return tuple(member for member, points in table if points == table[0][1])

    def remaining(self, now: float) -> float:
        round_ = self.open_round
        return max(0.0, round_.deadline - now) if round_ else 0.0

    # -- transitions ----------------------------------------------------------------------

    def drop_question(self, question_id: str) -> None:
        """Remove a planned question that no longer exists (deleted by a moderator)."""
        if question_id in self.plan[self.asked :]:
            self.plan.remove(question_id)

    def ask(
        self,
        question: Question,
        now: float,
        choices: Sequence[str] = (),
        correct_choice: int | None = None,
    ) -> Round:
        """Open the next question; buttons games pass the shuffled choices."""
        self._check_running()
        if self.open_round is not None:
            raise TriviaError("A question is already open.")
        if self.mode == "buttons" and (correct_choice is None or len(choices) < 2):
            raise TriviaError("A buttons question needs its choices.")
        self.round = Round(
            number=self.asked + 1,
            question=question,
            deadline=now + self.options.seconds,
            choices=tuple(choices),
            correct_choice=correct_choice,
        )
        return self.round

    def reopen(self, now: float) -> Round:
        """After a restart: the interrupted question runs again for the full time."""
        round_ = self.open_round
        if round_ is None:
            raise NoOpenQuestionError("No question is open.")
        round_.deadline = now + self.options.seconds
        return round_

    def guess(self, member: int, text: str, now: float) -> Guess:
        """A typed or /answer guess; the first correct one closes the question."""
        if self.mode == "buttons":
            raise WrongModeError("This game uses buttons: pick one of the four choices.")
        round_ = self.round
        if round_ is not None and round_.closed:
            return Guess("late", winner=round_.winners[0] if round_.winners else None)
        if self.finished or round_ is None:
            return Guess("no-question")
        if now > round_.deadline:
            return Guess("late")
        self._join(member)
        tries = round_.guesses.get(member, 0)
        if tries >= MAX_GUESSES:
            return Guess("limit")
        round_.guesses[member] = tries + 1
        verdict = round_.judge(text)
        if not verdict.matched:
            return Guess("wrong", verdict)
        points = round_.points
        result = self._close(round_, "answered", (member,), verdict=verdict)
        return Guess("correct", verdict, points, member, result)

    def pick(self, member: int, number: int, choice: int, now: float) -> Pick:
        """A button press: one pick per member per question, counted when it ends."""
        if self.mode != "buttons":
            raise WrongModeError("This game is not a buttons game.")
        round_ = self.round
        if self.finished or round_ is None or round_.number != number or round_.closed:
            return Pick("closed", number=number)
        if now > round_.deadline:
            return Pick("closed", number=number)
        if not 0 <= choice < len(round_.choices):
            return Pick("invalid", number=number)
        self._join(member)
        if member in round_.picks:
            return Pick("already", round_.choices[round_.picks[member]], number)
        round_.picks[member] = choice
        return Pick("recorded", round_.choices[choice], number)

    def hint(self) -> Hint:
        """Reveal more of the answer; the question is then worth half as much."""
        self._check_running()
        round_ = self.open_round
        if round_ is None:
            raise NoOpenQuestionError("There is no open question to give a hint for.")
        if round_.hints >= MAX_HINTS:
            raise NoMoreHintsError(f"No more hints: {MAX_HINTS} is the most per question.")
        round_.hints += 1
        text = mask_answer(round_.question.answer, round_.hints)
        return Hint(round_.number, text, round_.hints, round_.points)

    def time_up(self) -> RoundResult:
        """The timer ran out: buttons games score every correct pick, others nobody."""
        self._check_running()
        round_ = self.open_round
        if round_ is None:
            raise NoOpenQuestionError("No question is open.")
        if self.mode == "buttons":
            winners = tuple(m for m, c in round_.picks.items() if c == round_.correct_choice)
            return self._close(round_, "answered" if winners else "timeout", winners)
        return self._close(round_, "timeout", ())

    def skip(self, member: int) -> RoundResult:
        """Reveal the answer and move on; nobody scores."""
        self._check_running()
        round_ = self.open_round
        if round_ is None:
            raise NoOpenQuestionError("There is no open question to skip.")
        return self._close(round_, "skipped", (), by=member)

    def stop(self, member: int | None, reason: EndReason = "stopped") -> FinalResult:
        """End the game now; an open question is closed without scoring."""
        self._check_running()
        round_ = self.open_round
        if round_ is not None:
            round_.closed, round_.outcome = True, "stopped"
        return self._finish(reason, member)

    def final(self) -> FinalResult:
        return FinalResult(
            reason=self.end_reason or "complete",
            standings=self.standings(),
            winners=self.leaders(),
            played=self.asked,
            total=self.total,
            by=self.ended_by,
        )

    # -- internals ------------------------------------------------------------------------

    def _check_running(self) -> None:
        if self.finished:
            raise GameFinishedError("This game has ended.")

    def _join(self, member: int) -> None:
        if member not in self.scores:  # a dict: constant time however many play
            self.scores[member] = 0
            self.participants.append(member)

    def _close(
        self,
        round_: Round,
        outcome: Outcome,
        winners: tuple[int, ...],
        *,
        verdict: Verdict | None = None,
        by: int | None = None,
    ) -> RoundResult:
        points = round_.points if winners else 0
        round_.closed, round_.outcome, round_.winners = True, outcome, winners
        for member in winners:
            self._join(member)
            self.scores[member] = self.scores.get(member, 0) + points
            self.correct[member] = self.correct.get(member, 0) + 1
        self.idle = 0 if round_.active or outcome == "skipped" else self.idle + 1
        result = RoundResult(
            number=round_.number,
            question=round_.question,
            outcome=outcome,
            winners=winners,
            points=points,
            verdict=verdict,
            by=by,
            counts=round_.counts() if round_.choices else (),
            choices=round_.choices,
            correct_choice=round_.correct_choice,
            standings=self.standings(),
        )
        if self.idle >= IDLE_LIMIT:
            result.final = self._finish("idle", None)
        elif round_.number >= self.total:
            result.final = self._finish("complete", None)
        return result

    def _finish(self, reason: EndReason, member: int | None) -> FinalResult:
        self.finished, self.end_reason, self.ended_by = True, reason, member
        return self.final()

    # -- persistence ----------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Everything needed to resume, as JSON-ready data (no loop times)."""
        round_ = self.round
        data: dict[str, Any] = {
            "v": SNAPSHOT_VERSION,
            "guild": self.guild_id,
            "channel": self.channel_id,
            "starter": self.starter_id,
            "options": {
                "rounds": self.options.rounds,
                "seconds": self.options.seconds,
                "mode": self.options.mode,
                "film": self.options.film,
                "category": self.options.category,
                "spoilers": self.options.spoilers,
            },
            "plan": list(self.plan),
            "scores": {str(k): v for k, v in self.scores.items()},
            "correct": {str(k): v for k, v in self.correct.items()},
            "participants": list(self.participants),
            "idle": self.idle,
            "finished": self.finished,
            "end_reason": self.end_reason,
            "ended_by": self.ended_by,
            "round": None,
        }
        if round_ is not None:
            data["round"] = {
                "number": round_.number,
                "question": round_.question.id,
                "choices": list(round_.choices),
                "correct_choice": round_.correct_choice,
                "hints": round_.hints,
                "picks": {str(k): v for k, v in round_.picks.items()},
                "guesses": {str(k): v for k, v in round_.guesses.items()},
                "closed": round_.closed,
                "outcome": round_.outcome,
                "winners": list(round_.winners),
            }
        return data

    @classmethod
    def restore(
        cls, game_id: int, data: dict[str, Any], lookup: Callable[[str], Question | None]
    ) -> Game:
        """Rebuild a saved game; an open question whose record is gone is closed unscored."""
        opts = data["options"]
        game = cls(
            game_id=game_id,
            guild_id=int(data["guild"]),
            channel_id=int(data["channel"]),
            starter_id=int(data["starter"]),
            options=GameOptions(
                rounds=int(opts["rounds"]),
                seconds=int(opts["seconds"]),
                mode=opts["mode"],
                film=opts.get("film"),
                category=opts.get("category"),
                spoilers=bool(opts.get("spoilers")),
            ),
            plan=[str(q) for q in data["plan"]],
            scores={int(k): int(v) for k, v in data["scores"].items()},
            correct={int(k): int(v) for k, v in data["correct"].items()},
            participants=[int(m) for m in data["participants"]],
            idle=int(data["idle"]),
            finished=bool(data["finished"]),
            end_reason=data.get("end_reason"),
            ended_by=data.get("ended_by"),
        )
        saved = data.get("round")
        if saved:
            question = lookup(saved["question"])
            game.round = Round(
                number=int(saved["number"]),
                question=question or _missing(saved["question"]),
                deadline=0.0,
                choices=tuple(saved["choices"]),
                correct_choice=saved["correct_choice"],
                hints=int(saved["hints"]),
                picks={int(k): int(v) for k, v in saved["picks"].items()},
                guesses={int(k): int(v) for k, v in saved["guesses"].items()},
                closed=bool(saved["closed"]) or question is None,
                outcome=saved["outcome"] or (None if question else "skipped"),
                winners=tuple(int(m) for m in saved["winners"]),
            )
        return game


def _missing(question_id: str) -> Question:
    """A stand-in for a question deleted while its game was saved."""
    return Question(
        id=question_id, question="(removed question)", answers=("?",), sources=("removed",)
    )
