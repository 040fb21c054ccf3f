"""The store's tables: SQLAlchemy 2 models of every record of DOMAIN.md, with the sync columns."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from poledesk.data.clock import uuid7
from poledesk.data.enums import (
    ActionAxis,
    ActionReview,
    ActionStatus,
    Audience,
    ConventionStatus,
    EscalationStatus,
    EstablishmentKind,
    HeadcountBand,
    LegalKind,
    PartnerStatus,
    PriorityEducation,
    ProposalAnswer,
    TrainingStatus,
    VisitKind,
)

# Named constraints so that Alembic's batch mode can rebuild SQLite tables deterministically.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def choice(enum: type[StrEnum]) -> Enum:
    """A text column restricted to an enum's values (stored as the value, not the member name)."""
    return Enum(enum, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e],
                validate_strings=True, create_constraint=True, name=enum.__name__.lower())


def utcnow() -> datetime:
    """Naive UTC, to the second: SQLite keeps no time zone."""
    return datetime.now(UTC).replace(microsecond=0, tzinfo=None)


class Travelling:
    """Sync columns of every record that travels in bundles; stamped in one place (db.stamp_writes)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=uuid7)
    owner: Mapped[str] = mapped_column(String(40), default="", index=True)
    hlc: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)

    # Fields folded (lower case, no accents) into search_key on every write, for models that have one.
    search_fields: tuple[str, ...] = ()


class Setting(Base):
    """A typed setting of the store (identity, purge delay...): see data/settings.py for the declarations."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Pole(Travelling, Base):
    __tablename__ = "pole"
    code: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200))
    bassin: Mapped[str] = mapped_column(String(200), default="")
    academie: Mapped[str] = mapped_column(String(100), default="")
    animator_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")


class Formation(Travelling, Base):
    __tablename__ = "formation"
    code: Mapped[str] = mapped_column(String(20), index=True)
    label: Mapped[str] = mapped_column(String(200))
    audience: Mapped[Audience] = mapped_column(choice(Audience))
    pfmp_weeks: Mapped[int] = mapped_column(Integer, default=0)


class Establishment(Travelling, Base):
    __tablename__ = "establishment"
    search_fields = ("name", "commune", "uai", "postcode")
    uai: Mapped[str] = mapped_column(String(8), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[EstablishmentKind] = mapped_column(choice(EstablishmentKind))
    address: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str] = mapped_column(String(5), default="")
    commune: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    head_name: Mapped[str] = mapped_column(String(200), default="")
    referent_name: Mapped[str] = mapped_column(String(200), default="")
    referent_role: Mapped[str] = mapped_column(String(100), default="")
    referent_email: Mapped[str] = mapped_column(String(200), default="")
    referent_phone: Mapped[str] = mapped_column(String(40), default="")
    priority_education: Mapped[PriorityEducation] = mapped_column(choice(PriorityEducation),
                                                                  default=PriorityEducation.NONE)
    search_key: Mapped[str] = mapped_column(Text, default="")
    formations: Mapped[list[EstablishmentFormation]] = relationship(back_populates="establishment")


class EstablishmentFormation(Travelling, Base):
    """A formation prepared by an establishment, with its pupils for one school year (the indicator's denominator)."""

    __tablename__ = "establishment_formation"
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    formation_id: Mapped[int] = mapped_column(ForeignKey("formation.id"), index=True)
    school_year: Mapped[str] = mapped_column(String(9))
    pupils: Mapped[int] = mapped_column(Integer, default=0)
    establishment: Mapped[Establishment] = relationship(back_populates="formations")
    formation: Mapped[Formation] = relationship()


