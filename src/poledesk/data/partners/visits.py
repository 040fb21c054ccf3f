"""Visits, calls and meetings with partners, and the follow-ups they leave (the « À faire » list)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data.enums import VisitKind
from poledesk.data.live import live, live_or_noted
from poledesk.data.models import Contact, Partner, Visit, utcnow
from poledesk.data.validation import Problems, ValidationError


@dataclass(frozen=True, slots=True)
class VisitForm:
    visited_on: date
    kind: VisitKind = VisitKind.VISIT
    who: str = ""
    contact_id: int | None = None
    summary: str = ""
    outcome: str = ""
    next_action: str = ""
    next_action_due: date | None = None


@dataclass(frozen=True, slots=True)
class FollowUpRow:
    visit_id: int
    partner_id: int
    partner_name: str
    commune: str
    next_action: str
    due: date
    visited_on: date
    kind: VisitKind

    def days_late(self, today: date) -> int:
        return (today - self.due).days


def log_visit(session: Session, partner_id: int, form: VisitForm, visit_id: int | None = None, *,
              today: date | None = None) -> int:
    """Record (or correct) a visit or a call; nothing is written when it raises."""
    today = today or date.today()
    problems = Problems()
    live_or_noted(session, problems, Partner, partner_id)
    if form.visited_on > today:
        problems.add("visited_on", "La date de l'échange ne peut pas être dans le futur.")
    if not (form.summary.strip() or form.outcome.strip()):
        problems.add("summary", "Résumez l'échange en quelques mots.")
    if form.next_action.strip() and form.next_action_due is None:
        problems.add("next_action_due", "Donnez une échéance à l'action à mener.")
    if form.next_action_due and not form.next_action.strip():
        problems.add("next_action", "Précisez l'action à mener avant l'échéance.")
    if form.next_action_due and form.next_action_due < form.visited_on:
        problems.add("next_action_due", "L'échéance ne peut pas précéder l'échange.")
    if form.contact_id is not None:
        contact = session.get(Contact, form.contact_id)
        if contact is None or contact.partner_id != partner_id or contact.deleted_at is not None:
            problems.add("contact", "Cet interlocuteur n'appartient pas à ce partenaire.")
    problems.raise_if_any()
    visit = Visit(partner_id=partner_id) if visit_id is None else live(session, Visit, visit_id)
    for name in VisitForm.__dataclass_fields__:
        value = getattr(form, name)
        value = value.strip() if isinstance(value, str) else value
        if getattr(visit, name, None) != value:
            setattr(visit, name, value)
    session.add(visit)
    session.flush()
    return visit.id


def complete_follow_up(session: Session, visit_id: int, on: date) -> None:
    """The follow-up of this visit is done: it leaves the « À faire » list."""
    visit = live(session, Visit, visit_id)
    if visit.next_action_due is None:
        raise ValidationError({"visit": "Cet échange n'a pas d'action à mener."})
    visit.next_action_done_on = on
    session.flush()


def list_follow_ups(session: Session, *, until: date | None = None) -> list[FollowUpRow]:
    """Follow-ups still to do, earliest due first (so the overdue ones lead), optionally due by `until`."""
    stmt = (select(Visit.id, Partner.id, Partner.name, Partner.commune, Visit.next_action, Visit.next_action_due,
                   Visit.visited_on, Visit.kind)
            .join(Partner, Partner.id == Visit.partner_id)
            .where(Visit.next_action_due.is_not(None), Visit.next_action_done_on.is_(None),
                   Visit.deleted_at.is_(None), Partner.deleted_at.is_(None))
            .order_by(Visit.next_action_due, Partner.name))
    if until is not None:
        stmt = stmt.where(Visit.next_action_due <= until)
    # The query keeps only visits whose next_action_due is set: `due` is never None.
    return [FollowUpRow(*row) for row in session.execute(stmt)]  # type: ignore[arg-type]  # due is set, see above


def archive_visit(session: Session, visit_id: int) -> None:
    live(session, Visit, visit_id).deleted_at = utcnow()
    session.flush()

