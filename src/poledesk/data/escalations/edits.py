"""The escalation workflow: record a request, move it through its statuses, log every move, propose partners."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from poledesk.data import validation
from poledesk.data.enums import Audience, EscalationStatus, ProposalAnswer, VisitKind
from poledesk.data.live import live, live_or_noted
from poledesk.data.models import (
    Contact,
    Escalation,
    EscalationEvent,
    Establishment,
    Formation,
    Partner,
    Proposal,
    Pupil,
    utcnow,
)
from poledesk.data.naf import all_sections
from poledesk.data.placements import form as placements
from poledesk.data.pupils import AGE_RANGE, age_on
from poledesk.data.validation import Problems, ValidationError

S = EscalationStatus
OPEN = (S.RECEIVED, S.SEARCHING, S.PROPOSED)
MOVES: dict[EscalationStatus, tuple[EscalationStatus, ...]] = {
    S.RECEIVED: (S.SEARCHING, S.PROPOSED, S.CLOSED_UNSOLVED, S.WITHDRAWN),
    S.SEARCHING: (S.PROPOSED, S.CLOSED_UNSOLVED, S.WITHDRAWN),
    S.PROPOSED: (S.SEARCHING, S.PLACED, S.CLOSED_UNSOLVED, S.WITHDRAWN),
    S.PLACED: (),
    S.CLOSED_UNSOLVED: (S.SEARCHING,),     # reopened: the school asks again
    S.WITHDRAWN: (S.SEARCHING,),
}
NEEDS_A_REASON = (S.CLOSED_UNSOLVED, S.WITHDRAWN)


@dataclass(frozen=True, slots=True)
class EscalationForm:
    establishment_id: int
    pupil_last_name: str
    pupil_first_name: str
    pupil_birth_date: date | None
    audience: Audience
    period_start: date
    period_end: date
    received_on: date
    formation_id: int | None = None
    pupil_class: str = ""
    representative_name: str = ""
    representative_email: str = ""
    representative_phone: str = ""
    asked_by_name: str = ""
    asked_by_role: str = ""
    asked_by_email: str = ""
    mobility_commune: str = ""
    mobility_postcode: str = ""
    mobility_radius_km: int | None = None
    mobility_means: str = ""
    needs_accessibility: bool = False
    needs_pai: bool = False
    needs: str = ""
    wished_sectors: tuple[str, ...] = ()     # NAF section letters the pupil wishes to discover


def check_escalation(session: Session, form: EscalationForm, *, owner: str, today: date,
                     current: Escalation | None = None) -> dict[str, str]:
    """Every problem of the form, field -> French message (empty when it can be saved)."""
    problems = Problems()
    school = session.get(Establishment, form.establishment_id)
    if school is None or school.deleted_at is not None or (owner and school.owner != owner):
        problems.add("establishment", "Choisissez un établissement du pôle.")
    if not form.pupil_last_name.strip() or not form.pupil_first_name.strip():
        problems.add("pupil_last_name", "Le nom et le prénom de l'élève sont obligatoires.")
    if form.period_end < form.period_start:
        problems.add("period_end", "La fin de la période ne peut pas précéder son début.")
    starts_moved = current is None or current.period_start != form.period_start
    if starts_moved and form.period_start < today:
        problems.add("period_start", "La période a déjà commencé : indiquez une date à venir.")
    if form.received_on > today:
        problems.add("received_on", "La date de réception ne peut pas être dans le futur.")
    if form.pupil_birth_date is None:
        problems.add("pupil_birth_date", "La date de naissance de l'élève est obligatoire.")
    else:
        age = age_on(form.pupil_birth_date, form.period_start)
        if not AGE_RANGE[0] <= age <= AGE_RANGE[1]:
            problems.add("pupil_birth_date", f"Avec cette date de naissance, l'élève aurait {age} ans au début "
                                             "de la période : vérifiez-la.")
    if form.formation_id is not None and session.get(Formation, form.formation_id) is None:
        problems.add("formation", "Cette formation n'existe pas.")
    problems.check("asked_by_email", validation.check_email, form.asked_by_email)
    problems.check("representative_email", validation.check_email, form.representative_email)
    problems.check("representative_phone", validation.check_phone, form.representative_phone)
    if form.mobility_postcode.strip():
        problems.check("mobility_postcode", validation.check_postcode, form.mobility_postcode)
    if form.mobility_radius_km is not None and not 0 < form.mobility_radius_km <= 200:
        problems.add("mobility_radius_km", "Le rayon de mobilité doit être compris entre 1 et 200 km.")
    unknown = [s for s in form.wished_sectors if s not in all_sections()]
    if unknown:
        problems.add("wished_sectors", f"Secteur inconnu : {', '.join(unknown)} (une lettre de section NAF, de A à U).")
    return problems.problems


def save_escalation(session: Session, form: EscalationForm, escalation_id: int | None = None, *, owner: str,
                    today: date | None = None) -> int:
    """Record a request (with its pupil, minimal data) or correct it; nothing is written when it raises."""
    today = today or date.today()
    escalation = None if escalation_id is None else live(session, Escalation, escalation_id)
    problems = check_escalation(session, form, owner=owner, today=today, current=escalation)
    if problems:
        raise ValidationError(problems)
    pupil = Pupil() if escalation is None else escalation.pupil
    _set(pupil, establishment_id=form.establishment_id, formation_id=form.formation_id,
         last_name=form.pupil_last_name.strip(), first_name=form.pupil_first_name.strip(),
         birth_date=form.pupil_birth_date, class_name=form.pupil_class.strip(),
         representative_name=form.representative_name.strip(),
         representative_email=validation.check_email(form.representative_email) if form.representative_email.strip()
         else "", representative_phone=validation.check_phone(form.representative_phone)
         if form.representative_phone.strip() else "", has_pai=form.needs_pai, needs=form.needs.strip())
    if escalation is None:
        escalation = Escalation(pupil=pupil, status=S.RECEIVED)
        session.add(EscalationEvent(escalation=escalation, at=utcnow(), from_status=None, to_status=S.RECEIVED,
                                    reason="Sollicitation reçue"))
    _set(escalation, establishment_id=form.establishment_id, formation_id=form.formation_id,
         audience=form.audience, period_start=form.period_start, period_end=form.period_end,
         received_on=form.received_on, asked_by_name=form.asked_by_name.strip(),
         asked_by_role=form.asked_by_role.strip(), asked_by_email=form.asked_by_email.strip(),
         mobility_commune=form.mobility_commune.strip(), mobility_postcode=form.mobility_postcode.strip(),
         mobility_radius_km=form.mobility_radius_km, mobility_means=form.mobility_means.strip(),
         needs_accessibility=form.needs_accessibility, needs_pai=form.needs_pai,
         wished_sectors=",".join(form.wished_sectors))
    session.add(escalation)
    session.flush()
    return escalation.id


def change_status(session: Session, escalation_id: int, to: EscalationStatus, *, expected: EscalationStatus,
                  reason: str = "", on: date | None = None) -> None:
    """Move an escalation, logged; refused if the move is not allowed or someone moved it since it was shown.

    `expected` is the status the user saw: with writes serialised (BEGIN IMMEDIATE), two actions on the same
    escalation can never both apply, the second one sees the first one's status and is refused.
    """
    escalation = live(session, Escalation, escalation_id)
    if escalation.status is not expected:
        raise ValidationError({"status": f"La sollicitation est passée à « {escalation.status.label} » "
                                         "entre-temps : rien n'a été modifié."})
    if to not in MOVES[escalation.status]:
        raise ValidationError({"status": f"Une sollicitation « {escalation.status.label} » ne peut pas passer "
                                         f"à « {to.label} »."})
    if to in NEEDS_A_REASON and not reason.strip():
        raise ValidationError({"reason": f"Indiquez pourquoi la sollicitation est « {to.label} »."})
    _move(session, escalation, to, reason.strip(), on or date.today())


def record_proposal(session: Session, escalation_id: int, partner_id: int, *, contacted_on: date,
                    channel: VisitKind = VisitKind.PHONE, contact_id: int | None = None) -> int:
    """The animateur contacted a partner for this escalation: a proposal waiting for its answer."""
    escalation = live(session, Escalation, escalation_id)
    problems = Problems()
    if escalation.status not in OPEN:
        problems.add("status", f"La sollicitation est « {escalation.status.label} » : elle n'attend plus de "
                               "proposition.")
    partner = live_or_noted(session, problems, Partner, partner_id)
    if contact_id is not None:
        contact = session.get(Contact, contact_id)
        if contact is None or contact.partner_id != partner_id:
            problems.add("contact", "Cet interlocuteur n'appartient pas à ce partenaire.")
    if contacted_on < escalation.received_on:
        problems.add("contacted_on", "Le contact ne peut pas précéder la réception de la sollicitation.")
    problems.raise_if_any()
    proposal = Proposal(escalation_id=escalation.id, partner_id=partner_id, contact_id=contact_id,
                        contacted_on=contacted_on, channel=channel, answer=ProposalAnswer.WAITING)
    session.add(proposal)
    if escalation.status is not S.PROPOSED:
        _move(session, escalation, S.PROPOSED, f"Proposition à {partner.name}", contacted_on)  # type: ignore[union-attr]  # raise_if_any: live
    session.flush()
    return proposal.id


def answer_proposal(session: Session, proposal_id: int, answer: ProposalAnswer, *, on: date,
                    reason: str = "") -> None:
    """A partner answered. A refusal (with its reason) lowers it in the ranking; with no proposal left
    waiting, the escalation goes back to « En recherche ». Accepting goes through accept_proposal."""
    proposal = live(session, Proposal, proposal_id)
    if proposal.answer is not ProposalAnswer.WAITING:
        raise ValidationError({"answer": f"{proposal.partner.name} a déjà répondu (« {proposal.answer.label} ») "
                                         "entre-temps : rien n'a été modifié."})
    if answer is ProposalAnswer.ACCEPTED:
        raise ValidationError({"answer": "Une acceptation crée le stage : utilisez « Accepter et créer le stage »."})
    if answer is ProposalAnswer.REFUSED and not reason.strip():
        raise ValidationError({"reason": "Indiquez la raison du refus : elle servira aux prochaines recherches."})
    proposal.answer, proposal.refusal_reason, proposal.answered_on = answer, reason.strip(), on
    escalation = proposal.escalation
    session.flush()
    waiting = [p for p in escalation.proposals if p.answer is ProposalAnswer.WAITING and p.deleted_at is None]
    if escalation.status is S.PROPOSED and not waiting:
        _move(session, escalation, S.SEARCHING, f"{proposal.partner.name} : {answer.label.lower()}", on)


def accept_proposal(session: Session, proposal_id: int, form: placements.PlacementForm, *, on: date) -> int:
    """The partner said yes: in one step the proposal is accepted, the placement created, the escalation placed."""
    proposal = live(session, Proposal, proposal_id)
    escalation = proposal.escalation
    if escalation.status not in OPEN:
        raise ValidationError({"status": f"La sollicitation est déjà « {escalation.status.label} »."})
    if proposal.answer is not ProposalAnswer.WAITING:
        raise ValidationError({"answer": f"{proposal.partner.name} a déjà répondu (« {proposal.answer.label} »)."})
    form = replace(form, escalation_id=escalation.id, pupil_id=escalation.pupil_id, partner_id=proposal.partner_id,
                   establishment_id=escalation.establishment_id)
    placement_id = placements.save_placement(session, form)
    proposal.answer, proposal.answered_on = ProposalAnswer.ACCEPTED, on
    _move(session, escalation, S.PLACED, f"Accepté par {proposal.partner.name}", on)
    escalation.closed_on = on
    escalation.outcome = f"Placé chez {proposal.partner.name}"
    session.flush()
    return placement_id


def placement_form_for(session: Session, proposal_id: int) -> placements.PlacementForm:
    """The placement form prefilled from the escalation and the accepting partner (the tutor: its first tutor)."""
    proposal = live(session, Proposal, proposal_id)
    escalation = proposal.escalation
    tutors = placements.tutors_of(session, proposal.partner_id)
    return placements.PlacementForm(
        pupil_id=escalation.pupil_id, establishment_id=escalation.establishment_id, partner_id=proposal.partner_id,
        audience=escalation.audience, formation_id=escalation.formation_id, start_date=escalation.period_start,
        end_date=escalation.period_end, escalation_id=escalation.id,
        tutor_id=proposal.contact_id or (tutors[0][0] if tutors else None),
        referent_teacher_name=escalation.asked_by_name, referent_teacher_email=escalation.asked_by_email)


def _move(session: Session, escalation: Escalation, to: EscalationStatus, reason: str, on: date) -> None:
    session.add(EscalationEvent(escalation_id=escalation.id, at=utcnow(), from_status=escalation.status,
                                to_status=to, reason=reason))
    escalation.status = to
    if to in NEEDS_A_REASON:
        escalation.status_reason, escalation.closed_on = reason, on
    elif to in OPEN:
        escalation.closed_on = None
    session.flush()


def _set(obj: object, **values: object) -> None:
    for name, value in values.items():
        if getattr(obj, name, None) != value:
            setattr(obj, name, value)