class Partner(Travelling, Base):
    __tablename__ = "partner"
    search_fields = ("name", "commune", "postcode", "siret", "naf_code", "tags")
    name: Mapped[str] = mapped_column(String(200))
    siret: Mapped[str | None] = mapped_column(String(14), index=True)
    legal_kind: Mapped[LegalKind] = mapped_column(choice(LegalKind), default=LegalKind.COMPANY)
    naf_code: Mapped[str] = mapped_column(String(6), default="")
    sector: Mapped[str] = mapped_column(String(300), default="", server_default="")  # NAF label (_derive_sector)
    headcount_band: Mapped[HeadcountBand | None] = mapped_column(choice(HeadcountBand))
    address: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str] = mapped_column(String(5), default="", index=True)
    commune: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[PartnerStatus] = mapped_column(choice(PartnerStatus), default=PartnerStatus.PROSPECT)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    representative_name: Mapped[str] = mapped_column(String(200), default="")
    representative_role: Mapped[str] = mapped_column(String(100), default="")
    insurer: Mapped[str] = mapped_column(String(200), default="")
    accepts_disability: Mapped[bool] = mapped_column(Boolean, default=False)
    accepts_pai: Mapped[bool] = mapped_column(Boolean, default=False)
    min_age: Mapped[int | None] = mapped_column(Integer)
    requires_protective_equipment: Mapped[bool] = mapped_column(Boolean, default=False)
    interview_first: Mapped[bool] = mapped_column(Boolean, default=False)
    tags: Mapped[str] = mapped_column(Text, default="")          # separated by ";"
    notes: Mapped[str] = mapped_column(Text, default="")
    framework_start: Mapped[date | None] = mapped_column(Date)   # convention-cadre
    framework_end: Mapped[date | None] = mapped_column(Date)
    search_key: Mapped[str] = mapped_column(Text, default="")
    contacts: Mapped[list[Contact]] = relationship(back_populates="partner")
    offers: Mapped[list[HostingOffer]] = relationship(back_populates="partner")
    visits: Mapped[list[Visit]] = relationship(back_populates="partner")

    @validates("naf_code")
    def _derive_sector(self, _key: str, code: str) -> str:
        # The sector in words follows the code wherever it is set (form, import, merge), and feeds the search.
        from poledesk.data.naf import naf_label

        self.sector = naf_label(code) or ""
        return code


class Contact(Travelling, Base):
    __tablename__ = "contact"
    search_fields = ("first_name", "last_name")
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    is_tutor: Mapped[bool] = mapped_column(Boolean, default=False)
    consents_to_contact: Mapped[bool] = mapped_column(Boolean, default=True)
    search_key: Mapped[str] = mapped_column(Text, default="")
    partner: Mapped[Partner] = relationship(back_populates="contacts")


offer_reservation = Table(
    "offer_reservation", Base.metadata,
    Column("offer_id", ForeignKey("hosting_offer.id", ondelete="CASCADE"), primary_key=True),
    Column("establishment_id", ForeignKey("establishment.id", ondelete="CASCADE"), primary_key=True),
)


class HostingOffer(Travelling, Base):
    __tablename__ = "hosting_offer"
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    audience: Mapped[Audience] = mapped_column(choice(Audience))
    formation_id: Mapped[int | None] = mapped_column(ForeignKey("formation.id"))
    sector: Mapped[str] = mapped_column(String(200), default="")
    places: Mapped[int] = mapped_column(Integer, default=1)
    months: Mapped[str] = mapped_column(String(40), default="")   # month numbers, e.g. "1,2,11"
    weeks: Mapped[str] = mapped_column(String(200), default="")   # school weeks in words, if given
    max_requests_per_month: Mapped[int | None] = mapped_column(Integer)
    last_confirmed_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    partner: Mapped[Partner] = relationship(back_populates="offers")
    formation: Mapped[Formation | None] = relationship()
    reserved_to: Mapped[list[Establishment]] = relationship(secondary=offer_reservation)

    @property
    def month_numbers(self) -> list[int]:
        return [int(m) for m in self.months.split(",") if m.strip()]


class Visit(Travelling, Base):
    __tablename__ = "visit"
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    visited_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[VisitKind] = mapped_column(choice(VisitKind))
    who: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    next_action: Mapped[str] = mapped_column(Text, default="")
    next_action_due: Mapped[date | None] = mapped_column(Date, index=True)
    next_action_done_on: Mapped[date | None] = mapped_column(Date)
    partner: Mapped[Partner] = relationship(back_populates="visits")


def new_pseudonym() -> str:
    return str(uuid.uuid4())


