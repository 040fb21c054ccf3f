"""Signed but hostile bundles: deep nesting, huge numbers, control characters, over-long texts; each refused in
French before any write, naming the record so that its sender can fix it, the store unchanged."""

from __future__ import annotations

import json

import pytest
from sync_support import open_plain, reseal
from test_refusals import expect_refusal, write

from poledesk.sync import bundle


@pytest.fixture
def sent(small, tmp_path):
    pole, coordinator = small
    path = pole.export(coordinator, tmp_path / "nm07.age")
    manifest, _signature, lines = open_plain(path, coordinator)
    return manifest, [json.loads(line) for line in lines]


def partner_of(records):
    return next(r for r in records if r["table"] == "partner" and r["fields"]["name"] == "Garage Leclerc")


def resealed(small, tmp_path, manifest, records):
    pole, coordinator = small
    return write(tmp_path, reseal(manifest, records, sign_with=pole.keys, to=coordinator))


def test_a_deeply_nested_record_line_is_refused_before_parsing(small, sent, tmp_path):
    manifest, records = sent
    lines = [json.dumps(r).encode() for r in records]
    lines[0] = b"[" * 30_000 + b"]" * 30_000
    error = expect_refusal(small[1], resealed(small, tmp_path, manifest, lines), "payload_invalid", "imbriqué")
    assert "n° 1" in str(error)


def test_a_deeply_nested_manifest_is_refused_before_any_signature_check(small, sent, tmp_path):
    pole, coordinator = small
    manifest, records = sent
    payload = b"".join(json.dumps(r).encode() + b"\n" for r in records)
    plain = b"\n".join((bundle.MAGIC, b"[" * 30_000 + b"]" * 30_000, b"c2ln", payload))
    import pyrage

    sealed = pyrage.encrypt(plain, [pyrage.x25519.Recipient.from_str(coordinator.keys.recipient)])
    expect_refusal(coordinator, write(tmp_path, sealed), "manifest", "illisible")


def test_a_sequence_beyond_what_json_numbers_hold_is_refused(small, sent, tmp_path):
    manifest, records = sent
    forged = resealed(small, tmp_path, {**manifest, "sequence": 2 ** 70}, records)
    expect_refusal(small[1], forged, "manifest", "illisible ou incomplet")


def test_a_nul_byte_in_a_partner_name_is_refused_and_the_partner_named(small, sent, tmp_path):
    manifest, records = sent
    partner_of(records)["fields"]["name"] = "Garage\x00Leclerc"
    error = expect_refusal(small[1], resealed(small, tmp_path, manifest, records), "record_invalid",
                           "Caractère de contrôle invisible (U+0000)")
    assert "partenaire « Garage\ufffdLeclerc »" in str(error)


def test_an_over_long_name_names_the_partner_and_the_field(small, sent, tmp_path):
    manifest, records = sent
    partner_of(records)["fields"]["name"] = "Garage Leclerc " + "x" * 10_000
    error = expect_refusal(small[1], resealed(small, tmp_path, manifest, records), "record_invalid",
                           "Au plus 200 caractères")
    message = str(error)
    assert "partenaire « Garage Leclerc xxx" in message and "« name »" in message
    assert "prochain paquet" in message


def test_a_number_out_of_its_sensible_range_is_refused(small, sent, tmp_path):
    manifest, records = sent
    formation = next(r for r in records if r["table"] == "formation")
    formation["fields"]["pfmp_weeks"] = 10 ** 12            # a year has 52 weeks
    expect_refusal(small[1], resealed(small, tmp_path, manifest, records), "record_invalid", "hors des limites")


def test_a_newline_in_a_one_line_field_is_refused(small, sent, tmp_path):
    manifest, records = sent
    partner_of(records)["fields"]["commune"] = "Nancy\nMetz"
    expect_refusal(small[1], resealed(small, tmp_path, manifest, records), "record_invalid", "sur une ligne")


def test_nesting_depth_ignores_brackets_inside_strings():
    assert bundle.nesting_depth(b'{"a": "[[[[[[[[[[[[[[[[[[[["}') == 1
    assert bundle.nesting_depth(b'{"a": "\\"[[[[[[[[[[[[[[[[["}') == 1
    assert bundle.nesting_depth(b"[" * 50 + b"]" * 50) == 50
