"""Checks shared by forms, imports and the CLI: SIRET, SIREN, UAI, postcode, email, phone, NAF; French messages."""

from __future__ import annotations

import re
from collections.abc import Callable

from stdnum import exceptions as stdnum_errors
from stdnum import luhn
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from poledesk.data import naf
from poledesk.data.errors import InvalidValue as InvalidValue
from poledesk.data.errors import ValidationError as ValidationError
from poledesk.data.text import plural

REQUIRED = "Ce champ est obligatoire."
UAI_KEY_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"  # 23 letters: no I, O, Q

_DIGITS = re.compile(r"[0-9]+")  # not str.isdigit(): it accepts '²' and other scripts' digits
_WRONG_KEY = "la clé de contrôle ne correspond pas (vérifiez les chiffres)."
_SEPARATORS = re.compile(r"[\s.]")
_PHONE_SEPARATORS = re.compile(r"[\s.\-]")
_UAI_SHAPE = re.compile(r"[0-9]{7}[A-Z]")


class Problems:
    """Collects a form's problems field by field, then raises them all at once.

        problems = Problems()
        siret = problems.check("siret", check_siret, form.siret)   # None if blank or wrong
        email = problems.check("email", check_email, form.email, required=True)
        problems.raise_if_any()                                    # ValidationError with both, if any
    """

    def __init__(self) -> None:
        self.problems: dict[str, str] = {}

    def check(
        self, field: str, checker: Callable[[str], str], text: str | None, *, required: bool = False
    ) -> str | None:
        """The normalised value, or None when the text is blank (a problem only if required) or wrong."""
        if text is None or not text.strip():
            if required:
                self.add(field, REQUIRED)
            return None
        try:
            return checker(text)
        except InvalidValue as error:
            self.add(field, error.message)
            return None

    def add(self, field: str, message: str) -> None:
        """Record a problem; the first one for a field wins, as the user fixes one thing at a time."""
        self.problems.setdefault(field, message)

    def raise_if_any(self) -> None:
        if self.problems:
            raise ValidationError(self.problems)

    def __bool__(self) -> bool:
        return bool(self.problems)


# --- SIRET and SIREN -------------------------------------------------------


def check_siret(text: str) -> str:
    """14 digits (spaces and dots ignored) with a valid Luhn key; La Poste's SIRETs (SIREN 356000000) follow
    their own rule (digit sum a multiple of 5), which python-stdnum knows. Returns the 14 digits."""
    digits = _digits_of(text, "SIRET", 14)
    try:
        return str(stdnum_siret.validate(digits))
    except stdnum_errors.ValidationError:
        if not luhn.is_valid(digits[:9]):
            raise InvalidValue(
                "SIRET invalide : les 9 premiers chiffres (le SIREN) ont une clé de contrôle fausse "
                "(vérifiez les chiffres)."
            ) from None
        raise InvalidValue(f"SIRET invalide : {_WRONG_KEY}") from None


def check_siren(text: str) -> str:
    """9 digits (spaces and dots ignored) with a valid Luhn key. Returns the 9 digits."""
    digits = _digits_of(text, "SIREN", 9)
    try:
        return str(stdnum_siren.validate(digits))
    except stdnum_errors.ValidationError:
        raise InvalidValue(f"SIREN invalide : {_WRONG_KEY}") from None


def format_siret(value: str | None) -> str:
    """'73282932000074' (or '732.829.320.00074') -> '732 829 320 00074', SIREN by threes then the NIC; None -> '';
    text that is not 14 ASCII digits once spaces and dots are dropped is returned unchanged."""
    if not value:
        return ""
    digits = _SEPARATORS.sub("", value)
    if len(digits) != 14 or not _DIGITS.fullmatch(digits):
        return value
    return f"{digits[:3]} {digits[3:6]} {digits[6:9]} {digits[9:]}"


def format_siren(value: str) -> str:
    """'732829320' -> '732 829 320'; text that is not 9 digits is returned unchanged."""
    digits = _SEPARATORS.sub("", value)
    if len(digits) != 9 or not _DIGITS.fullmatch(digits):
        return value
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def _digits_of(text: str, name: str, length: int) -> str:
    digits = _SEPARATORS.sub("", text)
    if not digits:
        raise InvalidValue(f"{name} : rien n'a été saisi.")
    if not _DIGITS.fullmatch(digits):
        raise InvalidValue(f"{name} invalide : seuls des chiffres sont attendus (espaces et points permis).")
    if len(digits) != length:
        raise InvalidValue(f"{name} invalide : {length} chiffres attendus, {_typed(len(digits))}.")
    return digits


def _typed(count: int) -> str:
    return plural(count, "saisi")


# --- UAI ---------------------------------------------------------------------


def uai_key(body: str) -> str:
    """The check letter of a 7-digit UAI body: UAI_KEY_LETTERS[number % 23] ('0540038' -> 'Y')."""
    return UAI_KEY_LETTERS[int(body) % 23]