class Pupil(Travelling, Base):
    """A pupil: identity stays on this laptop; bundles carry only `pseudonym` and the allowlisted fields."""

    __tablename__ = "pupil"
    pseudonym: Mapped[str] = mapped_column(String(36), unique=True, default=new_pseudonym)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    formation_id: Mapped[int | None] = mapped_column(ForeignKey("formation.id"))
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    class_name: Mapped[str] = mapped_column(String(40), default="")
    representative_name: Mapped[str] = mapped_column(String(200), default="")
    representative_email: Mapped[str] = mapped_column(String(200), default="")
    representative_phone: Mapped[str] = mapped_column(String(40), default="")
    needs: Mapped[str] = mapped_column(String(300), default="")
    has_pai: Mapped[bool] = mapped_column(Boolean, default=False)
    has_disability: Mapped[bool] = mapped_column(Boolean, default=False)
    purged_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Set by the purge from the birth date and the first period's start: what the indicators keep of the age.
    age_band: Mapped[str] = mapped_column(String(10), default="", server_default="")
    establishment: Mapped[Establishment] = relationship()
    formation: Mapped[Formation | None] = relationship()


class Escalation(Travelling, Base):
    __tablename__ = "escalation"
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id"), index=True)
    asked_by_name: Mapped[str] = mapped_column(String(200), default="")
    asked_by_role: Mapped[str] = mapped_column(String(100), default="")
    asked_by_email: Mapped[str] = mapped_column(String(200), default="")
    received_on: Mapped[date] = mapped_column(Date)
    audience: Mapped[Audience] = mapped_column(choice(Audience))
    formation_id: Mapped[int | None] = mapped_column(ForeignKey("formation.id"))
    period_start: Mapped[date] = mapped_column(Date, index=True)
    period_end: Mapped[date] = mapped_column(Date)
    mobility_commune: Mapped[str] = mapped_column(String(120), default="")
    mobility_postcode: Mapped[str] = mapped_column(String(5), default="")
    mobility_radius_km: Mapped[int | None] = mapped_column(Integer)
    mobility_means: Mapped[str] = mapped_column(String(200), default="")
    needs_accessibility: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_pai: Mapped[bool] = mapped_column(Boolean, default=False)
    wished_sectors: Mapped[str] = mapped_column(String(60), default="", server_default="")  # NAF sections: "G,Q"
    status: Mapped[EscalationStatus] = mapped_column(choice(EscalationStatus), default=EscalationStatus.RECEIVED,
                                                     index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None] = mapped_column(Date)
    establishment: Mapped[Establishment] = relationship()
    pupil: Mapped[Pupil] = relationship()
    formation: Mapped[Formation | None] = relationship()
    proposals: Mapped[list[Proposal]] = relationship(back_populates="escalation")
    events: Mapped[list[EscalationEvent]] = relationship(back_populates="escalation",
                                                         order_by="EscalationEvent.at")


class EscalationEvent(Travelling, Base):
    """One status change of an escalation, with its date: the escalation's log."""

    __tablename__ = "escalation_event"
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalation.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    from_status: Mapped[EscalationStatus | None] = mapped_column(choice(EscalationStatus))
    to_status: Mapped[EscalationStatus] = mapped_column(choice(EscalationStatus))
    reason: Mapped[str] = mapped_column(Text, default="")
    escalation: Mapped[Escalation] = relationship(back_populates="events")


class Proposal(Travelling, Base):
    __tablename__ = "proposal"
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalation.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    contacted_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[VisitKind] = mapped_column(choice(VisitKind), default=VisitKind.PHONE)
    answer: Mapped[ProposalAnswer] = mapped_column(choice(ProposalAnswer), default=ProposalAnswer.WAITING)
    refusal_reason: Mapped[str] = mapped_column(Text, default="")
    answered_on: Mapped[date | None] = mapped_column(Date)
    escalation: Mapped[Escalation] = relationship(back_populates="proposals")
    partner: Mapped[Partner] = relationship()


