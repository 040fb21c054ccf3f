"""Conventions from the store: refusal when a blocking rule fails, and the batch that writes one PDF per placement.

`convention_pdf` and `amendment_pdf` read a placement, check it against the rules (data/rules.py, through the
facts of data/convention_data.py) and raise `BlockingFindings` instead of printing a convention that breaks
one; `attestation_pdf` is never refused: it reports a period that has taken place.

The batch writes every PDF in a hidden temporary folder inside `out_dir`, and moves them in only once all of them
are done: a cancel (progress raising Cancelled) or an error leaves `out_dir` as it was, with no half-written
batch to sort out by hand; refusals do not stop it, they are reported. The final moves are atomic renames in
one folder, each replacing a file of the same name.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from poledesk.data.conventions.document import ConventionDocument, convention_document
from poledesk.data.conventions.rules import Finding
from poledesk.data.db import Store
from poledesk.data.errors import RulesError
from poledesk.data.progress import Progress, no_progress
from poledesk.data.text import fold, plural
from poledesk.data.validation import ValidationError
from poledesk.reports.convention_articles import Articles, load_articles
from poledesk.reports.conventions import render_amendment, render_attestation, render_convention

log = logging.getLogger(__name__)

SAVED, REFUSED = "saved", "refused"


class BlockingFindings(RulesError):
    """The rules forbid printing this convention as it stands; `findings` lists why, in French."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings = tuple(findings)
        count = len(self.findings)
        lines = "\n".join(f"- {finding.message}" for finding in self.findings)
        super().__init__(f"Convention refusée : {plural(count, 'point bloquant')} à corriger avant de "
                         f"l'imprimer.\n{lines}")


def data_folder_of(session: Session) -> Path | None:
    """The data folder of the store the session reads (where an académie's articles file may be)."""
    database = session.get_bind().engine.url.database
    return Path(database).parent if database and database != ":memory:" else None


def checked_document(session: Session, placement_id: int, *, today: date) -> ConventionDocument:
    """The placement's document; BlockingFindings when a blocking rule fails, ValidationError for a bad id."""
    document = convention_document(session, placement_id, today=today)
    if document.blocking:
        raise BlockingFindings(document.blocking)
    return document


def convention_pdf(session: Session, placement_id: int, *, today: date, articles: Articles | None = None) -> bytes:
    document = checked_document(session, placement_id, today=today)
    return render_convention(document, articles=articles or load_articles(data_folder_of(session)))


def paper_renderer(session: Session) -> Callable[[ConventionDocument], bytes]:
    """How the conventions of this store are rendered (its articles included): for a paper kept as printed
    (data.conventions.versions), which the rules checked when it was printed."""
    articles = load_articles(data_folder_of(session))
    return lambda document: render_convention(document, articles=articles)


def amendment_pdf(session: Session, placement_id: int, number: int, *, today: date,
                  articles: Articles | None = None) -> bytes:
    """The avenant `number` of a placement; ValidationError when it has no such avenant."""
    document = checked_document(session, placement_id, today=today)
    amendment = document.amendment(number)
    if amendment is None:
        known = ", ".join(str(a.number) for a in document.amendments) or "aucun"
        raise ValidationError({"amendment": f"Le stage n° {placement_id} n'a pas d'avenant n° {number} "
                                            f"(avenants : {known})."})
    return render_amendment(document, amendment, articles=articles or load_articles(data_folder_of(session)))


def attestation_pdf(session: Session, placement_id: int, *, today: date, articles: Articles | None = None) -> bytes:
    document = convention_document(session, placement_id, today=today)
    return render_attestation(document, articles=articles or load_articles(data_folder_of(session)))


@dataclass(frozen=True, slots=True)
class BatchItem:
    placement_id: int
    status: str                  # SAVED or REFUSED
    file: Path | None = None     # where the PDF is, once the batch is done
    reason: str = ""             # why it was refused, in French


@dataclass(frozen=True, slots=True)
class BatchResult:
    out_dir: Path
    items: tuple[BatchItem, ...]

    @property
    def saved(self) -> tuple[BatchItem, ...]:
        return tuple(item for item in self.items if item.status == SAVED)

    @property
    def refused(self) -> tuple[BatchItem, ...]:
        return tuple(item for item in self.items if item.status == REFUSED)

    def describe(self) -> str:
        return (f"{plural(len(self.saved), 'convention enregistrée')} dans « {self.out_dir} », "
                f"{plural(len(self.refused), 'refusée')}")


def render_conventions(store: Store, placement_ids: Sequence[int], out_dir: Path, *, today: date,
                       progress: Progress = no_progress) -> BatchResult:
    """One PDF per placement in `out_dir`, all or nothing (see the module docstring); refusals are reported.

    progress(done, total, label) is called before each placement and at the end; it may raise Cancelled, which
    leaves `out_dir` untouched and propagates.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    articles = load_articles(store.folder)
    staging = Path(tempfile.mkdtemp(prefix=".poledesk-conventions-", dir=out_dir))
    try:
        staged = _render_all(store, placement_ids, staging, articles=articles, today=today, progress=progress)
        items = tuple(_move_in(item, out_dir) for item in staged)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("conventions batch: %d saved, %d refused", sum(i.status == SAVED for i in items),
             sum(i.status == REFUSED for i in items))
    return BatchResult(out_dir, items)


def _render_all(store: Store, placement_ids: Sequence[int], staging: Path, *, articles: Articles, today: date,
                progress: Progress) -> list[BatchItem]:
    items: list[BatchItem] = []
    total = len(placement_ids)
    with store.session() as session:
        for done, placement_id in enumerate(placement_ids):
            progress(done, total, f"Convention du stage n° {placement_id}")
            try:
                document = checked_document(session, placement_id, today=today)
            except BlockingFindings as refusal:
                items.append(BatchItem(placement_id, REFUSED, reason="; ".join(f.message for f in refusal.findings)))
                continue
            except ValidationError as error:
                items.append(BatchItem(placement_id, REFUSED, reason=" ".join(error.problems.values())))
                continue
            file = staging / convention_file_name(document)
            _write_synced(file, render_convention(document, articles=articles))
            items.append(BatchItem(placement_id, SAVED, file))
    progress(total, total, "Conventions prêtes")
    return items


def _move_in(item: BatchItem, out_dir: Path) -> BatchItem:
    if item.file is None:
        return item
    target = out_dir / item.file.name
    os.replace(item.file, target)
    return BatchItem(item.placement_id, item.status, target, item.reason)


def _write_synced(file: Path, data: bytes) -> None:
    with open(file, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def convention_file_name(document: ConventionDocument, kind: str = "convention") -> str:
    """'convention-NM-07-000135-steiner-matheo.pdf': sortable, and safe on every file system."""
    who = re.sub(r"[^a-z0-9]+", "-", fold(f"{document.pupil.last_name} {document.pupil.first_name}")).strip("-")
    return f"{kind}-{document.reference}" + (f"-{who[:60]}" if who else "") + ".pdf"
