"""What the headless commands share to talk to a terminal: progress on stderr, French plurals, tables."""

from __future__ import annotations

import sys
from collections.abc import Sequence

WIDEST = 38   # a table column wider than this is cut with « … » so the table stays readable in a terminal


def print_progress(done: int, total: int, label: str = "") -> None:
    """A progress line that rewrites itself, on a terminal only (scripts and CI logs stay clean)."""
    if sys.stderr.isatty():
        print(f"\r{label} {done}/{total}".ljust(60), end="", file=sys.stderr, flush=True)


def end_progress() -> None:
    if sys.stderr.isatty():
        print(file=sys.stderr)


def print_table(headers: tuple[str, ...], lines: Sequence[tuple[str, ...]]) -> None:
    cells = [tuple(_cut(str(c)) for c in line) for line in lines]
    widths = [max([len(h)] + [len(line[i]) for line in cells]) for i, h in enumerate(headers)]
    out = sys.stdout
    out.write("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("─" * w for w in widths) + "\n")
    for line in cells:
        out.write("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() + "\n")


def _cut(text: str) -> str:
    return text if len(text) <= WIDEST else text[:WIDEST - 1] + "…"
