"""Archived establishments: the list the Établissements tab shows under « Archivés », to restore one from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from poledesk.data.enums import EstablishmentKind, PriorityEducation
from poledesk.data.models import Establishment, EstablishmentFormation
from poledesk.data.search import matches_words
from poledesk.data.text import school_year_of


@dataclass(frozen=True, slots=True)
class ArchivedEstablishmentRow:
    """An archived school, with the columns of establishments.EstablishmentRow (so the tab's columns fit both)."""

    id: int
    uai: str
    name: str
    kind: EstablishmentKind
    commune: str
    postcode: str
    priority_education: PriorityEducation
    formations: int      # formations prepared in the school year, as recorded before the archive
    pupils: int
    archived_on: datetime


def search_archived_establishments(session: Session, text: str = "", *,
                                   school_year: str | None = None) -> list[ArchivedEstablishmentRow]:
    """Archived establishments whose name, commune, UAI or postcode hold every word of `text`, by name."""
    year = school_year or school_year_of(datetime.now().date())
    counts = (select(EstablishmentFormation.establishment_id,
                     func.count(func.distinct(EstablishmentFormation.formation_id)).label("formations"),
                     func.sum(EstablishmentFormation.pupils).label("pupils"))
              .where(EstablishmentFormation.school_year == year, EstablishmentFormation.deleted_at.is_(None))
              .group_by(EstablishmentFormation.establishment_id).subquery())
    stmt = (select(Establishment.id, Establishment.uai, Establishment.name, Establishment.kind,
                   Establishment.commune, Establishment.postcode, Establishment.priority_education,
                   func.coalesce(counts.c.formations, 0), func.coalesce(counts.c.pupils, 0),
                   Establishment.deleted_at)
            .outerjoin(counts, counts.c.establishment_id == Establishment.id)
            .where(Establishment.deleted_at.is_not(None))
            .order_by(Establishment.search_key, Establishment.id))
    condition = matches_words(Establishment.search_key, text)
    if condition is not None:
        stmt = stmt.where(condition)
    return [ArchivedEstablishmentRow(*row) for row in session.execute(stmt)]
