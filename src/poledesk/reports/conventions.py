"""The convention PDFs: PFMP and observation conventions, their avenants and the attestation de stage.

The renderers are pure: a `ConventionDocument` (data/convention_document.py) in, the PDF's bytes out; they
neither read the store nor check the rules (reports/convention_files.py refuses what the rules block). The general
articles come from `convention_articles.load_articles()`: the shipped resources/conventions/articles.toml, which an
académie adjusts by putting its own conventions/articles.toml in the data folder (see that module).
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Table

from poledesk.data.conventions.document import AmendmentInfo, ConventionDocument, Person
from poledesk.data.conventions.rules import clock_text, hours_text, presence_minutes
from poledesk.data.placements.form import WEEKDAYS
from poledesk.data.text import format_date, plural, school_year_of
from poledesk.reports.convention_articles import Articles, TemplateText, load_articles
from poledesk.reports.style import (
    DocumentInfo,
    Signatory,
    build_pdf,
    content_width,
    data_table,
    fields_table,
    framed,
    para,
    section,
    signature_grid,
    spacer,
    styles,
)
from poledesk.reports.typography import escape

LABEL_WIDTH = 42 * mm
BLANK = "...................................................."


def render_convention(document: ConventionDocument, *, articles: Articles | None = None) -> bytes:
    """The whole convention: parties, general articles, annexe pédagogique, annexe financière, signatures."""
    text = _template(document, articles)
    story: list[Flowable] = [*_heading(document, text.title, text.subtitles.get(document.audience.value, ""))]
    story += [para(line, styles().small) for line in text.preamble_for(document.audience.value)]
    story += [spacer(2), para("Entre les soussignés :", styles().subsection), *_parties(document)]
    story.append(spacer(2))
    for number, article in enumerate(text.articles_for(document.audience.value), start=1):
        body = _article_body(article.text)
        heading = [para("Il a été convenu ce qui suit.", styles().subsection), section("Dispositions générales")
                   ] if number == 1 else []   # never alone at the foot of a page
        story.append(KeepTogether([*heading, para(f"Article {number} – {article.title}", styles().subsection),
                                   *body[:1]]))
        story += body[1:]
    story += [PageBreak(), *_pedagogical_annex(document, text), CondPageBreak(90 * mm), *_financial_annex(document)]
    story += [CondPageBreak(120 * mm), *_signatures(document)]
    return build_pdf(story, _info(document, f"Convention n° {document.reference}"))


def render_attestation(document: ConventionDocument, *, articles: Articles | None = None) -> bytes:
    """The attestation the host signs at the end of the period (D124-9): who, where, when, how long, what."""
    text, st, pupil, host = _template(document, articles), styles(), document.pupil, document.host
    kind = "séquence d'observation en milieu professionnel" if document.observation else (
        "période de formation en milieu professionnel")
    title = "Attestation de présence" if document.observation else "Attestation de stage"
    story: list[Flowable] = [*_heading(document, title, text.title)]
    signer = host.representative_name or BLANK
    story.append(para(
        f"{signer}, {_lower_first(host.representative_role) or 'qui représente'} "
        f"{'de ' if host.representative_role else ''}l'organisme d'accueil "
        f"« {host.name} »{_siret_text(document)}, atteste que l'élève désigné ci-dessous a effectué une {kind} "
        "au sein de cet organisme.", st.body))
    width = content_width()
    story += [spacer(2), fields_table([
        ("Élève", f"{pupil.last_name.upper()} {pupil.first_name}"),
        ("Date de naissance", format_date(pupil.birth_date)),
        ("Établissement", f"{document.school.name} (UAI {document.school.uai})"),
        ("Classe et formation", _join(pupil.class_name, pupil.formation)),
        ("Organisme d'accueil", _join(host.name, host.site or host.head_office)),
        ("Période", f"du {format_date(document.start_date)} au {format_date(document.end_date)}"),
        ("Durée effective totale", f"{_days_text(document.days)} de présence, soit {hours_text(document.total_minutes)}"
                                   " selon l'emploi du temps prévu"),
        ("Absences éventuelles", BLANK + " jours ; durée effective corrigée : " + BLANK[:24]),
        ("Activités réalisées", document.activities),
        ("Gratification", _attestation_gratification(document)),
    ], [LABEL_WIDTH, width - LABEL_WIDTH], blank=BLANK)]
    story += [spacer(3), para(text.attestation, st.small), spacer(4),
              para("Fait à ...................................................., "
                   "le ....../....../............", st.body),
              spacer(2)]
    host_signatory = Signatory("Le représentant de l'organisme d'accueil", host.representative_name,
                               _join(host.representative_role, host.name), mention="",
                               prompt="Signature et cachet de l'organisme d'accueil :")
    story += signature_grid([host_signatory], width * 0.55, columns=1, height_mm=30)
    return build_pdf(story, _info(document, f"{title} – convention n° {document.reference}"))


def render_amendment(document: ConventionDocument, amendment: AmendmentInfo, *,
                     articles: Articles | None = None) -> bytes:
    """The avenant: what changed (before → after), signed by the convention's signatories (D124-4)."""
    text, st, width = _template(document, articles), styles(), content_width()
    title = f"Avenant n° {amendment.number} à la convention n° {document.reference}"
    story: list[Flowable] = [*_heading(document, title, text.title)]
    pupil, host, school = document.pupil, document.host, document.school
    story += [para("Les parties à la convention désignée ci-dessous conviennent des modifications suivantes.",
                   st.justified), spacer(1), fields_table([
        ("Élève", f"{pupil.last_name.upper()} {pupil.first_name}, date de naissance\u00a0: "
                  f"{format_date(pupil.birth_date)}"),
        ("Établissement", f"{school.name} (UAI {school.uai})"),
        ("Organisme d'accueil", f"{host.name}{_siret_text(document)}"),
        ("Période (avenants compris)", f"du {format_date(document.start_date)} au "
                                       f"{format_date(document.end_date)}"),
        ("Avenant établi le", format_date(amendment.created_on)),
        ("Motif", amendment.reason),
    ], [LABEL_WIDTH, width - LABEL_WIDTH]), section("Modifications")]
    rows = [[change.label, change.before, change.after] for change in amendment.changes]
    story.append(data_table(["Élément modifié", "Avant", "Après"], rows or [["—", "—", "—"]],
                            [width * 0.28, width * 0.36, width * 0.36]))
    story += [spacer(2), para("Les autres dispositions de la convention et de ses annexes demeurent inchangées.",
                              st.body), CondPageBreak(100 * mm), *_signatures(document, columns=3)]
    return build_pdf(story, _info(document, title))


