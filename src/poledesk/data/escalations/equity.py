"""Equity counts: a pole's escalations per school year, audience and outcome, with disability and PAI counts.

They travel to the coordinator instead of each pupil's health flags, which never leave the laptop.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data.enums import Audience, EscalationStatus
from poledesk.data.models import EquityCount, Escalation, Pupil
from poledesk.data.text import school_year_of

Group = tuple[str, Audience, EscalationStatus]


@dataclass(frozen=True, slots=True)
class EquityRow:
    owner: str
    school_year: str
    audience: Audience
    outcome: EscalationStatus
    escalations: int
    with_disability: int
    with_pai: int


def count_groups(session: Session, owner: str) -> dict[Group, tuple[int, int, int]]:
    """(escalations, with a disability, with a PAI) per group, from this pole's live escalations."""
    totals: Counter[Group] = Counter()
    disability: Counter[Group] = Counter()
    pai: Counter[Group] = Counter()
    rows = session.execute(
        select(Escalation.period_start, Escalation.audience, Escalation.status, Escalation.needs_accessibility,
               Escalation.needs_pai, Pupil.has_disability, Pupil.has_pai)
        .join(Pupil, Pupil.id == Escalation.pupil_id)
        .where(Escalation.owner == owner, Escalation.deleted_at.is_(None)))
    for start, audience, status, needs_access, needs_pai, has_disability, has_pai in rows:
        group = (school_year_of(start), audience, status)
        totals[group] += 1
        disability[group] += bool(needs_access or has_disability)
        pai[group] += bool(needs_pai or has_pai)
    return {group: (totals[group], disability[group], pai[group]) for group in totals}


def refresh_equity_counts(session: Session, owner: str) -> int:
    """Bring this pole's EquityCount rows in line with its escalations; rows change only when a count does.

    A group that no longer has escalations keeps its row with zero counts, so the coordinator sees it drop.
    Returns how many rows were written.
    """
    wanted = count_groups(session, owner)
    existing = {(row.school_year, row.audience, row.outcome): row
                for row in session.scalars(select(EquityCount).where(EquityCount.owner == owner))}
    written = 0
    for group in sorted(set(wanted) | set(existing)):
        values = wanted.get(group, (0, 0, 0))
        row = existing.get(group)
        if row is None:
            year, audience, outcome = group
            session.add(EquityCount(owner=owner, school_year=year, audience=audience, outcome=outcome,
                                    escalations=values[0], with_disability=values[1], with_pai=values[2]))
            written += 1
        elif (row.escalations, row.with_disability, row.with_pai) != values:
            row.escalations, row.with_disability, row.with_pai = values
            written += 1
    session.flush()
    return written


def equity_rows(session: Session) -> list[EquityRow]:
    """Every pole's counts as this store holds them (the coordinator's equity indicators read these)."""
    return [EquityRow(r.owner, r.school_year, r.audience, r.outcome, r.escalations, r.with_disability, r.with_pai)
            for r in session.scalars(select(EquityCount).where(EquityCount.deleted_at.is_(None))
                                     .order_by(EquityCount.owner, EquityCount.school_year, EquityCount.audience,
                                               EquityCount.outcome))]
