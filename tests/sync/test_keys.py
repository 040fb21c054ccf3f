"""Keys and peers: private files, signed cards, the phone check, one coordinator per pole, rotation, revocation."""

from __future__ import annotations

import json
import re
import stat

import pytest
from sync_support import pair, pin, store_digest

from poledesk.sync import exchange, keys, peers
from poledesk.sync.errors import BundleError, KeysError


@pytest.fixture
def pole(installs):
    """A new pole NM-07 with keys (the demo's records are not needed here)."""
    return installs("pole", "NM-07")


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_keys_are_created_once_and_readable_by_the_user_only(tmp_path):
    created = keys.create_keys(tmp_path)
    folder = keys.keys_dir(tmp_path)
    assert mode(folder) == 0o700
    assert mode(folder / keys.AGE_FILE) == 0o600 and mode(folder / keys.SIGNING_FILE) == 0o600
    again = keys.load_keys(tmp_path)
    assert again.fingerprint == created.fingerprint and again.recipient.startswith("age1")
    assert keys.ensure_keys(tmp_path).fingerprint == created.fingerprint
    with pytest.raises(KeysError, match="déjà ses clés"):
        keys.create_keys(tmp_path)


def test_missing_keys_are_explained(tmp_path):
    with pytest.raises(KeysError, match="keys init"):
        keys.load_keys(tmp_path)


def test_a_card_carries_both_public_keys_and_its_self_signature(pole):
    card = json.loads(pole.card())
    assert card["role"] == "pole" and card["code"] == "NM-07" and card["academie"] == "Nancy-Metz"
    assert card["signing_key"] == pole.keys.verify_key and card["age_recipient"] == pole.keys.recipient
    assert "AGE-SECRET-KEY" not in pole.card().decode() and card["replaces"] is None
    assert keys.read_card(pole.card()).fingerprint == pole.keys.fingerprint


OTHER_RECIPIENT = "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq9"


@pytest.mark.parametrize("field, value", [("name", "Pôle pirate"), ("code", "NM-99"),
                                          ("age_recipient", OTHER_RECIPIENT)])
def test_a_card_altered_after_signing_is_refused(pole, coordinator, field, value):
    card = json.loads(pole.card())
    card[field] = value
    before = store_digest(coordinator.store)
    with pytest.raises(KeysError, match="pas une carte d'identité PoleDesk valide"), \
            coordinator.store.transaction() as session:
        peers.import_card(session, json.dumps(card).encode(), keys=coordinator.keys)
    assert store_digest(coordinator.store) == before


def test_both_sides_see_the_same_30_digit_code(pole, coordinator):
    with coordinator.store.transaction() as session:
        at_coordinator = peers.import_card(session, pole.card(), keys=coordinator.keys)
    with pole.store.transaction() as session:
        at_pole = peers.import_card(session, coordinator.card(), keys=pole.keys)
    code = at_pole.peer.verification_code
    assert re.fullmatch(r"\d{5}( \d{5}){5}", code)
    assert code == at_coordinator.peer.verification_code
    assert not at_pole.peer.verified and at_pole.status == peers.NEW


def test_a_wrong_code_verifies_nothing(pole, coordinator):
    pin(coordinator, pole, verify=False)
    with pytest.raises(KeysError, match="ne correspond pas"), coordinator.store.transaction() as session:
        peers.verify_peer(session, "NM-07", keys=coordinator.keys, code_read="00000 00000 00000 00000 00000 00000")
    with coordinator.store.session() as session:
        assert not peers.list_peers(session, coordinator.keys)[0].verified


def test_unverified_peers_cannot_exchange(pole, coordinator, tmp_path):
    pin(pole, coordinator, verify=False)
    with pytest.raises(BundleError, match="pas encore vérifié"):
        pole.export(coordinator, tmp_path / "b.age")
    assert not (tmp_path / "b.age").exists()
    pin(pole, coordinator)   # verified on the pole's side only
    pin(coordinator, pole, verify=False)
    pole.export(coordinator, tmp_path / "b.age")
    before = store_digest(coordinator.store)
    with pytest.raises(BundleError, match="pas encore vérifié") as refused:
        coordinator.load(tmp_path / "b.age")
    assert refused.value.reason == "sender_unverified"
    assert store_digest(coordinator.store) == before


