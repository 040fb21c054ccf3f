"""Partner search at 50,000 partners: builds an académie-scale demo store, multiplies its partners (with their
contacts) to the wanted count, then prints the median and worst time of search_partners for typical queries.

    .venv/bin/python benchmarks/search_partners.py [--partners 50000] [--keep DIR]

The target (issue « Partner network »): a search answers in under 30 ms at 50,000 partners. The time is the
service call as the Partenaires tab makes it, SQL and Python rows included.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERIES = ("nancy", "epinal boul", "garage", "coiff", "732 829", "thiebaut", "restauration traditionnelle",
           "zzzz introuvable", "a")
RUNS = 15


def build(folder: Path, partners: int) -> None:
    subprocess.run([sys.executable, "-m", "poledesk", "demo", "--scale", "academy", "--data-dir", str(folder)],
                   check=True, stdout=subprocess.DEVNULL)
    from poledesk.data.text import SEARCH_FOLD_SQL, search_text

    connection = sqlite3.connect(folder / "poledesk.sqlite")
    # The index's triggers fold through the store's SQL function, registered on every connection of a store.
    connection.create_function(SEARCH_FOLD_SQL, 1, search_text, deterministic=True)
    have = connection.execute("SELECT count(*) FROM partner").fetchone()[0]
    copy = 0
    while have < partners:
        copy += 1
        take = min(have, partners - have)
        multiply(connection, copy, take)
        have += take
    connection.commit()
    connection.close()


def multiply(connection: sqlite3.Connection, copy: int, take: int) -> None:
    """Copies of the first `take` partners and their contacts, with new uids (the FTS triggers index them)."""
    columns = [row[1] for row in connection.execute("PRAGMA table_info(partner)") if row[1] not in ("id", "uid")]
    names = ", ".join(columns)
    offset = connection.execute("SELECT max(id) FROM partner").fetchone()[0]
    connection.execute(
        f"INSERT INTO partner (id, uid, {names}) SELECT id + ?, lower(hex(randomblob(16))), "
        + ", ".join(f"name || ' {copy}'" if c == "name" else c for c in columns)
        + " FROM partner WHERE id <= (SELECT min(id) FROM partner) + ? - 1", (offset, take))
    contact_columns = [row[1] for row in connection.execute("PRAGMA table_info(contact)")
                       if row[1] not in ("id", "uid", "partner_id")]
    contact_names = ", ".join(contact_columns)
    connection.execute(
        f"INSERT INTO contact (uid, partner_id, {contact_names}) SELECT lower(hex(randomblob(16))), partner_id + ?, "
        f"{contact_names} FROM contact WHERE partner_id <= (SELECT min(id) FROM partner) + ? - 1", (offset, take))


def search(session, query: str) -> int:
    """What the Partenaires tab does as the user types: the first page of matches, then the total if cut."""
    from poledesk.data.partners import listing as partners
    from poledesk.ui.partners_tab import SHOWN_AT_MOST

    shown = len(partners.search_partners(session, query, limit=SHOWN_AT_MOST))
    return partners.count_matching(session, query) if shown == SHOWN_AT_MOST else shown


def measure(folder: Path) -> None:
    from poledesk.data.db import open_store
    from poledesk.data.partners import listing as partners

    store = open_store(folder)
    try:
        with store.session() as session:
            total = partners.count_partners(session)
            print(f"{total} partenaires")
            for query in QUERIES:
                search(session, query)                            # warm the page cache
                times, found = [], 0
                for _ in range(RUNS):
                    started = time.perf_counter()
                    found = search(session, query)
                    times.append((time.perf_counter() - started) * 1000)
                print(f"  « {query} » : {found:6d} résultats, médiane {statistics.median(times):6.1f} ms, "
                      f"pire {max(times):6.1f} ms")
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=50_000)
    parser.add_argument("--keep", help="build the store in this folder (reused if it exists)")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="poledesk-search-"))
    try:
        if not (folder / "poledesk.sqlite").exists():
            started = time.perf_counter()
            build(folder, args.partners)
            print(f"base construite en {time.perf_counter() - started:.0f} s")
        measure(folder)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
