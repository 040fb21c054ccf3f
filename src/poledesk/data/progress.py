"""Progress of long services: the callable they report through, how a cancel reaches them, and a silent default."""

from __future__ import annotations

from collections.abc import Callable

from poledesk.data.errors import Cancelled as Cancelled

Progress = Callable[[int, int, str], None]
"""progress(done, total, label): called by a long service as it goes; it may raise Cancelled."""


def no_progress(done: int, total: int, label: str = "") -> None:
    """The progress of a caller that does not watch (the CLI's scripts, the tests)."""
