"""Importing partners from a sheet: the row-by-row plan (merged on the SIRET, with a contact a row), the write."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from poledesk.data.db import Store, stamp_new_rows
from poledesk.data.models import Contact, Partner
from poledesk.data.naf import naf_code_of_label, naf_label
from poledesk.data.partners import fulltext
from poledesk.data.partners.contacts import ContactForm, checked_contact
from poledesk.data.partners.edits import PartnerForm, checked_partner, normalise_tags, partner_form
from poledesk.data.progress import Progress, no_progress
from poledesk.data.spreadsheets.errors import SpreadsheetError
from poledesk.data.spreadsheets.mapping import PARTNER_FIELDS
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
from poledesk.data.spreadsheets.reading import Sheet, SheetRow
from poledesk.data.text import fold
from poledesk.data.validation import ValidationError

BATCH = 500          # ids per IN (...) list, well under SQLite's limit on parameters
WRITE_BATCH = 200    # rows per flush: memory stays flat and progress and cancel come often
CONTACT_PREFIX = "contact_"
_SIRET_SEPARATORS = re.compile(r"[\s.]")


def _siret_key(text: object) -> str | None:
    """The 14 digits a SIRET is looked up by (the store holds only valid ones); whether its key is right is
    checked_partner's business, so a wrong SIRET is reported once."""
    digits = _SIRET_SEPARATORS.sub("", str(text)) if text else ""
    return digits if len(digits) == 14 and digits.isascii() and digits.isdigit() else None


T = TypeVar("T")


def _chunks(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def plan_partner_import(session: Session, sheet: Sheet, mapping: Mapping[str, int]) -> ImportPlan:
    """Every data row's fate (create, merge into the live partner with its SIRET, or reject with the reasons),
    checked with the partner form's rules; reads only, so the wizard can show it before anything is written."""
    columns = MappedColumns(sheet, mapping, PARTNER_FIELDS)
    read = [(row, given, problems, _siret_key(given.get("siret")))
            for row in sheet.rows for given, problems in [columns.given(row)]]
    planner = _PartnerPlanner(session, columns, {siret for *_, siret in read if siret})
    rows = tuple(planner.plan(row, given, problems, siret) for row, given, problems, siret in read)
    return ImportPlan("partners", sheet.headers, dict(mapping), rows)


class _PartnerPlanner:
    def __init__(self, session: Session, columns: MappedColumns, sirets: set[str]) -> None:
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
        base = partner_form(self.session, target.id) if target else PartnerForm(name="")
        _read_sector(given, base.tags)
        form_values = {k: v for k, v in given.items() if not k.startswith(CONTACT_PREFIX)}
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


def _read_sector(given: dict[str, Any], tags: str) -> None:
    """A « Secteur » cell in place: the NAF sous-classe whose label it spells (unless a NAF code is given too),
    or else a tag added to the partner's, so that nothing typed is lost and the search finds it."""
    sector = str(given.pop("sector", "") or "").strip()
    if not sector:
        return
    code = naf_code_of_label(sector)
    if code is not None:
        given.setdefault("naf_code", code)
    else:
        given["tags"] = normalise_tags(f"{given.get('tags', tags)}; {sector}")


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
    """The row's contact checked by the contact form's rules, or None when the row names nobody; its problems
    are keyed by the import's fields (contact_phone...)."""
    if not any(key in given for key in _CONTACT_TEXT) and not given.get("contact_is_tutor"):
        return None, {}
    text = {key: str(given.get(key, "")) for key in _CONTACT_TEXT}
    form = ContactForm(last_name=text["contact_last_name"], first_name=text["contact_first_name"],
                       role=text["contact_role"], phone=text["contact_phone"], email=text["contact_email"],
                       is_tutor=bool(given.get("contact_is_tutor", False)))
    try:
        return checked_contact(form), {}
    except ValidationError as error:
        return None, {CONTACT_PREFIX + key: message for key, message in error.problems.items()}


def apply_partner_import(session: Session, plan: ImportPlan, progress: Progress = no_progress) -> ImportSummary:
    """Write the plan's create and merge rows (never the rejected ones) in the caller's transaction.

    New partners and their contacts go in by bulk INSERTs of WRITE_BATCH rows (stamped by db.stamp_new_rows)
    and are indexed for the search once at the end, rather than through save_partner, whose flush, duplicate
    query and index triggers per row would take minutes for 10,000 rows; the rules were applied by the plan.
    A Cancelled raised by `progress`, or a store that changed since the plan (SpreadsheetError), leaves the
    caller's transaction to roll back.
    """
    if plan.subject != "partners":
        raise ValueError(f"Ce plan importe des {plan.subject}, pas des partenaires.")
    creates = [row for row in plan.rows if row.action == CREATE]
    merges = [row for row in plan.rows if row.action == MERGE]
    _check_still_current(session, creates, merges)
    total, done, contacts = len(creates) + len(merges), 0, 0
    progress(0, total, "Import des partenaires")
    if creates:
        first_id = (session.scalar(select(func.max(Partner.id))) or 0) + 1
        partner_ids, contact_ids = itertools.count(first_id), _next_id(session, Contact)
        with fulltext.indexed_once_after(session, first_id):
            for chunk in _chunks(creates, WRITE_BATCH):
                partners, people = [], []
                for row in chunk:
                    partner = {**row.values, "id": next(partner_ids)}
                    partner["sector"] = naf_label(str(partner.get("naf_code") or "")) or ""
                    partners.append(partner)
                    if row.contact:
                        people.append({**row.contact, "id": next(contact_ids), "partner_id": partner["id"]})
                # Core INSERTs of the tables, not the ORM's: one prepared statement for the whole batch.
                stamp_new_rows(session, Partner, partners)
                session.connection().execute(insert(cast(Table, Partner.__table__)), partners)
                if people:
                    stamp_new_rows(session, Contact, people)
                    session.connection().execute(insert(cast(Table, Contact.__table__)), people)
                contacts += len(people)
                done += len(chunk)
                progress(done, total, "Import des partenaires")
    for chunk in _chunks(merges, WRITE_BATCH):
        ids = [row.target_id for row in chunk]
        targets = {p.id: p for p in session.scalars(select(Partner).where(Partner.id.in_(ids)))}
        for row in chunk:
            assert row.target_id is not None   # a merge always names its target
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
    for siret_chunk in _chunks(sirets):
        taken += session.scalars(select(Partner.siret).where(Partner.siret.in_(siret_chunk),
                                                             Partner.deleted_at.is_(None))).all()
    if live != len(set(targets)) or taken:
        raise SpreadsheetError("Les partenaires ont changé depuis l'aperçu de l'import : relancez l'aperçu, "
                               "rien n'a été importé.")


def import_partners(store: Store, path: str | Path, mapping: Mapping[str, str | None] | None = None, *,
                    sheet_name: str | None = None, include_valid_when_rejected: bool = False,
                    progress: Progress = no_progress) -> ImportOutcome:
    """Read, plan and, in one transaction, write; with rejected rows nothing is written unless
    include_valid_when_rejected. `mapping` corrects the guessed one: field key -> header text (None: no column)."""
    return run_import(store, path, mapping, PARTNER_FIELDS, plan_partner_import, apply_partner_import,
                      sheet_name=sheet_name, include_valid_when_rejected=include_valid_when_rejected, progress=progress)
