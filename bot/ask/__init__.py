"""Plain-English questions about the catalog: answer with a source, or "I don't know".

Deterministic and offline: the answer comes from the curated records and facts (and a
guild's own facts), never from a model. ``Asker.build(library)`` prepares everything
once; ``Asker.ask`` / ``Asker.answer`` answer one question.
"""

from __future__ import annotations

from bot.ask.compose import IDK
from bot.ask.context import CONTEXT_TTL, Context, Conversations
from bot.ask.engine import CONFIDENCE_THRESHOLD, YESNO_THRESHOLD, Answer, Asker

__all__ = [
    "CONFIDENCE_THRESHOLD",
    "CONTEXT_TTL",
    "IDK",
    "YESNO_THRESHOLD",
    "Answer",
    "Asker",
    "Context",
    "Conversations",
]
