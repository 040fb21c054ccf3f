"""Cells as field values: numbers back to SIRET, postcode or phone text, dates typed as text, labels of choices."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

from poledesk.data.enums import EstablishmentKind, HeadcountBand, Labelled, LegalKind, PartnerStatus, PriorityEducation
from poledesk.data.spreadsheets.mapping import ImportField, header_key
from poledesk.data.text import fold, format_date, format_datetime
from poledesk.data.validation import InvalidValue

YES = frozenset({"oui", "o", "x", "vrai", "1", "yes", "y", "true"})
NO = frozenset({"non", "n", "faux", "0", "no", "false"})
CHOICE_ALIASES: dict[type[Labelled], dict[str, Labelled]] = {
    LegalKind: {"societe": LegalKind.COMPANY, "collectiviteterritoriale": LegalKind.LOCAL_AUTHORITY,
                "ep": LegalKind.PUBLIC_BODY},
    PartnerStatus: {"nepassolliciter": PartnerStatus.DO_NOT_CONTACT, "nepascontacter": PartnerStatus.DO_NOT_CONTACT,
                    "pause": PartnerStatus.PAUSED},
    EstablishmentKind: {"lgt": EstablishmentKind.LYCEE, "lyceegeneral": EstablishmentKind.LYCEE,
                        "lyceegeneralettechnologique": EstablishmentKind.LYCEE},
    PriorityEducation: {"non": PriorityEducation.NONE, "aucune": PriorityEducation.NONE,
                        "horsrep": PriorityEducation.NONE},
}
_SCIENTIFIC = re.compile(r"[0-9]+(?:\.[0-9]+)?[eE]\+?[0-9]+")
_DAY_FIRST = re.compile(r"([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4}|[0-9]{2})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_AGE = re.compile(r"([0-9]{1,3})(?:\s*ans?)?")
_EXCEL_EPOCH = date(1899, 12, 30)
_PLAUSIBLE_SERIALS = range(18264, 73051)   # 1950-01-01 to 2099-12-31: anything else is not a date typed as such


def read_cell(import_field: ImportField, value: object) -> object:
    """A cell's value as the field takes it (text, enum member, bool, date, int); raises InvalidValue (French)."""
    return _READERS[import_field.kind](import_field, value)


def cell_text(value: object) -> str:
    """A cell as text, the one way for the import and its preview: '' for an empty cell, Oui/Non, dates
    dd/mm/yyyy, times hh:mm, whole numbers without '.0' (a SIRET typed as a number), decimals with a comma."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime):
        return format_date(value) if value.time() == time() else format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value).replace(".", ",")
    return str(value).strip()


def _number_text(value: object) -> str | None:
    """The digits of a number Excel stored as such (int, float, '7.3282932000074E13'); None for other text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and _SCIENTIFIC.fullmatch(value.replace(",", ".")):
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            return None
        return str(int(number)) if number == number.to_integral_value() else None
    return None


def _read_text(_field: ImportField, value: object) -> str:
    return cell_text(value)


def _read_siret(_field: ImportField, value: object) -> str:
    digits = _number_text(value)
    return digits.zfill(14) if digits is not None else cell_text(value)   # a number lost its leading zeros


def _read_postcode(_field: ImportField, value: object) -> str:
    text = _number_text(value) or cell_text(value)
    return text.zfill(5) if text.isdigit() and len(text) == 4 else text   # 8000 was 08000 before Excel


def _read_phone(_field: ImportField, value: object) -> str:
    text = _number_text(value) or cell_text(value)
    return f"0{text}" if text.isdigit() and len(text) == 9 and text[0] != "0" else text


def _read_choice(import_field: ImportField, value: object) -> Labelled:
    enum = import_field.choices
    if enum is None:
        raise TypeError(f"{import_field.key}: a field of kind {import_field.kind} needs its choices")
    text = cell_text(value)
    member = _choices(enum).get(_choice_key(text))
    if member is None:
        labels = [m.label for m in enum]
        raise InvalidValue(f"Valeur inconnue « {text} » : attendu {', '.join(labels[:-1])} ou {labels[-1]}.")
    return member


@lru_cache(maxsize=4096)
def _choice_key(text: str) -> str:
    return header_key(text.replace("+", " plus "))


@cache
def _choices(enum: type[Labelled]) -> dict[str, Labelled]:
    found: dict[str, Labelled] = dict(CHOICE_ALIASES.get(enum, {}))
    for member in enum:
        found[_choice_key(member.value)] = member
        found[_choice_key(member.label)] = member
    return found


def _read_headcount(import_field: ImportField, value: object) -> Labelled:
    digits = _number_text(value) or (cell_text(value) if cell_text(value).isdigit() else None)
    if digits is None:
        return _read_choice(import_field, value)
    count = int(digits)
    if count < 10:
        return HeadcountBand.MICRO
    return HeadcountBand.SMALL if count < 50 else HeadcountBand.MEDIUM if count < 250 else HeadcountBand.LARGE


def _read_bool(_field: ImportField, value: object) -> bool:
    if isinstance(value, bool):
        return value
    key = fold(cell_text(value)).strip(" .")
    if key in YES or key in NO:
        return key in YES
    raise InvalidValue(f"Valeur inconnue « {cell_text(value)} » : attendu oui ou non.")


def _read_date(_field: ImportField, value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    serial = _number_text(value) if not isinstance(value, str) else None
    if serial is not None and int(serial) in _PLAUSIBLE_SERIALS:
        return _EXCEL_EPOCH + timedelta(days=int(serial))
    text = cell_text(value)
    first = text.split()[0].split("T")[0] if text.split() else ""
    if match := _DAY_FIRST.fullmatch(first):
        day, month, year = (int(part) for part in match.groups())
        year += (2000 if year < 70 else 1900) if year < 100 else 0
    elif match := _ISO.fullmatch(first):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise InvalidValue(f"Date illisible « {text} » : attendu jj/mm/aaaa (ex. 15/09/2026).")
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidValue(f"Date impossible « {text} » : vérifiez le jour et le mois.") from None


def _read_int(_field: ImportField, value: object) -> int:
    digits = _number_text(value)
    if digits is not None:
        return int(digits)
    match = _AGE.fullmatch(cell_text(value))
    if match is None:
        raise InvalidValue(f"Nombre entier attendu, lu « {cell_text(value)} ».")
    return int(match.group(1))


_READERS: dict[str, Callable[[ImportField, object], object]] = {
    "text": _read_text, "uai": _read_text, "siret": _read_siret, "postcode": _read_postcode, "phone": _read_phone,
    "enum": _read_choice, "headcount": _read_headcount, "bool": _read_bool, "date": _read_date, "int": _read_int,
}
