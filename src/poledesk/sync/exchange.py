"""Exchanging bundles with a peer: write one (what, since when, sealed for whom); import one (checked, merged)."""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from poledesk import __version__
from poledesk.data import migrate, settings
from poledesk.data.clock import uuid7
from poledesk.data.db import Store
from poledesk.data.escalations.equity import refresh_equity_counts
from poledesk.data.identity import ROLE_COORDINATOR, ROLE_POLE
from poledesk.data.models import utcnow
from poledesk.data.progress import Progress, no_progress
from poledesk.data.sync_tables import AppliedBundle, Peer, SentBundle
from poledesk.data.text import plural
from poledesk.sync import bundle, checks, peers
from poledesk.sync.errors import BundleError, KeysError
from poledesk.sync.keys import LocalKeys
from poledesk.sync.merge import MergeSummary, apply_records
from poledesk.sync.records import ORDER, SPECS
from poledesk.sync.snapshot import Route, UidIndex, changed_since, read_records, scope, state_digest

log = logging.getLogger(__name__)

APPLIED, ALREADY_APPLIED = "applied", "already_applied"


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    peer: str
    sequence: int
    kind: str                     # full, incremental (changed since the peer's last acknowledgement), or recovery
    bundle_id: str
    counts: dict[str, int]

    @property
    def records(self) -> int:
        return sum(self.counts.values())

    def describe(self) -> str:
        what = {"full": "complet", "recovery": "de restauration"}.get(self.kind, "des changements")
        return (f"Paquet n° {self.sequence} ({what}) pour « {self.peer} » écrit : "
                f"{plural(self.records, 'enregistrement')}, dans « {self.path} ».")


@dataclass(frozen=True, slots=True)
class ImportResult:
    path: Path
    status: str                   # applied, or already_applied (nothing changed)
    sender: str
    sequence: int
    bundle_id: str
    summary: MergeSummary | None = None
    in_step: bool = False         # after applying, this store holds exactly what the sender had sent for
    backup: Path | None = None
    message: str = ""


def _refuse_peer(peer: Peer) -> None:
    if peer.revoked_at is not None:
        raise BundleError("peer_revoked", f"La clé de « {peer.code} » a été révoquée : importez d'abord sa nouvelle "
                                          "carte. Aucun paquet n'a été écrit.")
    if peer.verified_at is None:
        raise BundleError("peer_unverified", f"« {peer.code} » n'est pas encore vérifié : comparez d'abord le code "
                                             "de vérification par téléphone. Aucun paquet n'a été écrit.")


def _as_bundle_error(error: KeysError) -> BundleError:
    return BundleError(error.reason, error.message)


def export_bundle(store: Store, peer_code: str, *, keys: LocalKeys, out: Path, full: bool = False,
                  recovery: bool = False, progress: Progress = no_progress) -> ExportResult:
    """Write a bundle for a verified peer: what changed since its last acknowledgement, or everything.

    With `recovery` (the coordinator, for a pole): everything, plus every record the pole owns as this store
    holds it, so that a pole reinstalled on a new laptop (new keys, card replaced and verified) gets them back.

    One write transaction: the records are read, the sequence taken and the file written together, so the
    sequence and the watermark recorded are exactly those of the file. `progress` may raise Cancelled.
    """
    progress(0, 3, "Lecture des enregistrements")
    with store.transaction() as session:
        try:
            own, peer = peers.own_identity(session), peers.get_peer(session, peer_code)
        except KeysError as error:
            raise _as_bundle_error(error) from None
        _refuse_peer(peer)
        route = Route(own.code, own.role, peer.code, peer.role)
        if recovery and not route.forwards_directory:
            raise BundleError("recovery_role", "Seule la coordination écrit un paquet de restauration, et seulement "
                                               "pour un pôle. Aucun paquet n'a été écrit.")
        if own.role == ROLE_POLE:   # the health flags stay here: their counts travel instead
            refresh_equity_counts(session, own.code)
        since = None if full or recovery else _acknowledged_watermark(session, peer)
        watermark = store.clock.tick().encode()
        records = select_records(session, route, since=since, recovery=recovery)
        counts = dict(Counter(r["table"] for r in records))
        progress(1, 3, "Signature et chiffrement")
        kind = "recovery" if recovery else "full" if since is None else "incremental"
        manifest = build_manifest(route, peer, keys=keys, counts=counts, kind=kind, digest=state_digest(session, route))
        sealed = bundle.seal(manifest, bundle.payload_of(records), keys=keys, recipient=peer.age_recipient)
        progress(2, 3, "Écriture du paquet")
        bundle.write_atomically(out, sealed)
        peer.last_sequence_sent, peer.last_sent_at = manifest["sequence"], utcnow()
        session.add(SentBundle(peer_code=peer.code, sequence=manifest["sequence"], bundle_id=manifest["bundle_id"],
                               kind=manifest["kind"], watermark=watermark, records=len(records), created_at=utcnow()))
        settings.put(session, settings.CLOCK_LAST, store.clock.last.encode())
    progress(3, 3, "Terminé")
    result = ExportResult(Path(out), peer.code, manifest["sequence"], manifest["kind"], manifest["bundle_id"], counts)
    log.info("bundle %s written for %s: sequence %s, %s, %s records", result.bundle_id, result.peer,
             result.sequence, result.kind, result.records)
    return result


