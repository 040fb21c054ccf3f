"""Benchmark: the encrypted store against the clear one, measured in the same run on the same data.

    PYTHONPATH=src .venv/bin/python benchmarks/encrypted_store.py [--rows 3000] [--rounds 3]

Prints the unlock time with the default Argon2id cost (target 0.3 to 0.5 s), then partner searches, a partner
import and a pole bundle applied to a coordinator, each on a clear and on an encrypted store, with the ratio
(target: encrypted within 15 % of clear). Each figure is the best of --rounds runs, so that another process
on a shared machine weighs less.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_partners import build_sheet
from poledesk import paths
from poledesk.data import encryption, identity, vault
from poledesk.data.db import Store, open_store
from poledesk.data.demo import build as demo
from poledesk.data.partners import listing
from poledesk.data.spreadsheets.mapping import guess_mapping
from poledesk.data.spreadsheets.partner_import import apply_partner_import, plan_partner_import
from poledesk.data.spreadsheets.reading import read_sheet
from poledesk.sync import exchange, keys, peers

PASSPHRASE = "cheval correct agrafe pile"
SEARCHES = ("garage", "boulangerie nancy", "54000", "pharm", "transports metz", "ateli", "école", "rest")
UNLOCK_TARGET = (0.3, 0.5)
RATIO_TARGET = 1.15


def best(rounds: int, run: Callable[[], None]) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def encrypted_copy(clear: Path, target: Path) -> bytes:
    """The same store, encrypted in place the way a pole's store is."""
    shutil.copytree(clear, target)
    store = open_store(target)
    new = encryption.encrypt_in_place(store, PASSPHRASE, PASSPHRASE)
    store.close()
    return new.key


def searches(store: Store) -> None:
    with store.session() as session:
        for text in SEARCHES * 25:
            listing.search_partners(session, text)


def import_into(folder: Path, key: bytes | None, sheet_file: Path) -> Callable[[], None]:
    def run() -> None:
        work = folder.with_name(folder.name + "-import")
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(folder, work)
        store = open_store(work, key=key)
        try:
            sheet = read_sheet(sheet_file)
            with store.transaction() as session:
                apply_partner_import(session, plan_partner_import(session, sheet, guess_mapping(sheet.headers)))
        finally:
            store.close()
    return run


def coordinator(folder: Path, *, encrypted: bool) -> tuple[Store, keys.LocalKeys]:
    if encrypted:
        new = encryption.protect_new_folder(folder, PASSPHRASE, PASSPHRASE)
        store = open_store(folder, key=new.key)
    else:
        store = open_store(folder)
    with store.transaction() as session:
        ident = identity.init_coordinator(session, demo.ACADEMIE)
    store.set_owner(ident.code)
    return store, keys.ensure_keys(folder, secret=store.key)


def trust(holder: Store, holder_keys: keys.LocalKeys, other: Store, other_keys: keys.LocalKeys) -> None:
    with other.session() as session:
        card = keys.make_card(identity.current_identity(session), other_keys)
    with holder.transaction() as session:
        imported = peers.import_card(session, card, keys=holder_keys, replace=True)   # a new coordinator a round
        peers.verify_peer(session, imported.peer.code, keys=holder_keys, code_read=imported.peer.verification_code)


def bundle_apply(root: Path, pole: Store, pole_keys: keys.LocalKeys, *, encrypted: bool,
                 rounds: int) -> float:
    times = []
    for attempt in range(rounds):
        store, store_keys = coordinator(root / f"coordination-{'c' if encrypted else 'x'}-{attempt}",
                                        encrypted=encrypted)
        trust(pole, pole_keys, store, store_keys)
        trust(store, store_keys, pole, pole_keys)
        path = root / f"paquet-{encrypted}-{attempt}.age"
        exchange.export_bundle(pole, store.owner, keys=pole_keys, out=path, full=True)
        started = time.perf_counter()
        exchange.import_bundle(store, path, keys=store_keys)
        times.append(time.perf_counter() - started)
        store.close()
    return min(times)


def line(label: str, clear: float, secret: float) -> bool:
    ratio = secret / clear
    verdict = "OK" if ratio <= RATIO_TARGET else "AU-DELÀ"
    print(f"  {label:<34}{clear:8.3f} s{secret:9.3f} s   ×{ratio:5.2f}  {verdict}")
    return ratio <= RATIO_TARGET


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="poledesk-bench-chiffre-") as tmp:
        root = Path(tmp)
        header = vault.make_header(PASSPHRASE, vault.new_store_key(), cost=vault.DEFAULT_COST)
        unlock = best(args.rounds, lambda: vault.unwrap(header, PASSPHRASE))
        low, high = UNLOCK_TARGET
        cost = vault.DEFAULT_COST
        print(f"Déverrouillage (Argon2id, {cost.time_cost} passes, {cost.memory_kib // 1024} Mio) : {unlock:.3f} s "
              f"(objectif {low}–{high} s) {'OK' if low <= unlock <= high else 'HORS CIBLE'}")
        clear_folder = root / "claire"
        pole = open_store(clear_folder)
        demo.create_demo_store(pole, scale="pole", seed=2026)
        pole.close()
        key = encrypted_copy(clear_folder, root / "chiffree")
        sheet = build_sheet(root, args.rows, 7)
        print(f"{'':<36}{'claire':>8}{'chiffrée':>11}")
        results = []
        for label, runs in (
            ("recherches de partenaires (200)", [searching(clear_folder, None), searching(root / "chiffree", key)]),
            (f"import de {args.rows} partenaires", [import_into(clear_folder, None, sheet),
                                                    import_into(root / "chiffree", key, sheet)]),
        ):
            clear_time, secret_time = (best(args.rounds, run) for run in runs)
            results.append(line(label, clear_time, secret_time))
        pole = open_store(clear_folder)
        pole_keys = keys.ensure_keys(clear_folder)
        clear_apply = bundle_apply(root, pole, pole_keys, encrypted=False, rounds=args.rounds)
        secret_apply = bundle_apply(root, pole, pole_keys, encrypted=True, rounds=args.rounds)
        pole.close()
        results.append(line("paquet d'un pôle appliqué", clear_apply, secret_apply))
        print(f"Base de démonstration : {paths.store_file(clear_folder).stat().st_size / 1e6:.1f} Mo")
    return 0 if all(results) and low <= unlock <= high else 1


def searching(folder: Path, key: bytes | None) -> Callable[[], None]:
    """Searches on an open store (opened once and warmed by a first search, as in the window)."""
    store = open_store(folder, key=key)
    searches(store)
    return lambda: searches(store)


if __name__ == "__main__":
    sys.exit(main())
