"""The trivia engine's rules, and the session's locking, timing and persistence."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.catalog import load_catalog
from bot.library import Library
from bot.models import Question
from bot.store import Store
from bot.trivia import engine
from bot.trivia.engine import (
    IDLE_LIMIT,
    MAX_GUESSES,
    MAX_HINTS,
    Game,
    GameOptions,
    mask_answer,
    points_for,
)
from bot.trivia.questions import QuestionBank, generate_questions
from bot.trivia.session import TriviaSession, load_game, should_resume

ANORA = Question(
    id="q-anora",
    question="Which film won the 2024 Palme d'Or?",
    answers=("Anora",),
    kind="title",
    film="anora",
    difficulty="medium",
    sources=("ap-2024",),
)
DAYS = Question(
    id="q-days",
    question="How many shoot days?",
    answers=("37",),
    kind="number",
    difficulty="hard",
    sources=("ap-2024",),
)
MADISON = Question(
    id="q-madison",
    question="Who plays Ani?",
    answers=("Mikey Madison",),
    kind="person",
    difficulty="easy",
    sources=("ap-2024",),
)
QUESTIONS = {q.id: q for q in (ANORA, DAYS, MADISON)}
CHOICES = ("Tangerine", "Anora", "Red Rocket", "Starlet")


def new_game(mode: engine.Mode = "answer", plan: tuple[str, ...] = ("q-anora", "q-days")) -> Game:
    options = GameOptions(rounds=len(plan), seconds=30, mode=mode)
    return Game(1, 10, 20, 100, options, list(plan))


def ask(game: Game, question: Question = ANORA, now: float = 0.0) -> engine.Round:
    if game.mode == "buttons":
        return game.ask(question, now, CHOICES, CHOICES.index(question.answer))
    return game.ask(question, now)


# -- engine: answering -------------------------------------------------------------------


def test_first_correct_guess_wins_and_closes_the_question():
    """A right guess scores the question's points; later guesses are late."""
    game = new_game()
    ask(game)
    assert game.guess(7, "Tangerine", 1).kind == "wrong"
    won = game.guess(8, "anora!", 2)
    assert won.kind == "correct" and won.points == points_for(ANORA) == 20
    assert won.result is not None and won.result.winners == (8,)
    late = game.guess(7, "Anora", 3)
    assert late.kind == "late" and late.winner == 8
    assert game.standings() == [(8, 20), (7, 0)]


def test_forgiven_typo_is_reported_as_inexact():
    """The verdict says which answer a slip was accepted as."""
    game = new_game(plan=("q-madison",))
    ask(game, MADISON)
    won = game.guess(1, "Mikey Madisson", 1)
    assert won.kind == "correct" and won.verdict is not None
    assert not won.verdict.exact and won.verdict.answer == "Mikey Madison"


def test_guess_after_the_deadline_is_late():
    game = new_game()
    ask(game, now=0.0)
    assert game.guess(1, "Anora", 31.0).kind == "late"
    assert game.open_round is not None


def test_guess_limit_per_member_per_question():
    """A member gets a fixed number of guesses; others are unaffected."""
    game = new_game()
    ask(game)
    for _ in range(MAX_GUESSES):
        assert game.guess(1, "nope", 1).kind == "wrong"
    assert game.guess(1, "Anora", 1).kind == "limit"
    assert game.guess(2, "Anora", 1).kind == "correct"


def test_no_question_and_wrong_mode():
    game = new_game()
    assert game.guess(1, "Anora", 0).kind == "no-question"
    buttons = new_game("buttons")
    ask(buttons)
    with pytest.raises(engine.WrongModeError):
        buttons.guess(1, "Anora", 0)
    with pytest.raises(engine.WrongModeError):
        game.pick(1, 1, 0, 0)


# -- engine: buttons ----------------------------------------------------------------------


