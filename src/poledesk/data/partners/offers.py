"""Hosting offers of a partner: what it can host, how many, when, for whom; and how fresh that is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data.enums import Audience
from poledesk.data.live import live, live_or_noted
from poledesk.data.models import Establishment, Formation, HostingOffer, Partner, utcnow
from poledesk.data.validation import Problems

STALE_AFTER = timedelta(days=365)
MONTH_NAMES = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
               "novembre", "décembre")


@dataclass(frozen=True, slots=True)
class OfferForm:
    audience: Audience
    formation_id: int | None = None
    sector: str = ""
    places: int = 1
    months: tuple[int, ...] = ()
    weeks: str = ""
    reserved_to: tuple[int, ...] = ()          # establishment ids; empty = open to every establishment
    max_requests_per_month: int | None = None
    last_confirmed_on: date | None = None
    notes: str = ""


def is_stale(last_confirmed_on: date | None, today: date) -> bool:
    """An offer not confirmed for over a year (or never) is shown with a warning."""
    return last_confirmed_on is None or today - last_confirmed_on > STALE_AFTER


def describe_months(months: tuple[int, ...] | list[int]) -> str:
    """(1, 2, 11) -> 'janvier, février, novembre'; every month -> 'toute l'année'."""
    months = sorted(set(months))
    if len(months) == 12:
        return "toute l'année"
    return ", ".join(MONTH_NAMES[m - 1] for m in months)


def save_offer(session: Session, partner_id: int, form: OfferForm, offer_id: int | None = None, *,
               today: date | None = None) -> int:
    """Check, then insert or update an offer; nothing is written when it raises."""
    today = today or date.today()
    problems = Problems()
    live_or_noted(session, problems, Partner, partner_id)
    if form.places < 1:
        problems.add("places", "Indiquez au moins une place.")
    if any(not 1 <= m <= 12 for m in form.months):
        problems.add("months", "Mois inconnu : choisissez parmi janvier à décembre.")
    elif not form.months and not form.weeks.strip():
        problems.add("months", "Indiquez les mois (ou les semaines) où l'accueil est possible.")
    if form.formation_id is None and not form.sector.strip():
        problems.add("formation", "Indiquez une formation ou un secteur.")
    if form.formation_id is not None and session.get(Formation, form.formation_id) is None:
        problems.add("formation", "Cette formation n'existe pas.")
    if form.max_requests_per_month is not None and form.max_requests_per_month < 1:
        problems.add("max_requests_per_month", "Le nombre maximal de sollicitations par mois doit être positif.")
    if form.last_confirmed_on and form.last_confirmed_on > today:
        problems.add("last_confirmed_on", "La date de confirmation ne peut pas être dans le futur.")
    reserved = _establishments(session, form.reserved_to, problems)
    problems.raise_if_any()
    offer = HostingOffer(partner_id=partner_id) if offer_id is None else live(session, HostingOffer, offer_id)
    values = {"audience": form.audience, "formation_id": form.formation_id, "sector": form.sector.strip(),
              "places": form.places, "months": ",".join(str(m) for m in sorted(set(form.months))),
              "weeks": form.weeks.strip(), "max_requests_per_month": form.max_requests_per_month,
              "last_confirmed_on": form.last_confirmed_on, "notes": form.notes.strip()}
    for name, value in values.items():
        if getattr(offer, name, None) != value:
            setattr(offer, name, value)
    if [e.id for e in offer.reserved_to] != [e.id for e in reserved]:
        offer.reserved_to = reserved
    session.add(offer)
    session.flush()
    return offer.id


def offer_form(session: Session, offer_id: int) -> OfferForm:
    offer = live(session, HostingOffer, offer_id)
    return OfferForm(audience=offer.audience, formation_id=offer.formation_id, sector=offer.sector,
                     places=offer.places, months=tuple(offer.month_numbers), weeks=offer.weeks,
                     reserved_to=tuple(e.id for e in offer.reserved_to),
                     max_requests_per_month=offer.max_requests_per_month,
                     last_confirmed_on=offer.last_confirmed_on, notes=offer.notes)


def confirm_offer(session: Session, offer_id: int, on: date) -> None:
    """The partner confirmed the offer still stands (during a visit or a call)."""
    live(session, HostingOffer, offer_id).last_confirmed_on = on
    session.flush()


def archive_offer(session: Session, offer_id: int) -> None:
    live(session, HostingOffer, offer_id).deleted_at = utcnow()
    session.flush()


def _establishments(session: Session, ids: tuple[int, ...], problems: Problems) -> list[Establishment]:
    if not ids:
        return []
    found = {e.id: e for e in session.scalars(select(Establishment).where(Establishment.id.in_(ids),
                                                                          Establishment.deleted_at.is_(None)))}
    if len(found) != len(set(ids)):
        problems.add("reserved_to", "Un des établissements choisis n'existe plus.")
    return [found[i] for i in sorted(set(ids)) if i in found]

