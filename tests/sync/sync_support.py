"""What the sync tests share: installs that exchange bundles, pinning, store digests, bundles built by hand."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage
from sqlalchemy import select

from poledesk.data import identity
from poledesk.data.db import Store, open_store
from poledesk.data.models import Base
from poledesk.sync import bundle, exchange, keys, peers
from poledesk.sync.keys import LocalKeys
from poledesk.sync.records import canonical


@dataclass
class Install:
    store: Store
    keys: LocalKeys

    @property
    def code(self) -> str:
        return self.store.owner

    @property
    def folder(self) -> Path:
        return self.store.folder

    def card(self) -> bytes:
        with self.store.session() as session:
            return keys.make_card(identity.current_identity(session), self.keys)

    def export(self, to: Install, path: Path, *, full: bool = False) -> Path:
        exchange.export_bundle(self.store, to.code, keys=self.keys, out=path, full=full)
        return path

    def load(self, path: Path, **options: Any) -> exchange.ImportResult:
        return exchange.import_bundle(self.store, path, keys=self.keys, **options)


def coordinator_at(folder: Path) -> Install:
    store = open_store(folder)
    with store.transaction() as session:
        ident = identity.init_coordinator(session, "Nancy-Metz")
    store.set_owner(ident.code)
    return Install(store, keys.ensure_keys(folder))


def pole_at(folder: Path, code: str) -> Install:
    store = open_store(folder)
    with store.transaction() as session:
        ident = identity.init_pole(session, code, name=f"Pôle de stages {code}", bassin="Bassin", academie="Nancy-Metz")
    store.set_owner(ident.code)
    return Install(store, keys.ensure_keys(folder))


def pin(holder: Install, other: Install, *, verify: bool = True) -> None:
    with holder.store.transaction() as session:
        imported = peers.import_card(session, other.card(), keys=holder.keys)
        if verify:
            peers.verify_peer(session, other.code, keys=holder.keys, code_read=imported.peer.verification_code)


def pair(a: Install, b: Install) -> None:
    pin(a, b)
    pin(b, a)


def store_digest(store: Store) -> str:
    """SHA-256 of every row of every table (sync bookkeeping included): equal means nothing changed."""
    digest = hashlib.sha256()
    with store.session() as session:
        for name, table in sorted(Base.metadata.tables.items()):
            rows = session.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest.update(name.encode() + repr([tuple(row) for row in rows]).encode())
    return digest.hexdigest()


def open_plain(path: Path, recipient: Install) -> tuple[dict[str, Any], bytes, list[bytes]]:
    """Decrypt a bundle with the recipient's identity: (manifest, signature line, record lines)."""
    plain = pyrage.decrypt(path.read_bytes(), [recipient.keys.age_identity])
    magic, manifest, signature, payload = plain.split(b"\n", 3)
    assert magic == bundle.MAGIC
    import json

    return json.loads(manifest), signature, [line for line in payload.split(b"\n") if line]


def reseal(manifest: dict[str, Any], records: list[Any], *, sign_with: LocalKeys | None, to: Install,
           fix_payload: bool = True) -> bytes:
    """A bundle built by hand: any manifest and records, signed by any key (or not at all), sealed to `to`."""
    payload = b"".join((r if isinstance(r, bytes) else canonical(r)) + b"\n" for r in records)
    if fix_payload:
        manifest = {**manifest, "payload": {"sha256": hashlib.sha256(payload).hexdigest(), "length": len(payload)}}
    manifest_bytes = canonical(manifest)
    signature = sign_with.sign(bundle.MANIFEST_DOMAIN, manifest_bytes).encode() if sign_with else b""
    plain = b"\n".join((bundle.MAGIC, manifest_bytes, signature, payload))
    return pyrage.encrypt(plain, [pyrage.x25519.Recipient.from_str(to.keys.recipient)])


def populate(install: Install, *, pupil_name: str = "Noé Müller") -> None:
    """A few records of a small pole: two partners with a contact, a school, a pupil and its escalation."""
    from datetime import date

    from poledesk.data.enums import Audience, EstablishmentKind
    from poledesk.data.models import Contact, Escalation, Establishment, Formation, Partner, Pupil

    first, last = pupil_name.split(" ", 1)
    with install.store.transaction() as session:
        formation = Formation(code="40025214", label="Bac pro Métiers du commerce et de la vente",
                              audience=Audience.PFMP_BACPRO, pfmp_weeks=22)
        school = Establishment(uai="0540038Y", name="Lycée Henri-Poincaré", kind=EstablishmentKind.LYCEE,
                               postcode="54000", commune="Nancy")
        garage = Partner(name="Garage Leclerc", siret="73282932000074", naf_code="45.20A", postcode="54000",
                         commune="Nancy")
        bakery = Partner(name="Boulangerie L'Épi d'Or", naf_code="10.71C", postcode="88000", commune="Épinal")
        contact = Contact(partner=garage, first_name="Gaëlle", last_name="Thiébaut", is_tutor=True)
        pupil = Pupil(establishment=school, formation=formation, first_name=first, last_name=last,
                      birth_date=date(2010, 3, 14), representative_name=f"Anaïs {last}", needs=f"Trajet de {first}")
        escalation = Escalation(establishment=school, pupil=pupil, received_on=date(2026, 10, 2),
                                audience=Audience.PFMP_BACPRO, formation=formation, period_start=date(2027, 1, 11),
                                period_end=date(2027, 2, 5), outcome=f"{first} a trouvé", asked_by_name="M. Adam")
        session.add_all([formation, school, garage, bakery, contact, pupil, escalation])