def test_one_pick_per_member_and_every_right_pick_scores():
    """Picks are final; at time-out each right pick gets the points, counts are kept."""
    game = new_game("buttons")
    ask(game)
    right = CHOICES.index("Anora")
    assert game.pick(1, 1, right, 1).kind == "recorded"
    again = game.pick(1, 1, 0, 2)
    assert again.kind == "already" and again.choice == "Anora"
    assert game.pick(2, 1, right, 3).kind == "recorded"
    assert game.pick(3, 1, 0, 4).kind == "recorded"
    assert game.pick(4, 1, 9, 4).kind == "invalid"
    result = game.time_up()
    assert result.outcome == "answered" and set(result.winners) == {1, 2}
    assert result.counts == (1, 2, 0, 0)
    assert game.pick(5, 1, right, 5).kind == "closed"
    assert dict(game.standings()) == {1: 20, 2: 20, 3: 0}


def test_pick_on_another_question_is_closed():
    game = new_game("buttons")
    ask(game)
    assert game.pick(1, 2, 0, 1).kind == "closed"
    assert game.pick(1, 1, 0, 31).kind == "closed"


# -- engine: hints, skips, endings ------------------------------------------------------------


def test_hints_halve_points_up_to_the_limit():
    game = new_game()
    ask(game)
    first = game.hint()
    assert (first.level, first.points) == (1, 10)
    assert game.hint().points == 5
    with pytest.raises(engine.NoMoreHintsError):
        game.hint()
    assert MAX_HINTS == 2
    assert game.guess(1, "Anora", 1).points == 5


@pytest.mark.parametrize(
    ("answer", "level", "shown"),
    [
        ("Anora", 1, "A _ _ _ _"),
        ("Anora", 2, "A _ o _ _"),
        ("2024", 2, "2 _ 2 _"),
        ("The Florida Project", 1, "T _ _   F _ _ _ _ _ _   P _ _ _ _ _ _"),
        ("37", 1, "_ _"),
        ("37", 2, "3 _"),
        ("5", 2, "_"),
        ("Palme d'Or", 1, "P _ _ _ _   d ' _ _"),
    ],
)
def test_mask_answer(answer, level, shown):
    """Hints keep punctuation and word breaks and never give short answers away."""
    assert mask_answer(answer, level) == shown


@given(st.text(min_size=1, max_size=40), st.integers(1, 2))
def test_mask_reveals_only_the_answers_own_letters_and_at_most_half(answer, level):
    masked = mask_answer(answer, level)
    revealed = [ch for ch in masked if ch.isalnum()]
    letters = [ch for ch in answer if ch.isalnum()]
    assert len(revealed) <= (len(letters) + 1) // 2
    assert all(ch in letters for ch in revealed)


def test_skip_reveals_without_points_and_counts_as_activity():
    game = new_game(plan=("q-anora", "q-days", "q-madison", "q-anora-2"))
    for _ in range(IDLE_LIMIT):
        ask(game, ANORA)
        result = game.skip(100)
        assert result.outcome == "skipped" and result.points == 0 and result.by == 100
    assert not game.finished


def test_three_silent_questions_end_the_game():
    """Idle means no guess or pick at all; any activity resets the count."""
    plan = tuple(f"q{i}" for i in range(6))
    game = new_game(plan=plan)
    ask(game)
    game.time_up()
    ask(game)
    game.guess(1, "wrong", 0)
    assert game.time_up().final is None  # a wrong guess is activity
    results = []
    for _ in range(IDLE_LIMIT):
        ask(game)
        results.append(game.time_up())
    assert results[-1].final is not None and results[-1].final.reason == "idle"
    assert game.finished and game.asked == 5


def test_last_question_completes_the_game_with_tied_winners():
    game = new_game(plan=("q-anora", "q-days"))
    ask(game)
    game.guess(1, "Anora", 0)
    ask(game, ANORA)
    result = game.guess(2, "Anora", 0).result
    assert result is not None and result.final is not None
    assert result.final.reason == "complete"
    assert result.final.winners == (1, 2)


def test_stop_closes_the_open_question_unscored():
    game = new_game()
    ask(game)
    final = game.stop(100)
    assert final.reason == "stopped" and final.by == 100 and final.winners == ()
    assert game.round is not None and game.round.outcome == "stopped"
    with pytest.raises(engine.GameFinishedError):
        game.hint()
    with pytest.raises(engine.GameFinishedError):
        game.stop(100)