def _template(document: ConventionDocument, articles: Articles | None) -> TemplateText:
    return (articles or load_articles()).template(document.template)


def _info(document: ConventionDocument, title: str) -> DocumentInfo:
    return DocumentInfo(title=title, header_left=document.pole_name, header_right=document.school.name,
                        footer_left=f"{title} – {document.pupil.name} – éditée le {format_date(document.edited_on)}",
                        author=document.pole_name, subject=document.host.name)


def _heading(document: ConventionDocument, title: str, subtitle: str) -> list[Flowable]:
    st = styles()
    reference = (f"Convention n° {document.reference} – année scolaire {school_year_of(document.start_date)} – "
                 f"éditée le {format_date(document.edited_on)}")
    return [para(title, st.title), para(subtitle, st.subtitle) if subtitle else spacer(1),
            para(reference, st.small.clone("reference", alignment=1)), spacer(3)]


def _article_body(text: str) -> list[Flowable]:
    st = styles()
    bullet = st.justified.clone("bullet", leftIndent=10, bulletIndent=2, spaceAfter=1.5)
    flowables: list[Flowable] = []
    for block in text.split("\n\n"):
        for line in (line.strip() for line in block.splitlines() if line.strip()):
            if line.startswith("- "):
                flowables.append(para(f"<bullet>•</bullet>{escape(line[2:])}", bullet, markup=True))
            else:
                flowables.append(para(line, st.justified))
    return flowables


