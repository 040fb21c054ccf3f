"""Importing planned periods from a sheet, one row a period: the row-by-row plan and the write."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data.db import Store
from poledesk.data.enums import Audience
from poledesk.data.models import Establishment, Formation
from poledesk.data.planning.periods import PeriodForm, check_period, save_period
from poledesk.data.progress import Progress, no_progress
from poledesk.data.spreadsheets.errors import SpreadsheetError
from poledesk.data.spreadsheets.mapping import ImportField, header_key
from poledesk.data.spreadsheets.plan import (
    CREATE,
    REJECT,
    ImportOutcome,
    ImportPlan,
    ImportSummary,
    MappedColumns,
    PlannedRow,
    run_import,
)
from poledesk.data.spreadsheets.reading import Sheet
from poledesk.data.validation import InvalidValue, ValidationError, check_uai

SUBJECT = "periods"
F = ImportField
PERIOD_FIELDS: tuple[ImportField, ...] = (
    F("uai", "UAI", ("Code UAI", "N° UAI", "RNE", "Établissement (UAI)"), kind="uai", required=True),
    F("formation", "Formation", ("Diplôme", "Spécialité", "Code formation", "Formation (code)")),
    F("division", "Classe", ("Division", "Groupe", "Classe (division)")),
    F("audience", "Public", ("Type de période", "Type de stage"), kind="enum", choices=Audience),
    F("start_date", "Début", ("Date de début", "Du", "Début de la période"), kind="date", required=True),
    F("end_date", "Fin", ("Date de fin", "Au", "Fin de la période"), kind="date", required=True),
    F("pupils", "Élèves", ("Nombre d'élèves", "Effectif", "Nb élèves", "Élèves concernés"), kind="int",
      required=True),
    F("notes", "Notes", ("Remarques", "Commentaire")),
)
del F
# The form's fields, shown on the sheet's columns.
COLUMN_OF = {"establishment_id": "uai", "formation_id": "formation"}


def plan_period_import(session: Session, sheet: Sheet, mapping: Mapping[str, int], *,
                       school_year: str | None = None) -> ImportPlan:
    """Each row checked as the period form checks it; an unknown UAI or formation rejects the row."""
    columns = MappedColumns(sheet, mapping, PERIOD_FIELDS)
    schools = {e.uai: e for e in session.scalars(select(Establishment).where(Establishment.deleted_at.is_(None)))}
    formations: dict[str, int] = {}
    for formation in session.scalars(select(Formation).where(Formation.deleted_at.is_(None))):
        formations.setdefault(header_key(formation.code), formation.id)
        formations.setdefault(header_key(formation.label), formation.id)
    rows = []
    for row in sheet.rows:
        given, problems = columns.given(row)
        school = None
        if "uai" in given:
            try:
                uai = check_uai(str(given["uai"]))
            except InvalidValue as error:
                problems.setdefault("uai", error.message)
            else:
                school = schools.get(uai)
                if school is None:
                    problems.setdefault("uai", f"UAI inconnu : aucun établissement du pôle n'a l'UAI {uai}.")
        formation_id = formations.get(header_key(str(given["formation"]))) if "formation" in given else None
        if "formation" in given and formation_id is None:
            problems.setdefault("formation", f"Formation inconnue « {given['formation']} ».")
        form = PeriodForm(school.id if school else None, given.get("audience"), given.get("start_date"),
                          given.get("end_date"), given.get("pupils"), formation_id=formation_id,
                          division=str(given.get("division", "")), notes=str(given.get("notes", "")),
                          source="imported")
        name = f"{school.name if school else given.get('uai', '')} {form.division}".strip()
        if not problems:
            try:
                form = check_period(session, form, school_year=school_year)
            except ValidationError as error:
                for key, message in error.problems.items():
                    problems.setdefault(COLUMN_OF.get(key, key), message)
        if problems:
            rows.append(PlannedRow(row.number, REJECT, name, problems=columns.problems(problems)))
        else:
            rows.append(PlannedRow(row.number, CREATE, name, values={"form": form}))
    return ImportPlan(SUBJECT, sheet.headers, dict(mapping), tuple(rows))


def apply_period_import(session: Session, plan: ImportPlan, progress: Progress = no_progress) -> ImportSummary:
    """Write every planned row; a row refused now (the store changed since the preview) writes nothing."""
    if plan.subject != SUBJECT:
        raise ValueError(f"Ce plan importe des {plan.subject}, pas des périodes.")
    rows = [row for row in plan.rows if row.action == CREATE]
    for done, row in enumerate(rows):
        if done % 50 == 0:
            progress(done, len(rows), "Import des périodes")
        form = row.values["form"]
        assert isinstance(form, PeriodForm)
        try:
            save_period(session, form)
        except ValidationError as error:
            raise SpreadsheetError(f"Ligne {row.row_number} : {' '.join(error.problems.values())} Relancez "
                                   "l'aperçu : rien n'a été importé.") from error
    progress(len(rows), len(rows), "Import des périodes")
    return ImportSummary(len(rows), 0, plan.count(REJECT))


def import_periods(store: Store, path: str | Path, mapping: Mapping[str, str | None] | None = None, *,
                   sheet_name: str | None = None, include_valid_when_rejected: bool = False,
                   progress: Progress = no_progress) -> ImportOutcome:
    return run_import(store, path, mapping, PERIOD_FIELDS, plan_period_import, apply_period_import,
                      sheet_name=sheet_name, include_valid_when_rejected=include_valid_when_rejected,
                      progress=progress)
