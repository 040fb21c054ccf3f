"""The closed vocabularies of the domain (DOMAIN.md), with the French words the UI and documents show."""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A StrEnum whose members carry a French label (set in LABELS below each class)."""

    @property
    def label(self) -> str:
        return _LABELS[type(self)][self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


class Audience(Labelled):
    OBSERVATION_4E_3E = "observation_4e_3e"
    SECONDE_GT = "seconde_gt"
    PFMP_CAP = "pfmp_cap"
    PFMP_BACPRO = "pfmp_bacpro"
    STS = "sts"
    APPRENTICESHIP = "apprentissage"


class EstablishmentKind(Labelled):
    COLLEGE = "college"
    LP = "lp"
    LYCEE = "lycee"
    LPO = "lpo"
    SEP = "sep"
    EREA = "erea"
    CFA = "cfa"


class PriorityEducation(Labelled):
    NONE = "none"
    REP = "rep"
    REP_PLUS = "rep_plus"


class LegalKind(Labelled):
    COMPANY = "entreprise"
    ASSOCIATION = "association"
    ADMINISTRATION = "administration"
    LOCAL_AUTHORITY = "collectivite"
    PUBLIC_BODY = "etablissement_public"


class PartnerStatus(Labelled):
    PROSPECT = "prospect"
    ACTIVE = "active"
    PAUSED = "paused"
    DO_NOT_CONTACT = "do_not_contact"


class HeadcountBand(Labelled):
    MICRO = "0-9"
    SMALL = "10-49"
    MEDIUM = "50-249"
    LARGE = "250+"


class VisitKind(Labelled):
    VISIT = "visite"
    PHONE = "telephone"
    EMAIL = "courriel"
    FAIR = "salon"
    YOUTH_MEETING = "rencontre"


class EscalationStatus(Labelled):
    RECEIVED = "received"
    SEARCHING = "searching"
    PROPOSED = "proposed"
    PLACED = "placed"
    CLOSED_UNSOLVED = "closed_unsolved"
    WITHDRAWN = "withdrawn"


class ProposalAnswer(Labelled):
    WAITING = "waiting"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    NO_ANSWER = "no_answer"


class ConventionStatus(Labelled):
    DRAFT = "draft"
    PRINTED = "printed"
    SIGNED = "signed"
    SIGNED_OUTSIDE = "signed_outside"
    CANCELLED = "cancelled"


class TrainingStatus(Labelled):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class ActionAxis(Labelled):
    PATHWAYS = "1"
    PARTNERS = "2"
    QUALITY = "3"


class ActionStatus(Labelled):
    PLANNED = "planned"
    RUNNING = "running"
    DONE = "done"
    DROPPED = "dropped"


class ActionReview(Labelled):
    """The end-of-year bilan of an action."""

    DONE = "done"
    PARTLY = "partly"
    NOT_DONE = "not_done"


_LABELS: dict[type[Labelled], dict[Labelled, str]] = {
    Audience: {
        Audience.OBSERVATION_4E_3E: "Observation (4e, 3e)",
        Audience.SECONDE_GT: "Seconde générale et technologique",
        Audience.PFMP_CAP: "PFMP – CAP",
        Audience.PFMP_BACPRO: "PFMP – Bac pro",
        Audience.STS: "Stage de STS (BTS)",
        Audience.APPRENTICESHIP: "Apprentissage",
    },
    EstablishmentKind: {
        EstablishmentKind.COLLEGE: "Collège",
        EstablishmentKind.LP: "Lycée professionnel",
        EstablishmentKind.LYCEE: "Lycée général et technologique",
        EstablishmentKind.LPO: "Lycée polyvalent",
        EstablishmentKind.SEP: "Section d'enseignement professionnel",
        EstablishmentKind.EREA: "EREA",
        EstablishmentKind.CFA: "CFA",
    },
    PriorityEducation: {
        PriorityEducation.NONE: "Hors éducation prioritaire",
        PriorityEducation.REP: "REP",
        PriorityEducation.REP_PLUS: "REP+",
    },
    LegalKind: {
        LegalKind.COMPANY: "Entreprise",
        LegalKind.ASSOCIATION: "Association",
        LegalKind.ADMINISTRATION: "Administration",
        LegalKind.LOCAL_AUTHORITY: "Collectivité",
        LegalKind.PUBLIC_BODY: "Établissement public",
    },
    PartnerStatus: {
        PartnerStatus.PROSPECT: "Prospect",
        PartnerStatus.ACTIVE: "Actif",
        PartnerStatus.PAUSED: "En pause",
        PartnerStatus.DO_NOT_CONTACT: "Ne plus solliciter",
    },
    HeadcountBand: {
        HeadcountBand.MICRO: "0 à 9 salariés",
        HeadcountBand.SMALL: "10 à 49 salariés",
        HeadcountBand.MEDIUM: "50 à 249 salariés",
        HeadcountBand.LARGE: "250 salariés et plus",
    },
    VisitKind: {
        VisitKind.VISIT: "Visite",
        VisitKind.PHONE: "Téléphone",
        VisitKind.EMAIL: "Courriel",
        VisitKind.FAIR: "Salon",
        VisitKind.YOUTH_MEETING: "Rencontre jeunes-entreprises",
    },
    EscalationStatus: {
        EscalationStatus.RECEIVED: "Reçue",
        EscalationStatus.SEARCHING: "En recherche",
        EscalationStatus.PROPOSED: "Proposition faite",
        EscalationStatus.PLACED: "Placé",
        EscalationStatus.CLOSED_UNSOLVED: "Close sans solution",
        EscalationStatus.WITHDRAWN: "Retirée",
    },
    ProposalAnswer: {
        ProposalAnswer.WAITING: "En attente",
        ProposalAnswer.ACCEPTED: "Acceptée",
        ProposalAnswer.REFUSED: "Refusée",
        ProposalAnswer.NO_ANSWER: "Sans réponse",
    },
    ConventionStatus: {
        ConventionStatus.DRAFT: "Brouillon",
        ConventionStatus.PRINTED: "Imprimée",
        ConventionStatus.SIGNED: "Signée",
        ConventionStatus.SIGNED_OUTSIDE: "Signée hors PoleDesk",
        ConventionStatus.CANCELLED: "Annulée",
    },
    TrainingStatus: {
        TrainingStatus.PLANNED: "Prévue",
        TrainingStatus.HELD: "Tenue",
        TrainingStatus.CANCELLED: "Annulée",
    },
    ActionAxis: {
        ActionAxis.PATHWAYS: "Axe 1 – Sécurisation des parcours",
        ActionAxis.PARTNERS: "Axe 2 – Mobilisation des partenaires",
        ActionAxis.QUALITY: "Axe 3 – Démarche qualité",
    },
    ActionStatus: {
        ActionStatus.PLANNED: "Prévue",
        ActionStatus.RUNNING: "En cours",
        ActionStatus.DONE: "Réalisée",
        ActionStatus.DROPPED: "Abandonnée",
    },
    ActionReview: {
        ActionReview.DONE: "Réalisée",
        ActionReview.PARTLY: "Partiellement réalisée",
        ActionReview.NOT_DONE: "Non réalisée",
    },
}
