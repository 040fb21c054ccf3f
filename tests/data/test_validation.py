"""The shared checks: SIRET/SIREN against an independent Luhn, UAI letters, phones, emails, French messages."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from poledesk.data.validation import (
    REQUIRED,
    InvalidValue,
    Problems,
    ValidationError,
    check_email,
    check_naf,
    check_phone,
    check_postcode,
    check_siren,
    check_siret,
    check_uai,
    format_siren,
    format_siret,
    uai_key,
)

LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"
BAD_DOMAIN = "Adresse électronique invalide : le domaine après le @ est incomplet (ex. exemple.fr)."


def luhn_ok(digits: str) -> bool:
    """Luhn from its definition: from the right, double every second digit, subtract 9 past 9, sum, 0 mod 10."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def with_luhn_key(body: str) -> str:
    """body + the one digit that makes the whole pass luhn_ok (found by trying, not by formula)."""
    return next(body + key for key in string.digits if luhn_ok(body + key))


def expected_siret_ok(digits: str) -> bool:
    """The rule stated independently: the SIRET and its SIREN both pass Luhn; La Poste's establishments
    (SIREN 356000000, but not the head office, which is Luhn) have a digit sum that is a multiple of 5."""
    if digits.startswith(LA_POSTE_SIREN) and digits != LA_POSTE_HEAD_OFFICE:
        return sum(map(int, digits)) % 5 == 0
    return luhn_ok(digits) and luhn_ok(digits[:9])


def accepts(check, text: str) -> bool:
    try:
        check(text)
    except InvalidValue:
        return False
    return True


def message_of(check, text: str) -> str:
    with pytest.raises(InvalidValue) as caught:
        check(text)
    return caught.value.message


digit_strings = st.text(alphabet=string.digits, min_size=1, max_size=20)
valid_sirens = st.text(alphabet=string.digits, min_size=8, max_size=8).map(with_luhn_key)
valid_sirets = st.tuples(valid_sirens, st.text(alphabet=string.digits, min_size=4, max_size=4)).map(
    lambda parts: with_luhn_key(parts[0] + parts[1])
)
la_poste_sirets = st.text(alphabet=string.digits, min_size=5, max_size=5).map(lambda nic: LA_POSTE_SIREN + nic)
any_siret = st.one_of(st.text(alphabet=string.digits, min_size=14, max_size=14), valid_sirets, la_poste_sirets)
uai_bodies = st.integers(0, 9_999_999).map(lambda n: f"{n:07d}")


# --- SIRET and SIREN ---------------------------------------------------------


@given(any_siret)
@example(LA_POSTE_HEAD_OFFICE)
@example("35600000049837")
@example("73282932000074")
def test_check_siret_accepts_exactly_luhn_numbers_and_la_poste(digits):
    assert accepts(check_siret, digits) == expected_siret_ok(digits)


@given(st.one_of(st.text(alphabet=string.digits, min_size=9, max_size=9), valid_sirens))
def test_check_siren_accepts_exactly_luhn_numbers(digits):
    assert accepts(check_siren, digits) == luhn_ok(digits)


def test_la_poste_sirets_pass_without_a_luhn_key():
    establishment = "35600000049837"  # digit sum 45: a multiple of 5, but not a Luhn number
    assert not luhn_ok(establishment)
    assert check_siret("356 000 000 49837") == establishment
    assert check_siret(LA_POSTE_HEAD_OFFICE) == LA_POSTE_HEAD_OFFICE
    assert not accepts(check_siret, "35600000049838")
    assert check_siren(LA_POSTE_SIREN) == LA_POSTE_SIREN


@given(valid_sirets)
def test_siret_formatting_round_trips_and_is_idempotent(digits):
    formatted = format_siret(digits)
    assert formatted == f"{digits[:3]} {digits[3:6]} {digits[6:9]} {digits[9:]}"
    assert format_siret(formatted) == formatted
    assert check_siret(formatted) == digits
    assert check_siret(check_siret(digits)) == digits


