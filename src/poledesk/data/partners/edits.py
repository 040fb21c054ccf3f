"""Writing partners: the form, its rules, the duplicate warning, archive and restore."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from poledesk.data import communes, errors, fields, validation
from poledesk.data.enums import HeadcountBand, LegalKind, PartnerStatus
from poledesk.data.live import live
from poledesk.data.models import Partner, utcnow
from poledesk.data.text import fold
from poledesk.data.validation import Problems, ValidationError

STATUSES_NEEDING_A_REASON = (PartnerStatus.PAUSED, PartnerStatus.DO_NOT_CONTACT)


@dataclass(frozen=True, slots=True)
class PartnerForm:
    """What the partner form (or an imported row) holds, as typed: the service checks and normalises it."""

    name: str
    siret: str = ""
    legal_kind: LegalKind = LegalKind.COMPANY
    naf_code: str = ""
    headcount_band: HeadcountBand | None = None
    address: str = ""
    postcode: str = ""
    commune: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    status: PartnerStatus = PartnerStatus.PROSPECT
    status_reason: str = ""
    representative_name: str = ""
    representative_role: str = ""
    insurer: str = ""
    accepts_disability: bool = False
    accepts_pai: bool = False
    min_age: int | None = None
    requires_protective_equipment: bool = False
    interview_first: bool = False
    tags: str = ""
    notes: str = ""
    framework_start: date | None = None
    framework_end: date | None = None


@dataclass(frozen=True, slots=True)
class Duplicate:
    id: int
    name: str
    commune: str
    reason: str


class DuplicateWarning(errors.DuplicateWarning):
    """The partner looks like one already in the network; save again with allow_duplicate=True to keep both."""

    def __init__(self, duplicates: list[Duplicate]) -> None:
        self.duplicates = duplicates
        names = ", ".join(f"{d.name} ({d.commune})" for d in duplicates)
        super().__init__(f"Ce partenaire ressemble à un partenaire déjà enregistré : {names}.")


def normalise_tags(text: str) -> str:
    """'BTP,  alternance ; btp' -> 'BTP; alternance': one spelling per tag, first one kept, order kept."""
    seen: dict[str, str] = {}
    for tag in text.replace(",", ";").split(";"):
        tag = " ".join(tag.split())
        if tag and fold(tag) not in seen:
            seen[fold(tag)] = tag
    return "; ".join(seen.values())


def checked_partner(form: PartnerForm) -> dict[str, object]:
    """The form's values, normalised; raises ValidationError with every problem, field by field."""
    problems = Problems()
    name = " ".join(form.name.split())
    if not name:
        problems.add("name", "Le nom de la structure est obligatoire.")
    values: dict[str, object] = {
        "name": name,
        "siret": problems.check("siret", validation.check_siret, form.siret),
        "naf_code": problems.check("naf_code", validation.check_naf, form.naf_code) or "",
        "postcode": problems.check("postcode", validation.check_postcode, form.postcode, required=True) or "",
        "phone": problems.check("phone", validation.check_phone, form.phone) or "",
        "email": problems.check("email", validation.check_email, form.email) or "",
        "tags": normalise_tags(form.tags),
    }
    values["commune"] = checked_commune(problems, values["postcode"], form.commune)  # type: ignore[arg-type]  # checked text
    if form.status in STATUSES_NEEDING_A_REASON and not form.status_reason.strip():
        problems.add("status_reason", f"Indiquez pourquoi le statut est « {form.status.label} ».")
    if form.min_age is not None and not 13 <= form.min_age <= 18:
        problems.add("min_age", "L'âge minimum doit être compris entre 13 et 18 ans.")
    if form.framework_start and form.framework_end and form.framework_end < form.framework_start:
        problems.add("framework_end", "La convention-cadre ne peut pas finir avant d'avoir commencé.")
    problems.raise_if_any()
    for field in ("legal_kind", "headcount_band", "status", "representative_name", "representative_role",
                  "insurer", "accepts_disability", "accepts_pai", "min_age", "requires_protective_equipment",
                  "interview_first", "framework_start", "framework_end"):
        values[field] = getattr(form, field)
    for field in ("address", "website", "status_reason", "notes"):
        values[field] = getattr(form, field).strip()
    limits = fields.values_problems(Partner, values)
    if limits:
        raise ValidationError(limits)
    return values


def checked_commune(problems: Problems, postcode: str, commune: str) -> str:
    """The commune, required, and spelt as the postcode's list has it (« St Dié » -> « Saint-Dié-des-Vosges »)."""
    if not commune.strip():
        problems.add("commune", "La commune est obligatoire.")
        return ""
    if not postcode:
        return " ".join(commune.split())
    return problems.check("commune", lambda text: communes.check_commune(postcode, text), commune) or ""


def find_duplicates(session: Session, *, siret: str | None, name: str, commune: str,
                    partner_id: int | None = None) -> list[Duplicate]:
    """Live partners with the same SIRET, or the same name in the same commune (case and accents ignored)."""
    folded_name, folded_commune = fold(" ".join(name.split())), fold(" ".join(commune.split()))
    # search_key starts with the folded name (models.Partner.search_fields), so this finds 'Épi' for 'EPI'.
    conditions = [Partner.search_key.startswith(f"{folded_name} ", autoescape=True)]
    if siret:
        conditions.append(Partner.siret == siret)
    stmt = select(Partner.id, Partner.name, Partner.commune, Partner.siret).where(
        Partner.deleted_at.is_(None), or_(*conditions))
    if partner_id is not None:
        stmt = stmt.where(Partner.id != partner_id)
    found = []
    for row_id, row_name, row_commune, row_siret in session.execute(stmt):
        if siret and row_siret == siret:
            found.append(Duplicate(row_id, row_name, row_commune, "même SIRET"))
        elif fold(row_name) == folded_name and fold(row_commune) == folded_commune:
            found.append(Duplicate(row_id, row_name, row_commune, "même nom dans la même commune"))
    return found


def save_partner(session: Session, form: PartnerForm, partner_id: int | None = None, *,
                 allow_duplicate: bool = False) -> int:
    """Check, warn on duplicates, then insert or update; nothing is written when it raises."""
    partner = Partner() if partner_id is None else live(session, Partner, partner_id)
    values = checked_partner(form)
    if not allow_duplicate:
        duplicates = find_duplicates(session, siret=values["siret"], name=values["name"],  # type: ignore[arg-type]  # checked text
                                     commune=values["commune"], partner_id=partner_id)  # type: ignore[arg-type]  # checked text
        if duplicates:
            raise DuplicateWarning(duplicates)
    for field, value in values.items():
        if getattr(partner, field, None) != value:
            setattr(partner, field, value)
    session.add(partner)
    session.flush()
    return partner.id


def partner_form(session: Session, partner_id: int) -> PartnerForm:
    """The form of a saved partner, to edit it."""
    partner = live(session, Partner, partner_id)
    fields = {f: getattr(partner, f) for f in PartnerForm.__dataclass_fields__}
    fields["siret"] = partner.siret or ""
    return PartnerForm(**fields)


def archive_partner(session: Session, partner_id: int) -> None:
    """A tombstone, not a removal: the partner leaves the lists and can be restored from « Archivés »."""
    live(session, Partner, partner_id).deleted_at = utcnow()
    session.flush()


def restore_partner(session: Session, partner_id: int) -> None:
    partner = session.get(Partner, partner_id)
    if partner is None:
        raise ValidationError({"partner": "Ce partenaire n'existe plus."})
    partner.deleted_at = None
    session.flush()

