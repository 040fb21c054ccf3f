"""The long fuzz run: every boundary's hostile inputs, twenty times CI's count (or --scale times), with the cases run.

    .venv/bin/python benchmarks/fuzz.py [--scale 20] [-k bundle]

It runs the fuzz tests themselves (tests/sync/test_fuzz_bundles.py, tests/data/test_fuzz_inputs.py) under the
long profile, then prints, per boundary, how many cases were accepted into a sound store and how many refused in
French with the store unchanged. A case that breaks the property fails the run, as it fails CI.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUZZ_TESTS = ("tests/sync/test_fuzz_bundles.py", "tests/data/test_fuzz_inputs.py")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=20, help="examples per test, as a multiple of CI's")
    parser.add_argument("-k", default="", help="only the tests whose name holds this (pytest -k)")
    args = parser.parse_args()
    os.environ["POLEDESK_FUZZ"] = "long"
    os.environ["POLEDESK_FUZZ_SCALE"] = str(args.scale)
    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]
    import pytest

    started = time.perf_counter()
    extra = ["-k", args.k] if args.k else []
    code = pytest.main(["-q", "-p", "no:cacheprovider", "--rootdir", str(ROOT), *extra,
                        *(str(ROOT / t) for t in FUZZ_TESTS)])
    elapsed = time.perf_counter() - started
    from fuzz_support import CASES, REASONS

    total = 0
    print(f"\nFuzz cases run (scale {args.scale}), in {elapsed:.0f} s:")
    for boundary in sorted({key.rsplit(", ", 1)[0] for key in CASES}):
        accepted, refused = CASES[f"{boundary}, accepted"], CASES[f"{boundary}, refused"]
        total += accepted + refused
        print(f"  {boundary:<18} {accepted + refused:>6} cases: {accepted:>5} accepted (store sound), "
              f"{refused:>5} refused in French (store unchanged)")
        for reason, count in REASONS.get(boundary, Counter()).most_common(3):
            print(f"      {count:>5} × {reason}…")
    print(f"  {'total':<18} {total:>6} cases, {total / elapsed:.1f} a second")
    return int(code)


if __name__ == "__main__":
    raise SystemExit(main())
