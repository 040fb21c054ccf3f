"""The columns a sheet can fill: the importable fields of partners and establishments, and the column mapping."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from poledesk.data.enums import EstablishmentKind, HeadcountBand, Labelled, LegalKind, PartnerStatus, PriorityEducation
from poledesk.data.spreadsheets.errors import SpreadsheetError
from poledesk.data.text import fold

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True, slots=True)
class ImportField:
    """A field an imported column can fill: its French label, the headers that mean it, how a cell is read."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    kind: str = "text"        # text, siret, postcode, phone, uai, enum, headcount, bool, date, int
    choices: type[Labelled] | None = None
    required: bool = False

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.label, *self.synonyms)


def header_key(text: str) -> str:
    """A header folded for matching: accents, case, spaces and punctuation ignored ('N° SIRET' -> 'nsiret')."""
    return _NOT_ALNUM.sub("", fold(text))


F = ImportField
PARTNER_FIELDS: tuple[ImportField, ...] = (
    F("name", "Nom", ("Raison sociale", "Entreprise", "Structure", "Nom de la structure", "Structure d'accueil",
                      "Nom de l'entreprise", "Partenaire", "Dénomination", "Organisme", "Employeur"), required=True),
    F("siret", "SIRET", ("N° SIRET", "Numéro SIRET", "No SIRET", "SIRET de l'établissement"), kind="siret"),
    F("naf_code", "Code NAF", ("NAF", "APE", "Code APE", "Code NAF (APE)", "NAF / APE", "Code NAF/APE")),
    F("legal_kind", "Forme juridique", ("Type", "Type de structure", "Catégorie juridique", "Statut juridique"),
      kind="enum", choices=LegalKind),
    F("headcount_band", "Tranche d'effectif", ("Tranche d'effectifs", "Effectif", "Effectifs", "Nombre de salariés"),
      kind="headcount", choices=HeadcountBand),
    F("address", "Adresse", ("Adresse postale", "Rue", "Voie")),
    F("postcode", "Code postal", ("CP", "Code Postal (CP)"), kind="postcode", required=True),
    F("commune", "Commune", ("Ville", "Localité"), required=True),
    F("phone", "Téléphone", ("Tél", "Tel", "Téléphone fixe", "Standard", "N° de téléphone"), kind="phone"),
    F("email", "Courriel", ("Email", "E-mail", "Mail", "Mél", "Adresse électronique", "Adresse mail")),
    F("sector", "Secteur", ("Secteur d'activité", "Activité", "Domaine d'activité", "Domaine", "Métier")),
    F("website", "Site web", ("Site internet", "Site", "Web", "URL")),
    F("status", "Statut", ("Statut du partenaire", "État", "Situation"), kind="enum", choices=PartnerStatus),
    F("status_reason", "Motif du statut", ("Motif", "Raison du statut")),
    F("representative_name", "Représentant", ("Représentant légal", "Nom du représentant", "Dirigeant", "Gérant",
                                              "Signataire")),
    F("representative_role", "Fonction du représentant", ("Qualité du représentant", "Fonction du signataire",
                                                          "Fonction du dirigeant")),
    F("insurer", "Assureur", ("Assurance", "Compagnie d'assurance")),
    F("accepts_disability", "Accueil handicap", ("Handicap", "Élèves en situation de handicap",
                                                 "Accueil d'élèves en situation de handicap"), kind="bool"),
    F("accepts_pai", "Accueil PAI", ("PAI", "Élèves avec PAI"), kind="bool"),
    F("min_age", "Âge minimum", ("Âge min", "Age minimum requis"), kind="int"),
    F("requires_protective_equipment", "Équipements de protection", ("EPI", "Équipement de protection"),
      kind="bool"),
    F("interview_first", "Entretien préalable", ("Entretien",), kind="bool"),
    F("tags", "Étiquettes", ("Mots-clés", "Tags", "Catégories")),
    F("notes", "Notes", ("Note", "Commentaire", "Commentaires", "Remarques", "Observations")),
    F("framework_start", "Convention-cadre : début", ("Début de la convention-cadre", "Début convention-cadre"),
      kind="date"),
    F("framework_end", "Convention-cadre : fin", ("Fin de la convention-cadre", "Fin convention-cadre"),
      kind="date"),
    F("contact_last_name", "Contact nom", ("Nom du contact", "Contact", "Interlocuteur", "Nom de l'interlocuteur",
                                           "Nom du tuteur", "Tuteur nom")),
    F("contact_first_name", "Contact prénom", ("Prénom du contact", "Prénom", "Prénom de l'interlocuteur",
                                               "Prénom du tuteur", "Tuteur prénom")),
    F("contact_role", "Contact fonction", ("Fonction du contact", "Fonction", "Fonction de l'interlocuteur",
                                           "Poste")),
    F("contact_phone", "Contact téléphone", ("Téléphone du contact", "Contact tél", "Tél contact", "Portable",
                                             "Téléphone de l'interlocuteur"), kind="phone"),
    F("contact_email", "Contact courriel", ("Courriel du contact", "Contact email", "Contact mail",
                                            "Email du contact", "Mail du contact", "Courriel de l'interlocuteur")),
    F("contact_is_tutor", "Tuteur (oui/non)", ("Tuteur", "Tutrice", "Tuteur ou tutrice", "Contact tuteur",
                                               "Est tuteur"), kind="bool"),
)
ESTABLISHMENT_FIELDS: tuple[ImportField, ...] = (
    F("uai", "UAI", ("Code UAI", "N° UAI", "RNE", "Code RNE"), kind="uai", required=True),
    F("name", "Nom", ("Établissement", "Nom de l'établissement", "Appellation officielle", "Dénomination"),
      required=True),
    F("kind", "Type", ("Type d'établissement", "Nature", "Catégorie"), kind="enum", choices=EstablishmentKind,
      required=True),
    F("address", "Adresse", ("Adresse postale", "Rue")),
    F("postcode", "Code postal", ("CP",), kind="postcode"),
    F("commune", "Commune", ("Ville", "Localité")),
    F("phone", "Téléphone", ("Tél", "Tel", "Standard"), kind="phone"),
    F("email", "Courriel", ("Email", "E-mail", "Mail", "Mél", "Adresse électronique")),
    F("head_name", "Chef d'établissement", ("Principal", "Proviseur", "Directeur", "Directrice",
                                            "Chef d'établissement (nom)")),
    F("referent_name", "Référent", ("Nom du référent", "DDFPT", "Référent nom", "Référent stages")),
    F("referent_role", "Fonction du référent", ("Référent fonction",)),
    F("referent_email", "Courriel du référent", ("Référent courriel", "Email du référent", "Mail du référent")),
    F("referent_phone", "Téléphone du référent", ("Référent téléphone", "Tél du référent"), kind="phone"),
    F("priority_education", "Éducation prioritaire", ("REP", "REP/REP+", "Réseau d'éducation prioritaire"),
      kind="enum", choices=PriorityEducation),
)
del F