class Placement(Travelling, Base):
    __tablename__ = "placement"
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id"), index=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    tutor_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"), index=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalation.id"))
    referent_teacher_name: Mapped[str] = mapped_column(String(200), default="")
    referent_teacher_email: Mapped[str] = mapped_column(String(200), default="")
    audience: Mapped[Audience] = mapped_column(choice(Audience))
    formation_id: Mapped[int | None] = mapped_column(ForeignKey("formation.id"))
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date] = mapped_column(Date)
    activities: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[str] = mapped_column(Text, default="")
    site_address: Mapped[str] = mapped_column(String(300), default="")
    family_business: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")  # L4153-5, under 14
    meals: Mapped[str] = mapped_column(Text, default="")            # annexe financière
    transport: Mapped[str] = mapped_column(Text, default="")
    accommodation: Mapped[str] = mapped_column(Text, default="")
    gratification: Mapped[str] = mapped_column(Text, default="")
    convention_status: Mapped[ConventionStatus] = mapped_column(choice(ConventionStatus),
                                                                default=ConventionStatus.DRAFT, index=True)
    printed_on: Mapped[date | None] = mapped_column(Date)
    signed_on: Mapped[date | None] = mapped_column(Date)
    cancelled_on: Mapped[date | None] = mapped_column(Date)
    signed_copy_file: Mapped[str] = mapped_column(String(300), default="")
    signed_copy_sha256: Mapped[str] = mapped_column(String(64), default="")
    pupil: Mapped[Pupil] = relationship()
    establishment: Mapped[Establishment] = relationship()
    partner: Mapped[Partner] = relationship()
    tutor: Mapped[Contact | None] = relationship()
    formation: Mapped[Formation | None] = relationship()
    timetable: Mapped[list[TimetableDay]] = relationship(back_populates="placement", order_by="TimetableDay.weekday")
    amendments: Mapped[list[Amendment]] = relationship(back_populates="placement", order_by="Amendment.number")


class TimetableDay(Travelling, Base):
    """One day of a placement's weekly timetable (0 = Monday), with an optional break."""

    __tablename__ = "timetable_day"
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    start: Mapped[time] = mapped_column(Time)
    end: Mapped[time] = mapped_column(Time)
    break_start: Mapped[time | None] = mapped_column(Time)
    break_end: Mapped[time | None] = mapped_column(Time)
    placement: Mapped[Placement] = relationship(back_populates="timetable")


class Amendment(Travelling, Base):
    """An avenant to a signed convention: what changed, signed by the original signatories."""

    __tablename__ = "amendment"
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[str] = mapped_column(Text, default="")          # JSON: field -> [before, after]
    signed_on: Mapped[date | None] = mapped_column(Date)
    placement: Mapped[Placement] = relationship(back_populates="amendments")


class PrintedVersion(Base):
    """A printed convention whose placement was edited afterwards: the PDF of the paper as it was, kept in the
    placement's history (what the parties hold may be the old paper). It names the pupil: it is no Travelling
    record, so it never leaves this computer, and the purge deletes it with the pupil's identity."""

    __tablename__ = "printed_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    printed_on: Mapped[date] = mapped_column(Date)              # when this paper was printed
    replaced_on: Mapped[date] = mapped_column(Date)             # when an edit made it differ from the placement
    changes: Mapped[str] = mapped_column(Text, default="")      # JSON list of the French labels of what changed
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    reprinted_on: Mapped[date | None] = mapped_column(Date)     # the day the new convention was printed


class TrainingSession(Travelling, Base):
    __tablename__ = "training_session"
    search_fields = ("title", "theme", "place", "trainer")
    title: Mapped[str] = mapped_column(String(200))
    theme: Mapped[str] = mapped_column(String(200), default="")
    session_date: Mapped[date] = mapped_column(Date, index=True)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    place: Mapped[str] = mapped_column(String(300), default="")
    trainer: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[int] = mapped_column(Integer, default=15)
    status: Mapped[TrainingStatus] = mapped_column(choice(TrainingStatus), default=TrainingStatus.PLANNED)
    notes: Mapped[str] = mapped_column(Text, default="")
    search_key: Mapped[str] = mapped_column(Text, default="")
    registrations: Mapped[list[Registration]] = relationship(back_populates="session")


class Registration(Travelling, Base):
    __tablename__ = "registration"
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    invited_on: Mapped[date | None] = mapped_column(Date)
    registered_on: Mapped[date | None] = mapped_column(Date)
    waitlisted: Mapped[bool] = mapped_column(Boolean, default=False)
    attended: Mapped[bool] = mapped_column(Boolean, default=False)
    attestation_issued_on: Mapped[date | None] = mapped_column(Date)
    cancelled_on: Mapped[date | None] = mapped_column(Date)
    session: Mapped[TrainingSession] = relationship(back_populates="registrations")
    contact: Mapped[Contact] = relationship()