@given(valid_sirens)
def test_siren_formatting_round_trips(digits):
    assert check_siren(format_siren(digits)) == digits
    assert format_siren(format_siren(digits)) == format_siren(digits)


def test_format_siret_leaves_other_text_alone():
    assert format_siret("732 829 320 00074") == "732 829 320 00074"
    assert format_siret("73282932000074") == "732 829 320 00074"
    assert format_siret("inconnu") == "inconnu"


def test_format_siret_is_the_one_for_screens_and_paper():
    """The list, the file, the conflicts and the convention all show a SIRET through this one function."""
    from poledesk.data import partners

    assert partners.format_siret is format_siret
    assert format_siret(None) == format_siret("") == ""
    assert format_siret("732.829.320.00074") == "732 829 320 00074"   # dots are separators too
    assert format_siret("7328293200007²") == "7328293200007²"       # '²' is no digit, even to str.isdigit()
    assert format_siret("７３２８２９３２０００７４") == "７３２８２９３２０００７４"   # nor are full-width digits


@given(st.text(max_size=20))
def test_format_siret_only_adds_spaces_to_14_digits(text):
    formatted = format_siret(text)
    digits = re.sub(r"[\s.]", "", text)
    if len(digits) == 14 and digits.isascii() and digits.isdigit():
        assert formatted.replace(" ", "") == digits and len(formatted) == 17
    else:
        assert formatted == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("7328293200007", "SIRET invalide : 14 chiffres attendus, 13 saisis."),
        ("7", "SIRET invalide : 14 chiffres attendus, 1 saisi."),
        ("732 829 320 000745", "SIRET invalide : 14 chiffres attendus, 15 saisis."),
        ("73282932000075", "SIRET invalide : la clé de contrôle ne correspond pas (vérifiez les chiffres)."),
        ("12345678900003", "SIRET invalide : les 9 premiers chiffres (le SIREN) ont une clé de contrôle fausse "
         "(vérifiez les chiffres)."),
        ("732-829-320-00074", "SIRET invalide : seuls des chiffres sont attendus (espaces et points permis)."),
        ("7328293200007²", "SIRET invalide : seuls des chiffres sont attendus (espaces et points permis)."),
        (" . ", "SIRET : rien n'a été saisi."),
    ],
)
def test_siret_messages(text, message):
    assert message_of(check_siret, text) == message


def test_siret_accepts_spaces_dots_and_pasted_no_break_spaces():
    assert check_siret("732.829.320.00074") == "73282932000074"
    assert check_siret("732\u00a0829\u202f320 00074") == "73282932000074"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("73282932", "SIREN invalide : 9 chiffres attendus, 8 saisis."),
        ("732829321", "SIREN invalide : la clé de contrôle ne correspond pas (vérifiez les chiffres)."),
        ("732 829 32O", "SIREN invalide : seuls des chiffres sont attendus (espaces et points permis)."),
    ],
)
def test_siren_messages(text, message):
    assert message_of(check_siren, text) == message


# --- UAI ---------------------------------------------------------------------


def test_uai_example_from_the_domain():
    assert uai_key("0540038") == "Y"
    assert check_uai("0540038Y") == "0540038Y"  # lycée Henri-Poincaré, Nancy


@given(uai_bodies)
def test_uai_with_its_key_passes_and_every_other_letter_fails(body):
    key = uai_key(body)
    assert check_uai(body + key) == body + key
    assert check_uai(f" {body}{key.lower()} ") == body + key
    for letter in string.ascii_uppercase:
        if letter != key:
            assert not accepts(check_uai, body + letter), body + letter


@given(uai_bodies)
def test_uai_key_is_the_number_mod_23_in_the_alphabet_without_i_o_q(body):
    alphabet = [c for c in string.ascii_uppercase if c not in "IOQ"]
    assert uai_key(body) == alphabet[int(body) % 23]