def test_a_pole_pins_one_coordinator_and_the_coordinator_every_pole(installs):
    coordinator, other_coordinator = installs("coordinator"), installs("coordinator")
    poles = [installs("pole", f"NM-0{n}") for n in (1, 2, 3)]
    for pole in poles:
        pair(pole, coordinator)
    with coordinator.store.session() as session:
        assert [p.code for p in peers.list_peers(session, coordinator.keys)] == ["NM-01", "NM-02", "NM-03"]
    with pytest.raises(KeysError, match="qu'avec la coordination"), poles[0].store.transaction() as session:
        peers.import_card(session, poles[1].card(), keys=poles[0].keys)
    with pytest.raises(KeysError, match="n'échange qu'avec les pôles"), coordinator.store.transaction() as session:
        peers.import_card(session, other_coordinator.card(), keys=coordinator.keys)
    with pytest.raises(KeysError, match="nouvelles clés"), poles[0].store.transaction() as session:
        peers.import_card(session, other_coordinator.card(), keys=poles[0].keys)   # same code, other keys


def test_a_card_of_another_academie_is_refused(installs, tmp_path):
    from poledesk.data import identity
    from poledesk.data.db import open_store

    store = open_store(tmp_path / "strasbourg")
    try:
        with store.transaction() as session:
            ident = identity.init_pole(session, "ST-01", name="Pôle de Colmar", bassin="Colmar", academie="Strasbourg")
        coordinator = installs("coordinator")
        card = keys.make_card(ident, keys.ensure_keys(store.folder))
        with pytest.raises(KeysError, match="académie de Strasbourg"), coordinator.store.transaction() as session:
            peers.import_card(session, card, keys=coordinator.keys)
    finally:
        store.close()


def test_a_rotated_key_signed_by_the_old_one_needs_no_new_call(small, tmp_path):
    pole, coordinator = small
    pole.export(coordinator, tmp_path / "avant.age")
    coordinator.load(tmp_path / "avant.age")
    new, old = keys.rotate_keys(pole.folder)
    with pole.store.session() as session:
        card = keys.make_card(peers.own_identity(session), new, previous=old)
    with coordinator.store.transaction() as session:
        rotated = peers.import_card(session, card, keys=coordinator.keys)
    assert rotated.status == peers.ROTATED and rotated.peer.verified
    pole.keys = keys.load_keys(pole.folder)
    assert pole.keys.fingerprint == new.fingerprint and len(pole.keys.retired) == 1
    pole.export(coordinator, tmp_path / "apres.age")
    assert coordinator.load(tmp_path / "apres.age").status == exchange.APPLIED


def test_new_keys_without_the_old_signature_need_confirmation_and_a_new_call(small, installs):
    pole, coordinator = small
    impostor = installs("pole", "NM-07")   # same code, keys of its own
    with pytest.raises(KeysError, match="nouvelles clés"), coordinator.store.transaction() as session:
        peers.import_card(session, impostor.card(), keys=coordinator.keys)
    with coordinator.store.transaction() as session:
        replaced = peers.import_card(session, impostor.card(), keys=coordinator.keys, replace=True)
    assert replaced.status == peers.REPLACED and not replaced.peer.verified


def test_only_the_coordinator_revokes(small):
    pole, coordinator = small
    with pytest.raises(KeysError, match="Seule la coordination"), pole.store.transaction() as session:
        peers.revoke_peer(session, coordinator.code, keys=pole.keys)
    with coordinator.store.transaction() as session:
        row = peers.revoke_peer(session, "NM-07", keys=coordinator.keys)
    assert row.state == "révoqué" and row.revoked_after_sequence == 0
    with pytest.raises(BundleError, match="révoquée"):
        coordinator.export(pole, pole.folder / "x.age")


def test_a_revoked_key_cannot_endorse_its_successor(small):
    pole, coordinator = small
    with coordinator.store.transaction() as session:
        peers.revoke_peer(session, "NM-07", keys=coordinator.keys)
    new, old = keys.rotate_keys(pole.folder)
    with pole.store.session() as session:
        card = keys.make_card(peers.own_identity(session), new, previous=old)
    with pytest.raises(KeysError, match="nouvelles clés"), coordinator.store.transaction() as session:
        peers.import_card(session, card, keys=coordinator.keys)
