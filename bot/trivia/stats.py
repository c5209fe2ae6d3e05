"""Leaderboards and member statistics, read from the store as typed records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.library import Library
    from bot.store import Store

LEADERBOARD_SIZE = 10
BEST_FILMS = 3


@dataclass(frozen=True)
class LeaderRow:
    rank: int
    member: int
    points: int
    correct: int


@dataclass(frozen=True)
class FilmScore:
    film: str
    title: str
    points: int
    correct: int


@dataclass(frozen=True)
class MemberStats:
    member: int
    points: int = 0
    correct: int = 0
    games: int = 0
    wins: int = 0
    streak: int = 0
    best_streak: int = 0
    rank: int | None = None
    films: tuple[FilmScore, ...] = ()

    @property
    def played(self) -> bool:
        return bool(self.games or self.correct or self.points)


async def leaderboard(
    store: Store, guild_id: int, film: str | None = None, limit: int = LEADERBOARD_SIZE
) -> list[LeaderRow]:
    """The top of a guild's board (or one film's); equal points share a rank."""
    rows = await store.trivia_leaderboard(guild_id, film, limit)
    out: list[LeaderRow] = []
    for position, (member, points, correct) in enumerate(rows, start=1):
        rank = out[-1].rank if out and out[-1].points == points else position
        out.append(LeaderRow(rank, member, points, correct))
    return out


async def member_stats(store: Store, library: Library, guild_id: int, member: int) -> MemberStats:
    """Everything a member has done in a guild's games; zeros if they never played."""
    totals = await store.trivia_member(guild_id, member)
    if totals is None:
        return MemberStats(member)
    films = tuple(
        FilmScore(film, library.films[film].title if film in library.films else film, p, c)
        for film, p, c in await store.trivia_member_films(guild_id, member, BEST_FILMS)
    )
    return MemberStats(member=member, films=films, **totals)
