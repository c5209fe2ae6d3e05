"""BakerBot: a Discord bot about the films of Sean Baker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "create_bot"]

if TYPE_CHECKING:
    from bot.client import BakerBot
    from bot.config import Settings


def create_bot(settings: Settings | None = None, **kwargs: Any) -> BakerBot:
    """Build a bot that is not yet connected (imported lazily: discord is heavy)."""
    from bot.client import create_bot as _create_bot

    return _create_bot(settings, **kwargs)
