"""Where a figure's records are listed: the tab's table and the ids its list is filtered to."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data.models import Contact, HostingOffer, Visit
from poledesk.data.text import plural

# The tables a tab lists: a figure of these opens its tab filtered to the figure's own ids.
LISTED = frozenset({"partner", "escalation", "placement", "training_session", "establishment"})
# Records no tab lists: a figure of these opens the Partenaires tab, filtered to their partners.
HELD_BY_PARTNER: dict[str, type[Visit | HostingOffer | Contact]] = {
    "visit": Visit, "hosting_offer": HostingOffer, "contact": Contact}


@dataclass(frozen=True, slots=True)
class Listing:
    """The list that shows a figure's records: `table` is the tab's, `ids` its rows; `note` says where records no
    tab lists (visits, offers, tutors) are: « chez 9 partenaires » (empty when the ids are the figure's own)."""

    table: str
    ids: frozenset[int]
    note: str = ""


def listing_of(session: Session, table: str, ids: Collection[int]) -> Listing:
    """The tab and rows behind `ids` of `table` (an Indicator's table). Unknown table: ValueError."""
    if table in LISTED:
        return Listing(table, frozenset(ids))
    if table not in HELD_BY_PARTNER:
        raise ValueError(f"no list shows records of {table!r}")
    model = HELD_BY_PARTNER[table]
    wanted = sorted(set(ids))
    partner_ids: set[int] = set()
    for start in range(0, len(wanted), 500):   # stay under SQLite's bound parameters limit
        chunk = wanted[start:start + 500]
        partner_ids.update(session.scalars(select(model.partner_id).where(model.id.in_(chunk))))
    return Listing("partner", frozenset(partner_ids), f"chez {plural(len(partner_ids), 'partenaire')}")
