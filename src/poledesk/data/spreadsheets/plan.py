"""An import's plan: each row's cells read into given values and problems, its fate, and the headless import."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from poledesk.data import communes
from poledesk.data.db import Store
from poledesk.data.progress import Progress
from poledesk.data.spreadsheets.cells import read_cell
from poledesk.data.spreadsheets.errors import SpreadsheetError
from poledesk.data.spreadsheets.mapping import ImportField, missing_fields, resolve_mapping
from poledesk.data.spreadsheets.reading import Sheet, SheetRow, read_sheet
from poledesk.data.validation import InvalidValue

CREATE, MERGE, REJECT = "create", "merge", "reject"
# A problem of a field without a column of its own is shown on the column it depends on.
RELATED_COLUMN = {"status_reason": "status", "framework_end": "framework_start", "framework_start": "framework_end"}


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


class MappedColumns:
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
        if isinstance(given.get("postcode"), str) and isinstance(given.get("commune"), str):
            # Excel drops leading zeros and users cut codes: "5400" with « Nancy » is 54000.
            given["postcode"] = communes.postcode_in_light_of(given["postcode"], given["commune"])
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


def run_import(store: Store, path: str | Path, mapping: Mapping[str, str | None] | None,
               fields: Sequence[ImportField], plan: Callable[[Session, Sheet, Mapping[str, int]], ImportPlan],
               apply: Callable[[Session, ImportPlan, Progress], ImportSummary], *, sheet_name: str | None,
               include_valid_when_rejected: bool, progress: Progress) -> ImportOutcome:
    """The headless import of either subject: read the sheet, map its columns, then plan and write in one
    transaction; with rejected rows nothing is written unless include_valid_when_rejected."""
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