def test_illegal_transitions_raise():
    game = new_game()
    with pytest.raises(engine.NoOpenQuestionError):
        game.hint()
    with pytest.raises(engine.NoOpenQuestionError):
        game.skip(1)
    ask(game)
    with pytest.raises(engine.TriviaError):
        ask(game)
    with pytest.raises(engine.TriviaError):
        new_game("buttons").ask(ANORA, 0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 4), st.sampled_from(["Anora", "anora", "Tangerine"]))))
def test_each_question_is_won_at_most_once(guesses):
    """However guesses interleave, a question has at most one winner and one award."""
    game = new_game(plan=("q-anora",))
    ask(game)
    correct = [
        g for member, text in guesses if (g := game.guess(member, text, 1)).kind == "correct"
    ]
    assert len(correct) <= 1
    assert sum(points for _, points in game.standings()) == 20 * len(correct)


# -- engine: persistence -------------------------------------------------------------------


def test_snapshot_round_trips_through_json():
    """A saved game restores with its scores, picks, hints and choices."""
    game = new_game("buttons")
    ask(game)
    game.pick(1, 1, 1, 0)
    game.hint()
    data = json.loads(json.dumps(game.snapshot()))
    restored = Game.restore(1, data, QUESTIONS.get)
    assert restored.snapshot() == game.snapshot()
    round_ = restored.open_round
    assert round_ is not None and round_.picks == {1: 1} and round_.choices == CHOICES
    assert restored.reopen(100.0).deadline == 130.0


def test_restore_closes_an_open_question_that_was_deleted():
    game = new_game()
    ask(game)
    restored = Game.restore(1, game.snapshot(), lambda _id: None)
    assert restored.open_round is None
    assert restored.next_question_id() == "q-days"


# -- session: lock, timer, store ------------------------------------------------------------


class Recorder:
    """A presenter that remembers what players would have seen."""

    def __init__(self) -> None:
        self.events: list[tuple[object, ...]] = []
        self.asked = asyncio.Event()

    async def question(self, game, round_, *, ends_at, resumed) -> None:
        self.events.append(("question", round_.number, resumed))
        self.asked.set()

    async def round_over(self, game, result) -> None:
        self.events.append(("result", result.number, result.outcome, result.winners))

    async def game_over(self, game, final) -> None:
        self.events.append(("final", final.reason))


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.from_catalog(load_catalog())


@pytest_asyncio.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "trivia.sqlite3")
    yield opened
    await opened.close()


def wall() -> datetime:
    return datetime(2025, 3, 2, tzinfo=UTC)


async def new_session(
    store: Store, library: Library, plan: list[Question], *, seconds: int = 30, gap: float = 0
) -> tuple[TriviaSession, Recorder]:
    bank = QuestionBank([*plan, *generate_questions(library)], library)
    game = Game(0, 10, 20, 100, GameOptions(len(plan), seconds, "answer"), [q.id for q in plan])
    game_id = await store.trivia_create_game(10, 20, 100, "{}", wall().isoformat())
    assert game_id is not None
    game.game_id = game_id
    recorder = Recorder()
    return TriviaSession(game, bank, store, recorder, wall=wall, gap=gap), recorder


async def test_many_simultaneous_right_answers_score_once(store, library):
    """Fifty members answer right at once: one correct, one award in the store."""
    session, recorder = await new_session(store, library, [ANORA, DAYS])
    session.start()
    await recorder.asked.wait()
    outcomes = await asyncio.gather(*(session.answer(m, "Anora") for m in range(1, 51)))
    assert [o.kind for o in outcomes].count("correct") == 1
    assert [o.kind for o in outcomes].count("late") == 49
    board = await store.trivia_leaderboard(10)
    assert len(board) == 1 and board[0][1:] == (20, 1)
    final = await session.stop(100)
    assert final.reason == "stopped"
    await session.task


async def test_timeouts_run_to_an_idle_end(store, library):
    """With zero-second questions the loop times out three in a row and closes the game."""
    plan = [q for q in generate_questions(library) if q.kind == "number"][:5]
    session, recorder = await new_session(store, library, plan, seconds=0)
    await session.start()
    kinds = [e[0] for e in recorder.events]
    assert kinds == ["question", "result"] * IDLE_LIMIT
    assert recorder.events[-1][2] == "timeout"
    assert session.game.finished and session.game.end_reason == "idle"
    assert await store.trivia_running_games() == []


