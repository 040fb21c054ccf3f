"""The candidate ranking, on its own: who comes first and why, who is never proposed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from poledesk.data.enums import Audience, PartnerStatus
from poledesk.data.escalations.matching import (
    NEIGHBOUR,
    SAME_COMMUNE,
    SAME_DEPARTEMENT,
    Candidate,
    Need,
    Offer,
    Where,
    max_distance_for_radius,
    period_months,
    rank_candidates,
)

CUISINE = 7
GRAND_NANCY, TOUL_EPCI = "245400676", "200070563"
NANCY = Where("Nancy", "54395", GRAND_NANCY, "54")
LAXOU = Where("Laxou", "54304", GRAND_NANCY, "54")
TOUL = Where("Toul", "54528", TOUL_EPCI, "54")
METZ = Where("Metz", "57463", "200039865", "57")
NEED = Need(audience=Audience.PFMP_CAP, formation_id=CUISINE, establishment_id=1, period_start=date(2027, 1, 11),
            period_end=date(2027, 2, 5), where=NANCY, pupil_age=16)
OPEN_OFFER = Offer(Audience.PFMP_CAP, CUISINE, places=2, months=(1, 2))


def candidate(partner_id: int, name: str, **changes) -> Candidate:
    base = Candidate(partner_id=partner_id, name=name, where=NANCY, status=PartnerStatus.ACTIVE, offers=(OPEN_OFFER,))
    return replace(base, **changes)


def names(ranked) -> list[str]:
    return [r.name for r in ranked]


def test_the_nearest_partner_with_the_formation_comes_first_and_says_why():
    ranked = rank_candidates(NEED, [
        candidate(1, "Brasserie de Toul", where=TOUL),
        candidate(2, "Restaurant Le Stanislas"),
        candidate(3, "Cantine de Laxou", where=LAXOU),
    ])
    assert names(ranked) == ["Restaurant Le Stanislas", "Cantine de Laxou", "Brasserie de Toul"]
    first = ranked[0]
    assert "propose la formation demandée" in first.reasons
    assert "même commune (Nancy)" in first.reasons
    assert "2 places libres sur la période" in first.reasons
    assert [r.distance for r in ranked] == [SAME_COMMUNE, NEIGHBOUR, SAME_DEPARTEMENT]


def test_full_do_not_contact_wrong_audience_and_too_far_partners_are_never_proposed():
    ranked = rank_candidates(NEED, [
        candidate(1, "Complet", placements_in_period=2),
        candidate(2, "Interdit", status=PartnerStatus.DO_NOT_CONTACT),
        candidate(3, "Mauvais public", offers=(Offer(Audience.STS, None, 3, (1, 2)),)),
        candidate(4, "Trop loin", where=METZ),
        candidate(5, "Hors période", offers=(Offer(Audience.PFMP_CAP, CUISINE, 2, (5, 6)),)),
        candidate(6, "Réservé à un autre lycée", offers=(replace(OPEN_OFFER, reserved_to=(9,)),)),
        candidate(7, "Sans offre", offers=()),
        candidate(8, "Bon candidat"),
    ])
    assert names(ranked) == ["Bon candidat"]


def test_constraints_the_pupil_cannot_meet_exclude_a_partner():
    need = replace(NEED, pupil_age=15, needs_accessibility=True, needs_pai=True)
    ranked = rank_candidates(need, [
        candidate(1, "Dès 16 ans", min_age=16, accepts_disability=True, accepts_pai=True),
        candidate(2, "Pas accessible", accepts_pai=True),
        candidate(3, "Sans PAI", accepts_disability=True),
        candidate(4, "Adapté", accepts_disability=True, accepts_pai=True, min_age=15),
    ])
    assert names(ranked) == ["Adapté"]
    assert "accueille des élèves en situation de handicap" in ranked[0].reasons


def test_a_refusal_lowers_a_partner():
    before = rank_candidates(NEED, [candidate(1, "Alpha"), candidate(2, "Bêta")])
    after = rank_candidates(NEED, [candidate(1, "Alpha", refused_this_escalation=True), candidate(2, "Bêta")])
    assert names(before) == ["Alpha", "Bêta"] and names(after) == ["Bêta", "Alpha"]
    assert "a déjà refusé cette sollicitation" in after[1].reasons


def test_a_trained_tutor_and_past_placements_lift_a_partner_and_saturation_lowers_it():
    ranked = rank_candidates(NEED, [
        candidate(1, "Alpha", max_requests_per_month=2, requests_this_month=2),
        candidate(2, "Bêta", has_trained_tutor=True, signed_placements=2),
        candidate(3, "Gamma"),
    ])
    assert names(ranked) == ["Bêta", "Gamma", "Alpha"]
    assert "tuteur formé par le pôle" in ranked[0].reasons
    assert "déjà sollicité 2 fois ce mois-ci (maximum 2)" in ranked[2].reasons


def test_the_mobility_radius_limits_the_distance():
    assert max_distance_for_radius(3) == SAME_COMMUNE
    assert max_distance_for_radius(15) == NEIGHBOUR
    assert max_distance_for_radius(None) == SAME_DEPARTEMENT
    need = replace(NEED, max_distance=SAME_COMMUNE)
    ranked = rank_candidates(need, [candidate(1, "Ici"), candidate(2, "Laxou", where=LAXOU)])
    assert names(ranked) == ["Ici"]


def test_period_months_cross_the_new_year():
    assert period_months(date(2026, 12, 14), date(2027, 1, 22)) == {12, 1}


statuses = st.sampled_from(list(PartnerStatus))
audiences = st.sampled_from(list(Audience))
places = st.sampled_from([NANCY, LAXOU, TOUL, METZ, Where("")])
offers = st.builds(Offer, audience=audiences, formation_id=st.sampled_from([None, CUISINE, 9]),
                   places=st.integers(0, 4), months=st.sets(st.integers(1, 12)).map(lambda s: tuple(sorted(s))),
                   reserved_to=st.sampled_from([(), (1,), (9,)]))
candidates = st.builds(Candidate, partner_id=st.integers(1, 10_000), name=st.text(min_size=1, max_size=10),
                       where=places, status=statuses,
                       offers=st.lists(offers, max_size=3).map(tuple), placements_in_period=st.integers(0, 5),
                       min_age=st.sampled_from([None, 14, 16, 18]), accepts_disability=st.booleans(),
                       accepts_pai=st.booleans(), refused_this_escalation=st.booleans())


@settings(max_examples=300, deadline=None)
@given(st.lists(candidates, max_size=12, unique_by=lambda c: c.partner_id))
def test_no_excluded_partner_is_ever_proposed(pool):
    for ranked in rank_candidates(NEED, pool):
        source = next(c for c in pool if c.partner_id == ranked.partner_id and c.name == ranked.name)
        assert source.status is not PartnerStatus.DO_NOT_CONTACT
        assert ranked.places_left > 0
        assert ranked.distance <= NEED.max_distance
        assert any(o.audience is NEED.audience for o in source.offers)
        assert source.min_age is None or source.min_age <= NEED.pupil_age


@settings(max_examples=200, deadline=None)
@given(candidates)
def test_a_refusal_never_raises_a_score(one):
    scores = [r.score for flag in (False, True)
              for r in rank_candidates(NEED, [replace(one, refused_this_escalation=flag)])]
    assert len(scores) in (0, 2)
    if scores:
        assert scores[1] < scores[0]
