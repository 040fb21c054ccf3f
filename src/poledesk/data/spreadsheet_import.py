"""Importing partners and establishments from a sheet: cells read as field values, the row-by-row plan, the write."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from poledesk.data import validation
from poledesk.data.db import Store
from poledesk.data.enums import EstablishmentKind, HeadcountBand, Labelled, LegalKind, PartnerStatus, \
    PriorityEducation
from poledesk.data.establishment_edits import EstablishmentForm, checked_establishment, establishment_form_of, \
    save_establishment
from poledesk.data.models import Contact, Establishment, Partner
from poledesk.data.partner_edits import PartnerForm, checked_partner, partner_form
from poledesk.data.progress import Progress, no_progress
from poledesk.data.spreadsheets import ESTABLISHMENT_FIELDS, PARTNER_FIELDS, ImportField, Sheet, SheetRow, \
    SpreadsheetError, header_key, missing_fields, read_sheet, resolve_mapping
from poledesk.data.text import fold, format_date, format_datetime
from poledesk.data.validation import InvalidValue, Problems, ValidationError

CREATE, MERGE, REJECT = "create", "merge", "reject"
BATCH = 500          # ids per IN (...) list, well under SQLite's limit on parameters
WRITE_BATCH = 200    # rows per flush: db.stamp_writes' cost grows with the square of a flush's new objects
CONTACT_PREFIX = "contact_"
# A problem of a field without a column of its own is shown on the column it depends on.
RELATED_COLUMN = {"status_reason": "status", "framework_end": "framework_start", "framework_start": "framework_end"}

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
_SIRET_SEPARATORS = re.compile(r"[\s.]")
_SCIENTIFIC = re.compile(r"[0-9]+(?:\.[0-9]+)?[eE]\+?[0-9]+")
_DAY_FIRST = re.compile(r"([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4}|[0-9]{2})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_AGE = re.compile(r"([0-9]{1,3})(?:\s*ans?)?")
_EXCEL_EPOCH = date(1899, 12, 30)
_PLAUSIBLE_SERIALS = range(18264, 73051)   # 1950-01-01 to 2099-12-31: anything else is not a date typed as such


@dataclass(frozen=True, slots=True)
class RowProblem:
    column: str       # the header as the user wrote it (or the field's label when no column holds it)
    message: str


@dataclass(frozen=True, slots=True)
class PlannedRow:
    """What the import will do with one row: create, merge into target_id, or reject for the problems."""

    row_number: int
    action: str
    name: str
    target_id: int | None = None
    problems: tuple[RowProblem, ...] = ()
    changes: tuple[str, ...] = ()     # merge: the labels of the fields it changes, and a contact it adds
    values: Mapping[str, object] = field(default_factory=dict, repr=False, compare=False)
    contact: Mapping[str, object] | None = field(default=None, repr=False, compare=False)

    @property
    def partner_id(self) -> int | None:
        """The partner a merge row updates (a partner import's name for target_id)."""
        return self.target_id

    def describe_problems(self) -> list[str]:
        """'ligne 7, colonne « SIRET » : SIRET invalide : …', one line a problem."""
        return [f"ligne {self.row_number}, colonne « {p.column} » : {p.message}" if p.column
                else f"ligne {self.row_number} : {p.message}" for p in self.problems]


@dataclass(frozen=True, slots=True)
class ImportPlan:
    subject: str                          # "partners" or "establishments"
    headers: tuple[str, ...]
    mapping: Mapping[str, int]
    rows: tuple[PlannedRow, ...]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def rejected_rows(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == REJECT]

    def report_lines(self) -> list[str]:
        return [line for row in self.rejected_rows for line in row.describe_problems()]


@dataclass(frozen=True, slots=True)
class ImportSummary:
    created: int
    merged: int
    rejected: int
    contacts_added: int = 0


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    plan: ImportPlan
    summary: ImportSummary | None         # None: refused because of rejected rows, nothing written

    @property
    def written(self) -> bool:
        return self.summary is not None


# --- Cells as field values ----------------------------------------------------


def read_cell(import_field: ImportField, value: object) -> object:
    """A cell's value as the field takes it (text, enum member, bool, date, int); raises InvalidValue (French)."""
    return _READERS[import_field.kind](import_field, value)


def _text(value: object) -> str:
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
    return _text(value)


def _read_siret(_field: ImportField, value: object) -> str:
    digits = _number_text(value)
    return digits.zfill(14) if digits is not None else _text(value)   # a number lost its leading zeros


def _read_postcode(_field: ImportField, value: object) -> str:
    text = _number_text(value) or _text(value)
    return text.zfill(5) if text.isdigit() and len(text) == 4 else text   # 8000 was 08000 before Excel


def _read_phone(_field: ImportField, value: object) -> str:
    text = _number_text(value) or _text(value)
    return f"0{text}" if text.isdigit() and len(text) == 9 and text[0] != "0" else text


def _read_choice(import_field: ImportField, value: object) -> Labelled:
    enum = import_field.choices
    if enum is None:
        raise TypeError(f"{import_field.key}: a field of kind {import_field.kind} needs its choices")
    text = _text(value)
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
    digits = _number_text(value) or (_text(value) if _text(value).isdigit() else None)
    if digits is None:
        return _read_choice(import_field, value)
    count = int(digits)
    if count < 10:
        return HeadcountBand.MICRO
    return HeadcountBand.SMALL if count < 50 else HeadcountBand.MEDIUM if count < 250 else HeadcountBand.LARGE


def _read_bool(_field: ImportField, value: object) -> bool:
    if isinstance(value, bool):
        return value
    key = fold(_text(value)).strip(" .")
    if key in YES or key in NO:
        return key in YES
    raise InvalidValue(f"Valeur inconnue « {_text(value)} » : attendu oui ou non.")


def _read_date(_field: ImportField, value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    serial = _number_text(value) if not isinstance(value, str) else None
    if serial is not None and int(serial) in _PLAUSIBLE_SERIALS:
        return _EXCEL_EPOCH + timedelta(days=int(serial))
    text = _text(value)
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
    match = _AGE.fullmatch(_text(value))
    if match is None:
        raise InvalidValue(f"Nombre entier attendu, lu « {_text(value)} ».")
    return int(match.group(1))


_READERS: dict[str, Callable[[ImportField, object], object]] = {
    "text": _read_text, "uai": _read_text, "siret": _read_siret, "postcode": _read_postcode, "phone": _read_phone,
    "enum": _read_choice, "headcount": _read_headcount, "bool": _read_bool, "date": _read_date, "int": _read_int,
}


# --- Rows as given values and problems --------------------------------------------


class _Columns:
    """Reads a row's mapped cells, and says each problem at the user's column."""

    def __init__(self, sheet: Sheet, mapping: Mapping[str, int], fields: Sequence[ImportField]) -> None:
        self.sheet, self.mapping = sheet, dict(mapping)
        self.fields = {f.key: f for f in fields}
        absent = missing_fields(mapping, fields)
        if absent:
            names = ", ".join(f"« {f.label} »" for f in absent)
            raise SpreadsheetError(f"Aucune colonne ne correspond à {names} (obligatoire) : choisissez-la dans la "
                                   "correspondance des colonnes.")
        if any(not 0 <= index < len(sheet.headers) for index in mapping.values()):
            raise SpreadsheetError("La correspondance des colonnes désigne une colonne absente de la feuille.")

    def given(self, row: SheetRow) -> tuple[dict[str, Any], dict[str, str]]:
        """field -> value for the row's non-empty mapped cells, and field -> problem for those unreadable."""
        given: dict[str, Any] = {}   # each value of its field's type (str, enum, bool, date, int)
        problems: dict[str, str] = {}
        cell_problems = {p.column: p.message for p in row.problems}
        for key, index in self.mapping.items():
            if index in cell_problems:
                problems[key] = cell_problems[index]
                continue
            if row.values[index] is None:
                continue
            try:
                value = read_cell(self.fields[key], row.values[index])
            except InvalidValue as error:
                problems[key] = error.message
                continue
            if value is not None and value != "":
                given[key] = value
        return given, problems

    def problems(self, by_field: Mapping[str, str]) -> tuple[RowProblem, ...]:
        placed = []
        for key, message in by_field.items():
            index = self.mapping.get(key, self.mapping.get(RELATED_COLUMN.get(key, "")))
            column = self.sheet.column_label(index) if index is not None else self._label(key)
            placed.append((index if index is not None else len(self.sheet.headers), column, message))
        return tuple(RowProblem(column, message) for _, column, message in sorted(placed, key=lambda p: p[0]))

    def _label(self, key: str) -> str:
        return self.fields[key].label if key in self.fields else ""


def _valid(checker: Callable[[str], str], text: object) -> str | None:
    try:
        return checker(str(text)) if text else None
    except InvalidValue:
        return None


def _siret_key(text: object) -> str | None:
    """The 14 digits a SIRET is looked up by (the store holds only valid ones); whether its key is right is
    checked_partner's business, so a wrong SIRET is reported once."""
    digits = _SIRET_SEPARATORS.sub("", str(text)) if text else ""
    return digits if len(digits) == 14 and digits.isascii() and digits.isdigit() else None


def _chunks(items: Sequence, size: int = BATCH) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- Partners -------------------------------------------------------------------


def plan_partner_import(session: Session, sheet: Sheet, mapping: Mapping[str, int]) -> ImportPlan:
    """Every data row's fate (create, merge into the live partner with its SIRET, or reject with the reasons),
    checked with the partner form's rules; reads only, so the wizard can show it before anything is written."""
    columns = _Columns(sheet, mapping, PARTNER_FIELDS)
    read = [(row, given, problems, _siret_key(given.get("siret")))
            for row in sheet.rows for given, problems in [columns.given(row)]]
    planner = _PartnerPlanner(session, columns, {siret for *_, siret in read if siret})
    rows = tuple(planner.plan(row, given, problems, siret) for row, given, problems, siret in read)
    return ImportPlan("partners", sheet.headers, dict(mapping), rows)


class _PartnerPlanner:
    def __init__(self, session: Session, columns: _Columns, sirets: set[str]) -> None:
        self.session, self.columns = session, columns
        self.by_siret: dict[str, Partner] = {}
        for chunk in _chunks(sorted(sirets)):
            self.by_siret.update((str(p.siret), p) for p in session.scalars(
                select(Partner).where(Partner.deleted_at.is_(None), Partner.siret.in_(chunk))))
        self.by_name = {(fold(name), fold(commune)): (name, siret) for name, commune, siret in session.execute(
            select(Partner.name, Partner.commune, Partner.siret).where(Partner.deleted_at.is_(None)))}
        self.contacts = _contact_names(session, [p.id for p in self.by_siret.values()])
        self.seen_sirets: dict[str, int] = {}
        self.seen_names: dict[tuple[str, str], tuple[int, str | None]] = {}

    def plan(self, row: SheetRow, given: dict[str, Any], problems: dict[str, str],
             siret: str | None) -> PlannedRow:
        target = self.by_siret.get(siret) if siret else None
        if siret and self.seen_sirets.setdefault(siret, row.number) != row.number:
            problems.setdefault("siret", f"même SIRET que la ligne {self.seen_sirets[siret]}")
        form_values = {k: v for k, v in given.items() if not k.startswith(CONTACT_PREFIX)}
        base = partner_form(self.session, target.id) if target else PartnerForm(name="")
        form = dataclasses.replace(base, **form_values)
        values = self._checked(form, problems)
        contact, contact_problems = _checked_contact(given)
        for key, message in contact_problems.items():
            problems.setdefault(key, message)
        if values and target is None:
            self._look_alike(row.number, values, siret, problems)
        name = str(values.get("name") or " ".join(form.name.split()))
        if problems:
            return PlannedRow(row.number, REJECT, name, problems=self.columns.problems(problems))
        if target is None:
            return PlannedRow(row.number, CREATE, name, values=values, contact=contact)
        return self._merge(row.number, target, form_values, values, contact)

    @staticmethod
    def _checked(form: PartnerForm, problems: dict[str, str]) -> dict[str, object]:
        try:
            return checked_partner(form)
        except ValidationError as error:
            for key, message in error.problems.items():
                problems.setdefault(key, message)
            return {}

    def _look_alike(self, number: int, values: Mapping[str, object], siret: str | None,
                    problems: dict[str, str]) -> None:
        # Same name in the same commune is one partner unless both carry a SIRET (two sites of one company).
        key = (fold(str(values["name"])), fold(str(values["commune"])))
        existing = self.by_name.get(key)
        if existing and not (siret and existing[1]):
            problems.setdefault("name", f"ressemble à « {existing[0]} » (même nom, même commune) : ajoutez le "
                                        "SIRET ou corrigez le nom")
        earlier = self.seen_names.setdefault(key, (number, siret))
        if earlier[0] != number and not (siret and earlier[1]):
            problems.setdefault("name", f"même nom et même commune que la ligne {earlier[0]}")

    def _merge(self, number: int, target: Partner, given: Mapping[str, Any], values: Mapping[str, object],
               contact: Mapping[str, object] | None) -> PlannedRow:
        labels = {f.key: f.label for f in PARTNER_FIELDS}
        write = {key: values[key] for key in labels if key in given and values[key] != getattr(target, key)}
        changes = [labels[key] for key in write]
        if contact and (fold(str(contact["first_name"])), fold(str(contact["last_name"]))) in \
                self.contacts.get(target.id, set()):
            contact = None    # already there: importing the same file twice adds nobody
        if contact:
            who = " ".join(str(part) for part in (contact["first_name"], contact["last_name"]) if part)
            changes.append(f"nouvel interlocuteur « {who} »")
        return PlannedRow(number, MERGE, str(values["name"]), target.id, changes=tuple(changes), values=write,
                          contact=contact)


def _contact_names(session: Session, partner_ids: list[int]) -> dict[int, set[tuple[str, str]]]:
    names: dict[int, set[tuple[str, str]]] = {}
    for chunk in _chunks(partner_ids):
        for partner_id, first, last in session.execute(
                select(Contact.partner_id, Contact.first_name, Contact.last_name)
                .where(Contact.partner_id.in_(chunk), Contact.deleted_at.is_(None))):
            names.setdefault(partner_id, set()).add((fold(first), fold(last)))
    return names


_CONTACT_TEXT = ("contact_last_name", "contact_first_name", "contact_role", "contact_phone", "contact_email")


def _checked_contact(given: Mapping[str, object]) -> tuple[dict[str, object] | None, dict[str, str]]:
    """The row's contact with contacts.save_contact's rules, or None when the row names nobody."""
    if not any(key in given for key in _CONTACT_TEXT) and not given.get("contact_is_tutor"):
        return None, {}
    problems = Problems()
    last_name = " ".join(str(given.get("contact_last_name", "")).split())
    if not last_name:
        problems.add("contact_last_name", "Le nom de l'interlocuteur est obligatoire.")
    phone = problems.check("contact_phone", validation.check_phone, _str(given.get("contact_phone")))
    email = problems.check("contact_email", validation.check_email, _str(given.get("contact_email")))
    if problems:
        return None, problems.problems
    return {"last_name": last_name, "first_name": " ".join(str(given.get("contact_first_name", "")).split()),
            "role": str(given.get("contact_role", "")).strip(), "phone": phone or "", "email": email or "",
            "is_tutor": bool(given.get("contact_is_tutor", False))}, {}


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def apply_partner_import(session: Session, plan: ImportPlan, progress: Progress = no_progress) -> ImportSummary:
    """Write the plan's create and merge rows (never the rejected ones) in the caller's transaction.

    Rows are added in batches rather than through save_partner, whose flush and duplicate query per row would
    take minutes for 10,000 rows; the rules were applied by the plan. A Cancelled raised by `progress`, or a
    store that changed since the plan (SpreadsheetError), leaves the caller's transaction to roll back.
    """
    if plan.subject != "partners":
        raise ValueError(f"Ce plan importe des {plan.subject}, pas des partenaires.")
    creates = [row for row in plan.rows if row.action == CREATE]
    merges = [row for row in plan.rows if row.action == MERGE]
    _check_still_current(session, creates, merges)
    total, done, contacts = len(creates) + len(merges), 0, 0
    partner_ids, contact_ids = _next_id(session, Partner), _next_id(session, Contact)
    progress(0, total, "Import des partenaires")
    for chunk in _chunks(creates, WRITE_BATCH):
        for row in chunk:
            partner = Partner(id=next(partner_ids), **row.values)
            session.add(partner)
            if row.contact:
                session.add(Contact(id=next(contact_ids), partner_id=partner.id, **row.contact))
                contacts += 1
        session.flush()
        done += len(chunk)
        progress(done, total, "Import des partenaires")
    for chunk in _chunks(merges, WRITE_BATCH):
        ids = [row.target_id for row in chunk]
        targets = {p.id: p for p in session.scalars(select(Partner).where(Partner.id.in_(ids)))}
        for row in chunk:
            for key, value in row.values.items():
                setattr(targets[row.target_id], key, value)
            if row.contact:
                session.add(Contact(partner_id=row.target_id, **row.contact))
                contacts += 1
        session.flush()
        done += len(chunk)
        progress(done, total, "Import des partenaires")
    return ImportSummary(len(creates), len(merges), plan.count(REJECT), contacts)


def _next_id(session: Session, model: type[Partner] | type[Contact]) -> Iterator[int]:
    """The ids SQLite would give the new rows (max + 1, …), given up front: the ORM cannot batch INSERTs that
    must return their ids on SQLite, and sends one statement a row. Safe under the transaction's write lock."""
    return itertools.count((session.scalar(select(func.max(model.id))) or 0) + 1)


def _check_still_current(session: Session, creates: list[PlannedRow], merges: list[PlannedRow]) -> None:
    """The plan was shown from another session: refuse it if partners it relies on changed since."""
    targets = [row.target_id for row in merges]
    live = 0
    for chunk in _chunks(targets):
        live += len(session.scalars(select(Partner.id).where(Partner.id.in_(chunk),
                                                             Partner.deleted_at.is_(None))).all())
    sirets = [str(row.values["siret"]) for row in creates if row.values.get("siret")]
    taken: list[str | None] = []
    for chunk in _chunks(sirets):
        taken += session.scalars(select(Partner.siret).where(Partner.siret.in_(chunk),
                                                             Partner.deleted_at.is_(None))).all()
    if live != len(set(targets)) or taken:
        raise SpreadsheetError("Les partenaires ont changé depuis l'aperçu de l'import : relancez l'aperçu, "
                               "rien n'a été importé.")


# --- Establishments ------------------------------------------------------------------


def plan_establishment_import(session: Session, sheet: Sheet, mapping: Mapping[str, int]) -> ImportPlan:
    """As plan_partner_import, for establishments: merged into the live establishment with the same UAI."""
    columns = _Columns(sheet, mapping, ESTABLISHMENT_FIELDS)
    existing = {e.uai: e for e in session.scalars(select(Establishment).where(Establishment.deleted_at.is_(None)))}
    labels = {f.key: f.label for f in ESTABLISHMENT_FIELDS}
    seen: dict[str, int] = {}
    rows = []
    for row in sheet.rows:
        given, problems = columns.given(row)
        uai = _valid(validation.check_uai, given.get("uai"))
        if uai and seen.setdefault(uai, row.number) != row.number:
            problems.setdefault("uai", f"même UAI que la ligne {seen[uai]}")
        target = existing.get(uai) if uai else None
        base = establishment_form_of(target) if target else EstablishmentForm(uai="", name="")
        form = dataclasses.replace(base, **given)
        try:
            values = checked_establishment(session, form, target.id if target else None)
        except ValidationError as error:
            values = {}
            for key, message in error.problems.items():
                problems.setdefault(key, message)
        name = str(values.get("name") or " ".join(form.name.split()))
        if problems:
            rows.append(PlannedRow(row.number, REJECT, name, problems=columns.problems(problems)))
        elif target is None:
            rows.append(PlannedRow(row.number, CREATE, name, values=values))
        else:
            changes = tuple(labels[k] for k in labels if k in given and values[k] != getattr(target, k))
            rows.append(PlannedRow(row.number, MERGE, name, target.id, changes=changes, values=values))
    return ImportPlan("establishments", sheet.headers, dict(mapping), tuple(rows))


def apply_establishment_import(session: Session, plan: ImportPlan,
                               progress: Progress = no_progress) -> ImportSummary:
    """Write the plan's rows through save_establishment (a pole has at most a few hundred schools)."""
    if plan.subject != "establishments":
        raise ValueError(f"Ce plan importe des {plan.subject}, pas des établissements.")
    rows = [row for row in plan.rows if row.action in (CREATE, MERGE)]
    for done, row in enumerate(rows):
        if done % 50 == 0:
            progress(done, len(rows), "Import des établissements")
        values: dict[str, Any] = {f: row.values[f] for f in EstablishmentForm.__dataclass_fields__}
        try:
            save_establishment(session, EstablishmentForm(**values), row.target_id)
        except ValidationError as error:
            raise SpreadsheetError(f"Ligne {row.row_number} : {' '.join(error.problems.values())} Les établissements "
                                   "ont changé depuis l'aperçu : relancez l'aperçu, rien n'a été importé.") from error
    progress(len(rows), len(rows), "Import des établissements")
    return ImportSummary(plan.count(CREATE), plan.count(MERGE), plan.count(REJECT))


# --- The headless import ---------------------------------------------------------------


def import_partners(store: Store, path: str | Path, mapping: Mapping[str, str | None] | None = None, *,
                    sheet_name: str | None = None, include_valid_when_rejected: bool = False,
                    progress: Progress = no_progress) -> ImportOutcome:
    """Read, plan and, in one transaction, write; with rejected rows nothing is written unless
    include_valid_when_rejected. `mapping` corrects the guessed one: field key -> header text (None: no column)."""
    return _import(store, path, mapping, PARTNER_FIELDS, plan_partner_import, apply_partner_import,
                   sheet_name=sheet_name, include_valid_when_rejected=include_valid_when_rejected, progress=progress)


def import_establishments(store: Store, path: str | Path, mapping: Mapping[str, str | None] | None = None, *,
                          sheet_name: str | None = None, include_valid_when_rejected: bool = False,
                          progress: Progress = no_progress) -> ImportOutcome:
    return _import(store, path, mapping, ESTABLISHMENT_FIELDS, plan_establishment_import,
                   apply_establishment_import, sheet_name=sheet_name,
                   include_valid_when_rejected=include_valid_when_rejected, progress=progress)


def _import(store: Store, path: str | Path, mapping: Mapping[str, str | None] | None,
            fields: Sequence[ImportField], plan: Callable[[Session, Sheet, Mapping[str, int]], ImportPlan],
            apply: Callable[[Session, ImportPlan, Progress], ImportSummary], *, sheet_name: str | None,
            include_valid_when_rejected: bool, progress: Progress) -> ImportOutcome:
    if not store.owner:   # every record needs its owner: the pole (or coordination) must be set up first
        raise SpreadsheetError("Le dossier de données n'est pas encore configuré (pôle ou coordination) : rien n'a "
                               "été importé.")
    sheet = read_sheet(path, sheet_name=sheet_name)
    columns = resolve_mapping(sheet.headers, mapping, fields)
    with store.transaction() as session:   # planned and written under one lock: nothing changes in between
        planned = plan(session, sheet, columns)
        if planned.rejected_rows and not include_valid_when_rejected:
            return ImportOutcome(planned, None)
        return ImportOutcome(planned, apply(session, planned, progress))
