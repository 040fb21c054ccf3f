"""Every indicator's key, family, label, French definition, kind and the records it lists."""

from __future__ import annotations

from dataclasses import dataclass

from poledesk.data.enums import Audience, LegalKind

FAMILIES = {
    "places": "Offres et élèves du bassin",
    "escalations": "Sollicitations",
    "partners": "Réseau de partenaires",
    "trainings": "Formation des tuteurs",
    "conventions": "Conventions",
    "equity": "Équité",
}


@dataclass(frozen=True, slots=True)
class Entry:
    family: str
    label: str
    definition: str
    kind: str          # count, ratio, share, days
    table: str


def _places_entries() -> dict[str, Entry]:
    entries = {
        "places_ratio": Entry("places", "Places offertes par élève à placer",
                              "Places des offres d'accueil en vigueur pendant l'année, divisées par les élèves des "
                              "établissements du bassin qui doivent faire un stage cette année.",
                              "ratio", "hosting_offer"),
        "places": Entry("places", "Places offertes",
                        "Somme des places des offres d'accueil confirmées ou saisies avant la fin de l'année et "
                        "non supprimées avant son début.", "count", "hosting_offer"),
        "pupils": Entry("places", "Élèves à placer",
                        "Élèves des établissements du bassin inscrits cette année dans une formation qui comporte "
                        "un stage (effectifs saisis par formation).", "count", "establishment"),
        "schools_without_counts": Entry("places", "Établissements sans effectifs",
                                        "Établissements du bassin dont aucun effectif n'est saisi pour l'année : "
                                        "leurs élèves manquent au dénominateur.", "count", "establishment"),
    }
    for audience in Audience:
        entries[f"places_ratio:{audience.value}"] = Entry(
            "places", f"Places par élève – {audience.label}",
            f"Places offertes au public « {audience.label} », divisées par les élèves de ce public à placer "
            "cette année.", "ratio", "hosting_offer")
    return entries


ENTRIES: dict[str, Entry] = {
    **_places_entries(),
    "escalations_received": Entry("escalations", "Sollicitations reçues",
                                  "Demandes d'appui reçues pendant l'année, retirées comprises.", "count",
                                  "escalation"),
    "escalations_solved": Entry("escalations", "Sollicitations résolues",
                                "Sollicitations de l'année qui ont abouti à un stage.", "count", "escalation"),
    "escalations_open": Entry("escalations", "Sollicitations en cours",
                              "Sollicitations de l'année encore reçues, en recherche ou avec une proposition.",
                              "count", "escalation"),
    "escalations_unsolved": Entry("escalations", "Sollicitations sans solution",
                                  "Sollicitations de l'année closes sans stage trouvé.", "count", "escalation"),
    "escalations_withdrawn": Entry("escalations", "Sollicitations retirées",
                                   "Sollicitations de l'année retirées par l'établissement : elles ne comptent pas "
                                   "dans la part résolue.", "count", "escalation"),
    "escalations_solved_share": Entry("escalations", "Part des sollicitations résolues",
                                      "Sollicitations résolues divisées par les sollicitations reçues moins les "
                                      "retirées.", "share", "escalation"),
    "escalations_median_days": Entry("escalations", "Délai médian de placement",
                                     "Nombre médian de jours entre la réception d'une sollicitation et le stage "
                                     "trouvé.", "days", "escalation"),
    "unplaced_15_days": Entry("escalations", "Élèves sans stage à J-15",
                              "Sollicitations non retirées dont l'élève n'avait pas de stage 15 jours avant le début "
                              "de sa période (date déjà passée).", "count", "escalation"),
    "unplaced_0_days": Entry("escalations", "Élèves sans stage le jour J",
                             "Sollicitations non retirées dont l'élève n'avait pas de stage le premier jour de sa "
                             "période (date déjà passée).", "count", "escalation"),
    "partners_active": Entry("partners", "Partenaires actifs",
                             "Partenaires au statut actif qui n'ont pas été supprimés avant la fin de l'année.",
                             "count", "partner"),
    **{f"partners_active:{kind.value}": Entry("partners", f"Partenaires actifs – {kind.label}",
                                              f"Partenaires actifs de la forme « {kind.label} ».", "count", "partner")
       for kind in LegalKind},
    "partners_new": Entry("partners", "Nouveaux partenaires",
                          "Partenaires saisis pendant l'année.", "count", "partner"),
    "partners_lapsed": Entry("partners", "Partenaires perdus",
                             "Partenaires supprimés pendant l'année, ou mis en pause ou à ne plus contacter par une "
                             "modification de l'année.", "count", "partner"),
    "visits": Entry("partners", "Visites et échanges",
                    "Visites, appels et rencontres avec les partenaires datés de l'année.", "count", "visit"),
    "framework_agreements": Entry("partners", "Conventions-cadres",
                                  "Partenaires dont la convention-cadre est en vigueur un jour de l'année.", "count",
                                  "partner"),
    "training_sessions_held": Entry("trainings", "Sessions tenues",
                                    "Sessions de formation des tuteurs de l'année marquées comme tenues.", "count",
                                    "training_session"),
    "tutors_trained": Entry("trainings", "Tuteurs formés",
                            "Tuteurs différents présents à au moins une session tenue dans l'année.", "count",
                            "contact"),
    "attendance_rate": Entry("trainings", "Taux de présence",
                             "Présents divisés par les inscrits (hors liste d'attente) des sessions tenues dans "
                             "l'année.", "share", "training_session"),
    "placements": Entry("conventions", "Stages de l'année",
                        "Stages non annulés qui commencent pendant l'année (un stage à cheval sur deux années compte "
                        "dans celle de son début).", "count", "placement"),
    "conventions_printed": Entry("conventions", "Conventions imprimées",
                                 "Conventions imprimées pour la première fois pendant l'année.", "count", "placement"),
    "conventions_signed": Entry("conventions", "Conventions signées",
                                "Conventions signées (ou signées hors PoleDesk) pendant l'année.", "count",
                                "placement"),
}
