"""Partners: the rows the Partenaires tab lists, the search and filters over them, and a partner's whole file."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from poledesk.data import identity, naf
from poledesk.data.enums import Audience, HeadcountBand, LegalKind, PartnerStatus, VisitKind
from poledesk.data.models import (
    Contact,
    Establishment,
    Formation,
    HostingOffer,
    Partner,
    Registration,
    TrainingSession,
    Visit,
    offer_reservation,
)
from poledesk.data.partners.fulltext import (
    count_index_matches,
    fts_query,
    index_words,
    partner_ids_matching,
    partners_from_matches,
    query_words,
    word_among,
)
from poledesk.data.text import fold, meaningful_words, split_words

LAST_VISITS_SHOWN = 5
SUGGESTED_PREFIX = 4   # a lone word that finds nothing: its first letters are suggested instead
COUNT_CAP = 1000       # a search's total is counted up to here, then said « plus de 1 000 »
FEW_MATCHES = 5000     # up to this many matches, a search's page is picked from them rather than in name order


@dataclass(frozen=True, slots=True)
class PartnerRow:
    id: int
    name: str
    commune: str
    postcode: str
    siret: str | None
    naf_code: str
    sector: str          # the NAF code's label
    status: PartnerStatus
    contacts: int
    places: int
    last_visit: date | None
    archived_on: datetime | None = None
    matched_by: str = ""   # 'contact Gaëlle Thiébaut', 'étiquette apprentissage': what a search found it by

    @property
    def name_shown(self) -> str:
        """The name, with what the search found it by when that is neither its name nor its place."""
        return f"{self.name} — par {self.matched_by}" if self.matched_by else self.name


@dataclass(frozen=True, slots=True)
class SearchSuggestion:
    """Something to try when a search found nothing: another text, or the same one without the filters."""

    text: str
    without_filters: bool
    count: int


@dataclass(frozen=True, slots=True)
class PartnerFilter:
    """What the filter bar narrows the list to; a field left empty lets every partner through.

    `audience` and `month` together ask for one offer of that public with places that month.
    """

    status: PartnerStatus | None = None
    legal_kind: LegalKind | None = None
    section: str = ""                  # a NAF section letter ("G"), see naf.all_sections()
    commune: str = ""                  # as the partners spell it (see partner_communes)
    audience: Audience | None = None
    month: int | None = None           # 1 to 12: an offer with places that month
    tutor_trained: bool = False        # a live contact attended a tutor training
    archived: bool = False             # the archived partners instead of the live ones

    @property
    def narrows(self) -> bool:
        """True when some field other than `archived` is set."""
        return any((self.status, self.legal_kind, self.section, self.commune, self.audience, self.month,
                    self.tutor_trained))


@dataclass(frozen=True, slots=True)
class FormationOption:
    """A formation an offer can name, with its public (the offer form lists those of the chosen public)."""

    id: int
    label: str
    audience: Audience


@dataclass(frozen=True, slots=True)
class ContactLine:
    id: int
    first_name: str
    last_name: str
    role: str
    phone: str
    email: str
    is_tutor: bool
    consents_to_contact: bool
    trainings_attended: int

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True, slots=True)
class OfferLine:
    id: int
    audience: Audience
    formation: str          # the formation's label, or "" when the offer names a sector
    sector: str
    places: int
    months: tuple[int, ...]
    weeks: str
    max_requests_per_month: int | None
    last_confirmed_on: date | None
    reserved_to: tuple[str, ...]   # establishments' names; empty means open to all
    notes: str


@dataclass(frozen=True, slots=True)
class VisitLine:
    id: int
    visited_on: date
    kind: VisitKind
    who: str
    contact: str
    summary: str
    outcome: str
    next_action: str
    next_action_due: date | None
    next_action_done_on: date | None


@dataclass(frozen=True, slots=True)
class PartnerDetail:
    id: int
    name: str
    siret: str | None
    legal_kind: LegalKind
    naf_code: str
    sector: str
    headcount_band: HeadcountBand | None
    address: str
    postcode: str
    commune: str
    phone: str
    email: str
    website: str
    status: PartnerStatus
    status_reason: str
    representative_name: str
    representative_role: str
    insurer: str
    accepts_disability: bool
    accepts_pai: bool
    min_age: int | None
    requires_protective_equipment: bool
    interview_first: bool
    tags: tuple[str, ...]
    notes: str
    framework_start: date | None
    framework_end: date | None
    contacts: tuple[ContactLine, ...]
    offers: tuple[OfferLine, ...]
    last_visits: tuple[VisitLine, ...]
    visits_total: int
    archived_on: datetime | None = None


def _kept(archived: bool, *, by_id: bool = False) -> ColumnElement[bool]:
    """The live partners, or the archived ones. `by_id`: for a statement that reaches its partners by id (a list
    of ids, the index's matches), the test is written `+deleted_at` (SQLite's unary plus) so that the planner does
    not walk the deleted_at index instead, reading every live partner to pick out the few it wants."""
    column = cast(ColumnElement[Any], Partner.deleted_at)
    if by_id:
        column = UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)
    return column.is_not(None) if archived else column.is_(None)


def _page_statement(condition: ColumnElement[bool] | None, limit: int | None, *, archived: bool = False,
                    start: Select[Any] | None = None) -> Select[Any]:
    """The ids of the partners listed, in name order: the page the list shows, chosen before anything else.

    From `start` (partners_from_matches) when a search finds few partners; else by walking the partners in name
    order (ix_partner_live_order), which finds a page of a broad search after reading little more than it.
    """
    kept = _kept(archived)
    page = (start if start is not None else select(Partner.id)).where(kept).order_by(Partner.search_key, Partner.id)
    if condition is not None:
        page = page.where(condition)
    return page if limit is None else page.limit(limit)


def _partner_list_statement(page: Select[Any] | list[int] | None, *,
                            archived: bool = False) -> Select[*tuple[Any, ...]]:
    # One statement; each count is a grouped subquery joined once, never a query per partner. When searching,
    # filtering or paging, the page of partners is chosen first (a list of ids, or a subquery for a whole
    # filtered list) and the subqueries aggregate only its partners (they walk their partner_id index), so a
    # broad search costs what its shown page costs.
    kept = _kept(archived)
    if isinstance(page, list):
        return _page_rows_statement(page, archived)

    def live(model: type[Contact | HostingOffer | Visit]) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = [model.deleted_at.is_(None)]
        return clauses if page is None else [*clauses, model.partner_id.in_(page)]

    contacts = (select(Contact.partner_id, func.count().label("n"))
                .where(*live(Contact)).group_by(Contact.partner_id).subquery())
    offers = (select(HostingOffer.partner_id, func.sum(HostingOffer.places).label("places"))
              .where(*live(HostingOffer)).group_by(HostingOffer.partner_id).subquery())
    visits = (select(Visit.partner_id, func.max(Visit.visited_on).label("last"))
              .where(*live(Visit)).group_by(Visit.partner_id).subquery())
    stmt = (select(Partner.id, Partner.name, Partner.commune, Partner.postcode, Partner.siret, Partner.naf_code,
                   Partner.sector, Partner.status, func.coalesce(contacts.c.n, 0),
                   func.coalesce(offers.c.places, 0), visits.c.last, Partner.deleted_at)
            .outerjoin(contacts, contacts.c.partner_id == Partner.id)
            .outerjoin(offers, offers.c.partner_id == Partner.id)
            .outerjoin(visits, visits.c.partner_id == Partner.id)
            .where(kept)
            .order_by(Partner.search_key, Partner.id))
    return stmt if page is None else stmt.where(Partner.id.in_(page))


def _page_rows_statement(ids: list[int], archived: bool) -> Select[*tuple[Any, ...]]:
    """A page's rows (a few hundred ids): each count is a subquery per row on its covering index, quicker for a
    page than grouping and joining, as each one reads only its partner's few index entries.

    The partners are read by id (see _kept): 0.2 ms at 50,000, where walking every live partner in name order on
    ix_partner_live_order to pick out the few hundred ids took 7.
    """
    kept = _kept(archived, by_id=True)
    contacts = (select(func.count()).where(Contact.partner_id == Partner.id, Contact.deleted_at.is_(None))
                .scalar_subquery())
    places = (select(func.coalesce(func.sum(HostingOffer.places), 0))
              .where(HostingOffer.partner_id == Partner.id, HostingOffer.deleted_at.is_(None)).scalar_subquery())
    last = (select(func.max(Visit.visited_on)).where(Visit.partner_id == Partner.id, Visit.deleted_at.is_(None))
            .scalar_subquery())
    return (select(Partner.id, Partner.name, Partner.commune, Partner.postcode, Partner.siret, Partner.naf_code,
                   Partner.sector, Partner.status, contacts, places, last, Partner.deleted_at)
            .where(kept, Partner.id.in_(_among(ids))).order_by(Partner.search_key, Partner.id))


def _among(ids: Collection[int]) -> Select[Any]:
    """The ids as one JSON array read by json_each: one bound parameter, where an expanding IN of 500 ids cost
    SQLAlchemy more to render and bind than SQLite takes to read the rows."""
    return select(func.json_each(json.dumps(list(ids))).table_valued("value").c.value)


def partner_matches(text: str) -> ColumnElement[bool] | None:
    """Every word of `text` starts a word of the partner (name, commune, postcode, SIRET, sector, contacts'
    names, tags), accents and case ignored, through the full-text index. None for an empty query.

    Word starts only: a substring match (LIKE '%…%') reads every partner, 20 ms at 50,000 before any result.
    """
    if not text.strip():
        return None
    condition = partner_ids_matching(text)
    return false() if condition is None else condition   # only punctuation typed ('%', '*'): nothing matches


def filter_conditions(filters: PartnerFilter) -> list[ColumnElement[bool]]:
    """The filter as SQL conditions on Partner (EXISTS subqueries for offers and trained tutors)."""
    conditions: list[ColumnElement[bool]] = []
    if filters.status is not None:
        conditions.append(Partner.status == filters.status)
    if filters.legal_kind is not None:
        conditions.append(Partner.legal_kind == filters.legal_kind)
    if filters.section:
        conditions.append(func.substr(Partner.naf_code, 1, 2).in_(_divisions_of(filters.section)))
    if filters.commune:
        conditions.append(Partner.commune == filters.commune)
    if filters.audience is not None or filters.month is not None:
        conditions.append(_has_offer(filters.audience, filters.month))
    if filters.tutor_trained:
        conditions.append(_has_trained_tutor())
    return conditions


def _has_offer(audience: Audience | None, month: int | None) -> ColumnElement[bool]:
    clauses = [HostingOffer.partner_id == Partner.id, HostingOffer.deleted_at.is_(None), HostingOffer.places > 0]
    if audience is not None:
        clauses.append(HostingOffer.audience == audience)
    if month is not None:   # months is "1,2,11": compare with the commas around, so 1 does not match 11
        clauses.append((literal(",") + HostingOffer.months + ",").contains(f",{month},"))
    return exists().where(*clauses)


def _has_trained_tutor() -> ColumnElement[bool]:
    return (exists().where(Contact.partner_id == Partner.id, Contact.deleted_at.is_(None),
                           Registration.contact_id == Contact.id, Registration.attended.is_(True),
                           Registration.deleted_at.is_(None), TrainingSession.id == Registration.session_id,
                           TrainingSession.deleted_at.is_(None)))


@cache
def _divisions_of(section: str) -> tuple[str, ...]:
    """The NAF divisions (two first digits) of a section: 'I' -> ('55', '56')."""
    return tuple(sorted({entry.code[:2] for entry in naf.all_naf() if entry.section == section}))


def search_partners(session: Session, text: str = "", *, filters: PartnerFilter | None = None,
                    limit: int | None = None) -> list[PartnerRow]:
    """Partners matching `text` (see partner_matches) and `filters`, in name order; the live ones unless the
    filter asks for the archived ones; all of them for an empty text and no filter."""
    filters = filters or PartnerFilter()
    conditions = [c for c in (partner_matches(text), *filter_conditions(filters)) if c is not None]
    condition = and_(*conditions) if conditions else None
    page: Select[Any] | list[int] | None = None
    if limit is not None:
        # The page's ids first: the counts then read only them. A search that finds few partners starts from
        # the index's matches (the index alone counts them, up to FEW_MATCHES).
        if text.strip() and count_index_matches(session, text, cap=FEW_MATCHES) <= FEW_MATCHES:
            others = [c for c in filter_conditions(filters) if c is not None]
            statement = _page_statement(and_(*others) if others else None, limit, archived=filters.archived,
                                        start=partners_from_matches(text))
        else:
            statement = _page_statement(condition, limit, archived=filters.archived)
        page = list(session.scalars(statement))
        if not page:
            return []
    elif condition is not None:
        page = _page_statement(condition, None, archived=filters.archived)
    stmt = _partner_list_statement(page, archived=filters.archived)
    rows = [PartnerRow(*row) for row in session.execute(stmt)]
    return _with_matches(session, rows, query_words(text)) if text.strip() else rows


def partners_with_ids(session: Session, ids: Collection[int]) -> list[PartnerRow]:
    """The partners with these ids, live and archived alike, in name order: the records behind a dashboard figure
    (a partner deleted during the year still counts in that year's figures)."""
    wanted = sorted(set(ids))
    rows: list[PartnerRow] = []
    for start in range(0, len(wanted), 500):   # stay under SQLite's bound parameters limit
        chunk = wanted[start:start + 500]
        for archived in (False, True):
            rows += [PartnerRow(*row) for row in session.execute(_partner_list_statement(chunk, archived=archived))]
    return sorted(rows, key=lambda row: (fold(row.name), row.id))


def _with_matches(session: Session, rows: list[PartnerRow], words: list[str]) -> list[PartnerRow]:
    """Rows a word found only through a contact's name or a tag say so (see PartnerRow.matched_by)."""
    elsewhere: dict[int, list[str]] = {}
    for row in rows:
        own = _own_words(row)
        left = [w for w in words if not word_among(w, own)]
        if left:
            elsewhere[row.id] = left
    if not elsewhere:
        return rows
    # Plain SQL, the ids as one JSON array: for a page of 500 partners found by a contact's name, the ORM's
    # expanding IN and per-row work cost three times the reading itself.
    session.flush()
    connection = cast(sqlite3.Connection, session.connection().connection.driver_connection)
    ids = {"ids": json.dumps(list(elsewhere))}
    names: dict[int, list[str]] = {}
    for partner_id, name in connection.execute(_CONTACT_NAMES, ids):
        names.setdefault(partner_id, []).append(name)
    tags: dict[int, str] = dict(connection.execute(_TAGS, ids))
    result = []
    for row in rows:
        unfound = elsewhere.get(row.id)
        if unfound:
            found = [f"contact {name}" for name in names.get(row.id, ())
                     if any(word_among(w, index_words(name)) for w in unfound)]
            found += [f"étiquette {tag.strip()}" for tag in (tags.get(row.id) or "").split(";")
                      if tag.strip() and any(word_among(w, index_words(tag)) for w in unfound)]
            if found:
                row = replace(row, matched_by=", ".join(found[:2]))
        result.append(row)
    return result


_CONTACT_NAMES = """SELECT partner_id, trim(first_name || ' ' || last_name) FROM contact
    WHERE partner_id IN (SELECT value FROM json_each(:ids)) AND deleted_at IS NULL ORDER BY last_name, first_name"""
_TAGS = "SELECT id, tags FROM partner WHERE id IN (SELECT value FROM json_each(:ids))"


def _own_words(row: PartnerRow) -> str:
    # Field by field, as the index holds them: the commune and the sector's words are cached (index_words).
    return (index_words(row.name) + index_words(row.commune) + index_words(row.postcode)
            + index_words(row.siret or "") + index_words(row.naf_code) + index_words(row.sector))


def suggest_search(session: Session, text: str, *, filters: PartnerFilter | None = None) -> SearchSuggestion | None:
    """What to try when `text` with `filters` finds no partner: the same text without the filters, or the
    word of the text that finds the most partners alone (a lone word: its first letters, as a typo is
    rarely in them); None when nothing would find any."""
    filters = filters or PartnerFilter()
    if filters.narrows:
        count = count_matching(session, text, filters=PartnerFilter(archived=filters.archived))
        if count:
            return SearchSuggestion(text, True, count)
    words = [w for w in meaningful_words(split_words(text)) if len(w) > 1]
    best: SearchSuggestion | None = None
    for word in words if len(words) > 1 else [w[:SUGGESTED_PREFIX] for w in words if len(w) > SUGGESTED_PREFIX]:
        count = count_matching(session, word, filters=filters)
        if count and (best is None or count > best.count):
            best = SearchSuggestion(word, False, count)
    return best


def count_matching(session: Session, text: str = "", *, filters: PartnerFilter | None = None,
                   cap: int | None = None) -> int:
    """How many partners search_partners would list without a limit; with a `cap`, counting stops past it
    (the answer is then cap + 1: « plus de 1 000 » for COUNT_CAP, at the cost of a thousand rows, not 35,000)."""
    filters = filters or PartnerFilter()
    conditions = [c for c in (partner_matches(text), *filter_conditions(filters)) if c is not None]
    if cap is None:
        kept = _kept(filters.archived)
        return session.scalar(select(func.count()).select_from(Partner).where(kept, *conditions)) or 0
    if text.strip() and fts_query(text):
        # Capped: the index's matches in its own order, each partner then read by id, stop at the cap (a broad
        # search counts its first thousand live matches, not every live partner against the index).
        matching = (partners_from_matches(text).where(_kept(filters.archived, by_id=True),
                                                       *filter_conditions(filters)))
    else:
        matching = select(Partner.id).where(_kept(filters.archived), *conditions)
    counted = matching.limit(cap + 1).subquery()
    return session.scalar(select(func.count()).select_from(counted)) or 0


def count_partners(session: Session, *, archived: bool = False) -> int:
    kept = _kept(archived)
    return session.scalar(select(func.count()).select_from(Partner).where(kept)) or 0


def partner_communes(session: Session) -> list[str]:
    """The communes of the partners (live or archived), in alphabetical order, accents ignored."""
    names = session.scalars(select(Partner.commune).where(Partner.commune != "").distinct())
    return sorted(names, key=fold)


def offer_formations(session: Session) -> list[FormationOption]:
    """The formations an offer can name, by label."""
    stmt = (select(Formation.id, Formation.label, Formation.audience).where(Formation.deleted_at.is_(None))
            .order_by(Formation.label))
    return [FormationOption(*row) for row in session.execute(stmt)]


def list_contacts(session: Session, partner_id: int) -> tuple[ContactLine, ...]:
    """A partner's live contacts, by name."""
    return _contacts(session, partner_id)


def visit_author(session: Session) -> str:
    """Who an exchange is noted by, unless the user says otherwise: the pole's animateur or animatrice."""
    ident = identity.current_identity(session)
    if ident is None or ident.role != identity.ROLE_POLE:
        return ""
    pole = identity.pole_of(session, ident.code)
    return pole.animator_name if pole is not None else ""


def partner_detail(session: Session, partner_id: int, *, include_archived: bool = False,
                   visits_shown: int | None = LAST_VISITS_SHOWN) -> PartnerDetail | None:
    """A partner's whole file (contacts, offers, the last `visits_shown` visits, all of them for None), or None
    if it does not exist or was archived (unless `include_archived`: « Archivés » shows their files too)."""
    partner = session.get(Partner, partner_id)
    if partner is None or (partner.deleted_at is not None and not include_archived):
        return None
    visits = _last_visits(session, partner_id, visits_shown)
    visits_total = session.scalar(select(func.count()).select_from(Visit)
                                  .where(Visit.partner_id == partner_id, Visit.deleted_at.is_(None))) or 0
    return PartnerDetail(
        partner.id, partner.name, partner.siret, partner.legal_kind, partner.naf_code, partner.sector,
        partner.headcount_band,
        partner.address, partner.postcode, partner.commune, partner.phone, partner.email, partner.website,
        partner.status, partner.status_reason, partner.representative_name, partner.representative_role,
        partner.insurer, partner.accepts_disability, partner.accepts_pai, partner.min_age,
        partner.requires_protective_equipment, partner.interview_first,
        tuple(t.strip() for t in partner.tags.split(";") if t.strip()), partner.notes,
        partner.framework_start, partner.framework_end,
        _contacts(session, partner_id), _offers(session, partner_id), visits, visits_total, partner.deleted_at)


def _contacts(session: Session, partner_id: int) -> tuple[ContactLine, ...]:
    attended = (select(Registration.contact_id, func.count().label("n"))
                .where(Registration.attended.is_(True), Registration.deleted_at.is_(None))
                .group_by(Registration.contact_id).subquery())
    stmt = (select(Contact.id, Contact.first_name, Contact.last_name, Contact.role, Contact.phone, Contact.email,
                   Contact.is_tutor, Contact.consents_to_contact, func.coalesce(attended.c.n, 0))
            .outerjoin(attended, attended.c.contact_id == Contact.id)
            .where(Contact.partner_id == partner_id, Contact.deleted_at.is_(None))
            .order_by(Contact.last_name, Contact.first_name))
    return tuple(ContactLine(*row) for row in session.execute(stmt))


def _offers(session: Session, partner_id: int) -> tuple[OfferLine, ...]:
    stmt = (select(HostingOffer, Formation.label).outerjoin(Formation, Formation.id == HostingOffer.formation_id)
            .where(HostingOffer.partner_id == partner_id, HostingOffer.deleted_at.is_(None))
            .order_by(HostingOffer.audience, HostingOffer.id))
    offers = session.execute(stmt).all()
    reserved = _reservations(session, [offer.id for offer, _ in offers])
    return tuple(
        OfferLine(offer.id, offer.audience, label or "", offer.sector, offer.places, tuple(offer.month_numbers),
                  offer.weeks, offer.max_requests_per_month, offer.last_confirmed_on,
                  tuple(reserved.get(offer.id, ())), offer.notes)
        for offer, label in offers)


def _reservations(session: Session, offer_ids: list[int]) -> dict[int, list[str]]:
    if not offer_ids:
        return {}
    stmt = (select(offer_reservation.c.offer_id, Establishment.name)
            .join(Establishment, Establishment.id == offer_reservation.c.establishment_id)
            .where(offer_reservation.c.offer_id.in_(offer_ids)).order_by(Establishment.name))
    reserved: dict[int, list[str]] = {}
    for offer_id, name in session.execute(stmt):
        reserved.setdefault(offer_id, []).append(name)
    return reserved


def _last_visits(session: Session, partner_id: int, shown: int | None) -> tuple[VisitLine, ...]:
    contact_name = func.trim(Contact.first_name + " " + Contact.last_name)
    stmt = (select(Visit.id, Visit.visited_on, Visit.kind, Visit.who, func.coalesce(contact_name, ""),
                   Visit.summary, Visit.outcome, Visit.next_action, Visit.next_action_due, Visit.next_action_done_on)
            .outerjoin(Contact, Contact.id == Visit.contact_id)
            .where(Visit.partner_id == partner_id, Visit.deleted_at.is_(None))
            .order_by(Visit.visited_on.desc(), Visit.id.desc()).limit(shown))
    return tuple(VisitLine(*row) for row in session.execute(stmt))
