"""The NAF rév. 2 list shipped in resources/: complete, consistent with its sections, and found from loose input."""

from __future__ import annotations

import re

import pytest

from poledesk import paths
from poledesk.data import naf

# The divisions of each section, as the NAF rév. 2 structure (décret 2007-1888, annexe) sets them.
SECTION_DIVISIONS = {
    "A": range(1, 4), "B": range(5, 10), "C": range(10, 34), "D": range(35, 36), "E": range(36, 40),
    "F": range(41, 44), "G": range(45, 48), "H": range(49, 54), "I": range(55, 57), "J": range(58, 64),
    "K": range(64, 67), "L": range(68, 69), "M": range(69, 76), "N": range(77, 83), "O": range(84, 85),
    "P": range(85, 86), "Q": range(86, 89), "R": range(90, 94), "S": range(94, 97), "T": range(97, 99),
    "U": range(99, 100),
}


def test_the_list_is_complete():
    entries = naf.all_naf()
    assert len(entries) == 732
    assert len({entry.code for entry in entries}) == 732
    assert entries[0].code == "01.11Z"
    assert entries[-1].code == "99.00Z"
    assert [entry.code for entry in entries] == sorted(entry.code for entry in entries)
    assert list(naf.all_sections()) == [chr(c) for c in range(ord("A"), ord("U") + 1)]


def test_every_entry_is_well_formed_and_in_the_section_of_its_division():
    for entry in naf.all_naf():
        assert re.fullmatch(r"\d{2}\.\d{2}[A-Z]", entry.code), entry
        assert entry.label and entry.label == " ".join(entry.label.split()), entry
        assert int(entry.code[:2]) in SECTION_DIVISIONS[entry.section], entry


def test_every_section_has_sous_classes():
    used = {entry.section for entry in naf.all_naf()}
    assert used == set(naf.all_sections())


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("47.11F", "Hypermarchés"),
        ("47.11D", "Supermarchés"),
        ("56.10A", "Restauration traditionnelle"),
        ("96.02A", "Coiffure"),
        ("86.10Z", "Activités hospitalières"),
        ("84.11Z", "Administration publique générale"),
        ("10.71C", "Boulangerie et boulangerie-pâtisserie"),
        ("45.20A", "Entretien et réparation de véhicules automobiles légers"),
        ("62.01Z", "Programmation informatique"),
        ("85.31Z", "Enseignement secondaire général"),
        ("43.22A", "Travaux d'installation d'eau et de gaz en tous locaux"),
        ("01.11Z", "Culture de céréales (à l'exception du riz), de légumineuses et de graines oléagineuses"),
        ("99.00Z", "Activités des organisations et organismes extraterritoriaux"),
    ],
)
def test_spot_checked_labels(code, label):
    assert naf.naf_label(code) == label


@pytest.mark.parametrize(
    ("code", "section"),
    [
        ("47.11F", ("G", "Commerce ; réparation d'automobiles et de motocycles")),
        ("10.71C", ("C", "Industrie manufacturière")),
        ("56.10A", ("I", "Hébergement et restauration")),
        ("84.11Z", ("O", "Administration publique")),
        ("86.10Z", ("Q", "Santé humaine et action sociale")),
        ("01.11Z", ("A", "Agriculture, sylviculture et pêche")),
        ("99.00Z", ("U", "Activités extra-territoriales")),
    ],
)
def test_sections(code, section):
    assert naf.naf_section(code) == section


@pytest.mark.parametrize("text", ["4711f", "4711F", " 47.11f ", "47 11 F", "47-11F"])
def test_lookups_accept_unnormalised_codes(text):
    assert naf.normalise_naf(text) == "47.11F"
    assert naf.is_known_naf(text)
    assert naf.naf_label(text) == "Hypermarchés"
    assert naf.naf_section(text) == ("G", "Commerce ; réparation d'automobiles et de motocycles")


@pytest.mark.parametrize("text", [None, "", "47.11K", "4711", "471F", "G", "47.11FF", "Hypermarchés"])
def test_unknown_or_malformed_codes(text):
    assert not naf.is_known_naf(text)
    assert naf.naf_label(text) is None
    assert naf.naf_section(text) is None


def test_the_file_names_insee_as_its_source():
    first_line = paths.resource(naf.NAF_FILE).read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("#") and "INSEE" in first_line and "Licence Ouverte" in first_line
