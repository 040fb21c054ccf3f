"""Actions planned, edited, reviewed and listed, per pole and school year; French problems per field."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from poledesk.data.enums import ActionAxis, ActionReview, ActionStatus
from poledesk.data.indicators.measures import check_school_year, school_year_bounds
from poledesk.data.indicators.service import ALL_ENTRIES
from poledesk.data.models import Action, Establishment, Partner, utcnow
from poledesk.data.text import fold
from poledesk.data.validation import Problems

LENGTHS = {"title": 200, "target": 100, "measured_value": 100}


@dataclass(frozen=True, slots=True)
class ActionForm:
    school_year: str
    axis: ActionAxis
    title: str
    description: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    status: ActionStatus = ActionStatus.PLANNED
    indicator: str = ""                      # an indicator key, or "" for none
    target: str = ""
    partner_ids: tuple[int, ...] = ()
    establishment_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ReviewForm:
    review: ActionReview
    result: str
    measured_value: str = ""


@dataclass(frozen=True, slots=True)
class ActionRow:
    id: int
    owner: str
    school_year: str
    axis: ActionAxis
    title: str
    description: str
    starts_on: date | None
    ends_on: date | None
    status: ActionStatus
    indicator: str
    indicator_label: str
    target: str
    partners: tuple[str, ...]
    establishments: tuple[str, ...]
    review: ActionReview | None
    review_result: str
    measured_value: str
    partner_ids: tuple[int, ...] = ()
    establishment_ids: tuple[int, ...] = ()


def indicator_label(key: str) -> str:
    entry = ALL_ENTRIES.get(key)
    return entry.label if entry else key


def indicator_choices() -> list[tuple[str, str]]:
    """(key, French label) of every indicator an action may aim to move, none first."""
    return [("", "Aucun indicateur"), *((key, entry.label) for key, entry in ALL_ENTRIES.items())]


def check_action(form: ActionForm) -> dict[str, str]:
    problems = Problems()
    try:
        year = check_school_year(form.school_year)
    except ValueError as error:
        problems.add("school_year", str(error))
        year = ""
    if not form.title.strip():
        problems.add("title", "L'intitulé de l'action est obligatoire.")
    for field, limit in LENGTHS.items():
        if len(str(getattr(form, field, "")).strip()) > limit:
            problems.add(field, f"{limit} caractères au plus.")
    if form.starts_on and form.ends_on and form.ends_on < form.starts_on:
        problems.add("ends_on", "La fin de l'action précède son début.")
    if year:
        first, last = school_year_bounds(year)
        for field in ("starts_on", "ends_on"):
            day = getattr(form, field)
            if day is not None and not first <= day <= last:
                problems.add(field, f"La date doit tomber dans l'année scolaire {year}.")
    if form.indicator and form.indicator not in ALL_ENTRIES:
        problems.add("indicator", "Indicateur inconnu.")
    if form.target.strip() and not form.indicator:
        problems.add("indicator", "Choisissez l'indicateur que la cible concerne.")
    return problems.problems


def save_action(session: Session, form: ActionForm, action_id: int | None = None) -> int:
    """Check the form, then insert or update the action; ValidationError and nothing written if it is wrong."""
    problems = Problems()
    for field, message in check_action(form).items():
        problems.add(field, message)
    problems.raise_if_any()
    action = Action() if action_id is None else session.get_one(Action, action_id)
    action.school_year, action.axis, action.title = form.school_year.strip(), ActionAxis(form.axis), form.title.strip()
    action.description, action.starts_on, action.ends_on = form.description.strip(), form.starts_on, form.ends_on
    action.status, action.indicator, action.target = ActionStatus(form.status), form.indicator, form.target.strip()
    action.partners = list(session.scalars(select(Partner).where(Partner.id.in_(form.partner_ids))))
    action.establishments = list(session.scalars(
        select(Establishment).where(Establishment.id.in_(form.establishment_ids))))
    session.add(action)
    session.flush()
    return action.id


def review_action(session: Session, action_id: int, form: ReviewForm) -> None:
    """Write the action's bilan; its status follows (done, or dropped when not done)."""
    problems = Problems()
    if not form.result.strip():
        problems.add("result", "Décrivez le résultat en quelques mots : il figure dans le bilan.")
    if len(form.measured_value.strip()) > LENGTHS["measured_value"]:
        problems.add("measured_value", f"{LENGTHS['measured_value']} caractères au plus.")
    problems.raise_if_any()
    action = session.get_one(Action, action_id)
    action.review, action.review_result = ActionReview(form.review), form.result.strip()
    action.measured_value = form.measured_value.strip()
    action.status = ActionStatus.DROPPED if action.review == ActionReview.NOT_DONE else ActionStatus.DONE
    session.flush()


def delete_action(session: Session, action_id: int) -> None:
    """A tombstone, so the deletion travels to the coordinator."""
    session.get_one(Action, action_id).deleted_at = utcnow()
    session.flush()


def action_form(session: Session, action_id: int) -> ActionForm:
    row = get_action(session, action_id)
    return ActionForm(row.school_year, row.axis, row.title, row.description, row.starts_on, row.ends_on, row.status,
                      row.indicator, row.target, row.partner_ids, row.establishment_ids)


def get_action(session: Session, action_id: int) -> ActionRow:
    action = session.scalars(select(Action).where(Action.id == action_id)
                             .options(selectinload(Action.partners), selectinload(Action.establishments))).one()
    return _row(action)


def list_actions(session: Session, school_year: str, *, poles: Collection[str] | None = None) -> list[ActionRow]:
    """Live actions of the year, by pole, axis, then start date and title."""
    statement = (select(Action).where(Action.school_year == school_year, Action.deleted_at.is_(None))
                 .options(selectinload(Action.partners), selectinload(Action.establishments)))
    if poles is not None:
        statement = statement.where(Action.owner.in_(list(poles)))
    rows = [_row(action) for action in session.scalars(statement)]
    return sorted(rows, key=lambda r: (r.owner, r.axis.value, r.starts_on or date.max, r.title.casefold()))


def _row(action: Action) -> ActionRow:
    partners = sorted((p for p in action.partners if p.deleted_at is None), key=lambda p: p.name.casefold())
    schools = sorted((e for e in action.establishments if e.deleted_at is None), key=lambda e: e.name.casefold())
    return ActionRow(action.id, action.owner, action.school_year, ActionAxis(action.axis), action.title,
                     action.description, action.starts_on, action.ends_on, ActionStatus(action.status),
                     action.indicator, indicator_label(action.indicator) if action.indicator else "", action.target,
                     tuple(p.name for p in partners), tuple(e.name for e in schools),
                     ActionReview(action.review) if action.review else None, action.review_result,
                     action.measured_value, tuple(p.id for p in partners), tuple(e.id for e in schools))


def partner_choices(session: Session) -> list[tuple[int, str]]:
    """Live partners one may involve in an action, by name: (id, 'Name (commune)')."""
    rows = session.execute(select(Partner.id, Partner.name, Partner.commune).where(Partner.deleted_at.is_(None)))
    return sorted(((i, f"{name} ({commune})" if commune else name) for i, name, commune in rows),
                  key=lambda choice: fold(choice[1]))


def school_years(session: Session, *, around: str) -> list[str]:
    """The years that have actions, and `around` with the year before and after, latest first."""
    years = set(session.scalars(select(Action.school_year).where(Action.deleted_at.is_(None)).distinct()))
    start = int(around[:4])
    years |= {f"{y}-{y + 1}" for y in (start - 1, start, start + 1)}
    return sorted(years, reverse=True)
