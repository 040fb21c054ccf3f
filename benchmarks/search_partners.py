"""Partner search at 50,000 partners: builds an académie-scale demo store, multiplies its partners (with their
contacts) to the wanted count, then prints the median and worst time of search_partners for typical queries.

    .venv/bin/python benchmarks/search_partners.py [--partners 50000] [--keep DIR]

Targets: every query under 30 ms at 50,000 partners, and at most 5 times raw FTS5 for the same match (every
matching rowid straight from the index, on the same connection, timed in turn with the service). The service
time is the call as the Partenaires tab makes it: the first page, SQL and Python rows included, then the total
counted up to 1,000.
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


def build(folder: Path, partners: int, *, base: Path | None = None) -> None:
    """The académie demo (or a copy of `base`, a store of it) with its partners multiplied to `partners`."""
    if base is not None:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(base / "poledesk.sqlite", folder / "poledesk.sqlite")
    else:
        subprocess.run([sys.executable, "-m", "poledesk", "demo", "--scale", "academy", "--data-dir", str(folder)],
                       check=True, stdout=subprocess.DEVNULL)
    from poledesk.data.partners import fulltext
    from poledesk.data.text import SEARCH_FOLD_SQL, search_text

    connection = sqlite3.connect(folder / "poledesk.sqlite")
    # The index's triggers fold through the store's SQL function, registered on every connection of a store.
    connection.create_function(SEARCH_FOLD_SQL, 1, search_text, deterministic=True)
    have = connection.execute("SELECT count(*) FROM partner").fetchone()[0]
    copy = 0
    for statement in fulltext.DROP:     # the copies are indexed once at the end, not by a trigger run per row
        connection.execute(statement)
    while have < partners:
        copy += 1
        take = min(have, partners - have)
        multiply(connection, copy, take)
        have += take
    for statement in fulltext.CREATE + fulltext.REBUILD:
        connection.execute(statement)
    connection.commit()
    connection.close()


def multiply(connection: sqlite3.Connection, copy: int, take: int) -> None:
    """Copies of the first `take` partners and their contacts, with new uids."""
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
    """What the Partenaires tab does as the user types: the first page of matches, then the total (capped) if cut."""
    from poledesk.data.partners import listing as partners
    from poledesk.ui.partners_tab import SHOWN_AT_MOST

    shown = len(partners.search_partners(session, query, limit=SHOWN_AT_MOST))
    if shown < SHOWN_AT_MOST:
        return shown
    return partners.count_matching(session, query, cap=partners.COUNT_CAP)


def raw_fts(connection, query: str) -> int:
    """The floor: the FTS5 index alone answering the same match (every matching rowid), on the same connection."""
    from poledesk.data.partners.fulltext import fts_query

    match = fts_query(query)
    return len(connection.execute("SELECT rowid FROM partner_fts WHERE partner_fts MATCH ?", (match,)).fetchall())


def timed(call, cpu: list[float] | None = None) -> float:
    started, started_cpu = time.perf_counter(), time.process_time()
    call()
    if cpu is not None:
        cpu.append((time.process_time() - started_cpu) * 1000)
    return (time.perf_counter() - started) * 1000


def measure(folder: Path) -> list[tuple[str, float, float]]:
    """Per query: (query, median ms of the service, median ms of raw FTS5), each run taken in turn with the other
    so that both see the same load on a shared machine."""
    from poledesk.data.db import open_store
    from poledesk.data.partners import COUNT_CAP
    from poledesk.data.partners import listing as partners

    store = open_store(folder)
    figures = []
    try:
        with store.session() as session:
            total = partners.count_partners(session)
            print(f"{total} partenaires ; total compté jusqu'à {COUNT_CAP}")
            connection = session.connection().connection.dbapi_connection
            for query in QUERIES:
                found = search(session, query)                    # warm the page cache
                raw_fts(connection, query)
                service, raw, cpu = [], [], []
                for _ in range(RUNS):
                    service.append(timed(lambda q=query: search(session, q), cpu))
                    raw.append(timed(lambda q=query: raw_fts(connection, q)))
                median, floor = statistics.median(service), statistics.median(raw)
                figures.append((query, median, floor))
                shown = f"plus de {COUNT_CAP}" if found > COUNT_CAP else str(found)
                # CPU time beside wall time: on a shared machine the wall time also counts the other processes.
                print(f"  « {query} » : {shown:>13s} résultats, médiane {median:6.1f} ms (pire {max(service):6.1f}, "
                      f"CPU {statistics.median(cpu):5.1f}), FTS5 seul {floor:5.1f} ms, rapport "
                      f"{median / max(floor, 0.01):5.1f}")
    finally:
        store.close()
    return figures


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
