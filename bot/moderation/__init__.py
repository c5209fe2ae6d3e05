"""Moderator curation: validation, versioned edits, the audit trail and suggestions.

Import the parts you need (``bot.moderation.service``, ``bot.moderation.records``, ...);
this package module stays empty so that ``bot.store`` can import the record models
without pulling in the services that use the store.
"""
