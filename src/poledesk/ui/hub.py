"""The notification hub: every write made in the window announces which records changed, and every tab, side
panel and open file that shows one of them reloads it, so that no tab shows stale rows until a restart. Actions
also tell through it what they did, for the window's banner."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget

from poledesk.ui.banner import Done, NextStep


class Kind(StrEnum):
    """The kinds of record a tab can show."""

    PARTNER = "partner"             # a partner, its contacts, offers and visits
    ESTABLISHMENT = "establishment"
    ESCALATION = "escalation"       # an escalation and its proposals
    PLACEMENT = "placement"         # a placement and its convention
    TRAINING = "training"           # a training session and its registrations
    EXCHANGE = "exchange"           # peers, bundles, conflicts


EVERY_KIND = frozenset(Kind)


@dataclass(frozen=True, slots=True)
class Changes:
    """What one write changed: for each kind, the ids (empty: some records of that kind, ids unknown)."""

    records: tuple[tuple[Kind, tuple[int, ...]], ...]
    source: object = None   # who wrote (it has reloaded already), or None

    @property
    def kinds(self) -> frozenset[Kind]:
        return frozenset(kind for kind, _ids in self.records)

    def touches(self, kinds: Iterable[Kind]) -> bool:
        return not self.kinds.isdisjoint(kinds)

    def ids(self, kind: Kind) -> tuple[int, ...]:
        return tuple(i for k, ids in self.records if k is kind for i in ids)


class ChangeHub(QObject):
    """One per window. `announce` after a write (once committed); listeners connect to `changed`. `tell` says
    what an action did (the window shows it in its banner)."""

    changed = Signal(object)   # a Changes
    told = Signal(object)      # a banner.Done

    def tell(self, text: str, *steps: NextStep, details: str = "") -> Done:
        done = Done(text, steps, details)
        self.told.emit(done)
        return done

    def announce(self, kind: Kind, *ids: int, source: object = None) -> Changes:
        return self.announce_many({kind: ids}, source=source)

    def announce_many(self, records: dict[Kind, Iterable[int]], *, source: object = None) -> Changes:
        changes = Changes(tuple((kind, tuple(ids)) for kind, ids in records.items()), source)
        self.changed.emit(changes)
        return changes

    def announce_everything(self, *, source: object = None) -> Changes:
        """After an import or a bundle: any record may have changed."""
        return self.announce_many({kind: () for kind in Kind}, source=source)


class _Follower(QObject):
    """Calls `reload` when a change touches `kinds`; a child of the listener, so that it goes with it (Qt then
    disconnects it: no call reaches a deleted widget)."""

    def __init__(self, listener: QObject, kinds: frozenset[Kind], reload: Callable[[], object]) -> None:
        super().__init__(listener)
        self._listener, self._kinds, self._reload = listener, kinds, reload

    def on_changed(self, changes: Changes) -> None:
        if changes.source is not self._listener and changes.touches(self._kinds):
            self._reload()


def follow(listener: QObject, hub: ChangeHub, kinds: Iterable[Kind], reload: Callable[[], object]) -> None:
    """`listener` shows records of `kinds`: reload it whenever another writer changes one of them."""
    follower = _Follower(listener, frozenset(kinds), reload)
    hub.changed.connect(follower.on_changed)


class _ShownFollower(_Follower):
    """A _Follower for a widget whose reload costs (figures computed on a worker): hidden behind another tab,
    it only notes that it is stale, and reloads once when it shows again."""

    def __init__(self, listener: QWidget, kinds: frozenset[Kind], reload: Callable[[], object]) -> None:
        super().__init__(listener, kinds, reload)
        self._widget = listener
        self.stale = False
        listener.installEventFilter(self)

    def on_changed(self, changes: Changes) -> None:
        if changes.source is self._widget or not changes.touches(self._kinds):
            return
        if self._widget.isVisible():
            self._reload()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            self._reload()
        return False


def follow_shown(listener: QWidget, hub: ChangeHub, kinds: Iterable[Kind], reload: Callable[[], object]) -> None:
    """As follow(), but a hidden `listener` reloads when it next shows rather than at once."""
    follower = _ShownFollower(listener, frozenset(kinds), reload)
    hub.changed.connect(follower.on_changed)