action_partner = Table(
    "action_partner", Base.metadata,
    Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
    Column("partner_id", ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True),
)
action_establishment = Table(
    "action_establishment", Base.metadata,
    Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
    Column("establishment_id", ForeignKey("establishment.id", ondelete="CASCADE"), primary_key=True),
)


class Action(Travelling, Base):
    """An action of the pole's yearly programme (axes 1, 2, 3)."""

    __tablename__ = "action"
    school_year: Mapped[str] = mapped_column(String(9), index=True)
    axis: Mapped[ActionAxis] = mapped_column(choice(ActionAxis))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ActionStatus] = mapped_column(choice(ActionStatus), default=ActionStatus.PLANNED)
    indicator: Mapped[str] = mapped_column(String(200), default="")   # an indicator key (data/indicators/catalog)
    # Added by 0006: the dates, the target, and the end-of-year bilan (values as the animateur writes them).
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    target: Mapped[str] = mapped_column(String(100), default="", server_default="")
    review: Mapped[ActionReview | None] = mapped_column(choice(ActionReview))
    review_result: Mapped[str] = mapped_column(Text, default="", server_default="")
    measured_value: Mapped[str] = mapped_column(String(100), default="", server_default="")
    partners: Mapped[list[Partner]] = relationship(secondary=action_partner)
    establishments: Mapped[list[Establishment]] = relationship(secondary=action_establishment)


class PlanningPeriod(Travelling, Base):
    """A period an establishment plans for one class: its pupils are out at partners from start to end."""

    __tablename__ = "planning_period"
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    formation_id: Mapped[int | None] = mapped_column(ForeignKey("formation.id"))
    division: Mapped[str] = mapped_column(String(40), default="")        # the class, e.g. "1re MCV A"
    audience: Mapped[Audience] = mapped_column(choice(Audience))
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date] = mapped_column(Date)
    pupils: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20), default="entered")  # entered, imported, proposed
    notes: Mapped[str] = mapped_column(Text, default="")
    establishment: Mapped[Establishment] = relationship()
    formation: Mapped[Formation | None] = relationship()


# The partner list in name order, live ones apart (migration 0011).
Index("ix_partner_live_order", Partner.deleted_at, Partner.search_key, Partner.id)
# Covering indexes for the partner list's per-partner counts (contacts, places offered, last visit).
Index("ix_contact_partner_live", Contact.partner_id, Contact.deleted_at)
Index("ix_hosting_offer_partner_live", HostingOffer.partner_id, HostingOffer.deleted_at, HostingOffer.places)
Index("ix_visit_partner_live", Visit.partner_id, Visit.deleted_at, Visit.visited_on)
# The partners with a live offer for an audience, read from the index alone by the ranking (migration 0012).
Index("ix_hosting_offer_audience", HostingOffer.audience, HostingOffer.deleted_at, HostingOffer.places,
      HostingOffer.partner_id)

class EquityCount(Travelling, Base):
    """A pole's escalations per school year, audience and outcome, with how many pupils had a disability or a PAI.

    The per-pupil health flags never leave the laptop (DOMAIN.md, Pupil data): these counts are what the
    coordinator's equity indicators receive instead. The pole recomputes them before each bundle.
    """

    __tablename__ = "equity_count"
    __table_args__ = (UniqueConstraint("owner", "school_year", "audience", "outcome"),)
    school_year: Mapped[str] = mapped_column(String(9))
    audience: Mapped[Audience] = mapped_column(choice(Audience))
    outcome: Mapped[EscalationStatus] = mapped_column(choice(EscalationStatus))
    escalations: Mapped[int] = mapped_column(Integer, default=0)
    with_disability: Mapped[int] = mapped_column(Integer, default=0)
    with_pai: Mapped[int] = mapped_column(Integer, default=0)


TRAVELLING_MODELS: tuple[type[Travelling], ...] = (
    Pole, Formation, Establishment, EstablishmentFormation, Partner, Contact, HostingOffer, Visit, Pupil,
    Escalation, EscalationEvent, Proposal, Placement, TimetableDay, Amendment, TrainingSession, Registration,
    Action, EquityCount, PlanningPeriod,
)

from poledesk.data import sync_tables  # noqa: F401, E402 (the sync bookkeeping tables belong to this metadata)
