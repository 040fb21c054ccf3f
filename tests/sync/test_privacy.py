"""Pupil data never leaves the pole: whatever name is typed, no bundle's plain text contains it."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sync_support import open_plain

from poledesk.data.models import Escalation, Pupil

ACCENTED = "ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸàâäçéèêëîïôöùûüÿ"
names = st.text(alphabet=ACCENTED + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-'", min_size=8,
                max_size=24).filter(lambda n: any(c in ACCENTED for c in n))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=names, last=names)
def test_a_pupils_name_never_appears_in_a_bundle(small, tmp_path, first, last):
    pole, coordinator = small
    with pole.store.transaction() as session:
        pupil = session.scalars(select(Pupil)).one()
        pupil.first_name, pupil.last_name = first, last
        pupil.representative_name, pupil.needs = f"{first} {last}", f"{first} a besoin d'un bus"
        escalation = session.scalars(select(Escalation)).one()
        escalation.outcome = escalation.status_reason = escalation.mobility_means = f"{first} {last}"
    path = pole.export(coordinator, tmp_path / "b.age", full=True)
    manifest, _signature, lines = open_plain(path, coordinator)
    plain = b"\n".join(lines).decode("utf-8") + repr(manifest)
    assert manifest["counts"]["pupil"] == 1
    for secret in (first, last):
        assert secret not in plain and secret.lower() not in plain.lower()
