"""convention_facts: what the rules are told about a placement form, gathered from the store."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from poledesk.data.conventions import rules as rules
from poledesk.data.conventions.facts import convention_facts, days_with_host
from poledesk.data.enums import Audience, ConventionStatus, EstablishmentKind, LegalKind
from poledesk.data.models import Contact, Establishment, Partner, Placement, Pupil
from poledesk.data.placements import form as placements
from poledesk.data.placements.form import STANDARD_WEEK, DaySlot, PlacementForm
from poledesk.data.pupils import PupilForm

TODAY = date(2026, 11, 23)
START, END = date(2027, 1, 11), date(2027, 1, 22)          # two weeks of the 2026-2027 school year


@pytest.fixture
def world(pole_store):
    ids = {}
    with pole_store.transaction() as session:
        school = Establishment(uai="0540038Y", name="Lycée Henri-Poincaré", kind=EstablishmentKind.LP)
        other_school = Establishment(uai="0540042C", name="LP Jean-Prouvé", kind=EstablishmentKind.LP)
        host = Partner(name="Boulangerie Lefèvre", siret="73282932000074", legal_kind=LegalKind.COMPANY)
        other_host = Partner(name="Association Les Jardins", legal_kind=LegalKind.ASSOCIATION)
        session.add_all([school, other_school, host, other_host])
        session.flush()
        tutor = Contact(partner_id=host.id, first_name="Marie", last_name="Lefèvre", is_tutor=True)
        pupil = Pupil(establishment_id=school.id, first_name="Noé", last_name="Müller", birth_date=date(2010, 6, 1),
                      class_name="1re MCV", representative_name="Hélène Müller")
        session.add_all([tutor, pupil])
        session.flush()
        ids.update(school=school.id, other_school=other_school.id, host=host.id, other_host=other_host.id,
                   tutor=tutor.id, pupil=pupil.id)
        for number in range(4):
            extra = Pupil(establishment_id=school.id, first_name=f"Élève{number}", last_name="Autre")
            session.add(extra)
            session.flush()
            ids[f"pupil{number}"] = extra.id
    return pole_store, ids


def form(ids, **changes) -> PlacementForm:
    values = dict(pupil_id=ids["pupil"], establishment_id=ids["school"], partner_id=ids["host"],
                  audience=Audience.PFMP_BACPRO, start_date=START, end_date=END, tutor_id=ids["tutor"],
                  referent_teacher_name="Mme Géraldine Hœrth")
    values.update(changes)
    return PlacementForm(**values)


def add(store, placement: PlacementForm, **columns) -> int:
    with store.transaction() as session:
        placement_id = placements.save_placement(session, placement)
        row = session.get(Placement, placement_id)
        for name, value in columns.items():
            setattr(row, name, value)
    return placement_id


def facts_of(store, placement: PlacementForm, **options):
    with store.session() as session:
        return convention_facts(session, placement, today=TODAY, **options)


def test_the_parties_ages_and_names_come_from_the_store(world):
    store, ids = world
    facts = facts_of(store, form(ids, gratification="Non due"))
    assert (facts.birth_date, facts.pupil_name, facts.pupil_class) == (date(2010, 6, 1), "Noé Müller", "1re MCV")
    assert facts.representative_name == "Hélène Müller" and facts.tutor_name == "Marie Lefèvre"
    assert facts.referent_teacher_name == "Mme Géraldine Hœrth"
    assert (facts.host_name, facts.host_siret, facts.host_legal_kind) == ("Boulangerie Lefèvre", "73282932000074",
                                                                          LegalKind.COMPANY)
    assert facts.gratification == "Non due" and facts.today == TODAY and facts.first_print
    assert (facts.earlier_days_with_host, facts.tutor_trainees, facts.referent_trainees) == (0, 0, 0)
    assert rules.check_convention(facts) == []


def test_no_tutor_no_siret_no_representative_are_what_the_rules_then_report(world):
    store, ids = world
    with store.transaction() as session:
        session.get(Pupil, ids["pupil"]).representative_name = ""
    facts = facts_of(store, form(ids, tutor_id=None, partner_id=ids["other_host"]))
    assert facts.tutor_name == "" and facts.host_siret == "" and facts.host_legal_kind is LegalKind.ASSOCIATION
    found = {f.rule for f in rules.check_convention(facts)}
    assert {"mandatory", "representative"} <= found


def test_the_tutor_load_counts_other_live_overlapping_placements_only(world):
    store, ids = world
    for number in range(3):
        add(store, form(ids, pupil_id=ids[f"pupil{number}"], start_date=date(2027, 1, 4), end_date=date(2027, 1, 15)))
    add(store, form(ids, pupil_id=ids["pupil3"]), convention_status=ConventionStatus.CANCELLED)
    add(store, form(ids, pupil_id=ids["pupil3"], start_date=date(2027, 3, 1), end_date=date(2027, 3, 12)))
    facts = facts_of(store, form(ids))
    assert facts.tutor_trainees == 3
    warning = next(f for f in rules.check_convention(facts) if f.rule == "tutor_load")
    assert not warning.blocking and "4 stagiaires" in warning.message
    editing = add(store, form(ids))
    assert facts_of(store, form(ids), placement_id=editing).tutor_trainees == 3     # itself left out
    assert facts_of(store, form(ids, tutor_id=None)).tutor_trainees == 0


def test_the_referent_is_known_by_name_in_the_school_accents_and_case_aside(world):
    store, ids = world
    add(store, form(ids, pupil_id=ids["pupil0"], referent_teacher_name="mme  GERALDINE hoerth"))
    add(store, form(ids, pupil_id=ids["pupil1"], referent_teacher_name="Mme Géraldine Hœrth"))
    add(store, form(ids, pupil_id=ids["pupil2"], referent_teacher_name="M. Paul Hoerth"))
    add(store, form(ids, pupil_id=ids["pupil3"], establishment_id=ids["other_school"]))
    assert facts_of(store, form(ids)).referent_trainees == 2
    assert facts_of(store, form(ids, referent_teacher_name="")).referent_trainees == 0


def test_days_with_the_same_host_count_the_pupil_school_year_only(world):
    store, ids = world
    add(store, form(ids, start_date=date(2026, 10, 5), end_date=date(2026, 10, 16)))      # 10 days of 7 h
    add(store, form(ids, start_date=date(2026, 5, 4), end_date=date(2026, 5, 15)))        # the year before
    add(store, form(ids, partner_id=ids["other_host"], tutor_id=None, start_date=date(2026, 11, 2),
                    end_date=date(2026, 11, 13)))
    add(store, form(ids, start_date=date(2027, 5, 3), end_date=date(2027, 5, 14)),
        convention_status=ConventionStatus.CANCELLED)
    facts = facts_of(store, form(ids))
    assert [(p.start_date, p.end_date) for p in facts.other_periods] == [(date(2026, 10, 5), date(2026, 10, 16))]
    assert convention_facts_days(store, ids) == 10
    long_stay = form(ids, start_date=date(2027, 1, 4), end_date=date(2027, 2, 26))      # 8 weeks more
    finding = next(f for f in rules.check_convention(facts_of(store, long_stay)) if f.rule == "gratification")
    assert finding.message.startswith("350 h de présence") and finding.blocking         # L124-6: for every audience


def convention_facts_days(store, ids) -> int:
    with store.session() as session:
        return days_with_host(session, form(ids))


def test_a_pupil_not_recorded_yet_is_described_by_its_form(world):
    store, ids = world
    newcomer = PupilForm(establishment_id=ids["school"], last_name="Petit", first_name="Léa",
                         birth_date=date(2013, 9, 1), class_name="3e B")
    facts = facts_of(store, form(ids, pupil_id=0, audience=Audience.OBSERVATION_4E_3E), pupil=newcomer)
    assert facts.pupil_name == "Léa Petit" and facts.birth_date == date(2013, 9, 1)
    assert facts.other_periods == () and facts.representative_name == ""
    assert "representative" in {f.rule for f in rules.check_convention(facts)}


def test_a_printed_convention_is_no_longer_a_first_print(world):
    store, ids = world
    placement_id = add(store, form(ids), printed_on=TODAY)
    assert not facts_of(store, form(ids), placement_id=placement_id).first_print


def test_a_long_tuesday_for_a_sixteen_year_old_is_blocking_with_its_day_and_figure(world):
    store, ids = world
    week = tuple(replace(slot, end=time(17, 30), break_end=time(12, 30)) if slot.weekday == 1 else slot
                 for slot in STANDARD_WEEK)
    week = tuple(replace(slot, start=time(8, 0)) if slot.weekday == 1 else slot for slot in week)
    assert week[1] == DaySlot(1, time(8, 0), time(17, 30), time(12, 0), time(12, 30))
    findings = rules.check_convention(facts_of(store, form(ids, timetable=week)))
    assert findings[0].blocking
    expected = ("Mardi : 9 h de présence, au-delà des 8 h autorisées pour un élève de 16 ans "
                "(Code du travail, L3162-1)")
    assert expected in [f.message for f in findings]
