"""Domain errors whose message is safe to show to the user as it is."""

from __future__ import annotations


class UserFacingError(Exception):
    """Raised by services and cogs; the tree's error handler shows ``message`` ephemerally."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
