"""The privacy sheet for the établissement's data-protection officer: what the store holds, how much, until when."""

from __future__ import annotations

from pathlib import Path

from poledesk.data.privacy import PrivacyReport
from poledesk.data.text import format_date
from poledesk.reports.style import (
    DocumentInfo,
    build_pdf,
    content_width,
    data_table,
    fields_table,
    para,
    section,
    styles,
    write_pdf_atomic,
)


def privacy_sheet_pdf(report: PrivacyReport, *, owner_title: str,
                      categories: list[tuple[str, str, str]]) -> bytes:
    width = content_width()
    groups = [(g.school_year, str(g.pupils), format_date(g.purge_on)) for g in report.groups]
    if report.pupils_with_open_periods:
        groups.append(("période en cours", str(report.pupils_with_open_periods), "quand elle sera terminée"))
    story = [
        para("Fiche de protection des données", styles().title),
        para(f"{owner_title} – état au {format_date(report.today)}", styles().subtitle),
        para("Pour le registre des activités de traitement de l'établissement et son délégué à la protection des "
             "données. Les données restent sur ce poste ; les paquets envoyés à la coordination ne portent qu'un "
             "pseudonyme par élève, sans nom, date de naissance, représentant ni indicateur de santé.",
             styles().justified),
        section("Données personnelles conservées"),
        data_table(("Personnes", "Données", "Durée de conservation"), categories,
                   (width * 0.22, width * 0.50, width * 0.28)),
        section("Volumes"),
        fields_table((("Élèves identifiés", f"{report.identified_pupils} (dont {report.minors} mineurs)"),
                      ("Élèves anonymisés", str(report.anonymised_pupils)),
                      ("Interlocuteurs des partenaires", str(report.contacts)),
                      ("Plus ancienne donnée d'élève", format_date(report.oldest_pupil_record)),
                      ("Plus ancien interlocuteur", format_date(report.oldest_contact_record))),
                     (width * 0.38, width * 0.62)),
        section("Calendrier d'anonymisation"),
        para(f"Délai réglé : le {report.purge_day} de l'année scolaire qui suit la dernière période de l'élève."),
        data_table(("Année scolaire", "Élèves", "Anonymisés le"), groups or [("—", "0", "—")],
                   (width * 0.4, width * 0.2, width * 0.4), right=(1,)),
        section("Sécurité"),
        fields_table((("Base", str(report.folder)),
                      ("Chiffrement", f"oui : SQLCipher 4, clé dérivée par {report.kdf}" if report.encrypted
                       else "non : la base est en clair"),
                      ("Sauvegardes", (f"{report.backups} dans {report.backups_folder} "
                                      f"({report.backups_encrypted} chiffrées)")),
                      ("Droits d'accès", ("dossier et fichiers lisibles par le seul compte de l'utilisateur "
                                         "(sous Windows : les droits du profil utilisateur)"))),
                     (width * 0.25, width * 0.75)),
    ]
    return build_pdf(story, DocumentInfo(title="Fiche de protection des données", header_left=owner_title,
                                         header_right="PoleDesk", footer_left=f"État au {format_date(report.today)}"))


def write_privacy_sheet(path: Path, report: PrivacyReport, *, owner_title: str,
                        categories: list[tuple[str, str, str]]) -> Path:
    write_pdf_atomic(path, privacy_sheet_pdf(report, owner_title=owner_title, categories=categories))
    return path
