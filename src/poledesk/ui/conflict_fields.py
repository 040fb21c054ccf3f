"""The French names of the fields a bundle record carries, as the Conflits panel shows them, in the model's order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DELETED = "deleted_at"   # not a field: the record's tombstone, compared with the fields

FIELD_LABELS: dict[str, str] = {
    "academie": "Académie", "accepts_disability": "Accueille des élèves en situation de handicap",
    "accepts_pai": "Accueille des élèves avec un PAI", "address": "Adresse", "animator_name": "Animateur ou animatrice",
    "answer": "Réponse", "answered_on": "Répondu le", "asked_by_role": "Fonction du demandeur", "at": "Date",
    "attended": "Présent", "attestation_issued_on": "Attestation délivrée le", "audience": "Public",
    "axis": "Axe", "bassin": "Bassin", "break_end": "Fin de la pause", "break_start": "Début de la pause",
    "cancelled_on": "Annulée le", "capacity": "Places", "channel": "Canal", "closed_on": "Close le",
    "code": "Code", "commune": "Commune", "consents_to_contact": "Accepte d'être contacté",
    "contact_uid": "Contact", "contacted_on": "Contacté le", "convention_status": "État de la convention",
    "created_on": "Créée le", "description": "Description", "email": "Courriel", "end": "Fin",
    "end_date": "Date de fin", "end_time": "Heure de fin", "escalation_uid": "Sollicitation",
    "establishment_uid": "Établissement", "establishments": "Établissements", "family_business": "Entreprise familiale",
    "first_name": "Prénom", "formation_uid": "Formation", "framework_end": "Fin de la convention-cadre",
    "framework_start": "Début de la convention-cadre", "from_status": "Statut de départ",
    "has_disability": "Situation de handicap", "has_pai": "PAI", "head_name": "Chef d'établissement",
    "headcount_band": "Tranche d'effectif", "indicator": "Indicateur", "insurer": "Assureur",
    "interview_first": "Entretien préalable", "invited_on": "Invité le", "is_minor": "Mineur pendant la période",
    "is_tutor": "Tuteur", "kind": "Type", "label": "Intitulé", "last_confirmed_on": "Dernière confirmation le",
    "last_name": "Nom", "legal_kind": "Forme juridique", "max_requests_per_month": "Demandes par mois au plus",
    "min_age": "Âge minimum", "mobility_radius_km": "Rayon de mobilité (km)", "months": "Mois",
    "naf_code": "Code NAF", "name": "Nom", "needs_accessibility": "Besoin d'accessibilité",
    "needs_pai": "Besoin d'un PAI", "next_action": "Prochaine action", "next_action_done_on": "Action faite le",
    "next_action_due": "Prochaine action le", "notes": "Notes", "number": "Numéro", "outcome": "Issue",
    "partner_uid": "Partenaire", "partners": "Partenaires", "period_end": "Fin de la période",
    "period_start": "Début de la période", "pfmp_weeks": "Semaines de PFMP", "phone": "Téléphone",
    "place": "Lieu", "placement_uid": "Stage", "places": "Places", "postcode": "Code postal",
    "printed_on": "Imprimée le", "priority_education": "Éducation prioritaire", "pseudonym": "Pseudonyme",
    "pupil_uid": "Élève", "pupils": "Élèves", "purged_at": "Purgé le", "received_on": "Reçue le",
    "referent_email": "Courriel du référent", "referent_name": "Référent", "referent_phone": "Téléphone du référent",
    "referent_role": "Fonction du référent", "registered_on": "Inscrit le", "representative_name": "Représentant",
    "representative_role": "Fonction du représentant", "requires_protective_equipment": "Équipement de protection",
    "reserved_to": "Réservée à", "role": "Fonction", "school_year": "Année scolaire", "sector": "Secteur",
    "session_date": "Date de la session", "session_uid": "Session", "signed_copy_sha256": "Copie signée",
    "signed_on": "Signée le", "siret": "SIRET", "site_address": "Adresse du lieu de stage", "start": "Début",
    "start_date": "Date de début", "start_time": "Heure de début", "status": "Statut",
    "status_reason": "Motif du statut", "summary": "Compte rendu", "tags": "Étiquettes", "theme": "Thème",
    "title": "Titre", "to_status": "Nouveau statut", "trainer": "Formateur", "tutor_uid": "Tuteur",
    "uai": "UAI", "visited_on": "Visité le", "waitlisted": "Liste d'attente", "website": "Site web",
    "wished_sectors": "Secteurs souhaités",
    "weekday": "Jour", "weeks": "Semaines", "who": "Qui",
    DELETED: "Supprimé",
}
TABLE_LABELS: dict[tuple[str, str], str] = {   # where the general word would mislead
    ("contact", "role"): "Fonction dans la structure",
    ("establishment_formation", "pupils"): "Élèves inscrits",
    ("training_session", "capacity"): "Places",
}


def field_label(table: str, key: str) -> str:
    """The French name of a record's field; an unknown key is shown as written, not hidden."""
    return TABLE_LABELS.get((table, key)) or FIELD_LABELS.get(key) or key.replace("_", " ").capitalize()


def ordered_keys(table: str, *versions: Mapping[str, Any]) -> list[str]:
    """The fields of the versions, in the model's column order (then any other key, sorted)."""
    from poledesk.sync.records import SPECS

    present = set().union(*versions)
    spec = SPECS.get(table)
    order = [f.key for f in spec.fields] + [link.key for link in spec.links] if spec is not None else []
    return [key for key in order if key in present] + sorted(present - set(order))
