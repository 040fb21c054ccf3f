"""Hostile or broken bundles: each refused with its own French message, the store's content left as it was."""

from __future__ import annotations

import base64
import json
import os
from datetime import UTC, datetime, timedelta

import pyrage
import pytest
from sync_support import open_plain, pair, pin, reseal, store_digest

from poledesk.data.clock import Hlc
from poledesk.data.db import list_backups
from poledesk.sync import peers
from poledesk.sync.errors import BundleError


def expect_refusal(install, path, reason: str, words: str, **options) -> BundleError:
    before, backups = store_digest(install.store), list_backups(install.folder)
    with pytest.raises(BundleError) as caught:
        install.load(path, **options)
    assert caught.value.reason == reason, caught.value
    assert words in str(caught.value)
    assert store_digest(install.store) == before
    assert list_backups(install.folder) == backups   # not even a backup: nothing was about to be written
    return caught.value


@pytest.fixture
def sent(small, tmp_path):
    """NM-07's first bundle for the coordinator, and its decrypted parts."""
    pole, coordinator = small
    path = pole.export(coordinator, tmp_path / "nm07.age")
    manifest, _signature, lines = open_plain(path, coordinator)
    return path, manifest, [json.loads(line) for line in lines]


def write(tmp_path, data: bytes, name: str = "forge.age"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_another_poles_bundle_cannot_be_opened_here(small, installs, tmp_path):
    pole, coordinator = small
    other = installs("pole", "NM-08")
    pair(other, coordinator)
    path = other.export(coordinator, tmp_path / "nm08.age")
    expect_refusal(pole, path, "not_for_us", "n'est pas chiffré pour ce poste")


def test_a_manifest_naming_another_sender_than_its_signer(small, installs, sent, tmp_path):
    pole, coordinator = small
    other = installs("pole", "NM-08")
    pair(other, coordinator)
    _path, manifest, records = sent
    forged = write(tmp_path, reseal(manifest, records, sign_with=other.keys, to=coordinator))
    expect_refusal(coordinator, forged, "signature", "n'est pas celle de « NM-07 »")


def test_a_signer_never_pinned(coordinator, installs, tmp_path):
    stranger = installs("pole", "NM-09")
    pin(stranger, coordinator)
    path = stranger.export(coordinator, tmp_path / "nm09.age")
    expect_refusal(coordinator, path, "sender_unknown", "n'est pas un correspondant de ce poste")


def test_a_bundle_without_signature(small, sent, tmp_path):
    _pole, coordinator = small
    _path, manifest, records = sent
    forged = write(tmp_path, reseal(manifest, records, sign_with=None, to=coordinator))
    expect_refusal(coordinator, forged, "unsigned", "n'est pas signé")


def test_a_bundle_re_encrypted_to_another_install(small, installs, sent, tmp_path):
    pole, coordinator = small
    second = installs("coordinator")          # a second coordination laptop that trusts NM-07 too
    pin(second, pole)
    path, _manifest, _records = sent
    plain = pyrage.decrypt(path.read_bytes(), [coordinator.keys.age_identity])
    moved = pyrage.encrypt(plain, [pyrage.x25519.Recipient.from_str(second.keys.recipient)])
    expect_refusal(second, write(tmp_path, moved), "wrong_recipient",
                   "écrit pour « COORD-NANCY-METZ », pas pour ce poste")


def header_end(data: bytes) -> int:
    return data.index(b"\n---") + 1


@pytest.mark.parametrize("where", ["in the header", "before the MAC", "after the header", "mid payload",
                                   "last byte"])
def test_a_truncated_bundle(small, sent, tmp_path, where):
    _pole, coordinator = small
    data = sent[0].read_bytes()
    end = data.index(b"\n", header_end(data)) + 1
    cut = {"in the header": 40, "before the MAC": header_end(data) - 3, "after the header": end + 10,
           "mid payload": len(data) // 2, "last byte": len(data) - 1}[where]
    reason = "header_invalid" if cut < end else "damaged"
    expect_refusal(coordinator, write(tmp_path, data[:cut]), reason, "tronqué")


@pytest.mark.parametrize("where, reason, words", [
    ("header MAC", "header_tampered", "en-tête du paquet a été modifié"),
    ("recipient stanza", "not_for_us", "son en-tête a été modifié"),
    ("first chunk", "damaged", "modifié après son envoi"),
    ("last chunk", "damaged", "modifié après son envoi"),
])
def test_a_flipped_bit(small, sent, tmp_path, where, reason, words):
    _pole, coordinator = small
    data = bytearray(sent[0].read_bytes())
    body = data.index(b"\n", header_end(data)) + 1
    offset = {"header MAC": header_end(data) + 6, "recipient stanza": data.index(b"\n", 30) + 5,
              "first chunk": body + 16 + 100, "last chunk": len(data) - 20}[where]
    if offset < body:   # keep the header parseable base64, so that age gets as far as checking it
        data[offset] = ord("A") if data[offset] != ord("A") else ord("B")
    else:
        data[offset] ^= 0x04
    expect_refusal(coordinator, write(tmp_path, bytes(data)), reason, words)


def test_an_older_sequence_after_a_newer_one(small, tmp_path):
    pole, coordinator = small
    first = pole.export(coordinator, tmp_path / "1.age")
    second = pole.export(coordinator, tmp_path / "2.age")
    coordinator.load(second)
    expect_refusal(coordinator, first, "sequence_old", "plus ancien que le dernier reçu")


def test_a_schema_newer_than_ours(small, sent, tmp_path):
    pole, coordinator = small
    _path, manifest, records = sent
    forged = write(tmp_path, reseal({**manifest, "schema": "9999"}, records, sign_with=pole.keys, to=coordinator))
    expect_refusal(coordinator, forged, "schema_newer", "mettez à jour PoleDesk")


def test_a_payload_that_is_not_the_one_signed(small, sent, tmp_path):
    pole, coordinator = small
    _path, manifest, records = sent
    records[0]["fields"]["name"] = "Pôle falsifié"
    forged = write(tmp_path, reseal(manifest, records, sign_with=pole.keys, to=coordinator, fix_payload=False))
    expect_refusal(coordinator, forged, "payload_mismatch", "ne correspond pas à son manifeste signé")


def test_a_header_of_2000_stanzas_is_refused(small, tmp_path):
    _pole, coordinator = small
    stanza = b"-> X25519 " + base64.b64encode(os.urandom(32)).rstrip(b"=") + b"\n" + \
        base64.b64encode(os.urandom(32)).rstrip(b"=") + b"\n"
    data = b"age-encryption.org/v1\n" + stanza * 2000 + b"--- " + b"A" * 43 + b"\n" + os.urandom(256)
    expect_refusal(coordinator, write(tmp_path, data), "header_invalid", "anormalement long")


def test_two_recipients_are_refused_unopened(small, sent, tmp_path):
    _pole, coordinator = small
    plain = pyrage.decrypt(sent[0].read_bytes(), [coordinator.keys.age_identity])
    spare = pyrage.x25519.Identity.generate().to_public()
    data = pyrage.encrypt(plain, [pyrage.x25519.Recipient.from_str(coordinator.keys.recipient), spare])
    expect_refusal(coordinator, write(tmp_path, data), "recipients", "pour un seul poste")


def test_a_passphrase_file_is_refused(small, tmp_path):
    _pole, coordinator = small
    # What `age -p` writes (pyrage.passphrase.encrypt would spend seconds on scrypt to make it).
    data = (b"age-encryption.org/v1\n-> scrypt " + base64.b64encode(os.urandom(16)).rstrip(b"=") + b" 18\n"
            + base64.b64encode(os.urandom(32)).rstrip(b"=") + b"\n--- " + b"A" * 43 + b"\n" + os.urandom(64))
    expect_refusal(coordinator, write(tmp_path, data), "passphrase", "phrase de passe")


def test_an_oversized_file_is_refused_unread(small, sent):
    _pole, coordinator = small
    expect_refusal(coordinator, sent[0], "too_large", "sans être ouvert", max_size=1024)


def test_a_record_owned_by_another_pole(small, sent, tmp_path):
    pole, coordinator = small
    _path, manifest, records = sent
    partner = next(r for r in records if r["table"] == "partner")
    partner["owner"] = "NM-08"
    forged = write(tmp_path, reseal(manifest, records, sign_with=pole.keys, to=coordinator))
    expect_refusal(coordinator, forged, "record_owner", "n'envoie que ce qui lui appartient")


def test_a_record_taking_over_another_owners_uid(small, installs, sent, tmp_path):
    pole, coordinator = small
    other = installs("pole", "NM-08")
    pair(other, coordinator)
    coordinator.load(sent[0])
    _manifest, _sig, lines = open_plain(other.export(coordinator, tmp_path / "nm08.age"), coordinator)
    records = [json.loads(line) for line in lines]
    manifest = open_plain(tmp_path / "nm08.age", coordinator)[0]
    stolen = next(r for r in sent[2] if r["table"] == "partner")
    records.append({**stolen, "owner": "NM-08", "hlc": Hlc(stolen_wall(stolen) + 1, 0, "ffff").encode()})
    manifest["counts"]["partner"] = 1
    forged = write(tmp_path, reseal(manifest, records, sign_with=other.keys, to=coordinator))
    expect_refusal(coordinator, forged, "record_owner", "remplacer un enregistrement de « NM-07 »")


def stolen_wall(record) -> int:
    return Hlc.decode(record["hlc"]).wall_ms


def test_a_pupil_name_smuggled_into_a_record(small, sent, tmp_path):
    pole, coordinator = small
    _path, manifest, records = sent
    next(r for r in records if r["table"] == "pupil")["fields"]["last_name"] = "Quillardet"
    forged = write(tmp_path, reseal(manifest, records, sign_with=pole.keys, to=coordinator))
    expect_refusal(coordinator, forged, "record_invalid", "ne doit jamais quitter le poste : last_name")


def test_a_reference_to_a_record_nobody_sent(small, sent, tmp_path):
    pole, coordinator = small
    _path, manifest, records = sent
    contact = next(r for r in records if r["table"] == "contact")
    contact["fields"]["partner_uid"] = "01900000-0000-7000-8000-000000000000"
    forged = write(tmp_path, reseal(manifest, records, sign_with=pole.keys, to=coordinator))
    expect_refusal(coordinator, forged, "reference_unknown", "absent de ce poste et du paquet")


def test_a_clock_a_year_ahead(small, sent, tmp_path):
    pole, coordinator = small
    _path, manifest, records = sent
    ahead = datetime.now(UTC) + timedelta(days=365)
    records[3]["hlc"] = Hlc(int(ahead.timestamp() * 1000), 0, "abcd1234").encode()
    forged = write(tmp_path, reseal(manifest, records, sign_with=pole.keys, to=coordinator))
    expect_refusal(coordinator, forged, "clock_future", "plus de 24 h dans le futur")


def test_a_revoked_keys_new_bundle(small, tmp_path):
    pole, coordinator = small
    coordinator.load(pole.export(coordinator, tmp_path / "1.age"))
    with coordinator.store.transaction() as session:
        peers.revoke_peer(session, "NM-07", keys=coordinator.keys)
    expect_refusal(coordinator, pole.export(coordinator, tmp_path / "2.age"), "sender_revoked", "a été révoquée")
