"""Settings kept in the store (identity, clock, purge delay): each declared once, with its default."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from poledesk.data.models import Setting


@dataclass(frozen=True, slots=True)
class Declared:
    key: str
    default: str
    meaning: str


NODE_ID = Declared("store.node", "", "random id of this install, the node part of its clock")
CLOCK_LAST = Declared("clock.last", "", "the last hybrid clock value issued or seen")
IDENTITY_ROLE = Declared("identity.role", "", "'pole' or 'coordinator'")
IDENTITY_CODE = Declared("identity.code", "", "the owner code of this install's records")
IDENTITY_ACADEMIE = Declared("identity.academie", "", "the académie")
IDENTITY_NAME = Declared("identity.name", "", "the pole's or the coordination's name")
DEMO = Declared("identity.demo", "0", "'1' when the store holds the fictional demo data")
PURGE_DAY = Declared("purge.day", "10-31", "pupil data is purged after this day (MM-DD) of the next school year")
PURGE_POSTPONED = Declared("purge.postponed_to", "", "ISO date the animateur postponed a due purge to (once)")
LOCK_MINUTES = Declared("lock.minutes", "10", "minutes without input before the window hides records (0: never)")

DECLARED = {d.key: d for d in (NODE_ID, CLOCK_LAST, IDENTITY_ROLE, IDENTITY_CODE, IDENTITY_ACADEMIE,
                               IDENTITY_NAME, DEMO, PURGE_DAY, PURGE_POSTPONED, LOCK_MINUTES)}


def get(session: Session, declared: Declared) -> str:
    row = session.get(Setting, declared.key)
    return row.value if row is not None else declared.default


def put(session: Session, declared: Declared, value: str) -> None:
    row = session.get(Setting, declared.key)
    if row is None:
        session.add(Setting(key=declared.key, value=value))
    else:
        row.value = value


def new_node_id() -> str:
    return secrets.token_hex(4)
