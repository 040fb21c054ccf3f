"""Every figure of the performance issue in one table, each beside its floor measured in the same run.

    .venv/bin/python benchmarks/run_all.py [--keep DIR] [--runs 3] [--skip search,merge] [--national 339]

Builds (or reuses, with --keep) a pole-scale and an académie-scale demo store, then runs: start-up against a
bare Qt window, the import and export of 10,000 partner rows against openpyxl's read-only read of the same file
and a csv write of the same rows, partner search at 50,000 partners against raw FTS5, ranking one escalation
against reading its candidate partners, and a coordinator applying 13 pole bundles against opening them. With
--national N it also applies a national set of N pole bundles (339 for France; copies of the demo poles, see
sync_bundles.py) against opening them: left out by default, as at 339 it takes some ten minutes and more
(bundles made, not counted, beside). On a shared machine the wall clock counts the other processes too: compare
the ratios, taken in the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))   # the benchmarks beside this file, imported below

import import_partners
import rank_candidates
import search_partners
import startup
import sync_bundles

SEED = 2026


@dataclass(frozen=True)
class Figure:
    measure: str
    value: float          # seconds or milliseconds, as `unit` says
    floor: float
    floor_is: str
    unit: str
    target: str
    met: bool

    def row(self) -> str:
        ratio = self.value / self.floor if self.floor else float("inf")
        return (f"| {self.measure} | {self.value:.2f} {self.unit} | {self.floor:.2f} {self.unit} ({self.floor_is}) | "
                f"{ratio:.1f} | {self.target} | {'oui' if self.met else 'NON'} |")


def demo_store(root: Path, scale: str) -> Path:
    folder = root / scale
    if not (folder / "poledesk.sqlite").exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"démonstration {scale} construite en {startup.build(folder, scale):.0f} s", flush=True)
    return folder


def copy_of(store: Path, folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copy2(store / "poledesk.sqlite", folder / "poledesk.sqlite")
    return folder


def start_up(root: Path, runs: int) -> list[Figure]:
    start, bare, heavy = startup.measure(demo_store(root, "pole"), runs, 1)   # the Partenaires tab left open
    return [Figure("Coquille de la fenêtre peinte (pôle)", start.shell, bare, "fenêtre Qt nue à 4 onglets", "s",
                   "≤ 3 ×", start.shell <= 3 * bare and not heavy),
            Figure("Fenêtre peinte (pôle, pour info)", start.window, bare, "fenêtre Qt nue à 4 onglets", "s", "—",
                   True),
            Figure("Lignes des partenaires affichées (pôle, pour info)", start.rows, bare,
                   "fenêtre Qt nue à 4 onglets", "s", "—", True)]


def import_export(root: Path, runs: int) -> list[Figure]:
    folder = root / "import"
    folder.mkdir(parents=True, exist_ok=True)
    sheet = folder / "partenaires.xlsx"
    if not sheet.exists():
        import_partners.build_sheet(folder, 10_000, 7)
    imports, exports, reads, csvs = [], [], [], []
    for run in range(runs):
        store = import_partners.fresh_store(folder / f"s{run}")
        try:
            timings = import_partners.run_import(store, sheet)
            exports.append(import_partners.run_export(store, folder / f"export-{run}.xlsx")[0])
        finally:
            store.close()
        imports.append(sum(timings[step][0] for step in import_partners.IMPORT_STEPS))
        reads.append(import_partners.openpyxl_read(sheet)[0])
        csvs.append(import_partners.csv_floor(folder / f"export-{run}.xlsx")[0])
        shutil.rmtree(folder / f"s{run}", ignore_errors=True)
    imported, read = statistics.median(imports), statistics.median(reads)
    exported, written = statistics.median(exports), statistics.median(csvs)
    return [Figure("Import de 10 000 lignes de partenaires", imported, read, "lecture seule openpyxl du fichier", "s",
                   "< plancher", imported < read),
            Figure("Export des mêmes 10 000 partenaires", exported, written, "mêmes lignes écrites en csv", "s",
                   "< 3 s", exported < 3)]


def search(root: Path, _runs: int) -> list[Figure]:
    folder = root / "recherche"
    if not (folder / "poledesk.sqlite").exists():
        search_partners.build(folder, 50_000, base=demo_store(root, "academy"))
    figures = search_partners.measure(folder)
    worst = max(figures, key=lambda f: f[1])
    worst_ratio = max(figures, key=lambda f: f[1] / max(f[2], 0.01))
    return [Figure(f"Recherche à 50 000 partenaires, la plus lente (« {worst[0]} »)", worst[1], worst[2],
                   "FTS5 seul, même requête", "ms", "< 30 ms", worst[1] < 30),
            Figure(f"Recherche, le plus grand rapport (« {worst_ratio[0]} »)", worst_ratio[1], worst_ratio[2],
                   "FTS5 seul, même requête", "ms", "≤ 5 ×", worst_ratio[1] <= 5 * worst_ratio[2])]


def ranking(root: Path, _runs: int) -> list[Figure]:
    folder = root / "classement"
    if not (folder / "poledesk.sqlite").exists():
        copy_of(demo_store(root, "academy"), folder)
    figures = rank_candidates.measure(folder, 50)
    return [Figure("Classement d'une sollicitation (académie), le plus lent", figures["worst"], figures["floor"],
                   "lire ses partenaires candidats", "ms", "< 50 ms", figures["worst"] < 50)]


def merge(root: Path, _runs: int) -> list[Figure]:
    folder = root / "fusion"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    applying, opening = sync_bundles.academie_scale(folder, SEED, base=demo_store(root, "academy"))
    shutil.rmtree(folder, ignore_errors=True)
    return [Figure("Coordination appliquant 13 paquets de pôle", applying, opening, "ouvrir les 13 paquets", "s",
                   "< 10 s", applying < 10)]


def national(root: Path, poles: int) -> list[Figure]:
    folder = root / "fusion-nationale"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    measured = sync_bundles.national_scale(folder, SEED, poles, base=demo_store(root, "academy"))
    shutil.rmtree(folder, ignore_errors=True)
    target = sync_bundles.TARGETS["national"]
    first, last = measured.mean(measured.per_bundle[:10]), measured.mean(measured.per_bundle[-10:])
    return [Figure(f"Coordination appliquant {poles} paquets de pôle", measured.applying, measured.floor,
                   f"ouvrir les {poles} paquets", "s", f"< {target:.0f} s", measured.applying < target),
            Figure("    un paquet, 10 derniers contre 10 premiers", last[0], first[0], "10 premiers", "s",
                   "≤ 1,5 ×", last[0] <= 1.5 * first[0])]


STEPS: dict[str, Callable[[Path, int], list[Figure]]] = {
    "startup": start_up, "import": import_export, "search": search, "ranking": ranking, "merge": merge}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="build the stores in this folder and keep them; reuse them if there")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip", default="", help=f"comma-separated steps to leave out, among {', '.join(STEPS)}")
    parser.add_argument("--national", type=int, default=0, metavar="N",
                        help="also apply a national set of N pole bundles (339: some ten minutes)")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="poledesk-run-all-"))
    root.mkdir(parents=True, exist_ok=True)
    skipped = set(filter(None, args.skip.split(",")))
    started = time.perf_counter()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cœurs, charge {os.getloadavg()[0]:.1f}", flush=True)
    figures: list[Figure] = []
    try:
        for name, step in STEPS.items():
            if name not in skipped:
                print(f"--- {name}", flush=True)
                figures += step(root, args.runs)
        if args.national:
            print(f"--- national ({args.national} pôles)", flush=True)
            figures += national(root, args.national)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(f"\nEn {time.perf_counter() - started:.0f} s, charge {os.getloadavg()[0]:.1f} à la fin :\n")
    print("| Mesure | Mesuré | Plancher (même passage) | Rapport | Objectif | Atteint |")
    print("|---|---|---|---|---|---|")
    for figure in figures:
        print(figure.row())


if __name__ == "__main__":
    main()
