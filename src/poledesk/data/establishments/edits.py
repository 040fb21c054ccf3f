"""Writing establishments: the form and its rules (UAI), archive and restore, formations and pupil counts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data import fields, validation
from poledesk.data.enums import EstablishmentKind, PriorityEducation
from poledesk.data.live import live
from poledesk.data.models import Establishment, EstablishmentFormation, Formation, utcnow
from poledesk.data.partners.edits import checked_commune
from poledesk.data.validation import Problems, ValidationError

SCHOOL_YEAR_SHAPE = "AAAA-AAAA"


@dataclass(frozen=True, slots=True)
class EstablishmentForm:
    uai: str
    name: str
    kind: EstablishmentKind = EstablishmentKind.LP
    address: str = ""
    postcode: str = ""
    commune: str = ""
    phone: str = ""
    email: str = ""
    head_name: str = ""
    referent_name: str = ""
    referent_role: str = ""
    referent_email: str = ""
    referent_phone: str = ""
    priority_education: PriorityEducation = PriorityEducation.NONE


@dataclass(frozen=True, slots=True)
class FormationChoice:
    id: int
    code: str
    label: str


def checked_establishment(session: Session, form: EstablishmentForm,
                          establishment_id: int | None = None) -> dict[str, object]:
    """The form's values, normalised; raises ValidationError with every problem, field by field."""
    problems = Problems()
    values: dict[str, object] = {
        "uai": problems.check("uai", validation.check_uai, form.uai, required=True) or "",
        "name": " ".join(form.name.split()),
        "postcode": problems.check("postcode", validation.check_postcode, form.postcode) or "",
        "phone": problems.check("phone", validation.check_phone, form.phone) or "",
        "email": problems.check("email", validation.check_email, form.email) or "",
        "referent_email": problems.check("referent_email", validation.check_email, form.referent_email) or "",
        "referent_phone": problems.check("referent_phone", validation.check_phone, form.referent_phone) or "",
    }
    if not values["name"]:
        problems.add("name", "Le nom de l'établissement est obligatoire.")
    values["commune"] = checked_commune(problems, values["postcode"], form.commune)  # type: ignore[arg-type]  # checked text
    if values["uai"]:
        same = select(Establishment.name).where(Establishment.uai == values["uai"],
                                                Establishment.deleted_at.is_(None))
        if establishment_id is not None:
            same = same.where(Establishment.id != establishment_id)
        other = session.scalar(same)
        if other:
            problems.add("uai", f"Cet UAI est déjà celui de « {other} ».")
    problems.raise_if_any()
    for field in ("kind", "priority_education"):
        values[field] = getattr(form, field)
    for field in ("address", "head_name", "referent_name", "referent_role"):
        values[field] = " ".join(getattr(form, field).split())
    limits = fields.values_problems(Establishment, values)
    if limits:
        raise ValidationError(limits)
    return values


def save_establishment(session: Session, form: EstablishmentForm, establishment_id: int | None = None) -> int:
    """Check, then insert or update; nothing is written when it raises."""
    establishment = Establishment() if establishment_id is None else live(session, Establishment, establishment_id)
    values = checked_establishment(session, form, establishment_id)
    for field, value in values.items():
        if getattr(establishment, field, None) != value:
            setattr(establishment, field, value)
    session.add(establishment)
    session.flush()
    return establishment.id


def establishment_form(session: Session, establishment_id: int) -> EstablishmentForm:
    return establishment_form_of(live(session, Establishment, establishment_id))


def archive_establishment(session: Session, establishment_id: int) -> None:
    live(session, Establishment, establishment_id).deleted_at = utcnow()
    session.flush()


def restore_establishment(session: Session, establishment_id: int) -> None:
    establishment = session.get(Establishment, establishment_id)
    if establishment is None:
        raise ValidationError({"establishment": "Cet établissement n'existe plus."})
    checked_establishment(session, establishment_form_of(establishment), establishment_id)  # UAI still unique
    establishment.deleted_at = None
    session.flush()


def establishment_form_of(establishment: Establishment) -> EstablishmentForm:
    return EstablishmentForm(**{f: getattr(establishment, f) for f in EstablishmentForm.__dataclass_fields__})


def list_formations(session: Session) -> list[FormationChoice]:
    stmt = select(Formation.id, Formation.code, Formation.label).where(Formation.deleted_at.is_(None)) \
        .order_by(Formation.label)
    return [FormationChoice(*row) for row in session.execute(stmt)]


def pupil_counts(session: Session, establishment_id: int, school_year: str) -> dict[int, int]:
    """formation id -> pupils, for the formations this establishment prepares in that school year."""
    stmt = select(EstablishmentFormation.formation_id, EstablishmentFormation.pupils).where(
        EstablishmentFormation.establishment_id == establishment_id,
        EstablishmentFormation.school_year == school_year, EstablishmentFormation.deleted_at.is_(None))
    return dict(session.execute(stmt).all())


def set_pupil_counts(session: Session, establishment_id: int, school_year: str, counts: dict[int, int]) -> None:
    """The formations prepared in a school year and their pupils (the main indicator's denominator).

    A formation left out of `counts` is no longer prepared that year (tombstoned); the others are upserted.
    """
    problems = Problems()
    start, _, end = school_year.partition("-")
    if not (start.isdigit() and end.isdigit() and len(start) == 4 and int(end) == int(start) + 1):
        problems.add("school_year", f"Année scolaire invalide « {school_year} » : attendu {SCHOOL_YEAR_SHAPE}, "
                                    "par exemple 2026-2027.")
    if any(pupils < 0 for pupils in counts.values()):
        problems.add("pupils", "Le nombre d'élèves ne peut pas être négatif.")
    known = set(session.scalars(select(Formation.id).where(Formation.id.in_(counts))))
    if known != set(counts):
        problems.add("formations", "Une des formations choisies n'existe plus.")
    live(session, Establishment, establishment_id)
    problems.raise_if_any()
    existing = {row.formation_id: row for row in session.scalars(select(EstablishmentFormation).where(
        EstablishmentFormation.establishment_id == establishment_id,
        EstablishmentFormation.school_year == school_year))}
    for formation_id, dropped in existing.items():
        if formation_id not in counts and dropped.deleted_at is None:
            dropped.deleted_at = utcnow()
    for formation_id, pupils in counts.items():
        row = existing.get(formation_id)
        if row is None:
            session.add(EstablishmentFormation(establishment_id=establishment_id, formation_id=formation_id,
                                               school_year=school_year, pupils=pupils))
        elif row.pupils != pupils or row.deleted_at is not None:
            row.pupils, row.deleted_at = pupils, None
    session.flush()

