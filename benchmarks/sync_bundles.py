"""Bundles at realistic scale: a pole-scale bundle written and applied to a coordinator, re-applied, and the
13 poles of an académie applied one after the other; prints each time against its target.

With `--poles N` (339: a national set), only the coordinator's side at that scale: N poles, each a copy of one of
the 13 demo poles' records under a new pole code with fresh uids, so the coordinator's store grows to N/13 times
the académie. Each bundle is made (not counted), opened without applying (the floor) and applied in turn; the
per-bundle times of the first and last ten show whether a bundle costs the same on a large store as on an empty
one. As in the window and `poledesk bundle import`, one backup is taken before the first change of a batch.

    .venv/bin/python benchmarks/sync_bundles.py [--seed 2026] [--keep DIR] [--poles N]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from poledesk.data import identity
from poledesk.data.clock import uuid7
from poledesk.data.db import Store, open_store
from poledesk.data.demo import build as demo
from poledesk.sync import bundle, exchange, keys, peers
from poledesk.sync.records import ORDER, SPECS
from poledesk.sync.snapshot import Route, state_digest

TARGETS = {"write": 2.0, "apply": 5.0, "reapply": 1.0, "academie": 10.0, "national": 300.0}


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
    for kept in ("pole", "coordination"):   # fresh each run, also in a kept folder
        shutil.rmtree(root / kept, ignore_errors=True)
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
    built = (root / "academie-source" / "poledesk.sqlite").exists()   # copied above, or kept by --keep
    source = open_store(root / "academie-source")
    if not built:
        with Timer("démonstration : une académie de 13 pôles (non comptée)"):
            demo.create_demo_store(source, scale="academy", seed=seed)
    shutil.rmtree(root / "academie-coordination", ignore_errors=True)   # a fresh one each run
    coordinator, coordinator_keys = coordinator_at(root / "academie-coordination")
    paths = []
    with Timer("13 paquets de pôle écrits (pour info)"):
        for code in sorted(b.code for b in demo.words.BASSINS):
            paths.append(write_as_pole(source, code, root, coordinator, coordinator_keys))
    with Timer("13 paquets ouverts sans rien appliquer (plancher)") as floor:
        for path in paths:
            with bundle.few_collections():   # as an import opens it
                _ = bundle.open_bundle(bundle.read_file(path), coordinator_keys).records()
    with Timer("13 paquets de pôle appliqués à la coordination", TARGETS["academie"]) as applying:
        results = apply_batch(coordinator, coordinator_keys, paths)
    added = sum(r.summary.total("added") + r.summary.total("deleted") for r in results)
    print(f"    {added} enregistrements ajoutés ; tous à jour : {'oui' if all(r.in_step for r in results) else 'non'}")
    source.close()
    coordinator.close()
    return applying.seconds, floor.seconds


def apply_batch(coordinator: Store, coordinator_keys: keys.LocalKeys, paths: list[Path]) -> list[exchange.ImportResult]:
    """As the window and `poledesk bundle import` apply a batch: one backup, before the first change."""
    results: list[exchange.ImportResult] = []
    for path in paths:
        results.append(exchange.import_bundle(coordinator, path, keys=coordinator_keys,
                                              backup=not any(r.status == exchange.APPLIED for r in results)))
    return results


def pole_trusted(code: str, pole_keys: keys.LocalKeys, coordinator: Store,
                 coordinator_keys: keys.LocalKeys) -> tuple[Route, SimpleNamespace]:
    """The pole `code` (its keys given) pinned by the coordinator: its route, and the recipient its bundles name."""
    ident = identity.Identity("pole", code, f"Pôle {code}", demo.ACADEMIE, True)
    trust(coordinator, coordinator_keys, keys.make_card(ident, pole_keys))
    recipient = SimpleNamespace(code=coordinator.owner, role="coordinator", fingerprint=coordinator_keys.fingerprint,
                                last_sequence_sent=0, last_sequence_received=0)
    return Route(code, "pole", coordinator.owner, "coordinator"), recipient


def table_counts(records: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in records:
        counts[record["table"]] = counts.get(record["table"], 0) + 1
    return counts


def write_as_pole(source: Store, code: str, root: Path, coordinator: Store,
                  coordinator_keys: keys.LocalKeys) -> Path:
    pole_keys = keys.ensure_keys(root / "cles" / code)
    route, recipient = pole_trusted(code, pole_keys, coordinator, coordinator_keys)
    with source.session() as session:
        records = exchange.select_records(session, route)
        counts = table_counts(records)
        digest = state_digest(session, route)
        # The recipient was pinned above: its peer row exists.
        manifest = exchange.build_manifest(route, recipient, keys=pole_keys, counts=counts,  # type: ignore[arg-type]
                                           kind="full", digest=digest)
    path = root / f"{code}.age"
    sealed = bundle.seal(manifest, bundle.payload_of(records), keys=pole_keys, recipient=coordinator_keys.recipient)
    bundle.write_atomically(path, sealed)
    return path


# -- a national set ----------------------------------------------------------------------------------------------
def national_codes(count: int) -> list[str]:
    """Pole codes unlike the demo's (NM-01…): AN-01 … AN-99, BN-01 …"""
    return [f"{chr(ord('A') + i // 99)}N-{i % 99 + 1:02d}" for i in range(count)]


