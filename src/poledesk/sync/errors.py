"""The sync's refusals: each carries a stable `reason` code (for tests and the UI) and a French message."""

from __future__ import annotations


class SyncError(Exception):
    """A refused sync step: nothing was written; `str(error)` is the French message to show."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class KeysError(SyncError):
    """Keys, identity cards and peers: a card refused, a peer unknown or not verified…"""


class BundleError(SyncError):
    """A bundle that cannot be written or is refused on reading; the store was not touched."""
