"""The indicators' PDF summary: the académie's (or the pole's) figures against last year, then the map of poles."""

from __future__ import annotations

from datetime import date

from reportlab.platypus import Flowable

from poledesk.data.indicators.academy import AcademyReport, MapRow, academy_map
from poledesk.data.indicators.catalog import FAMILIES
from poledesk.data.indicators.measures import NOT_FILLED, format_measure, format_number
from poledesk.data.text import format_date
from poledesk.reports.programme import titled
from poledesk.reports.style import Cell, DocumentInfo, build_pdf, content_width, data_table, para, section, styles


def indicator_summary_pdf(report: AcademyReport, *, issuer: str, today: date | None = None) -> bytes:
    """One table per family (indicator, this year, last year), the definitions in small type, the map of poles."""
    today = today or date.today()
    st, width = styles(), content_width()
    academy = report.academy
    title = f"Indicateurs {report.school_year}"
    story: list[Flowable] = [para(title, st.title), para(f"{issuer} – édité le {format_date(today)}", st.subtitle)]
    for family, label in FAMILIES.items():
        story.append(section(label))
        lines: list[list[Cell]] = [[titled(i.label, i.definition), i.text, i.previous_text]
                                   for i in academy.family(family)]
        story.append(data_table(["Indicateur", report.school_year, academy.previous_year], lines,
                                [width * 0.6, width * 0.2, width * 0.2], right=(1, 2)))
    if len(report.poles) > 1:
        story.append(section("Carte de l'académie"))
        rows, total = academy_map(report)

        def line(r: MapRow) -> list[str]:
            pupils = NOT_FILLED if r.pupils.value is None else format_number(r.pupils.value)
            return [r.code or r.name, r.bassin, format_number(r.establishments), pupils, format_number(r.partners),
                    format_number(r.places), format_measure("ratio", r.ratio)]

        story.append(data_table(["Pôle", "Bassin", "Établ.", "Élèves", "Partenaires", "Places", "Places / élève"],
                                [line(r) for r in rows],
                                [width * f for f in (0.1, 0.26, 0.1, 0.13, 0.14, 0.12, 0.15)],
                                right=(2, 3, 4, 5, 6), footer=line(total)))
    return build_pdf(story, DocumentInfo(title=title, header_left=issuer, header_right=title,
                                         footer_left=f"{title} – édité le {format_date(today)}",
                                         subject="Indicateurs des pôles de stages"))
