"""Everything a decrypted bundle must pass, against this store, before one record of it is written."""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from poledesk.data import errors, migrate
from poledesk.data.clock import Hlc
from poledesk.data.identity import Identity
from poledesk.data.sync_tables import AppliedBundle, Peer
from poledesk.sync.bundle import MANIFEST_DOMAIN, Opened
from poledesk.sync.errors import BundleError
from poledesk.sync.keys import LocalKeys, verify
from poledesk.sync.records import ORDER, SPECS, Incoming, parse_record
from poledesk.sync.snapshot import Route, UidIndex, may_carry, rows_where_in

FUTURE_MS = 24 * 3600 * 1000    # a clock further ahead than this is a machine with a wrong date


@dataclass(frozen=True, slots=True)
class Checked:
    """A bundle that passed every check: its records in apply order (parents first)."""

    opened: Opened
    route: Route
    records: list[Incoming]
    present: dict[str, dict[str, int]] = dataclasses.field(default_factory=dict)   # table -> uid -> local id

    @property
    def manifest(self) -> dict[str, Any]:
        return self.opened.manifest

    @property
    def max_hlc(self) -> Hlc | None:
        return max((r.hlc for r in self.records), default=None)


class AlreadyApplied(errors.AlreadyApplied):
    """Not a refusal: the bundle was applied before, and applying it again would change nothing."""

    def __init__(self, applied: AppliedBundle) -> None:
        super().__init__(f"Ce paquet a déjà été importé le {applied.applied_at:%d/%m/%Y à %H:%M} : rien n'a changé.")
        self.applied_at = applied.applied_at


def check_bundle(session: Session, opened: Opened, *, keys: LocalKeys, own: Identity,
                 now_ms: int | None = None) -> Checked:
    """Run every check, in order; raise BundleError (French, with its reason) or AlreadyApplied."""
    peer = check_sender(session, opened)
    check_recipient(opened, keys, own)
    check_schema(opened)
    check_payload(opened)
    check_fresh(session, opened, peer)
    route = Route(peer.code, peer.role, own.code, own.role)
    recovery = opened.manifest["kind"] == "recovery"
    if recovery and not route.forwards_directory:
        raise BundleError("recovery_sender", f"Ce paquet de restauration vient de « {peer.code} » : seule la "
                                             "coordination en écrit, pour un pôle. Il est refusé ; rien n'a changé.")
    present: dict[str, dict[str, int]] = {}
    records = check_records(session, opened, route, now_ms=now_ms, recovery=recovery, present=present)
    return Checked(opened, route, records, present)


def check_sender(session: Session, opened: Opened) -> Peer:
    code, sequence = opened.sender["code"], opened.manifest["sequence"]
    peer = session.get(Peer, code)
    if peer is None or peer.role != opened.sender["role"]:
        raise BundleError("sender_unknown", f"Ce paquet dit venir de « {code} », qui n'est pas un correspondant de "
                                            "ce poste : importez et vérifiez d'abord sa carte. Rien n'a changé.")
    if peer.verified_at is None:
        raise BundleError("sender_unverified", f"« {code} » n'est pas encore vérifié : comparez d'abord le code de "
                                               "vérification par téléphone. Rien n'a changé.")
    if peer.revoked_after_sequence is not None and sequence > peer.revoked_after_sequence:
        raise BundleError("sender_revoked", f"La clé de « {code} » a été révoquée (ordinateur perdu ?) : ce paquet "
                                            f"(n° {sequence}) est refusé ; rien n'a changé.")
    if opened.sender["fingerprint"] != peer.fingerprint:
        raise BundleError("sender_key", f"Ce paquet est signé d'une clé de « {code} » que ce poste ne connaît pas : "
                                        "importez sa nouvelle carte d'identité. Rien n'a changé.")
    if not verify(peer.signing_key, opened.signature, domain=MANIFEST_DOMAIN, data=opened.manifest_bytes):
        raise BundleError("signature", f"La signature du paquet n'est pas celle de « {code} » : il a pu être "
                                       "falsifié. Il est refusé ; rien n'a changé.")
    return peer


def check_recipient(opened: Opened, keys: LocalKeys, own: Identity) -> None:
    recipient = opened.recipient
    if recipient["code"] != own.code or recipient["fingerprint"] not in keys.fingerprints:
        raise BundleError("wrong_recipient", f"Ce paquet a été écrit pour « {recipient['code']} », pas pour ce "
                                             "poste : il a pu être détourné. Il est refusé ; rien n'a changé.")


