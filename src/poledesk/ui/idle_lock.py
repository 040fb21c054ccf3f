"""The idle lock: after some minutes without input, the window hides every record and asks the passphrase again."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

log = logging.getLogger(__name__)

INPUT_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                          QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.ShortcutOverride})


class IdleLock(QObject):
    """Watches the application's input (as an event filter) and emits `idle` after `minutes` without any."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self, singleShot=True, interval=max(1, int(minutes * 60_000)))
        self.timer.timeout.connect(self._on_timeout)
        self.paused = False

    def start(self) -> None:
        self.paused = False
        self.timer.start()

    def pause(self) -> None:
        """While the lock asks for the passphrase: input then does not count."""
        self.paused = True
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.paused and event.type() in INPUT_EVENTS:
            self.timer.start()
        return False

    def _on_timeout(self) -> None:
        log.info("idle for %d min: records hidden", self.timer.interval() // 60_000)
        self.pause()
        self.idle.emit()