def _parties(document: ConventionDocument) -> list[Flowable]:
    host, school, pupil, width = document.host, document.school, document.pupil, content_width()
    inner = [LABEL_WIDTH, width - LABEL_WIDTH - 10]

    def box(title: str, pairs: list[tuple[str, str]]) -> Flowable:
        return KeepTogether([framed([fields_table(pairs, inner, blank=BLANK)], width, title=title), spacer(2)])

    activity = _join(host.naf_code, host.activity, sep=" – ")
    flowables = [box("L'organisme d'accueil", [
        ("Raison sociale", host.name), ("Forme juridique", host.legal_kind),
        ("SIRET", host.siret or ("Sans objet (association sans SIRET)" if host.legal_kind == "Association" else "")),
        ("Activité (code NAF)", activity), ("Siège", host.head_office),
        ("Lieu de la période", host.site or "Au siège, adresse ci-dessus"),
        ("Téléphone, courriel", _join(host.phone, host.email, sep=" – ")),
        ("Représenté par", _join(host.representative_name, host.representative_role, sep=", ")),
        ("Assureur (responsabilité civile)", host.insurer)]),
        box("L'établissement d'enseignement", [
            ("Nom", _join(school.name, f"({school.kind})", sep=" ")), ("UAI", school.uai), ("Adresse", school.address),
            ("Téléphone, courriel", _join(school.phone, school.email, sep=" – ")),
            ("Représenté par", _join(school.head_name, "chef d'établissement", sep=", "))]),
        box("L'élève", [
            ("Nom et prénom", f"{pupil.last_name.upper()} {pupil.first_name}".strip()),
            ("Date de naissance", format_date(pupil.birth_date) + (f" ({pupil.age} ans au début de la période)"
                                                                   if pupil.age is not None else "")),
            ("Classe", pupil.class_name),
            ("Formation suivie" if document.observation else "Diplôme ou formation préparés", pupil.formation)])]
    if pupil.minor:
        flowables.append(box("Son représentant légal (élève mineur)", [
            ("Nom et prénom", pupil.representative_name),
            ("Téléphone, courriel", _join(pupil.representative_phone, pupil.representative_email, sep=" – "))]))
    return flowables


def _pedagogical_annex(document: ConventionDocument, text: TemplateText) -> list[Flowable]:
    st, width, pupil, host = styles(), content_width(), document.pupil, document.host
    duration = f"{_days_text(document.days)} de présence, soit {hours_text(document.total_minutes)} au total"
    if document.holidays:
        duration += " (jours fériés exclus : " + ", ".join(format_date(d) for d in document.holidays) + ")"
    story: list[Flowable] = [para("Annexe pédagogique", styles().title), spacer(2), fields_table([
        ("Élève", f"{pupil.last_name.upper()} {pupil.first_name} – {_join(pupil.class_name, pupil.formation)}"),
        ("Organisme d'accueil", host.name), ("Lieu de la période", host.site or host.head_office),
        ("Dates", f"du {format_date(document.start_date)} au {format_date(document.end_date)}"),
        ("Durée totale", duration), ("Durée hebdomadaire", hours_text(document.weekly_minutes)),
    ] + [(f"Avenant n° {a.number}", f"établi le {format_date(a.created_on)} : " + "; ".join(
        f"{c.label.lower()} {c.before} → {c.after}" for c in a.changes)) for a in document.amendments],
        [LABEL_WIDTH, width - LABEL_WIDTH]), section("Emploi du temps hebdomadaire")]
    rows = [[WEEKDAYS[slot.weekday], clock_text(slot.start),
             f"{clock_text(slot.break_start)} – {clock_text(slot.break_end)}" if slot.break_start and slot.break_end
             else "—", clock_text(slot.end), hours_text(presence_minutes(slot))] for slot in document.timetable]
    story.append(data_table(["Jour", "Arrivée", "Pause", "Départ", "Présence"], rows,
                            [width * 0.24, width * 0.17, width * 0.25, width * 0.17, width * 0.17], right=(4,),
                            footer=["Total hebdomadaire", "", "", "", hours_text(document.weekly_minutes)]))
    story += [para("Jours non mentionnés : pas de présence dans l'organisme.", st.small),
              section("Encadrement"), _people(document),
              section("Activités confiées"), para(document.activities or BLANK, st.justified),
              section("Compétences visées" if not document.observation else "Objectifs de la séquence"),
              para(document.skills or BLANK, st.justified),
              section("Suivi et évaluation"), *_article_body(text.follow_up)]
    return story