def _acknowledged_watermark(session: Session, peer: Peer) -> str | None:
    """The local clock when the newest bundle the peer acknowledged was written; None: send everything."""
    if not peer.acknowledged_by_peer:
        return None
    return session.scalars(select(SentBundle.watermark).where(
        SentBundle.peer_code == peer.code, SentBundle.sequence == peer.acknowledged_by_peer)).first()


def select_records(session: Session, route: Route, *, since: str | None = None,
                   recovery: bool = False) -> list[dict[str, Any]]:
    """The records a bundle on `route` carries, parents first; with `since`, only those changed after it.

    With `recovery`, also every record the recipient owns (see export_bundle), but its own pole row: the new
    install wrote its own when it was set up.
    """
    index, found = UidIndex(session), list[dict[str, Any]]()
    for name in ORDER:
        spec = SPECS[name]
        clause = scope(route, spec)
        if recovery and name != "pole":
            theirs = spec.table.c.owner == route.recipient
            clause = theirs if clause is None else or_(clause, theirs)
        if clause is None:
            continue
        if since is not None:
            clause = clause & changed_since(route, spec, watermark=since)
        found.extend(read_records(session, spec, index=index, where=clause))
    return found


def build_manifest(route: Route, peer: Peer, *, keys: LocalKeys, counts: dict[str, int], kind: str,
                   digest: str) -> dict[str, Any]:
    """The manifest of the next bundle for `peer` (bundle.seal fills in the payload's hash and length)."""
    return {"format": bundle.FORMAT, "schema": migrate.known_revisions()[1], "app_version": __version__,
            "bundle_id": uuid7(), "kind": kind,
            "sender": {"code": route.sender, "role": route.sender_role, "fingerprint": keys.fingerprint},
            "recipient": {"code": peer.code, "role": peer.role, "fingerprint": peer.fingerprint},
            "sequence": peer.last_sequence_sent + 1, "acknowledged": peer.last_sequence_received,
            "created_at": datetime.now(UTC).replace(microsecond=0).isoformat(), "counts": counts,
            "state_digest": digest, "payload": {"sha256": "", "length": 0}}


def import_bundle(store: Store, path: Path, *, keys: LocalKeys, max_size: int = bundle.MAX_SIZE,
                  now_ms: int | None = None, backup: bool = True, progress: Progress = no_progress) -> ImportResult:
    """Check a bundle entirely, back the store up, then merge it in one transaction.

    Raises BundleError (French message, `reason` code) with the store untouched. A bundle applied before is
    not an error: the result says so (status already_applied) and nothing changes. When several bundles
    are imported in a row, `backup=False` after the first applied one keeps the backups folder (10 copies)
    from filling with near-identical copies. `progress` may raise Cancelled (before the commit: nothing
    is written).
    """
    with bundle.few_collections():
        return _import(store, Path(path), keys=keys, max_size=max_size, now_ms=now_ms, backup=backup,
                       progress=progress)


