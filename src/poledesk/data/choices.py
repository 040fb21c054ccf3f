"""What forms and filters list: an id and the words the user reads; establishments and formations of the store."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data.enums import Audience
from poledesk.data.models import Establishment, Formation
from poledesk.data.text import fold


@dataclass(frozen=True, slots=True)
class Choice:
    """One entry of a form's or a filter's list: an id and what the user reads."""

    id: int
    label: str


@dataclass(frozen=True, slots=True)
class FormationOption:
    id: int
    label: str
    audience: Audience


def establishment_choices(session: Session, *, owner: str | None = None) -> list[Choice]:
    """Live establishments by name ('Lycée Jean-Prouvé (Nancy)'); only the pole's own when `owner` is given."""
    stmt = (select(Establishment.id, Establishment.name, Establishment.commune)
            .where(Establishment.deleted_at.is_(None)))
    if owner:
        stmt = stmt.where(Establishment.owner == owner)
    rows = sorted(session.execute(stmt), key=lambda row: (fold(row[1]), row[0]))   # « Établissement » among the E
    return [Choice(id_, f"{name} ({commune})" if commune else name) for id_, name, commune in rows]


def formation_options(session: Session) -> list[FormationOption]:
    """Live formations by label, each with the audience it belongs to (a form narrows them to its audience)."""
    stmt = select(Formation.id, Formation.label, Formation.audience).where(Formation.deleted_at.is_(None))
    rows = sorted(session.execute(stmt), key=lambda row: (fold(row[1]), row[0]))
    return [FormationOption(*row) for row in rows]
