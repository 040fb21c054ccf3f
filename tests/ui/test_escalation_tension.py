"""The escalation list and form warn when the period falls in a week in tension, and stop when it no longer does."""

from __future__ import annotations

from datetime import date

import pytest

from poledesk.data.enums import Audience, EscalationStatus, EstablishmentKind, PartnerStatus
from poledesk.data.models import Escalation, Establishment, Formation, HostingOffer, Partner, Pupil
from poledesk.data.planning import periods
from poledesk.ui.escalations_tab import EscalationsTab
from poledesk.ui.hub import ChangeHub


@pytest.fixture
def bassin(pole_store):
    """2 places all year, 5 pupils out 23/11 - 04/12/2026: both weeks over; an escalation from 30/11, one in
    January, one closed."""
    with pole_store.transaction() as session:
        commerce = Formation(code="BP-MCV", label="Bac pro commerce", audience=Audience.PFMP_BACPRO)
        lp = Establishment(uai="0540042C", name="LP Jean-Prouvé", kind=EstablishmentKind.LP, postcode="54000")
        bakery = Partner(name="Boulangerie Lefèvre", naf_code="47.24Z", status=PartnerStatus.ACTIVE)
        session.add_all([commerce, lp, bakery])
        session.flush()
        session.add(HostingOffer(partner_id=bakery.id, audience=Audience.PFMP_BACPRO, places=2, months=""))
        periods.save_period(session, periods.PeriodForm(lp.id, None, date(2026, 11, 23), date(2026, 12, 4), 5,
                                                        formation_id=commerce.id))
        ids = []
        for start, end, status in ((date(2026, 11, 30), date(2026, 12, 11), EscalationStatus.RECEIVED),
                                   (date(2027, 1, 11), date(2027, 1, 22), EscalationStatus.SEARCHING),
                                   (date(2026, 11, 23), date(2026, 12, 4), EscalationStatus.WITHDRAWN)):
            pupil = Pupil(establishment_id=lp.id, first_name="Inès", last_name="Zérouki", birth_date=date(2010, 3, 1))
            escalation = Escalation(establishment_id=lp.id, pupil=pupil, received_on=date(2026, 10, 1),
                                    audience=Audience.PFMP_BACPRO, formation_id=commerce.id, period_start=start,
                                    period_end=end, status=status)
            session.add(escalation)
            session.flush()
            ids.append(escalation.id)
    return pole_store, ids


@pytest.fixture
def tab(qtbot, bassin):
    store, _ids = bassin
    widget = EscalationsTab(store, hub=ChangeHub())
    qtbot.addWidget(widget)
    widget.closed_check.setChecked(True)
    widget.show()
    return widget


def start_texts(tab) -> dict[int, tuple[str, str]]:
    model = tab.table.model()
    found = {}
    for row in range(model.rowCount()):
        index = model.index(row, 1)
        found[index.data(tab.model.RowRole).id] = (index.data(), index.data(0x0003))   # display, tooltip
    return found


def test_the_list_marks_the_open_escalation_whose_period_is_in_tension(tab, bassin):
    _store, (warned, january, closed) = bassin
    starts = start_texts(tab)
    assert starts[warned][0] == "30/11/2026 ⚠"
    assert starts[warned][1].startswith("Période en une semaine en tension dans le bassin (semaine du 30/11/2026)")
    assert starts[january][0] == "11/01/2027" and "tension" not in (starts[january][1] or "")
    assert starts[closed][0] == "23/11/2026"                # closed: nothing left to search for


def test_the_form_warns_and_the_warning_goes_when_the_dates_leave_the_tension(qtbot, tab, bassin):
    _store, (warned, _january, _closed) = bassin
    tab.open_dialog(warned)
    dialog = tab.dialog
    qtbot.waitExposed(dialog)
    assert dialog.tension_label.isVisible()
    assert "semaine du 30/11/2026" in dialog.tension_label.text()
    dialog.start_edit.set_value(date(2027, 1, 11))
    dialog.end_edit.set_value(date(2027, 1, 22))
    assert not dialog.tension_label.isVisible()
    dialog.start_edit.set_value(date(2026, 11, 16))
    dialog.end_edit.set_value(date(2026, 11, 27))
    assert dialog.tension_label.isVisible() and "semaine du 23/11/2026" in dialog.tension_label.text()
    dialog.reject()
