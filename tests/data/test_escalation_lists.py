"""The pending list's filters and counts per status, the choices the escalation form offers, and its reload."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from poledesk.data.enums import Audience, EstablishmentKind
from poledesk.data.enums import EscalationStatus as S
from poledesk.data.escalations import edits as escalation_edits
from poledesk.data.escalations import listing as escalations
from poledesk.data.escalations.listing import OPEN_STATUSES
from poledesk.data.models import Establishment


def all_rows(store, **filters):
    with store.session() as session:
        return escalations.list_escalations(session, **filters)


def test_counts_per_status_add_up_to_the_list_and_match_it(store):
    rows = all_rows(store)
    with store.session() as session:
        counts = escalations.count_by_status(session)
    assert set(counts) == set(S) and sum(counts.values()) == len(rows) == 120 + 70 + 12   # this year and last
    assert counts == {s: Counter(r.status for r in rows).get(s, 0) for s in S}
    assert all(counts[s] > 0 for s in S)                       # the demo holds every status


def test_open_only_is_the_default_view_sorted_by_urgency(store):
    rows = all_rows(store, open_only=True)
    with store.session() as session:
        counts = escalations.count_by_status(session)
    assert len(rows) == sum(counts[s] for s in OPEN_STATUSES)
    assert {r.status for r in rows} <= OPEN_STATUSES
    assert [r.urgency_rank for r in rows] == sorted(r.urgency_rank for r in rows)


@pytest.mark.parametrize("status", list(S))
def test_a_status_filter_keeps_that_status_even_closed_ones(store, status):
    rows = all_rows(store, status=status, open_only=True)
    with store.session() as session:
        assert len(rows) == escalations.count_by_status(session)[status]
    assert {r.status for r in rows} == {status}


def test_school_audience_and_formation_filters_narrow_the_list_and_the_counts(store):
    everything = all_rows(store)
    school = Counter((r.establishment, r.audience) for r in everything).most_common(1)[0][0][0]
    with store.session() as session:
        school_id = next(c.id for c in escalations.establishment_choices(session) if c.label.startswith(school + " ("))
        by_school = escalations.list_escalations(session, establishment_id=school_id)
        counts = escalations.count_by_status(session, establishment_id=school_id)
    assert by_school and {r.establishment for r in by_school} == {school}
    assert sum(counts.values()) == len(by_school) < len(everything)
    audience = by_school[0].audience
    narrowed = all_rows(store, establishment_id=school_id, audience=audience)
    assert narrowed and all(r.audience is audience for r in narrowed)
    assert len(narrowed) == sum(1 for r in by_school if r.audience is audience)
    with store.session() as session:
        formation = next(f for f in escalations.formation_options(session) if f.label == narrowed[0].formation)
        by_formation = escalations.list_escalations(session, formation_id=formation.id)
        formation_counts = escalations.count_by_status(session, formation_id=formation.id)
    assert {r.formation for r in by_formation} == {formation.label}
    assert sum(formation_counts.values()) == len(by_formation)


def test_the_search_narrows_the_counts_too(store):
    pupil = all_rows(store)[0]
    with store.session() as session:
        counts = escalations.count_by_status(session, pupil.establishment)
        rows = escalations.list_escalations(session, pupil.establishment)
    assert sum(counts.values()) == len(rows) and 0 < len(rows) < 120


def test_the_escalation_form_offers_the_pole_own_live_schools_by_name(store):
    with store.transaction() as session:
        session.add(Establishment(uai="0570030M", name="Lycée d'un autre pôle", kind=EstablishmentKind.LP,
                                  owner="NM-02"))
        archived = Establishment(uai="0540041B", name="Ancien collège", kind=EstablishmentKind.COLLEGE)
        session.add(archived)
        session.flush()
        archived.deleted_at = archived.updated_at
    with store.session() as session:
        mine = escalations.establishment_choices(session, owner=store.owner)
        every = escalations.establishment_choices(session)
    labels = [c.label for c in mine]
    assert len(mine) == 25 and "Lycée d'un autre pôle" not in " ".join(labels)
    assert any(c.label.startswith("Lycée d'un autre pôle") for c in every)
    assert not any("Ancien collège" in label for label in labels)
    assert labels == sorted(labels, key=lambda text: text.casefold().replace("é", "e").replace("É", "e"))


def test_formations_carry_their_audience(store):
    with store.session() as session:
        options = escalations.formation_options(session)
    assert {o.audience for o in options} == set(Audience)
    assert all(o.audience is Audience.PFMP_CAP for o in options if o.label.startswith("CAP ") and
               "apprentissage" not in o.label)


def test_a_recorded_escalation_reloads_into_its_form_unchanged(store):
    escalation_id = all_rows(store, open_only=True)[0].id
    with store.session() as session:
        form = escalations.escalation_form(session, escalation_id)
    assert form is not None and form.pupil_last_name
    with store.transaction() as session:
        assert escalation_edits.save_escalation(session, form, escalation_id, owner=store.owner,
                                                today=date.today()) == escalation_id
    with store.session() as session:
        assert escalations.escalation_form(session, escalation_id) == form
        assert escalations.escalation_form(session, 999_999) is None


def test_proposals_name_their_partner_id(store):
    proposed = all_rows(store, status=S.PROPOSED)[0]
    with store.session() as session:
        detail = escalations.escalation_detail(session, proposed.id)
    assert detail.proposals and all(p.partner_id > 0 for p in detail.proposals)