@given(uai_bodies)
def test_uai_normalising_is_idempotent(body):
    value = check_uai(body + uai_key(body).lower())
    assert check_uai(value) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0540038", "UAI invalide : 8 caractères attendus (7 chiffres et une lettre), 7 saisis."),
        ("05400388Y", "UAI invalide : 8 caractères attendus (7 chiffres et une lettre), 9 saisis."),
        ("054003Y8", "UAI invalide : 7 chiffres puis une lettre attendus (ex. 0540038Y)."),
        ("0540038Z", "UAI invalide : la lettre de contrôle ne correspond pas aux chiffres (vérifiez la saisie)."),
        ("02A0001X", "UAI invalide : en Corse, l'UAI commence par 620 (Corse-du-Sud) ou 720 (Haute-Corse)."),
        ("", "UAI : rien n'a été saisi."),
    ],
)
def test_uai_messages(text, message):
    assert message_of(check_uai, text) == message


# --- Postcode ----------------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [("54000", "54000"), (" 01000", "01000"), ("20000", "20000"),
                                             ("20200", "20200"), ("97400", "97400"), ("98999", "98999"),
                                             ("54 000", "54000")])
def test_postcodes_accepted(text, value):
    assert check_postcode(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("5400", "Code postal invalide : 5 chiffres attendus (ex. 54000)."),
        ("2A004", "Code postal invalide : 5 chiffres attendus (ex. 54000)."),
        ("00999", "Code postal invalide : 00999 n'existe pas (de 01000 à 98999)."),
        ("99000", "Code postal invalide : 99000 n'existe pas (de 01000 à 98999)."),
    ],
)
def test_postcode_messages(text, message):
    assert message_of(check_postcode, text) == message


# --- Email -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("ce.0540038y@ac-nancy-metz.fr", "ce.0540038y@ac-nancy-metz.fr"),
        ("  Jean.Dupont@AC-Nancy-Metz.FR ", "Jean.Dupont@ac-nancy-metz.fr"),
        ("contact+stages@boulangerie-leclerc.fr", "contact+stages@boulangerie-leclerc.fr"),
        ("accueil@mairie.épinal.fr", "accueil@mairie.épinal.fr"),
    ],
)
def test_emails_accepted(text, value):
    assert check_email(text) == value
    assert check_email(value) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("jean dupont@exemple.fr", "Adresse électronique invalide : elle ne doit pas contenir d'espace."),
        ("jean.dupont.exemple.fr", "Adresse électronique invalide : un seul @ attendu (ex. prenom.nom@exemple.fr)."),
        ("jean@dupont@exemple.fr", "Adresse électronique invalide : un seul @ attendu (ex. prenom.nom@exemple.fr)."),
        ("@exemple.fr", "Adresse électronique invalide : il manque la partie avant le @."),
        ("jean@exemple", BAD_DOMAIN),
        ("jean@exemple.", BAD_DOMAIN),
        ("jean@.fr", BAD_DOMAIN),
        ("jean@exemple..fr", BAD_DOMAIN),
        ("   ", "Adresse électronique : rien n'a été saisi."),
    ],
)
def test_email_messages(text, message):
    assert message_of(check_email, text) == message


# --- Phone -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0383862115", "03 83 86 21 15"),
        ("03 83 86 21 15", "03 83 86 21 15"),
        ("03.83.86.21.15", "03 83 86 21 15"),
        ("03-83-86-21-15", "03 83 86 21 15"),
        ("+33 3 83 86 21 15", "03 83 86 21 15"),
        ("+33383862115", "03 83 86 21 15"),
        ("0033 3 83 86 21 15", "03 83 86 21 15"),
        ("+33 (0)3 83 86 21 15", "03 83 86 21 15"),
        ("+33 06 12 34 56 78", "06 12 34 56 78"),
        ("06 12 34 56 78 ", "06 12 34 56 78"),
        ("0262 20 30 40", "02 62 20 30 40"),
        ("+32 2 123 45 67", "+32 2 123 45 67"),
        ("+44  20 7946 0958", "+44 20 7946 0958"),
        ("0049 30 1234567", "0049 30 1234567"),
    ],
)
def test_phones_accepted_and_normalised(text, value):
    assert check_phone(text) == value
    assert check_phone(value) == value


