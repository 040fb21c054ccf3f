"""The trusted peers: pin a card, check its code by phone, accept a rotation, revoke a lost key."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data.identity import POLE_CODE, ROLE_COORDINATOR, ROLE_POLE, Identity, coordinator_code, current_identity
from poledesk.data.models import utcnow
from poledesk.data.sync_tables import Peer
from poledesk.data.text import fold
from poledesk.sync.errors import KeysError
from poledesk.sync.keys import Card, LocalKeys, read_card, verification_code

log = logging.getLogger(__name__)

NEW, UNCHANGED, ROTATED, REPLACED = "new", "unchanged", "rotated", "replaced"


@dataclass(frozen=True, slots=True)
class PeerRow:
    """A peer as the UI and the CLI show it."""

    code: str
    role: str
    name: str
    academie: str
    fingerprint: str
    verification_code: str
    verified_at: datetime | None
    revoked_at: datetime | None
    revoked_after_sequence: int | None
    last_sequence_received: int
    acknowledged_by_peer: int
    last_sequence_sent: int
    last_received_at: datetime | None
    last_sent_at: datetime | None

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    @property
    def state(self) -> str:
        """In French: 'révoqué', 'vérifié' or 'à vérifier par téléphone'."""
        if self.revoked_at is not None:
            return "révoqué"
        return "vérifié" if self.verified else "à vérifier par téléphone"


@dataclass(frozen=True, slots=True)
class CardImport:
    peer: PeerRow
    status: str                  # new, unchanged, rotated (accepted on the old key's word), replaced


def peer_row(peer: Peer, keys: LocalKeys) -> PeerRow:
    return PeerRow(peer.code, peer.role, peer.name, peer.academie, peer.fingerprint,
                   verification_code(keys.fingerprint, peer.fingerprint), peer.verified_at, peer.revoked_at,
                   peer.revoked_after_sequence, peer.last_sequence_received, peer.acknowledged_by_peer,
                   peer.last_sequence_sent, peer.last_received_at, peer.last_sent_at)


def list_peers(session: Session, keys: LocalKeys) -> list[PeerRow]:
    return [peer_row(p, keys) for p in session.scalars(select(Peer).order_by(Peer.role, Peer.code))]


def get_peer(session: Session, code: str) -> Peer:
    peer = session.get(Peer, code.strip().upper())
    if peer is None:
        raise KeysError("peer_unknown", f"« {code} » n'est pas un correspondant de ce poste : importez d'abord "
                                        "sa carte d'identité.")
    return peer


def own_identity(session: Session) -> Identity:
    ident = current_identity(session)
    if ident is None:
        raise KeysError("not_set_up", "Ce poste n'est pas encore configuré (pôle ou coordination) : il ne peut "
                                      "pas encore échanger de paquets.")
    return ident


def import_card(session: Session, data: bytes, *, keys: LocalKeys, replace: bool = False) -> CardImport:
    """Pin the peer a card names, or update it. Caller's transaction.

    A new peer starts unverified. New keys signed by the pinned (and unrevoked) key are a rotation, taken
    without a new phone check. New keys without that signature replace the pinned ones only with
    `replace=True` (a reinstalled laptop), and then need a new phone check.
    """
    own = own_identity(session)
    card = read_card(data)
    if card.fingerprint == keys.fingerprint:
        raise KeysError("card_own", "Cette carte est celle de ce poste : importez la carte de votre "
                                    "correspondant.")
    _check_role(session, own, card)
    peer = session.get(Peer, card.code)
    if peer is None:
        peer = Peer(code=card.code, role=card.role, last_sequence_received=0, acknowledged_by_peer=0,
                    last_sequence_sent=0, pinned_at=utcnow())
        _pin(peer, card)
        session.add(peer)
        status = NEW
    else:
        status = _update(peer, card, replace=replace)
    session.flush()
    log.info("identity card of %s imported: %s", card.code, status)
    return CardImport(peer_row(peer, keys), status)


def _check_role(session: Session, own: Identity, card: Card) -> None:
    if fold(card.academie) != fold(own.academie):
        raise KeysError("card_academie", f"Cette carte est celle d'un poste de l'académie de {card.academie}, "
                                         f"pas de {own.academie} : rien n'a été enregistré.")
    if own.role == ROLE_POLE:
        if card.role != ROLE_COORDINATOR or card.code != coordinator_code(card.academie):
            raise KeysError("card_role", "Un pôle n'échange qu'avec la coordination académique : cette carte "
                                         "n'est pas celle d'une coordination.")
        other = session.scalars(select(Peer).where(Peer.role == ROLE_COORDINATOR, Peer.code != card.code)).first()
        if other is not None:
            raise KeysError("card_second_coordinator", f"Ce pôle est déjà lié à la coordination « {other.code} » : "
                                                       "il n'en a qu'une.")
    elif card.role != ROLE_POLE or not POLE_CODE.fullmatch(card.code):
        raise KeysError("card_role", "La coordination n'échange qu'avec les pôles de son académie : cette carte "
                                     "n'est pas celle d'un pôle.")
    if card.code == own.code:
        raise KeysError("card_same_code", f"Cette carte porte le code de ce poste (« {own.code} ») : elle est "
                                          "refusée.")


def _pin(peer: Peer, card: Card) -> None:
    peer.name, peer.academie = card.name, card.academie
    peer.signing_key, peer.age_recipient, peer.fingerprint = card.signing_key, card.age_recipient, card.fingerprint
    peer.card_created_at = card.created_at


def _update(peer: Peer, card: Card, *, replace: bool) -> str:
    if (peer.signing_key, peer.age_recipient) == (card.signing_key, card.age_recipient):
        peer.name = card.name
        return UNCHANGED
    if peer.revoked_at is None and card.endorsed_by(peer.signing_key):
        _pin(peer, card)   # same install, new keys: trust carries over, sequences go on
        return ROTATED
    if not replace:
        raise KeysError("card_new_keys", f"La carte de « {card.code} » porte de nouvelles clés, qui ne sont pas "
                                         "signées par les clés connues. S'il a changé d'ordinateur, confirmez le "
                                         "remplacement : il faudra de nouveau vérifier le code par téléphone. "
                                         "Rien n'a été enregistré.")
    _pin(peer, card)
    # Another install: a new phone check, and its bundles count from 1 again (the old key can no longer sign).
    peer.verified_at = peer.revoked_at = peer.revoked_after_sequence = None
    peer.last_sequence_received = peer.acknowledged_by_peer = 0
    return REPLACED


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def verify_peer(session: Session, code: str, *, keys: LocalKeys, code_read: str) -> PeerRow:
    """Mark a peer verified once the 30 digits read by phone match ours. Caller's transaction."""
    peer = get_peer(session, code)
    expected = verification_code(keys.fingerprint, peer.fingerprint)
    if _digits(code_read) != _digits(expected):
        raise KeysError("code_mismatch", f"Le code lu ne correspond pas à celui de « {peer.code} » : ne faites pas "
                                         "confiance à cette carte et redemandez-la. Rien n'a été enregistré.")
    if peer.revoked_at is not None:
        raise KeysError("peer_revoked", f"La clé de « {peer.code} » a été révoquée : importez sa nouvelle carte.")
    peer.verified_at = utcnow()
    session.flush()
    log.info("peer %s verified", peer.code)
    return peer_row(peer, keys)


def revoke_peer(session: Session, code: str, *, keys: LocalKeys, after_sequence: int | None = None) -> PeerRow:
    """The coordinator revokes a pole's key (a lost laptop): its bundles numbered after `after_sequence`
    (by default, the last one received) are refused from now on. Caller's transaction."""
    own = own_identity(session)
    if own.role != ROLE_COORDINATOR:
        raise KeysError("revoke_not_coordinator", "Seule la coordination académique peut révoquer la clé d'un pôle.")
    peer = get_peer(session, code)
    limit = peer.last_sequence_received if after_sequence is None else after_sequence
    if limit < 0:
        raise KeysError("revoke_sequence", "Le numéro de paquet doit être positif.")
    peer.revoked_at, peer.revoked_after_sequence = utcnow(), limit
    session.flush()
    log.info("key of peer %s revoked after bundle %s", peer.code, limit)
    return peer_row(peer, keys)
