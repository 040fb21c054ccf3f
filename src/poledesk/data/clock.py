"""Record identity and versions: UUIDv7 uids and the hybrid logical clock stamped on every write."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass


def uuid7(*, ms: int | None = None) -> str:
    """A UUIDv7 (RFC 9562): 48-bit Unix milliseconds (now, unless given), then random bits; sorts by creation time.

    An earlier `ms` is for records known to exist since then (the demo's history, imported records).
    """
    ms = time.time_ns() // 1_000_000 if ms is None else ms
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & 0xFFFF_FFFF_FFFF) << 80
    value |= 0x7 << 76                       # version 7
    value |= ((rand >> 68) & 0xFFF) << 64    # rand_a, 12 bits
    value |= 0b10 << 62                      # RFC 4122 variant
    value |= rand & 0x3FFF_FFFF_FFFF_FFFF    # rand_b, 62 bits
    return str(uuid.UUID(int=value))


@dataclass(frozen=True, order=True, slots=True)
class Hlc:
    """A hybrid logical clock value; compares as (wall_ms, counter, node)."""

    wall_ms: int
    counter: int
    node: str

    def encode(self) -> str:
        # Fixed widths make the text sort exactly like the tuple, so SQL can compare and max() it.
        return f"{self.wall_ms:013d}-{self.counter:05d}-{self.node}"

    @classmethod
    def decode(cls, text: str) -> Hlc:
        try:
            wall, counter, node = text.split("-", 2)
            return cls(int(wall), int(counter), node)
        except (ValueError, AttributeError) as error:
            raise ValueError(f"horloge illisible : {text!r}") from error


class HybridClock:
    """Issues strictly increasing Hlc values for one node; thread-safe."""

    def __init__(self, node: str, last: Hlc | None = None, now_ms: Callable[[], int] | None = None) -> None:
        self.node = node
        self._last = last or Hlc(0, 0, node)
        self._now_ms: Callable[[], int] = now_ms or (lambda: time.time_ns() // 1_000_000)
        self._lock = threading.Lock()

    @property
    def last(self) -> Hlc:
        return self._last

    def tick(self) -> Hlc:
        with self._lock:
            wall = self._now_ms()
            if wall > self._last.wall_ms:
                self._last = Hlc(wall, 0, self.node)
            else:
                self._last = Hlc(self._last.wall_ms, self._last.counter + 1, self.node)
            return self._last

    def observe(self, seen: Hlc) -> None:
        """Move past a clock seen in an imported record, so the next local write wins over it."""
        with self._lock:
            if (seen.wall_ms, seen.counter) > (self._last.wall_ms, self._last.counter):
                self._last = Hlc(seen.wall_ms, seen.counter, self.node)
