"""The store and the domain services; knows nothing of Qt.

`Session` is how the layers above name a store session (the one a Store.session() or Store.transaction() block
gives, for one user action) without importing SQLAlchemy themselves: `from poledesk.data import Session`.
It is loaded on first use, so a command that never opens the store does not pay for SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session as Session

__all__ = ["Session"]


def __getattr__(name: str) -> Any:
    if name == "Session":
        from sqlalchemy.orm import Session

        return Session
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