def _import(store: Store, path: Path, *, keys: LocalKeys, max_size: int, now_ms: int | None, backup: bool,
            progress: Progress) -> ImportResult:
    started = time.perf_counter()
    progress(0, 4, "Déchiffrement")
    opened = bundle.open_bundle(bundle.read_file(path, max_size=max_size), keys)
    progress(1, 4, "Vérification")
    with store.transaction() as session:     # BEGIN IMMEDIATE: nobody writes between the checks and the merge
        try:
            own = peers.own_identity(session)
            checked = checks.check_bundle(session, opened, keys=keys, own=own, now_ms=now_ms)
        except KeysError as error:
            raise _as_bundle_error(error) from None
        except checks.AlreadyApplied as done:
            return _already(path, opened, str(done))
        progress(2, 4, "Sauvegarde")
        copy = store.backup("avant-paquet") if backup else None   # the committed store: nothing written yet
        progress(3, 4, "Fusion")
        try:
            summary = apply_records(session, checked.records, clock=store.clock, sender=checked.route.sender,
                                    bundle_id=opened.manifest["bundle_id"],
                                    stamp_forwarded=own.role == ROLE_COORDINATOR, present=checked.present)
        except IntegrityError as error:   # e.g. a pseudonym already taken by another pupil: rolled back
            log.warning("bundle %s refused by the store: %s", opened.manifest["bundle_id"], error.orig)
            raise BundleError("store_constraint", "Le paquet contredit des données de ce poste (un identifiant "
                                                  "déjà pris) : il est refusé ; rien n'a changé.") from None
        settings.put(session, settings.CLOCK_LAST, store.clock.last.encode())
        in_step = state_digest(session, checked.route) == opened.manifest["state_digest"]
        _record_arrival(session, checked, summary, in_step=in_step, file_name=path.name)
        progress(4, 4, "Terminé")
    result = _applied(path, checked, summary, in_step=in_step, backup=copy)
    log.info("bundle %s from %s (sequence %s) applied in %.2f s: %s; in step: %s", result.bundle_id, result.sender,
             result.sequence, time.perf_counter() - started, summary.as_dict(), in_step)
    return result


def _record_arrival(session: Session, checked: checks.Checked, summary: MergeSummary, *, in_step: bool,
                    file_name: str) -> None:
    manifest = checked.manifest
    peer = session.get(Peer, checked.route.sender)
    assert peer is not None   # check_sender found it in this transaction
    peer.last_sequence_received, peer.last_received_at = manifest["sequence"], utcnow()
    acknowledged = min(manifest["acknowledged"], peer.last_sequence_sent)   # never beyond what we sent
    peer.acknowledged_by_peer = max(peer.acknowledged_by_peer, acknowledged)
    session.add(AppliedBundle(bundle_id=manifest["bundle_id"], sender=peer.code, sequence=manifest["sequence"],
                              kind=manifest["kind"], records=len(checked.records), in_step=in_step,
                              summary=json.dumps(summary.as_dict(), sort_keys=True), file_name=file_name[:300],
                              applied_at=utcnow()))


def _already(path: Path, opened: bundle.Opened, message: str) -> ImportResult:
    manifest = opened.manifest
    return ImportResult(path, ALREADY_APPLIED, manifest["sender"]["code"], manifest["sequence"],
                        manifest["bundle_id"], message=message)


def _applied(path: Path, checked: checks.Checked, summary: MergeSummary, *, in_step: bool,
             backup: Path | None) -> ImportResult:
    manifest = checked.manifest
    step = " Les deux postes sont à jour." if in_step else ""
    message = (f"Paquet n° {manifest['sequence']} de « {checked.route.sender} » importé : "
               f"{summary.describe()}.{step}")
    return ImportResult(path, APPLIED, checked.route.sender, manifest["sequence"], manifest["bundle_id"], summary,
                        in_step, backup, message)


@dataclass(frozen=True, slots=True)
class BundleLogRow:
    """One bundle received (applied) or sent, for the Coordination tab's history."""

    received: bool
    peer: str
    sequence: int
    kind: str
    records: int
    at: datetime
    in_step: bool | None               # received only: this store then held all the sender had
    summary: dict[str, dict[str, int]]  # received only: MergeSummary.as_dict()


def bundle_log(session: Session, peer_code: str | None = None) -> list[BundleLogRow]:
    """Bundles applied here and written here, newest first; those of one peer if `peer_code` is given."""
    received = select(AppliedBundle)
    sent = select(SentBundle)
    if peer_code is not None:
        received = received.where(AppliedBundle.sender == peer_code)
        sent = sent.where(SentBundle.peer_code == peer_code)
    rows = [BundleLogRow(True, a.sender, a.sequence, a.kind, a.records, a.applied_at, a.in_step,
                         json.loads(a.summary or "{}")) for a in session.scalars(received)]
    rows += [BundleLogRow(False, s.peer_code, s.sequence, s.kind, s.records, s.created_at, None, {})
             for s in session.scalars(sent)]
    return sorted(rows, key=lambda row: (row.at, row.sequence), reverse=True)