async def test_stop_while_waiting_posts_nothing_more(store, library):
    session, recorder = await new_session(store, library, [ANORA, DAYS], seconds=60)
    session.start()
    await recorder.asked.wait()
    await session.stop(100)
    await session.task
    assert recorder.events == [("question", 1, False)]


async def test_cancelled_session_resumes_from_the_store(store, library):
    """A cancelled task (a restart) leaves the game running; loading it re-asks the
    open question, and the scored first question is not scored again."""
    session, recorder = await new_session(store, library, [ANORA, DAYS, MADISON], gap=60)
    session.start()
    await recorder.asked.wait()
    await session.answer(1, "Anora")
    await session.cancel()
    [(game_id, _guild, state, _saved)] = await store.trivia_running_games()
    game = load_game(game_id, state, {**QUESTIONS}.get)
    assert game.scores == {1: 20} and game.asked == 1
    resumed = TriviaSession(game, session.bank, store, Recorder(), wall=wall, gap=0)
    resumed.start(resumed=True)
    await resumed.presenter.asked.wait()
    assert resumed.presenter.events == [("question", 2, True)]
    await resumed.answer(1, "37")
    await resumed.stop(None)
    await resumed.task
    totals = await store.trivia_member(10, 1)
    assert totals is not None
    assert (totals["points"], totals["correct"], totals["streak"]) == (50, 2, 2)
    assert totals["games"] == 1


async def test_rounds_and_games_are_counted_once(store):
    """Recording the same round or closing the same game twice changes nothing."""
    game_id = await store.trivia_create_game(10, 20, 1, "{}", "t")
    assert game_id is not None
    assert await store.trivia_create_game(10, 20, 1, "{}", "t") is None  # one per channel
    kwargs = {
        "game_id": game_id,
        "guild_id": 10,
        "number": 1,
        "question_id": "q",
        "film": "anora",
        "outcome": "answered",
        "points": 20,
        "winners": [1],
        "losers": [2],
        "state": "{}",
        "now": "t",
    }
    assert await store.trivia_record_round(**kwargs) is True
    assert await store.trivia_record_round(**kwargs) is False
    done = {"game_id": game_id, "guild_id": 10, "players": [1, 2], "winners": [1]}
    assert await store.trivia_finish_game(**done, state="{}", now="t") is True
    assert await store.trivia_finish_game(**done, state="{}", now="t") is False
    one = await store.trivia_member(10, 1)
    two = await store.trivia_member(10, 2)
    assert one is not None and (one["points"], one["correct"], one["wins"]) == (20, 1, 1)
    assert (one["streak"], one["best_streak"], one["rank"]) == (1, 1, 1)
    assert two is not None and (two["games"], two["wins"], two["rank"]) == (1, 0, 2)
    assert await store.trivia_leaderboard(10, "anora") == [(1, 20, 1)]
    assert await store.trivia_member_films(10, 1) == [("anora", 20, 1)]
    assert await store.trivia_create_game(10, 20, 1, "{}", "t") is not None  # free again


async def test_recent_questions_are_remembered_per_channel_and_pruned(store):
    game_id = await store.trivia_create_game(10, 20, 1, "{}", "t")
    assert game_id is not None
    for i in range(5):
        await store.trivia_question_asked(game_id, 20, f"q{i}", "{}", "t", keep=3)
    await store.trivia_question_asked(game_id, 20, "q1", "{}", "t", keep=3)
    assert await store.trivia_recent(20, 10) == ["q1", "q4", "q3"]
    assert await store.trivia_recent(21, 10) == []


def test_resume_window():
    now = wall()
    assert should_resume(now - timedelta(minutes=2), now)
    assert not should_resume(now - timedelta(hours=2), now)


async def test_close_interrupted_counts_the_game_once(store, library):
    session, _ = await new_session(store, library, [ANORA])
    session.game._join(5)
    final = await session.close_interrupted()
    assert final.reason == "restart"
    totals = await store.trivia_member(10, 5)
    assert totals is not None and totals["games"] == 1
    assert await store.trivia_running_games() == []
