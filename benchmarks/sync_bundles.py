"""Bundles at realistic scale: a pole-scale bundle written and applied to a coordinator, re-applied, and the
13 poles of an académie applied one after the other; prints each time against its target.

    .venv/bin/python benchmarks/sync_bundles.py [--seed 2026] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

from poledesk.data import identity
from poledesk.data.db import Store, open_store
from poledesk.data.demo import build as demo
from poledesk.sync import bundle, exchange, keys, peers
from poledesk.sync.snapshot import Route, state_digest

TARGETS = {"write": 2.0, "apply": 5.0, "reapply": 1.0, "academie": 10.0}


class Timer:
    def __init__(self, label: str, target: float | None = None) -> None:
        self.label, self.target = label, target

    def __enter__(self) -> Timer:
        self.started = time.perf_counter()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.seconds = time.perf_counter() - self.started
        verdict = "" if self.target is None else ("  OK" if self.seconds < self.target else "  TROP LENT")
        target = "" if self.target is None else f" (objectif < {self.target:.0f} s)"
        print(f"{self.label:58s} {self.seconds:6.2f} s{target}{verdict}")


def coordinator_at(folder: Path) -> tuple[Store, keys.LocalKeys]:
    store = open_store(folder)
    with store.transaction() as session:
        ident = identity.init_coordinator(session, demo.ACADEMIE)
    store.set_owner(ident.code)
    return store, keys.ensure_keys(folder)


def trust(holder: Store, holder_keys: keys.LocalKeys, card: bytes) -> None:
    with holder.transaction() as session:
        imported = peers.import_card(session, card, keys=holder_keys)
        peers.verify_peer(session, imported.peer.code, keys=holder_keys, code_read=imported.peer.verification_code)


def card_of(store: Store, store_keys: keys.LocalKeys) -> bytes:
    with store.session() as session:
        return keys.make_card(identity.current_identity(session), store_keys)


def pole_scale(root: Path, seed: int) -> None:
    pole = open_store(root / "pole")
    with Timer("démonstration : un pôle (non compté)"):
        demo.create_demo_store(pole, scale="pole", seed=seed)
    pole_keys = keys.ensure_keys(pole.folder)
    coordinator, coordinator_keys = coordinator_at(root / "coordination")
    trust(pole, pole_keys, card_of(coordinator, coordinator_keys))
    trust(coordinator, coordinator_keys, card_of(pole, pole_keys))
    path = root / "NM-07-1.age"
    with Timer("paquet d'un pôle écrit", TARGETS["write"]):
        written = exchange.export_bundle(pole, coordinator.owner, keys=pole_keys, out=path)
    print(f"    {written.records} enregistrements, {path.stat().st_size / 1e6:.1f} Mo chiffrés")
    with Timer("appliqué à une coordination vide", TARGETS["apply"]):
        result = exchange.import_bundle(coordinator, path, keys=coordinator_keys)
    print(f"    {result.summary.describe()} ; à jour : {'oui' if result.in_step else 'non'}")
    with Timer("le même paquet importé de nouveau", TARGETS["reapply"]):
        again = exchange.import_bundle(coordinator, path, keys=coordinator_keys)
    assert again.status == exchange.ALREADY_APPLIED
    full = exchange.export_bundle(pole, coordinator.owner, keys=pole_keys, out=root / "NM-07-2.age",
                                  full=True)
    with Timer("un nouveau paquet complet, rien de changé (pour info)"):
        unchanged = exchange.import_bundle(coordinator, full.path, keys=coordinator_keys)
    print(f"    {unchanged.summary.describe()}")
    for store in (pole, coordinator):
        store.close()


def academie_scale(root: Path, seed: int, *, base: Path | None = None) -> tuple[float, float]:
    """The académie demo (or a copy of `base`, a store of it) holds the 13 poles' records: each pole's bundle is
    written from it with that pole's own keys, as the pole would write it, then applied to a fresh coordinator,
    one after the other. Returns the seconds of applying them and of their floor: opening the same bundles
    (read, decrypt, parse the records) without checking or applying anything."""
    if base is not None:
        (root / "academie-source").mkdir(parents=True, exist_ok=True)
        shutil.copy2(base / "poledesk.sqlite", root / "academie-source" / "poledesk.sqlite")
    source = open_store(root / "academie-source")
    if base is None:
        with Timer("démonstration : une académie de 13 pôles (non comptée)"):
            demo.create_demo_store(source, scale="academy", seed=seed)
    coordinator, coordinator_keys = coordinator_at(root / "academie-coordination")
    paths = []
    with Timer("13 paquets de pôle écrits (pour info)"):
        for code in sorted(b.code for b in demo.words.BASSINS):
            paths.append(write_as_pole(source, code, root, coordinator, coordinator_keys))
    with Timer("13 paquets ouverts sans rien appliquer (plancher)") as floor:
        for path in paths:
            _ = bundle.open_bundle(bundle.read_file(path), coordinator_keys).records
    with Timer("13 paquets de pôle appliqués à la coordination", TARGETS["academie"]) as applying:
        results = [exchange.import_bundle(coordinator, path, keys=coordinator_keys) for path in paths]
    added = sum(r.summary.total("added") + r.summary.total("deleted") for r in results)
    print(f"    {added} enregistrements ajoutés ; tous à jour : {'oui' if all(r.in_step for r in results) else 'non'}")
    source.close()
    coordinator.close()
    return applying.seconds, floor.seconds


def write_as_pole(source: Store, code: str, root: Path, coordinator: Store,
                  coordinator_keys: keys.LocalKeys) -> Path:
    pole_keys = keys.create_keys(root / "cles" / code)
    ident = identity.Identity("pole", code, f"Pôle {code}", demo.ACADEMIE, True)
    trust(coordinator, coordinator_keys, keys.make_card(ident, pole_keys))
    route = Route(code, "pole", coordinator.owner, "coordinator")
    recipient = SimpleNamespace(code=coordinator.owner, role="coordinator", fingerprint=coordinator_keys.fingerprint,
                                last_sequence_sent=0, last_sequence_received=0)
    with source.session() as session:
        records = exchange.select_records(session, route)
        counts: dict[str, int] = {}
        for record in records:
            counts[record["table"]] = counts.get(record["table"], 0) + 1
        digest = state_digest(session, route)
        # The recipient was pinned above: its peer row exists.
        manifest = exchange.build_manifest(route, recipient, keys=pole_keys, counts=counts,  # type: ignore[arg-type]
                                           kind="full", digest=digest)
    path = root / f"{code}.age"
    sealed = bundle.seal(manifest, bundle.payload_of(records), keys=pole_keys, recipient=coordinator_keys.recipient)
    bundle.write_atomically(path, sealed)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", help="build the stores in this folder and keep them")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="poledesk-bench-sync-"))
    root.mkdir(parents=True, exist_ok=True)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cœurs")
    try:
        pole_scale(root, args.seed)
        academie_scale(root, args.seed)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
