"""The programme d'actions and its bilan as PDFs for the coordinator, laid out like the convention documents."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.platypus import Flowable

from poledesk.data.actions.programme import ActionRow
from poledesk.data.enums import ActionAxis, ActionReview
from poledesk.data.indicators.measures import IndicatorReport
from poledesk.data.text import format_date, plural
from poledesk.reports.style import (
    DocumentInfo,
    build_pdf,
    content_width,
    data_table,
    para,
    section,
    spacer,
    styles,
)
from poledesk.reports.typography import escape

HEADLINE_KEYS = ("places_ratio", "escalations_received", "escalations_solved_share", "partners_active", "visits",
                 "tutors_trained", "conventions_signed")


def _dates(row: ActionRow) -> str:
    if row.starts_on and row.ends_on and row.starts_on != row.ends_on:
        return f"du {format_date(row.starts_on)} au {format_date(row.ends_on)}"
    day = row.starts_on or row.ends_on
    return f"le {format_date(day)}" if day else "à dater"


def titled(title: str, text: str = "") -> Flowable:
    """A cell with a bold title and, under it, its text in small type."""
    markup = f"<b>{escape(title)}</b>"
    if text:
        markup += f'<br/><font size="7.8" color="#5A6470">{escape(text)}</font>'
    return para(markup, styles().cell, markup=True)


def _title_cell(row: ActionRow) -> Flowable:
    return titled(row.title, row.description)


def _involved(row: ActionRow) -> str:
    parts = []
    if row.establishments:
        parts.append("Établissements : " + ", ".join(row.establishments))
    if row.partners:
        parts.append("Partenaires : " + ", ".join(row.partners))
    return "\n".join(parts) or "—"


def _target(row: ActionRow) -> str:
    if not row.indicator:
        return "—"
    return f"{row.indicator_label} : {row.target}" if row.target else row.indicator_label


def _by_pole(actions: Sequence[ActionRow], poles: dict[str, str]) -> list[tuple[str, list[ActionRow]]]:
    owners = sorted({a.owner for a in actions})
    if len(owners) <= 1:
        return [("", list(actions))]
    return [(poles.get(owner, owner), [a for a in actions if a.owner == owner]) for owner in owners]


def programme_pdf(actions: Sequence[ActionRow], *, school_year: str, issuer: str, poles: dict[str, str],
                  today: date | None = None) -> bytes:
    """"Programme d'actions 2026-2027": the year's actions by axis (by pole first on the coordinator's store)."""
    today = today or date.today()
    st, width = styles(), content_width()
    story: list[Flowable] = [para(f"Programme d'actions {school_year}", st.title),
                             para(f"{issuer} – édité le {format_date(today)}", st.subtitle)]
    widths = [width * 0.36, width * 0.16, width * 0.26, width * 0.22]
    for pole, rows in _by_pole(actions, poles):
        if pole:
            story.append(para(pole, st.title))
        for axis in ActionAxis:
            chosen = [r for r in rows if r.axis == axis]
            story.append(section(axis.label))
            if not chosen:
                story.append(para("Aucune action prévue sur cet axe.", st.small))
                continue
            story.append(data_table(
                ["Action", "Dates", "Qui est associé", "Indicateur visé et cible"],
                [[_title_cell(r), f"{_dates(r)}\n{r.status.label}", _involved(r), _target(r)] for r in chosen],
                widths))
    if not actions:
        story.append(para("Aucune action n'est encore inscrite au programme de cette année.", st.body))
    return build_pdf(story, DocumentInfo(title=f"Programme d'actions {school_year}", header_left=issuer,
                                         header_right=f"Programme d'actions {school_year}",
                                         footer_left=f"Programme d'actions {school_year} – édité le "
                                                     f"{format_date(today)}", subject="Programme d'actions"))


def _review_text(row: ActionRow) -> str:
    return row.review.label if row.review else "Bilan non renseigné"


def _measured(row: ActionRow) -> str:
    if not row.indicator:
        return row.measured_value or "—"
    target = f"cible {row.target}" if row.target else "sans cible"
    measured = f"mesuré {row.measured_value}" if row.measured_value else "non mesuré"
    return f"{row.indicator_label} : {target}, {measured}"


def bilan_pdf(actions: Sequence[ActionRow], indicators: IndicatorReport, *, issuer: str, poles: dict[str, str],
              today: date | None = None) -> bytes:
    """"Bilan 2025-2026": what became of each action, and the year's key indicators against the year before."""
    today = today or date.today()
    year = indicators.school_year
    st, width = styles(), content_width()
    counts = {review: sum(1 for a in actions if a.review == review) for review in ActionReview}
    missing = sum(1 for a in actions if a.review is None)
    summary = ", ".join(f"{review.label.lower()} : {counts[review]}" for review in ActionReview)
    story: list[Flowable] = [para(f"Bilan {year}", st.title),
                             para(f"{issuer} – édité le {format_date(today)}", st.subtitle),
                             para(f"{plural(len(actions), 'action')} au programme ; {summary} ; "
                                  f"sans bilan : {missing}.",
                                  st.body)]
    widths = [width * 0.34, width * 0.16, width * 0.28, width * 0.22]
    for pole, rows in _by_pole(actions, poles):
        if pole:
            story.append(para(pole, st.title))
        for axis in ActionAxis:
            chosen = [r for r in rows if r.axis == axis]
            story.append(section(axis.label))
            if not chosen:
                story.append(para("Aucune action sur cet axe.", st.small))
                continue
            story.append(data_table(["Action", "Bilan", "Résultat", "Indicateur : cible et valeur mesurée"],
                                    [[_title_cell(r), _review_text(r), r.review_result or "—", _measured(r)]
                                     for r in chosen], widths))
    story += [spacer(4), section(f"Indicateurs clés : {year} et {indicators.previous_year}")]
    story.append(data_table(["Indicateur", year, indicators.previous_year],
                            [[indicators.get(k).label, indicators.get(k).text, indicators.get(k).previous_text]
                             for k in HEADLINE_KEYS], [width * 0.56, width * 0.22, width * 0.22], right=(1, 2)))
    return build_pdf(story, DocumentInfo(title=f"Bilan {year}", header_left=issuer, header_right=f"Bilan {year}",
                                         footer_left=f"Bilan du programme d'actions {year} – édité le "
                                                     f"{format_date(today)}", subject="Bilan du programme d'actions"))