def pole_templates(source: Store, coordinator_owner: str) -> list[list[dict[str, Any]]]:
    """Each demo pole's records as its bundle carries them."""
    templates = []
    with source.session() as session:
        for code in sorted(b.code for b in demo.words.BASSINS):
            templates.append(exchange.select_records(session, Route(code, "pole", coordinator_owner, "coordinator")))
    return templates


def copy_pole(template: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    """The records of a pole under a new code: every uid fresh (references and links follow), a pupil's
    pseudonym fresh (it is unique), the pole row named after its code."""
    fresh = {record["uid"]: uuid7() for record in template}
    copies = []
    for record in template:
        fields = dict(record["fields"])
        spec = SPECS[record["table"]]
        for column in spec.fields:
            if column.kind == "ref" and fields[column.key] is not None:
                fields[column.key] = fresh[fields[column.key]]   # a pole's records point only at its own
        for link in spec.links:
            fields[link.key] = sorted(fresh[uid] for uid in fields[link.key])
        if record["table"] == "pupil":
            fields["pseudonym"] = str(uuid.uuid4())
        if record["table"] == "pole":
            fields["code"], fields["name"] = code, f"Pôle {code}"
        copies.append({**record, "uid": fresh[record["uid"]], "owner": code, "fields": fields})
    return copies


def digest_of(records: list[dict[str, Any]]) -> str:
    """snapshot.state_digest of the sender once these records are all it owns."""
    digest = hashlib.sha256()
    by_table: dict[str, list[tuple[str, str]]] = {}
    for record in records:
        by_table.setdefault(record["table"], []).append((record["uid"], record["hlc"]))
    for name in ORDER:
        for uid, hlc in sorted(by_table.get(name, ())):
            digest.update(f"{name} {uid} {hlc}\n".encode())
    return digest.hexdigest()


def seal_pole(records: list[dict[str, Any]], code: str, root: Path, coordinator: Store,
              coordinator_keys: keys.LocalKeys) -> Path:
    pole_keys = keys.create_keys(root / "cles-nationales" / code)
    route, recipient = pole_trusted(code, pole_keys, coordinator, coordinator_keys)
    counts = table_counts(records)
    # The recipient was pinned above: its peer row exists.
    manifest = exchange.build_manifest(route, recipient, keys=pole_keys, counts=counts,  # type: ignore[arg-type]
                                       kind="full", digest=digest_of(records))
    path = root / "paquets" / f"{code}.age"
    path.parent.mkdir(parents=True, exist_ok=True)
    bundle.write_atomically(path, bundle.seal(manifest, bundle.payload_of(records), keys=pole_keys,
                                              recipient=coordinator_keys.recipient))
    return path


@dataclass
class National:
    applying: float = 0.0      # seconds, every bundle applied
    floor: float = 0.0         # seconds, every bundle opened without applying
    making: float = 0.0        # seconds, making the set (not counted)
    per_bundle: list[tuple[str, float, float]] = field(default_factory=list)   # code, applied, opened

    def mean(self, part: list[tuple[str, float, float]]) -> tuple[float, float]:
        return statistics.mean(p[1] for p in part), statistics.mean(p[2] for p in part)


def national_scale(root: Path, seed: int, poles: int, *, base: Path | None = None, keep: bool = False) -> National:
    """`poles` bundles, each a copy of a demo pole (see copy_pole), made, opened then applied in turn to one
    coordinator; each file is removed once applied unless `keep`."""
    if base is not None:
        (root / "academie-source").mkdir(parents=True, exist_ok=True)
        shutil.copy2(base / "poledesk.sqlite", root / "academie-source" / "poledesk.sqlite")
    built = (root / "academie-source" / "poledesk.sqlite").exists()   # kept by an earlier run (--keep)
    source = open_store(root / "academie-source")
    if not built:
        with Timer("démonstration : une académie de 13 pôles (non comptée)"):
            demo.create_demo_store(source, scale="academy", seed=seed)
    shutil.rmtree(root / "nationale-coordination", ignore_errors=True)
    shutil.rmtree(root / "cles-nationales", ignore_errors=True)
    coordinator, coordinator_keys = coordinator_at(root / "nationale-coordination")
    started = time.perf_counter()
    templates = pole_templates(source, coordinator.owner)
    source.close()
    result, applied_any = National(making=time.perf_counter() - started), False
    cpu = time.process_time()
    print(f"{poles} paquets de pôle, chacun appliqué à une coordination qui grandit :", flush=True)
    for number, code in enumerate(national_codes(poles)):
        started = time.perf_counter()
        with bundle.few_collections():   # the templates stay alive: no collector walking them at each copy
            path = seal_pole(copy_pole(templates[number % len(templates)], code), code, root, coordinator,
                             coordinator_keys)
        opened_at = time.perf_counter()
        with bundle.few_collections():   # as an import opens it
            _ = bundle.open_bundle(bundle.read_file(path), coordinator_keys).records()
        applied_at = time.perf_counter()
        done = exchange.import_bundle(coordinator, path, keys=coordinator_keys, backup=not applied_any)
        finished = time.perf_counter()
        if done.status != exchange.APPLIED or not done.in_step:
            raise SystemExit(f"le paquet de {code} n'a pas été appliqué en entier : {done.message}")
        applied_any = True
        result.making += opened_at - started
        result.floor += applied_at - opened_at
        result.applying += finished - applied_at
        result.per_bundle.append((code, finished - applied_at, applied_at - opened_at))
        if number < 10 or number >= poles - 10:
            print(f"    n° {number + 1:3d} ({code}) appliqué en {finished - applied_at:5.2f} s, "
                  f"ouvert en {applied_at - opened_at:5.2f} s (plancher)", flush=True)
        elif number == 10:
            print("    …", flush=True)
        if not keep:
            path.unlink()
    cpu = time.process_time() - cpu
    size = coordinator.file.stat().st_size / 1e6
    with Timer(f"une sauvegarde de la coordination finale, {size:.0f} Mo (pour info, une par lot)"):
        coordinator.backup("mesure")
    coordinator.close()
    print(f"{'fabrication des ' + str(poles) + ' paquets (non comptée)':58s} {result.making:6.2f} s")
    print(f"{str(poles) + ' paquets ouverts sans rien appliquer (plancher)':58s} {result.floor:6.2f} s")
    verdict = "OK" if result.applying < TARGETS["national"] else "TROP LENT"
    print(f"{str(poles) + ' paquets de pôle appliqués à la coordination':58s} {result.applying:6.2f} s "
          f"(objectif < {TARGETS['national']:.0f} s)  {verdict}")
    first, last = result.per_bundle[:10], result.per_bundle[-10:]
    (first_apply, first_open), (last_apply, last_open) = result.mean(first), result.mean(last)
    print(f"    par paquet, appliqué / ouvert : {first_apply:.2f} / {first_open:.2f} s pour les 10 premiers, "
          f"{last_apply:.2f} / {last_open:.2f} s pour les 10 derniers (× {last_apply / first_apply:.2f}) ; "
          f"temps processeur de la boucle {cpu:.0f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", help="build the stores in this folder and keep them; a later run there reuses "
                                       "the académie demo")
    parser.add_argument("--poles", type=int, default=13,
                        help="more than 13: only a national set of that many poles applied (339 for France)")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="poledesk-bench-sync-"))
    root.mkdir(parents=True, exist_ok=True)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cœurs")
    try:
        if args.poles > 13:
            national_scale(root, args.seed, args.poles, keep=bool(args.keep))
        else:
            pole_scale(root, args.seed)
            academie_scale(root, args.seed)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