def check_schema(opened: Opened) -> None:
    theirs, ours = opened.manifest["schema"], migrate.known_revisions()[1]
    if int(theirs) > int(ours):
        raise BundleError("schema_newer", f"Ce paquet vient d'une version plus récente de PoleDesk (schéma {theirs}, "
                                          f"ici {ours}) : mettez à jour PoleDesk, puis importez-le de nouveau. "
                                          "Rien n'a changé.")


def check_payload(opened: Opened) -> None:
    declared = opened.manifest["payload"]
    if len(opened.payload) != declared["length"] or hashlib.sha256(opened.payload).hexdigest() != declared["sha256"]:
        raise BundleError("payload_mismatch", "Le contenu du paquet ne correspond pas à son manifeste signé : il a "
                                              "été modifié. Il est refusé ; rien n'a changé.")


def check_fresh(session: Session, opened: Opened, peer: Peer) -> None:
    applied = session.get(AppliedBundle, opened.manifest["bundle_id"])
    if applied is not None:
        raise AlreadyApplied(applied)
    sequence = opened.manifest["sequence"]
    if sequence <= peer.last_sequence_received:
        raise BundleError("sequence_old", f"Ce paquet (n° {sequence}) est plus ancien que le dernier reçu de "
                                          f"« {peer.code} » (n° {peer.last_sequence_received}) : son contenu est "
                                          "déjà arrivé par un paquet plus récent. Rien n'a changé.")


KIND_WORDS = {"pole": "pôle", "formation": "formation", "establishment": "établissement",
              "establishment_formation": "formation d'un établissement", "partner": "partenaire",
              "contact": "interlocuteur", "hosting_offer": "offre d'accueil", "visit": "visite", "pupil": "élève",
              "escalation": "sollicitation", "escalation_event": "étape d'une sollicitation",
              "proposal": "proposition", "placement": "stage", "timetable_day": "horaire d'un stage",
              "amendment": "avenant", "training_session": "formation des tuteurs", "registration": "inscription",
              "action": "action du programme"}
_NAME_KEYS = ("name", "title", "label", "last_name", "code")


def describe_record(raw: Any) -> str:
    """« partenaire « Boulangerie Martin » » : what a person at the sending end can find and fix (pupils are never
    named: their names do not travel)."""
    if not isinstance(raw, dict):
        return ""
    table, values = raw.get("table"), raw.get("fields")
    kind = KIND_WORDS.get(table, "") if isinstance(table, str) else ""
    name = next((values[k] for k in _NAME_KEYS if isinstance(values, dict) and isinstance(values.get(k), str)
                 and values[k].strip()), "") if table != "pupil" else ""
    shown = "".join(c if c.isprintable() else "\ufffd" for c in name[:60]) + ("…" if len(name) > 60 else "")
    return f"{kind} « {shown} »" if kind and shown else kind


def _refused(number: int, why: str, raw: Any = None) -> BundleError:
    what = describe_record(raw)
    where = f"Enregistrement n° {number} du paquet ({what})" if what else f"Enregistrement n° {number} du paquet"
    return BundleError("record_invalid", f"{where} : {why}. Le paquet est refusé en entier ; rien n'a changé. "
                                         "Corrigez la fiche chez son expéditeur : la correction voyagera dans son "
                                         "prochain paquet.")


