"""The Candidats panel: the phone to call on each row, and the sector and distance filters."""

from __future__ import annotations

from poledesk.data.escalations.matching import SAME_COMMUNE, SAME_DEPARTEMENT, Ranked
from poledesk.ui.candidates_panel import CandidatesPanel
from poledesk.ui.forms import select_data

RANKED = [
    Ranked(1, "Crèche Les Lutins", "Laxou", 92, 2, SAME_COMMUNE, ("propose la formation demandée",), km=2.8,
           sector="Q", contact="Inès Colin", phone="06 12 34 56 78"),
    Ranked(2, "Librairie du Point central", "Vandœuvre-lès-Nancy", 80, 1, SAME_COMMUNE, ("secteur : Commerce",),
           km=3.6, sector="G", phone="03 83 00 00 00"),
    Ranked(3, "Mairie de Toul", "Toul", 60, 3, SAME_DEPARTEMENT, ("secteur : Administration publique",), km=22.4,
           sector="O", contact="Paul Henry"),
    Ranked(4, "Hypermarché de Nancy", "Nancy", 55, 1, SAME_COMMUNE, ("même commune (Nancy)",), km=0.0, sector="G"),
]


def names(panel: CandidatesPanel) -> list[str]:
    return [c.name for c in panel.candidates()]


def test_each_row_says_whom_to_call_and_how_far(qtbot):
    panel = CandidatesPanel()
    qtbot.addWidget(panel)
    panel.show_candidates(RANKED, is_open=True)
    rows = [panel.list.item(row).text().replace("\u00a0", " ") for row in range(panel.list.count())]
    assert rows[0].startswith("1. Crèche Les Lutins – Laxou, à 2,8 km · score 92 · Appeler Inès Colin au 06 12 34 56 78")
    assert "Téléphone : 03 83 00 00 00" in rows[1]
    assert "Paul Henry : pas de téléphone connu" in rows[2]
    assert rows[3].startswith("4. Hypermarché de Nancy – Nancy · score 55 · Pas de téléphone connu")


def test_sector_and_distance_filters_narrow_the_list_and_say_what_they_hide(qtbot):
    panel = CandidatesPanel()
    qtbot.addWidget(panel)
    panel.show_candidates(RANKED, is_open=True)
    sectors = [panel.sector_combo.itemText(i) for i in range(panel.sector_combo.count())]
    assert sectors == ["Tous les secteurs", "Commerce ; réparation d'automobiles et de motocycles (2)",
                       "Administration publique (1)", "Santé humaine et action sociale (1)"]
    select_data(panel.sector_combo, "G")
    assert names(panel) == ["Librairie du Point central", "Hypermarché de Nancy"]
    assert "2 autres partenaires hors des filtres sont masqués" in panel.hint_label.text()
    assert panel.list.item(0).text().startswith("1. Librairie du Point central")   # ranks follow what is shown
    select_data(panel.distance_combo, 5)
    assert names(panel) == ["Librairie du Point central", "Hypermarché de Nancy"]
    select_data(panel.sector_combo, "O")
    assert names(panel) == [] and not panel.propose_button.isEnabled()
    assert panel.hint_label.text().startswith("Aucun candidat dans ce secteur ou à cette distance")
    select_data(panel.sector_combo, None)
    assert names(panel) == ["Crèche Les Lutins", "Librairie du Point central", "Hypermarché de Nancy"]
    panel.show_candidates(RANKED[:3], is_open=True)                   # a refresh keeps the filters
    assert panel.distance_combo.currentData() == 5 and names(panel) == ["Crèche Les Lutins",
                                                                         "Librairie du Point central"]