def check_uai(text: str) -> str:
    """7 digits then the check letter, e.g. '0540038Y'; lower case and spaces accepted. Returns it upper-cased.

    The first 3 digits are the département; Corse's UAIs use 620 (Corse-du-Sud) and 720 (Haute-Corse),
    never 2A/2B, so all 7 characters are digits and the key is computed on them as they are.
    """
    value = "".join(text.split()).upper()
    if not value:
        raise InvalidValue("UAI : rien n'a été saisi.")
    if value.startswith(("2A", "2B", "02A", "02B")):
        raise InvalidValue("UAI invalide : en Corse, l'UAI commence par 620 (Corse-du-Sud) ou 720 (Haute-Corse).")
    if len(value) != 8:
        raise InvalidValue(f"UAI invalide : 8 caractères attendus (7 chiffres et une lettre), {_typed(len(value))}.")
    if not _UAI_SHAPE.fullmatch(value):
        raise InvalidValue("UAI invalide : 7 chiffres puis une lettre attendus (ex. 0540038Y).")
    if value[7] != uai_key(value[:7]):
        raise InvalidValue(
            "UAI invalide : la lettre de contrôle ne correspond pas aux chiffres (vérifiez la saisie)."
        )
    return value


# --- Postcode ----------------------------------------------------------------


def check_postcode(text: str) -> str:
    """A French postcode: 5 digits from 01000 to 98999 (Corse's 20xxx included). Returns the 5 digits."""
    value = "".join(text.split())
    if not value:
        raise InvalidValue("Code postal : rien n'a été saisi.")
    if len(value) != 5 or not _DIGITS.fullmatch(value):
        raise InvalidValue("Code postal invalide : 5 chiffres attendus (ex. 54000).")
    if not 1000 <= int(value) <= 98999:
        raise InvalidValue(f"Code postal invalide : {value} n'existe pas (de 01000 à 98999).")
    return value


# --- Email -------------------------------------------------------------------


def check_email(text: str) -> str:
    """A pragmatic check (one @, no space, a domain with a dot); returns it with the domain in lower case.

    Deliverability is not checked: that needs the network, and a pôle often has no reliable one.
    """
    value = text.strip()
    if not value:
        raise InvalidValue("Adresse électronique : rien n'a été saisi.")
    if any(char.isspace() for char in value):
        raise InvalidValue("Adresse électronique invalide : elle ne doit pas contenir d'espace.")
    if value.count("@") != 1:
        raise InvalidValue("Adresse électronique invalide : un seul @ attendu (ex. prenom.nom@exemple.fr).")
    local, domain = value.split("@")
    if not local:
        raise InvalidValue("Adresse électronique invalide : il manque la partie avant le @.")
    if not _is_domain(domain):
        raise InvalidValue("Adresse électronique invalide : le domaine après le @ est incomplet (ex. exemple.fr).")
    return f"{local}@{domain.lower()}"


def _is_domain(domain: str) -> bool:
    labels = domain.split(".")
    return len(labels) >= 2 and all(labels) and len(labels[-1]) >= 2


# --- Phone -------------------------------------------------------------------


def check_phone(text: str) -> str:
    """A French number in any usual writing ('03.83.86.21.15', '+33 3 83 86 21 15', '0033383862115',
    '+33 (0)3 83…') becomes '03 83 86 21 15'; another country's number (+XX or 00XX) is kept as typed."""
    typed = " ".join(text.split())
    if not typed:
        raise InvalidValue("Téléphone : rien n'a été saisi.")
    compact = _PHONE_SEPARATORS.sub("", typed).replace("(0)", "")
    if not re.fullmatch(r"\+?[0-9]+", compact):
        raise InvalidValue(
            "Téléphone invalide : seuls des chiffres, espaces, points, tirets et un + initial sont permis."
        )
    for prefix in ("+33", "0033"):
        if compact.startswith(prefix):
            return _french_from_international(compact[len(prefix):])
    if compact.startswith(("+", "00")):
        return _international(typed, compact)
    return _french_national(compact)


def format_phone(national: str) -> str:
    """'0383862115' -> '03 83 86 21 15'."""
    return " ".join(national[i:i + 2] for i in range(0, 10, 2))


def _french_national(digits: str) -> str:
    if not digits.startswith("0"):
        raise InvalidValue("Téléphone invalide : un numéro français commence par 0 ou par +33.")
    if len(digits) != 10:
        raise InvalidValue(
            f"Téléphone invalide : 10 chiffres attendus (ex. 03 83 86 21 15), {_typed(len(digits))}."
        )
    return format_phone(digits)


def _french_from_international(rest: str) -> str:
    if len(rest) == 10 and rest.startswith("0"):  # '+33 03…': the trunk 0 typed after the country code
        rest = rest[1:]
    if len(rest) != 9 or rest.startswith("0"):
        raise InvalidValue("Téléphone invalide : après +33, 9 chiffres attendus (ex. +33 3 83 86 21 15).")
    return format_phone("0" + rest)


def _international(typed: str, compact: str) -> str:
    digits = compact.removeprefix("+").removeprefix("00")
    # E.164: at most 15 digits with the country code, which never starts with 0.
    if not 7 <= len(digits) <= 15 or digits.startswith("0"):
        raise InvalidValue(
            "Téléphone invalide : numéro international incomplet ou trop long (ex. +32 2 123 45 67)."
        )
    return typed


# --- NAF ---------------------------------------------------------------------


def check_naf(text: str) -> str:
    """A NAF rév. 2 sous-classe: '4711f', '47.11F' or '47 11 F' -> '47.11F', which must exist in the nomenclature."""
    if not text.strip():
        raise InvalidValue("Code NAF : rien n'a été saisi.")
    code = naf.normalise_naf(text)
    if code is None:
        raise InvalidValue("Code NAF invalide : 4 chiffres et une lettre attendus (ex. 47.11F).")
    if not naf.is_known_naf(code):
        raise InvalidValue(f"Code NAF inconnu : {code} ne figure pas dans la NAF rév. 2.")
    return code
