"""Throughput of the trivia answer matcher, against a plain rapidfuzz loop as baseline.

Run: ``python bench/bench_matching.py [--pairs N] [--repeat R]``. Prints checks per
second for ``answer_matches`` (plain answer lists; it keeps recent questions prepared),
``PreparedAnswers.judge`` (answers normalised once per question, as the trivia engine
does) and ``rapidfuzz.fuzz.ratio`` on the same (guess, first answer) pairs, then the
one-off cost of preparing a question. Figures only; nothing is asserted, the machine is
shared and noisy, so runs are interleaved and both median and best are shown.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz

from bot.matching import PreparedAnswers, answer_matches, prepare

TITLES = [
    "Take Out",
    "Prince of Broadway",
    "Starlet",
    "Tangerine",
    "The Florida Project",
    "Red Rocket",
    "Anora",
    "Four Letter Words",
]
PEOPLE = [
    "Sean Baker",
    "Mikey Madison",
    "Brooklynn Prince",
    "Willem Dafoe",
    "Simon Rex",
    "Bree Elrod",
    "Kitana Kiki Rodriguez",
    "Mya Taylor",
    "Dree Hemingway",
    "Besedka Johnson",
    "Mark Eydelshteyn",
    "Yura Borisov",
]
NUMBERS = [["2015"], ["2024"], ["37"], ["$100,000"], ["six million", "$6,000,000"], ["139"]]
FILLER = ["i think it's {}", "{}?", "is it {}", "maybe {}!", "the answer is {}", "{} lol"]
NUMBER_FILLER = ["in {}", "{} days", "it was {}", "about {}", "{}!!"]
NUMBER_WORDS = {"2015": "twenty fifteen", "37": "thirty-seven", "2024": "two thousand 24"}


def typo(text: str, rng: random.Random) -> str:
    """One random edit: a slip of the thumb."""
    i = rng.randrange(len(text))
    edit = rng.choice("sidt")
    letter = rng.choice(string.ascii_lowercase)
    if edit == "s":
        return text[:i] + letter + text[i + 1 :]
    if edit == "i":
        return text[:i] + letter + text[i:]
    if edit == "d" and len(text) > 1:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i + 1 : i + 2] + text[i : i + 1] + text[i + 2 :]


def recase(text: str, rng: random.Random) -> str:
    return rng.choice([text, text.lower(), text.upper(), text.title()])


def text_guess(answer: str, pool: list[str], rng: random.Random) -> str:
    """A guess as players type them: mostly right, some typos, wrong, chatty or junk."""
    roll = rng.random()
    if roll < 0.30:
        return recase(answer, rng)
    if roll < 0.50:
        return typo(recase(answer, rng), rng)
    if roll < 0.75:
        return recase(rng.choice(pool), rng)
    if roll < 0.95:
        return rng.choice(FILLER).format(recase(rng.choice([answer, *pool]), rng))
    return "".join(rng.choices(string.ascii_letters + " !?", k=rng.randrange(50, 5000)))


def number_guess(answers: list[str], rng: random.Random) -> str:
    """Numbers: right, off by one, spelled out, with units or filler."""
    value = answers[0].lstrip("$").replace(",", "")
    digits = value if value.isdigit() else "6000000"
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(answers)
    if roll < 0.6:
        return str(int(digits) + rng.choice([-1, 1, 10, -10]))
    if roll < 0.75:
        return NUMBER_WORDS.get(digits, digits)
    return rng.choice(NUMBER_FILLER).format(rng.choice([digits, str(int(digits) + 1)]))


def build(pairs: int, seed: int) -> list[tuple[int, str]]:
    """(question index, guess) pairs over the questions in ``QUESTIONS``."""
    rng = random.Random(seed)
    out = []
    for _ in range(pairs):
        q = rng.randrange(len(QUESTIONS))
        answers, kind = QUESTIONS[q]
        if kind == "number":
            guess = number_guess(answers, rng)
        else:
            pool = TITLES if kind == "title" else PEOPLE
            guess = text_guess(answers[0], pool, rng)
        out.append((q, guess))
    return out


QUESTIONS: list[tuple[list[str], str]] = (
    [([t], "title") for t in TITLES]
    + [([p], "person") for p in PEOPLE]
    + [(n, "number") for n in NUMBERS]
)


def timings(runs: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[float]]:
    """Seconds per run, the runs interleaved so that load from other processes on this
    shared machine falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    pairs = build(args.pairs, args.seed)
    prepared = [prepare(answers, kind) for answers, kind in QUESTIONS]
    jobs = [(guess, *QUESTIONS[q], prepared[q]) for q, guess in pairs]
    firsts = [(guess, answers[0]) for guess, answers, _, _ in jobs]

    def unprepared() -> None:
        for guess, answers, kind, _ in jobs:
            answer_matches(guess, answers, kind)

    def judged() -> None:
        for guess, _, _, prep in jobs:
            prep.judge(guess)

    def baseline() -> None:
        for guess, answer in firsts:
            fuzz.ratio(guess, answer, processor=None)

    matched = sum(prep.judge(guess).matched for guess, _, _, prep in jobs)
    print(f"{len(jobs)} guesses over {len(QUESTIONS)} questions, {matched} accepted")
    runs = {
        "answer_matches (unprepared)": unprepared,
        "PreparedAnswers.judge": judged,
        "fuzz.ratio baseline": baseline,
    }
    print(f"{'checks/s':30} {'median':>12} {'best':>12}")
    for name, seconds in timings(runs, args.repeat).items():
        median, best = len(jobs) / statistics.median(seconds), len(jobs) / min(seconds)
        print(f"{name:30} {median:>12,.0f} {best:>12,.0f}")
    rounds = 200
    start = time.perf_counter()
    for _ in range(rounds):
        for answers, kind in QUESTIONS:
            PreparedAnswers(answers, kind)
    cold = (time.perf_counter() - start) / (rounds * len(QUESTIONS))
    print(f"PreparedAnswers(...) once per question: {cold * 1e6:.1f} µs")


if __name__ == "__main__":
    main()
