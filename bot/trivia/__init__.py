"""Trivia games: a pure engine, the question bank, and the session that runs a game.

``engine`` holds the rules (no discord, no I/O), ``questions`` builds and picks
questions, ``session`` runs one channel's game with its lock and timer, and ``stats``
reads the leaderboards. ``cogs.trivia`` is the Discord adapter over all of them.
"""

from __future__ import annotations
