"""The Établissements tab: the pole's schools, their formations and pupils of the current school year."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from poledesk.data import establishments
from poledesk.data.db import Store
from poledesk.data.enums import PriorityEducation
from poledesk.data.establishments import EstablishmentDetail, EstablishmentRow, FormationLine
from poledesk.data.text import fold
from poledesk.ui.detail_panel import Detail, Section
from poledesk.ui.list_tab import ListTab
from poledesk.ui.models import Column


def _priority_text(value: PriorityEducation) -> str:
    return "" if value == PriorityEducation.NONE else value.label


COLUMNS = (
    Column("UAI", lambda r: r.uai, width=75),
    Column("Nom", lambda r: r.name, sort_key=lambda r: fold(r.name), width=230),
    Column("Type", lambda r: r.kind.label, width=150),
    Column("Commune", lambda r: r.commune, sort_key=lambda r: fold(r.commune), width=130),
    Column("Éducation prioritaire", lambda r: _priority_text(r.priority_education), width=130),
    Column("Formations", lambda r: str(r.formations), sort_key=lambda r: r.formations, align_right=True,
           width=80),
    Column("Élèves", lambda r: str(r.pupils), sort_key=lambda r: r.pupils, align_right=True, width=70,
           tooltip=lambda r: "Élèves des formations de l'année scolaire en cours"),
)


class EstablishmentsTab(ListTab):
    """Schools found by name, commune, UAI or postcode, accents and case ignored."""

    noun = ("établissement", "établissements")
    placeholder = "Rechercher un établissement (nom, commune, UAI, code postal)…"
    detail_placeholder = "Sélectionnez un établissement pour afficher sa fiche."
    default_sort = (1, Qt.SortOrder.AscendingOrder)   # by name

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(store, COLUMNS, parent)
        self.refresh()

    def fetch_rows(self, session: Any, text: str) -> list[EstablishmentRow]:
        return establishments.search_establishments(session, text)

    def fetch_detail(self, session: Any, row_id: int) -> Detail | None:
        found = establishments.establishment_detail(session, row_id)
        return establishment_sheet(found) if found else None


def establishment_sheet(e: EstablishmentDetail) -> Detail:
    """What the panel shows of a school, in French."""
    referent = "\n".join(x for x in (", ".join(y for y in (e.referent_name, e.referent_role) if y),
                                     e.referent_email, e.referent_phone) if x)
    return Detail(e.name, f"{e.kind.label} – {e.uai}", (
        Section("Identité", (
            ("UAI", e.uai), ("Type", e.kind.label), ("Éducation prioritaire", e.priority_education.label),
            ("Chef d'établissement", e.head_name), ("Référent du pôle", referent))),
        Section("Coordonnées", (
            ("Adresse", "\n".join(x for x in (e.address, f"{e.postcode} {e.commune}".strip()) if x)),
            ("Téléphone", e.phone), ("Courriel", e.email))),
        Section(f"Formations {e.school_year}", tuple(_formation(f) for f in e.formations),
                f"Aucune formation enregistrée pour {e.school_year}."),
        Section("Chiffres", (
            ("Élèves", str(e.pupils)), ("Sollicitations en cours", str(e.open_escalations)),
            (f"Sollicitations reçues en {e.school_year}", str(e.escalations_in_year)))),
    ))


def _formation(f: FormationLine) -> tuple[str, str]:
    facts = [f"{f.pupils} élève{'s' if f.pupils > 1 else ''}", f.audience.label, f"Code {f.code}"]
    if f.pfmp_weeks:
        facts.append(f"{f.pfmp_weeks} semaines de PFMP par an")
    return f.label, "\n".join(facts)
