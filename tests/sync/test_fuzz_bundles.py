"""Fuzzing the sync boundaries: random damage to a real bundle and a real identity card, and structure-aware
forgeries signed by a verified pole. Each is accepted into a sound store, or refused in French, unchanged."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sync_support import open_plain, reseal

from fuzz_support import accepted_or_refused, byte_mutation, cases_run, fuzz_settings, hostile_text, json_value
from poledesk.sync import keys, peers
from poledesk.sync.records import canonical

_sequence = itertools.count(2)
UNTOUCHED = frozenset({"uid", "owner", "hlc", "updated_at", "deleted_at"})   # mutated through "field" only


def test_randomly_damaged_bundles_are_refused_in_french(small, tmp_path):
    pole, coordinator = small
    real = pole.export(coordinator, tmp_path / "nm07.age").read_bytes()
    target = tmp_path / "abime.age"

    @fuzz_settings(30)
    @given(data=byte_mutation(real))
    def attempt(data: bytes) -> None:
        target.write_bytes(data)
        accepted_or_refused("bundle bytes", coordinator.store, lambda: coordinator.load(target))

    assert cases_run("bundle bytes", attempt) > 0


def mutate_record(record: dict, draw: st.DrawFn) -> dict:
    record = json.loads(json.dumps(record))
    fields = record.get("fields") or {}
    what = draw(st.sampled_from(["field", "text", "text", "text", "drop", "extra", "envelope"]))
    names = sorted(fields)
    texts = sorted(name for name, value in fields.items() if isinstance(value, str) and name not in UNTOUCHED)
    if what == "field" and names:
        fields[draw(st.sampled_from(names))] = draw(json_value())
    elif what == "text" and texts:   # a text a peer's user typed: what a pole most often sends wrong
        fields[draw(st.sampled_from(texts))] = draw(hostile_text(max_size=40))
    elif what == "drop" and names:
        del fields[draw(st.sampled_from(names))]
    elif what == "extra":
        fields[draw(st.text(max_size=12))] = draw(json_value())
    else:
        key = draw(st.sampled_from(sorted(record)))
        record[key] = draw(json_value())
    return record


@st.composite
def forged_payload(draw: st.DrawFn, records: list[dict]) -> tuple[list, dict]:
    records = list(records)
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):
        index = draw(st.integers(0, len(records) - 1))
        records[index] = mutate_record(records[index], draw)
    if draw(st.booleans()):
        records = draw(st.permutations(records))
    manifest_change = draw(st.sampled_from(["none"] * 8 + ["count", "key"]))
    return records, {"change": manifest_change, "value": draw(json_value())}


def test_forged_records_signed_by_a_verified_pole_are_merged_soundly_or_refused(small, tmp_path):
    pole, coordinator = small
    manifest, _signature, lines = open_plain(pole.export(coordinator, tmp_path / "nm07.age"), coordinator)
    records = [json.loads(line) for line in lines]
    target = tmp_path / "forge.age"

    @fuzz_settings(30)
    @given(forged=forged_payload(records))
    def attempt(forged: tuple[list, dict]) -> None:
        payload, change = forged
        forged_manifest = {**manifest, "sequence": next(_sequence)}   # a new bundle each time, not a replay
        if change["change"] == "count":
            forged_manifest["count"] = change["value"]
        elif change["change"] == "key":
            forged_manifest[sorted(manifest)[hash(repr(change["value"])) % len(manifest)]] = change["value"]
        target.write_bytes(reseal(forged_manifest, payload, sign_with=pole.keys, to=coordinator))
        accepted_or_refused("bundle records", coordinator.store, lambda: coordinator.load(target))

    assert cases_run("bundle records", attempt) > 0


def test_damaged_and_forged_identity_cards_are_refused_in_french(small, tmp_path):
    pole, coordinator = small
    real = pole.card()
    body = {k: v for k, v in json.loads(real).items() if k not in ("signature",)}

    def signed(card: dict) -> bytes:   # a forgery that passes the self-signature: the pole's own key signs it
        fields = {k: v for k, v in card.items() if k not in ("signature", "rotation_signature")}
        return json.dumps({**card, "signature": pole.keys.sign(keys.CARD_DOMAIN, canonical(fields))}).encode()

    forged = st.tuples(st.sampled_from(sorted(body)), st.one_of(json_value(), hostile_text())).map(
        lambda change: signed({**body, change[0]: change[1]}))

    @fuzz_settings(30)
    @given(data=st.one_of(byte_mutation(real), forged))
    def attempt(data: bytes) -> None:
        def load() -> None:
            with coordinator.store.transaction() as session:
                peers.import_card(session, data, keys=coordinator.keys, replace=True)
        accepted_or_refused("identity card", coordinator.store, load)

    assert cases_run("identity card", attempt) > 0


def test_the_fuzz_property_can_fail(small):
    """An English message, or a refusal that wrote something, breaks the property."""
    from fuzz_support import is_french
    from poledesk.data import settings
    from poledesk.data.errors import StoreError

    assert not is_french("Ce paquet est invalide : the payload is not valid JSON")
    assert is_french("Le partenaire « The Kitchen » n'a pas été enregistré.")
    coordinator = small[1]

    def writes_then_refuses() -> None:
        with coordinator.store.transaction() as session:
            settings.put(session, settings.PURGE_POSTPONED, "2099-01-01")
        raise StoreError("Refusé.")

    with pytest.raises(AssertionError, match="the store changed"):
        accepted_or_refused("self-test", coordinator.store, writes_then_refuses)
    with pytest.raises(AssertionError, match="not a French message"):
        accepted_or_refused("self-test", coordinator.store, lambda: (_ for _ in ()).throw(StoreError("Invalid key")))