def _people(document: ConventionDocument) -> Table:
    """Tutor and referent side by side, one line per detail, so that both columns keep the same height."""
    width = content_width()
    tutor, referent = document.tutor or Person(""), document.referent
    referent_title = "Le professeur référent" if document.observation else "L'enseignant référent"
    rows = [[label, getattr(tutor, name) or BLANK[:30], getattr(referent, name) or BLANK[:30]]
            for label, name in (("Nom", "name"), ("Fonction", "role"), ("Téléphone", "phone"), ("Courriel", "email"))]
    column = (width - 28 * mm) / 2
    return data_table(["", "Le tuteur", referent_title], rows, [28 * mm, column, column])


def _financial_annex(document: ConventionDocument) -> list[Flowable]:
    width, host = content_width(), document.host
    insurance = (f"Responsabilité civile de l'organisme d'accueil : {host.insurer or BLANK}. Responsabilité "
                 "civile de l'élève : assurance de l'établissement (voir les dispositions générales).")
    if document.observation:
        gratification = "Aucune : la séquence d'observation ne donne lieu à aucune rémunération ni gratification."
    elif document.gratification_due:
        gratification = (f"{document.gratification or BLANK} (due : plus de deux mois de présence chez cet "
                         "organisme au cours de l'année scolaire, article L. 124-6 du code de l'éducation).")
    else:
        gratification = document.gratification or "Non due : présence de deux mois au plus chez cet organisme."
    rows = [["Restauration", document.meals or BLANK], ["Transport", document.transport or BLANK],
            ["Hébergement", document.accommodation or BLANK], ["Assurances", insurance],
            ["Gratification", gratification]]
    return [para("Annexe financière", styles().title), spacer(2),
            data_table(["Rubrique", "Modalités et prise en charge"], rows, [LABEL_WIDTH, width - LABEL_WIDTH])]


def _signatories(document: ConventionDocument) -> list[Signatory]:
    host, school, pupil = document.host, document.school, document.pupil
    signatories = [
        Signatory("Le chef d'établissement", school.head_name, school.name),
        Signatory("Le représentant de l'organisme d'accueil", host.representative_name,
                  _join(host.representative_role, host.name)),
        Signatory("L'élève", pupil.name)]
    if pupil.minor:
        signatories.append(Signatory("Le représentant légal de l'élève", pupil.representative_name))
    referent = "Le professeur référent" if document.observation else "L'enseignant référent"
    signatories.append(Signatory(referent, document.referent.name, school.name))
    tutor = document.tutor or Person("")
    signatories.append(Signatory("Le tuteur", tutor.name, _join(tutor.role, host.name)))
    return signatories


def _signatures(document: ConventionDocument, *, columns: int = 2) -> list[Flowable]:
    st = styles()
    return [section("Signatures"),
            para("Fait en trois exemplaires originaux (établissement, organisme d'accueil, élève), à "
                 "...................................................., le ....../....../............", st.body),
            spacer(2), *signature_grid(_signatories(document), content_width(), columns=columns, height_mm=22)]


def _attestation_gratification(document: ConventionDocument) -> str:
    if document.observation:
        return "Sans objet (séquence d'observation)."
    if document.gratification_due:
        return f"Montant total versé : {BLANK[:20]} € ({document.gratification or 'voir l’annexe financière'})."
    return "Aucune gratification due (durée de deux mois au plus) ; montant versé le cas échéant : " + BLANK[:20] + " €"


def _siret_text(document: ConventionDocument) -> str:
    return f" (SIRET {document.host.siret})" if document.host.siret else ""


def _days_text(days: int) -> str:
    return plural(days, "jour")


def _lower_first(text: str) -> str:
    """'Directeur général' -> 'directeur général' in a sentence; 'DRH' stays."""
    text = text.strip()
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def _join(*parts: str, sep: str = " – ") -> str:
    return sep.join(p.strip() for p in parts if p and p.strip())


__all__ = ("render_amendment", "render_attestation", "render_convention")
