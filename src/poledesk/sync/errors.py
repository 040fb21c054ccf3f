"""The sync's refusals: each carries a stable `reason` code (for tests and the UI) and a French message."""

from __future__ import annotations

from poledesk.data.errors import SyncError

__all__ = ["BundleError", "KeysError", "SyncError"]


class KeysError(SyncError):
    """Keys, identity cards and peers: a card refused, a peer unknown or not verified…"""


class BundleError(SyncError):
    """A bundle that cannot be written or is refused on reading; the store was not touched."""
