"""A record a service is asked to change, found only if it is still live, else the French refusal of its kind."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from poledesk.data.errors import ValidationError
from poledesk.data.models import (
    Contact,
    Escalation,
    Establishment,
    HostingOffer,
    Partner,
    Placement,
    Proposal,
    Registration,
    TrainingSession,
    Travelling,
    Visit,
)
from poledesk.data.validation import Problems

Record = TypeVar("Record", bound=Travelling)

# The field the refusal is shown beside, and what it says, for each kind of record a form or an action names.
GONE: dict[type[Travelling], tuple[str, str]] = {
    Partner: ("partner", "Ce partenaire a été archivé ou n'existe plus."),
    Contact: ("contact", "Cet interlocuteur a été archivé ou n'existe plus."),
    HostingOffer: ("offer", "Cette offre a été archivée ou n'existe plus."),
    Visit: ("visit", "Cet échange a été supprimé ou n'existe plus."),
    Establishment: ("establishment", "Cet établissement a été archivé ou n'existe plus."),
    Escalation: ("escalation", "Cette sollicitation a été supprimée ou n'existe plus."),
    Proposal: ("proposal", "Cette proposition n'existe plus."),
    Placement: ("placement", "Ce stage a été supprimé ou n'existe plus."),
    TrainingSession: ("session", "Cette session a été supprimée ou n'existe plus."),
    Registration: ("registration", "Cette inscription a été annulée ou n'existe plus."),
}


def is_live(record: Travelling | None) -> bool:
    """Known and not deleted (archived); a registration also stops being live once cancelled."""
    return record is not None and record.deleted_at is None and not (
        isinstance(record, Registration) and record.cancelled_on is not None)


def live_or_noted(session: Session, problems: Problems, model: type[Record], record_id: int) -> Record | None:
    """The record if live; else None, its kind's refusal noted among the form's problems (raised with the rest)."""
    record = session.get(model, record_id)
    if not is_live(record):
        problems.add(*GONE[model])
        return None
    return record


def live(session: Session, model: type[Record], record_id: int) -> Record:
    """The record, unless it is unknown or deleted (archived); then ValidationError {field: French message}.

    A registration also stops being live once cancelled."""
    record = session.get(model, record_id)
    if record is None or not is_live(record):
        field, message = GONE[model]
        raise ValidationError({field: message})
    return record
