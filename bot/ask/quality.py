"""Measure /ask against a set of questions: the quality test and the benchmark share it.

An answer is correct when it is not "I don't know" and every expected keyword appears
in it, case-insensitively, either as written or word for word after ``bot.text.tokens``
(so "three" counts as "3" and "$15,000" as "15,000"). An unanswerable question is
handled when the answer is "I don't know".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.ask.engine import Answer, Asker
from bot.text import tokens


def keyword_in(text: str, keyword: str) -> bool:
    if keyword.casefold() in text.casefold():
        return True
    want = tokens(keyword)
    have = tokens(text)
    if not want:
        return False
    return any(have[i : i + len(want)] == want for i in range(len(have) - len(want) + 1))


def correct(answer: Answer, expected: Iterable[str]) -> bool:
    return answer.known and all(keyword_in(answer.text, k) for k in expected)


@dataclass(frozen=True)
class Miss:
    question: str
    expected: tuple[str, ...]
    answer: str
    qtype: str
    confidence: float


@dataclass
class Report:
    answerable: int = 0
    answered: int = 0
    unanswerable: int = 0
    declined: int = 0
    misses: list[Miss] = field(default_factory=list)
    wrong_answers: list[Miss] = field(default_factory=list)

    @property
    def answer_rate(self) -> float:
        return self.answered / self.answerable if self.answerable else 1.0

    @property
    def decline_rate(self) -> float:
        return self.declined / self.unanswerable if self.unanswerable else 1.0


def evaluate(
    asker: Asker,
    answerable: Sequence[tuple[str, Sequence[str]]],
    unanswerable: Sequence[str],
) -> Report:
    """Ask every question once, without context, and count."""
    report = Report(answerable=len(answerable), unanswerable=len(unanswerable))
    for question, expected in answerable:
        answer = asker.answer(question, suggest=False)
        if correct(answer, expected):
            report.answered += 1
        else:
            report.misses.append(_miss(question, expected, answer))
    for question in unanswerable:
        answer = asker.answer(question, suggest=False)
        if answer.known:
            report.wrong_answers.append(_miss(question, (), answer))
        else:
            report.declined += 1
    return report


def _miss(question: str, expected: Sequence[str], answer: Answer) -> Miss:
    qtype = answer.query.qtype if answer.query is not None else "-"
    text = " ".join(answer.text.split())
    return Miss(question, tuple(expected), text, qtype, round(answer.confidence, 3))