def guess_mapping(headers: Sequence[str], fields: Sequence[ImportField] = PARTNER_FIELDS) -> dict[str, int]:
    """field key -> column index, from the headers' words; each column and each field used at most once,
    the first column winning, and columns that mean nothing we know left out."""
    by_header = {header_key(h): f.key for f in fields for h in f.headers}
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = by_header.get(header_key(header)) if header else None
        if key is not None and key not in mapping:
            mapping[key] = index
    return mapping


def resolve_mapping(headers: Sequence[str], wanted: Mapping[str, str | None] | None,
                    fields: Sequence[ImportField] = PARTNER_FIELDS) -> dict[str, int]:
    """The guessed mapping, corrected by `wanted` (field key -> header text, or None to leave a field out)."""
    mapping = guess_mapping(headers, fields)
    known = {f.key for f in fields}
    for key, header in (wanted or {}).items():
        if key not in known:
            raise SpreadsheetError(f"Champ inconnu « {key} » dans la correspondance ; champs possibles : "
                                   f"{', '.join(f.key for f in fields)}.")
        mapping.pop(key, None)
        if header is None:
            continue
        index = _column_of(headers, header)
        for other in [k for k, i in mapping.items() if i == index]:
            del mapping[other]
        mapping[key] = index
    return mapping


def _column_of(headers: Sequence[str], header: str) -> int:
    if header in headers:
        return headers.index(header)
    folded = [header_key(h) for h in headers]
    if header_key(header) and header_key(header) in folded:
        return folded.index(header_key(header))
    listed = ", ".join(f"« {h} »" for h in headers if h)
    raise SpreadsheetError(f"La colonne « {header} » n'existe pas dans la feuille ; colonnes : {listed}.")


def missing_fields(mapping: Mapping[str, int], fields: Sequence[ImportField] = PARTNER_FIELDS) -> list[ImportField]:
    """Required fields the mapping leaves without a column: the import cannot start until they have one."""
    return [f for f in fields if f.required and f.key not in mapping]