def check_records(session: Session, opened: Opened, route: Route, *, now_ms: int | None = None,
                  recovery: bool = False, present: dict[str, dict[str, int]] | None = None) -> list[Incoming]:
    """Each record valid, carried by the right sender, not in the future, its references resolvable.

    A recovery bundle (from the coordinator, checked by check_bundle) may also carry the recipient's own records.
    `present`, if given, is filled with the local id of each record already here (table -> uid -> id).
    """
    limit = (time.time_ns() // 1_000_000 if now_ms is None else now_ms) + FUTURE_MS
    by_table: dict[str, list[Incoming]] = defaultdict(list)
    seen: set[str] = set()
    for number, raw in enumerate(opened.records(), start=1):
        try:
            record = parse_record(raw)
        except ValueError as error:
            raise _refused(number, str(error), raw) from None
        if record.uid in seen:
            raise _refused(number, "identifiant répété")
        seen.add(record.uid)
        _check_owner(route, record, number, recovery=recovery)
        if record.hlc.wall_ms > limit:
            when = datetime.fromtimestamp(record.hlc.wall_ms / 1000, UTC).strftime("%d/%m/%Y %H:%M")
            raise BundleError("clock_future", f"Le paquet contient une écriture datée du {when} (UTC), plus de 24 h "
                                              f"dans le futur : l'horloge de l'ordinateur de « {route.sender} » est "
                                              "sans doute déréglée. Il est refusé ; rien n'a changé.")
        by_table[record.spec.name].append(record)
    counts = {name: len(items) for name, items in by_table.items()}
    if counts != {k: v for k, v in opened.manifest["counts"].items() if v}:
        raise BundleError("manifest", "Le nombre d'enregistrements ne correspond pas au manifeste : le paquet est "
                                      "refusé ; rien n'a changé.")
    ordered = [record for name in ORDER for record in by_table.get(name, ())]
    found = _check_local_owners(session, by_table)
    if present is not None:
        present.update(found)
    _check_references(session, by_table)
    return ordered


def _check_owner(route: Route, record: Incoming, number: int, *, recovery: bool = False) -> None:
    # A recovery bundle brings the pole's own records back, but its pole row: the new install has its own.
    returned = recovery and record.owner == route.recipient and record.spec.name != "pole"
    if not returned and not may_carry(route, record.spec.name, owner=record.owner):
        raise BundleError("record_owner", f"Le paquet de « {route.sender} » contient un enregistrement de "
                                          f"« {record.owner} » ({record.spec.name}, n° {number}) : chacun n'envoie "
                                          "que ce qui lui appartient. Le paquet est refusé en entier ; rien n'a "
                                          "changé.")
    if record.spec.name == "pole" and record.values.get("code") != record.owner:
        raise BundleError("record_owner", f"Le paquet de « {route.sender} » décrit le pôle "
                                          f"« {record.values.get('code')} » au nom de « {record.owner} » : il est "
                                          "refusé en entier ; rien n'a changé.")


def _check_local_owners(session: Session, by_table: dict[str, list[Incoming]]) -> dict[str, dict[str, int]]:
    """A uid already here under another owner cannot be taken over by a bundle. Returns the local ids of the
    uids already here, per table."""
    found: dict[str, dict[str, int]] = {}
    for name, items in by_table.items():
        table = SPECS[name].table
        owners = {r.uid: r.owner for r in items}
        here = found[name] = {}
        for uid, owner, row_id in rows_where_in(session, table, ("uid", "owner", "id"), "uid", list(owners)):
            if owner != owners[uid]:
                raise BundleError("record_owner", f"Le paquet voudrait remplacer un enregistrement de « {owner} » "
                                                  f"({name}) : il est refusé en entier ; rien n'a changé.")
            here[uid] = row_id
    return found


# Per table: (column, referenced table) of each reference.
_REFS = {name: tuple((f.column, f.target or "") for f in spec.fields if f.kind == "ref")
         for name, spec in SPECS.items()}


def _check_references(session: Session, by_table: dict[str, list[Incoming]]) -> None:
    """Every uid a record points to is in the bundle or already here, in the table the reference names."""
    in_bundle = {name: {r.uid for r in items} for name, items in by_table.items()}
    nothing: set[str] = set()
    wanted: dict[str, set[str]] = {}
    for name in ORDER:
        items = by_table.get(name, [])
        for column, target in _REFS[name]:
            here = in_bundle.get(target, nothing)
            missing = {uid for r in items if (uid := r.refs[column]) is not None and uid not in here}
            if missing:
                wanted.setdefault(target, set()).update(missing)
        for link in SPECS[name].links:
            here = in_bundle.get(link.target, nothing)
            missing = {u for r in items for u in r.links[link.key] if u not in here}
            if missing:
                wanted.setdefault(link.target, set()).update(missing)
    index = UidIndex(session)
    for target, uids in wanted.items():
        index.fetch_ids(target, uids)
        if any(index.id(target, uid) is None for uid in uids):
            raise BundleError("reference_unknown", f"Un enregistrement du paquet renvoie à un enregistrement "
                                                   f"({target}) absent de ce poste et du paquet : un paquet "
                                                   "précédent manque sans doute. Demandez un envoi complet. "
                                                   "Rien n'a changé.")