@given(st.text(alphabet=string.digits, min_size=9, max_size=9).filter(lambda rest: rest[0] != "0"))
def test_every_french_writing_of_a_number_gives_the_same_phone(rest):
    national = check_phone("0" + rest)
    assert national == " ".join(("0" + rest)[i:i + 2] for i in range(0, 10, 2))
    for writing in ("+33" + rest, "0033" + rest, "+33 (0)" + rest, ".".join(national.split())):
        assert check_phone(writing) == national
    assert check_phone(national) == national


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("03 83 86 21 1", "Téléphone invalide : 10 chiffres attendus (ex. 03 83 86 21 15), 9 saisis."),
        ("03 83 86 21 15 1", "Téléphone invalide : 10 chiffres attendus (ex. 03 83 86 21 15), 11 saisis."),
        ("3 83 86 21 15", "Téléphone invalide : un numéro français commence par 0 ou par +33."),
        ("+33 3 83 86 21", "Téléphone invalide : après +33, 9 chiffres attendus (ex. +33 3 83 86 21 15)."),
        ("0033 0 3 83 86 21", "Téléphone invalide : après +33, 9 chiffres attendus (ex. +33 3 83 86 21 15)."),
        ("03 83 86 21 15 poste 12",
         "Téléphone invalide : seuls des chiffres, espaces, points, tirets et un + initial sont permis."),
        ("+32 12", "Téléphone invalide : numéro international incomplet ou trop long (ex. +32 2 123 45 67)."),
        ("", "Téléphone : rien n'a été saisi."),
    ],
)
def test_phone_messages(text, message):
    assert message_of(check_phone, text) == message


# --- NAF ---------------------------------------------------------------------


@pytest.mark.parametrize("text", ["47.11F", "4711F", "4711f", " 47 11 f ", "47.11-F"])
def test_naf_codes_normalised(text):
    assert check_naf(text) == "47.11F"
    assert check_naf(check_naf(text)) == "47.11F"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("47.11K", "Code NAF inconnu : 47.11K ne figure pas dans la NAF rév. 2."),
        ("4711", "Code NAF invalide : 4 chiffres et une lettre attendus (ex. 47.11F)."),
        ("47.1F", "Code NAF invalide : 4 chiffres et une lettre attendus (ex. 47.11F)."),
        ("G", "Code NAF invalide : 4 chiffres et une lettre attendus (ex. 47.11F)."),
        (" ", "Code NAF : rien n'a été saisi."),
    ],
)
def test_naf_messages(text, message):
    assert message_of(check_naf, text) == message


# --- A form's problems -------------------------------------------------------


def test_problems_collects_every_field_then_raises_them_together():
    problems = Problems()
    assert problems.check("siret", check_siret, "732 829 320 00074") == "73282932000074"
    assert problems.check("phone", check_phone, "") is None  # blank and optional: no problem
    assert problems.check("email", check_email, None, required=True) is None
    assert problems.check("uai", check_uai, "0540038Z") is None
    assert problems
    with pytest.raises(ValidationError) as caught:
        problems.raise_if_any()
    assert caught.value.problems == {
        "email": REQUIRED,
        "uai": "UAI invalide : la lettre de contrôle ne correspond pas aux chiffres (vérifiez la saisie).",
    }


def test_problems_keeps_the_first_message_of_a_field_and_raises_nothing_when_clean():
    problems = Problems()
    problems.add("postcode", "premier")
    problems.add("postcode", "second")
    assert problems.problems == {"postcode": "premier"}
    clean = Problems()
    clean.check("postcode", check_postcode, "54000", required=True)
    assert not clean
    clean.raise_if_any()
