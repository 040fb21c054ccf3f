"""Importing establishments from a sheet: the row-by-row plan (merged on the UAI) and the write."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data import validation
from poledesk.data.db import Store
from poledesk.data.establishments.edits import (
    EstablishmentForm,
    checked_establishment,
    establishment_form_of,
    save_establishment,
)
from poledesk.data.models import Establishment
from poledesk.data.progress import Progress, no_progress
from poledesk.data.spreadsheets.errors import SpreadsheetError
from poledesk.data.spreadsheets.mapping import ESTABLISHMENT_FIELDS
from poledesk.data.spreadsheets.plan import (
    CREATE,
    MERGE,
    REJECT,
    ImportOutcome,
    ImportPlan,
    ImportSummary,
    MappedColumns,
    PlannedRow,
    run_import,
)
from poledesk.data.spreadsheets.reading import Sheet
from poledesk.data.validation import InvalidValue, ValidationError


def plan_establishment_import(session: Session, sheet: Sheet, mapping: Mapping[str, int]) -> ImportPlan:
    """As plan_partner_import, for establishments: merged into the live establishment with the same UAI."""
    columns = MappedColumns(sheet, mapping, ESTABLISHMENT_FIELDS)
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


def import_establishments(store: Store, path: str | Path, mapping: Mapping[str, str | None] | None = None, *,
                          sheet_name: str | None = None, include_valid_when_rejected: bool = False,
                          progress: Progress = no_progress) -> ImportOutcome:
    return run_import(store, path, mapping, ESTABLISHMENT_FIELDS, plan_establishment_import,
                      apply_establishment_import, sheet_name=sheet_name,
                      include_valid_when_rejected=include_valid_when_rejected, progress=progress)


def _valid(checker: Callable[[str], str], text: object) -> str | None:
    try:
        return checker(str(text)) if text else None
    except InvalidValue:
        return None
