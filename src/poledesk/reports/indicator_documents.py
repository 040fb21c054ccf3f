"""The year's documents written from a store: indicators (.xlsx or .pdf), programme d'actions and bilan (.pdf)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data import identity
from poledesk.data.actions.programme import list_actions
from poledesk.data.errors import DocumentError
from poledesk.data.indicators.academy import academy_report, shared_partners
from poledesk.data.indicators.measures import check_school_year
from poledesk.data.models import Pole
from poledesk.reports.indicator_summary import indicator_summary_pdf
from poledesk.reports.indicator_workbook import write_indicator_workbook
from poledesk.reports.programme import bilan_pdf, programme_pdf
from poledesk.reports.style import write_pdf_atomic

INDICATOR_SUFFIXES = (".xlsx", ".pdf")


class ReportError(DocumentError):
    """A document that cannot be asked for that way (wrong year, wrong suffix); the message is French."""


@dataclass(frozen=True, slots=True)
class WrittenReport:
    path: Path
    poles: int
    actions: int = 0


def issuer(session: Session) -> str:
    """Who the document comes from: the pole, or the académie's coordination."""
    ident = identity.current_identity(session)
    if ident is None:
        return "PoleDesk"
    if ident.role == identity.ROLE_COORDINATOR:
        return f"Coordination académique – académie de {ident.academie}"
    return f"{ident.name} ({ident.code})"


def _year(text: str) -> str:
    try:
        return check_school_year(text)
    except ValueError as error:
        raise ReportError(str(error)) from None


def _pdf_path(path: Path) -> Path:
    if path.suffix.lower() != ".pdf":
        raise ReportError(f"Le fichier doit finir par .pdf, pas « {path.suffix or '(rien)'} ».")
    return path


def _pole_names(session: Session) -> dict[str, str]:
    return {code: f"{name} ({code})" for code, name in session.execute(
        select(Pole.code, Pole.name).where(Pole.deleted_at.is_(None)))}


def write_indicators(session: Session, school_year: str, path: Path, *, today: date | None = None) -> WrittenReport:
    """The indicators of every pole of the store and of their sum: a workbook (.xlsx) or a summary (.pdf)."""
    year = _year(school_year)
    suffix = path.suffix.lower()
    if suffix not in INDICATOR_SUFFIXES:
        raise ReportError(f"Le fichier doit finir par .xlsx (classeur) ou .pdf (synthèse), "
                          f"pas « {path.suffix or '(rien)'} ».")
    report = academy_report(session, year, today=today)
    if suffix == ".xlsx":
        write_indicator_workbook(report, shared_partners(session), path)
    else:
        write_pdf_atomic(path, indicator_summary_pdf(report, issuer=issuer(session), today=today))
    return WrittenReport(path, len(report.poles))


def write_programme(session: Session, school_year: str, path: Path, *, today: date | None = None) -> WrittenReport:
    year = _year(school_year)
    actions = list_actions(session, year)
    data = programme_pdf(actions, school_year=year, issuer=issuer(session), poles=_pole_names(session), today=today)
    write_pdf_atomic(_pdf_path(path), data)
    return WrittenReport(path, len({a.owner for a in actions}), len(actions))


def write_bilan(session: Session, school_year: str, path: Path, *, today: date | None = None) -> WrittenReport:
    year = _year(school_year)
    _pdf_path(path)
    actions = list_actions(session, year)
    indicators = academy_report(session, year, today=today).academy
    data = bilan_pdf(actions, indicators, issuer=issuer(session), poles=_pole_names(session), today=today)
    write_pdf_atomic(path, data)
    return WrittenReport(path, len({a.owner for a in actions}), len(actions))
