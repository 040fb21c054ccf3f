"""The Échanges menu and the Coordination tab: cards, bundles from a pole window to a coordinator window, conflicts."""

from __future__ import annotations

import hashlib
import time
from datetime import date
from datetime import time as clock_time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlalchemy import select

from poledesk.data import identity
from poledesk.data.clock import Hlc
from poledesk.data.db import Store, open_store
from poledesk.data.models import Base, Partner, TrainingSession
from poledesk.data.sync_tables import Peer, SyncConflict
from poledesk.sync import exchange, keys, merge, peers
from poledesk.sync.errors import BundleError
from poledesk.sync.records import SPECS, parse_record
from poledesk.sync.snapshot import UidIndex, read_records

LEFT = Qt.MouseButton.LeftButton
TODAY = f"{date.today():%Y-%m-%d}"
WORKER_MS = 30_000
SHARED_SESSION = "La sécurité des jeunes en atelier"


# -- installs ------------------------------------------------------------------------------------------------------
def new_pole(folder: Path, code: str) -> Store:
    store = open_store(folder)
    with store.transaction() as session:
        identity.init_pole(session, code, name=f"Pôle de stages {code}", bassin="Bassin", academie="Nancy-Metz")
    store.set_owner(code)
    return store


@pytest.fixture
def coordinator(tmp_path: Path):
    store = open_store(tmp_path / "coordination")
    with store.transaction() as session:
        ident = identity.init_coordinator(session, "Nancy-Metz")
    store.set_owner(ident.code)
    yield store
    store.close()


def card_of(store: Store) -> bytes:
    with store.session() as session:
        return keys.make_card(identity.current_identity(session), keys.ensure_keys(store.folder))


def pin(holder: Store, other: Store, *, verify: bool = True) -> None:
    """As sync_support.pin: `holder` imports `other`'s card and, the code read by phone, verifies it."""
    own = keys.ensure_keys(holder.folder)
    with holder.transaction() as session:
        imported = peers.import_card(session, card_of(other), keys=own)
        if verify:
            peers.verify_peer(session, imported.peer.code, keys=own, code_read=imported.peer.verification_code)


@pytest.fixture
def pole(small_store: Store, coordinator: Store) -> Store:
    """The small NM-07 pole (five partners), paired with the coordinator: cards exchanged and verified."""
    pin(small_store, coordinator)
    pin(coordinator, small_store)
    return small_store


def store_digest(store: Store) -> str:
    """Every row of every table: equal means nothing changed."""
    digest = hashlib.sha256()
    with store.session() as session:
        for name, table in sorted(Base.metadata.tables.items()):
            rows = session.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest.update(name.encode() + repr([tuple(row) for row in rows]).encode())
    return digest.hexdigest()


def export(sender: Store, recipient_code: str, path: Path) -> Path:
    exchange.export_bundle(sender, recipient_code, keys=keys.ensure_keys(sender.folder), out=path)
    return path


def load(store: Store, path: Path) -> exchange.ImportResult:
    return exchange.import_bundle(store, path, keys=keys.ensure_keys(store.folder))


def save_to(monkeypatch, target: Path, asked: list[str] | None = None) -> None:
    def choose(_parent, _caption, suggested, selected_filter):
        if asked is not None:
            asked.append(Path(suggested).name)
        return str(target), selected_filter
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))


def open_file(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *_args: (str(path), "")))


def tamper(path: Path) -> Path:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = path.with_name(f"abime-{path.name}")
    tampered.write_bytes(bytes(data))
    return tampered


# -- bundles between the windows ---------------------------------------------------------------------------------
def test_a_pole_bundle_is_prepared_then_imported_and_the_coordination_tab_lists_the_pole(
        pole, coordinator, open_window, qtbot, tmp_path, monkeypatch):
    pole_window = open_window(pole)
    assert pole_window.coordination_tab is None
    target, asked = tmp_path / "cle-usb" / "paquet.poledesk", []
    target.parent.mkdir()
    save_to(monkeypatch, target, asked)
    pole_window.exchanges.prepare_bundles_action.trigger()
    transfers = pole_window.exchanges.transfers
    dialog = transfers.export_dialog
    assert dialog.isVisible() and dialog.save_button.isEnabled() and not dialog.full_check.isChecked()
    assert "contiendra tout (aucun paquet accusé" in dialog.peers_list.item(0).text()
    with qtbot.waitSignal(transfers.exported, timeout=WORKER_MS):
        qtbot.mouseClick(dialog.save_button, LEFT)
    assert asked == [f"NM-07-vers-coordination-{TODAY}.poledesk"]
    banner = pole_window.banner                            # said in the banner, with the folder to open
    assert banner.isVisible()
    assert banner.text_label.text().startswith("Paquet n° 1 (complet) pour « COORD-NANCY-METZ » écrit")
    assert "5 partenaires" in banner.details_label.text()
    assert [b.text() for b in banner.step_buttons] == ["Ouvrir le dossier"]
    assert target.exists()

    coordinator_window = open_window(coordinator)
    imports = coordinator_window.exchanges.transfers
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *_args: ([str(target)], "")))
    with qtbot.waitSignal(imports.imported, timeout=WORKER_MS):
        coordinator_window.exchanges.import_bundles_action.trigger()
    results = imports.results_dialog
    assert results.isVisible() and results.summary_label.text().startswith("1 paquet : 1 importé")
    code, outcome, detail, file_name = results.row_texts(0)
    assert (code, outcome, file_name) == ("NM-07", "Importé", "paquet.poledesk")
    assert "Paquet n° 1 de « NM-07 » importé" in detail and "Reçu : " in detail and "5 partenaires" in detail

    tab = coordinator_window.coordination_tab
    coordinator_window.tabs.setCurrentWidget(tab)
    assert coordinator_window.tabs.tabText(coordinator_window.tabs.currentIndex()) == "Coordination"
    [row] = tab.poles_proxy.shown_rows()
    assert (row.code, row.state, row.last_sequence_received) == ("NM-07", "vérifié", 1)
    assert row.counts["partner"] == 5 and row.counts["contact"] == 1
    headers = [tab.poles_model.headerData(c, Qt.Orientation.Horizontal) for c in range(tab.poles_model.columnCount())]
    assert tab.poles_proxy.index(0, headers.index("Partenaires")).data() == "5"
    assert tab.select_pole("NM-07")
    assert tab.pole_detail.value("Enregistrements", "Partenaires") == "5"
    assert tab.summary_label.text().startswith("1 pôle, dont 1 vérifié")
    with coordinator.session() as session:
        assert session.scalar(select(Peer.last_sequence_received).where(Peer.code == "NM-07")) == 1


def test_the_coordinator_imports_several_poles_at_once_and_groups_their_shared_sirets(
        pole, coordinator, open_window, qtbot, tmp_path, monkeypatch):
    other = new_pole(tmp_path / "nm08", "NM-08")
    try:
        with other.transaction() as session:   # the same firm as NM-07's bakery, under another name
            session.add(Partner(name="Boulangerie Lefèvre et fils", siret="73282932000074", postcode="88000",
                                commune="Épinal"))
        pin(other, coordinator)
        pin(coordinator, other)
        files = [export(pole, "COORD-NANCY-METZ", tmp_path / "NM-07.poledesk"),
                 export(other, "COORD-NANCY-METZ", tmp_path / "NM-08.poledesk")]
        window = open_window(coordinator)
        transfers = window.exchanges.transfers
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *_a: ([str(f) for f in files], "")))
        with qtbot.waitSignal(transfers.imported, timeout=WORKER_MS):
            window.exchanges.import_bundles_action.trigger()
        rows = [transfers.results_dialog.row_texts(r) for r in range(2)]
        assert [(r[0], r[1]) for r in rows] == [("NM-07", "Importé"), ("NM-08", "Importé")]
        tab = window.coordination_tab
        window.tabs.setCurrentWidget(tab)
        assert [p.code for p in tab.poles_proxy.shown_rows()] == ["NM-07", "NM-08"]
        assert tab.shared_tree.topLevelItemCount() == 1
        group = tab.shared_tree.topLevelItem(0)
        assert group.text(0) == "732 829 320 00074" and group.text(1) == "2 pôles : NM-07, NM-08"
        assert sorted((group.child(i).text(1), group.child(i).text(2)) for i in range(group.childCount())) == [
            ("NM-07", "Boulangerie Lefèvre"), ("NM-08", "Boulangerie Lefèvre et fils")]

        folder = tmp_path / "envois"
        folder.mkdir()
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *_args: str(folder)))
        window.exchanges.prepare_bundles_action.trigger()
        dialog = transfers.export_dialog
        assert dialog.chosen_codes == ["NM-07", "NM-08"]
        with qtbot.waitSignal(transfers.exported, timeout=WORKER_MS):
            qtbot.mouseClick(dialog.save_button, LEFT)
        written = [transfers.results_dialog.row_texts(r) for r in range(2)]
        assert [(r[0], r[1]) for r in written] == [("NM-07", "Écrit"), ("NM-08", "Écrit")]
        assert written[0][2] == "Paquet n° 1 (complet) : 1 pôle, 1 partenaire."   # the directory: NM-08 for NM-07
        assert sorted(p.name for p in folder.iterdir()) == [f"coordination-vers-NM-07-{TODAY}.poledesk",
                                                            f"coordination-vers-NM-08-{TODAY}.poledesk"]
    finally:
        other.close()


def test_a_tampered_bundle_is_refused_with_its_french_message_and_changes_nothing(
        pole, coordinator, open_window, qtbot, tmp_path, monkeypatch):
    tampered = tamper(export(pole, "COORD-NANCY-METZ", tmp_path / "NM-07.poledesk"))
    before = store_digest(coordinator)
    with pytest.raises(BundleError) as refused:
        load(coordinator, tampered)
    window = open_window(coordinator)
    transfers = window.exchanges.transfers
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *_args: ([str(tampered)], "")))
    with qtbot.waitSignal(transfers.imported, timeout=WORKER_MS):
        window.exchanges.import_bundles_action.trigger()
    code, outcome, detail, _file = transfers.results_dialog.row_texts(0)
    assert outcome == "Refusé" and detail == refused.value.message and "refusé" in detail
    assert "Un paquet refusé n'a rien modifié" in transfers.results_dialog.summary_label.text()
    assert store_digest(coordinator) == before

    pole_before = store_digest(pole)
    for_pole = tamper(export(coordinator, "NM-07", tmp_path / "c1.poledesk"))
    pole_window = open_window(pole)
    open_file(monkeypatch, for_pole)
    with qtbot.waitSignal(pole_window.exchanges.transfers.imported, timeout=WORKER_MS):
        pole_window.exchanges.import_bundles_action.trigger()
    box = pole_window.exchanges.transfers.message_box
    assert box.isVisible() and box.icon() == QMessageBox.Icon.Warning
    with pytest.raises(BundleError) as also_refused:
        load(pole, for_pole)
    assert box.text() == also_refused.value.message
    assert store_digest(pole) == pole_before


# -- conflicts -------------------------------------------------------------------------------------------------------
def test_a_session_edited_on_both_sides_is_a_conflict_the_pole_settles_in_the_panel(
        pole, coordinator, open_window, qtbot, tmp_path, monkeypatch):
    with coordinator.transaction() as session:   # the coordinator's own shared session
        session.add(TrainingSession(title=SHARED_SESSION, session_date=date(2027, 3, 11),
                                    start_time=clock_time(9), end_time=clock_time(12), place="CCI de Nancy"))
    load(pole, export(coordinator, "NM-07", tmp_path / "c1.poledesk"))
    with pole.transaction() as session:
        session.scalars(select(TrainingSession).where(TrainingSession.title == SHARED_SESSION)).one().place = \
            "Lycée Jean-Prouvé, salle 12"
    edited = time.time_ns() // 1_000_000
    qtbot.waitUntil(lambda: time.time_ns() // 1_000_000 > edited + 5)   # the coordinator edits later
    with coordinator.transaction() as session:
        session.scalars(select(TrainingSession)).one().place = "CCI Grand Nancy, salle Stanislas"   # its only one

    coordinator_window = open_window(coordinator)
    target = tmp_path / "c2.poledesk"
    save_to(monkeypatch, target)
    coordinator_window.exchanges.prepare_bundles_action.trigger()
    sending = coordinator_window.exchanges.transfers
    with qtbot.waitSignal(sending.exported, timeout=WORKER_MS):
        qtbot.mouseClick(sending.export_dialog.save_button, LEFT)
    assert coordinator_window.banner.text_label.text().startswith(
        "Paquet n° 2 (complet) pour « NM-07 » écrit : 1 enregistrement")

    pole_window = open_window(pole)
    open_file(monkeypatch, target)
    with qtbot.waitSignal(pole_window.exchanges.transfers.imported, timeout=WORKER_MS):
        pole_window.exchanges.import_bundles_action.trigger()
    assert "1 conflit à régler" in pole_window.banner.details_label.text()
    pole_window.exchanges.update_conflicts_action()
    assert pole_window.exchanges.conflicts_action.text() == "&Conflits à régler (1)…"

    pole_window.exchanges.conflicts_action.trigger()
    panel = pole_window.exchanges.conflicts_dialog.panel
    assert panel.count_label.text() == "1 conflit à régler"
    row = panel.current_conflict()
    assert (row.label, row.owner) == ("Session de formation", "COORD-NANCY-METZ")
    compared = {label: (kept, lost, differs) for label, kept, lost, differs in panel.comparison_rows()}
    assert compared["Lieu"] == ("CCI Grand Nancy, salle Stanislas", "Lycée Jean-Prouvé, salle 12", True)
    assert compared["Titre"] == (SHARED_SESSION, SHARED_SESSION, False)
    assert compared["Date de la session"][0] == "11/03/2027"
    assert "une modification faite sur ce poste a été écartée" in panel.heading_label.text()
    assert not panel.restore_button.isEnabled() and "Seul « COORD-NANCY-METZ »" in panel.owner_label.text()
    panel.differences_check.setChecked(True)
    assert [r[0] for r in panel.comparison_rows()] == ["Lieu"]

    qtbot.mouseClick(panel.keep_button, LEFT)
    assert panel.count_label.text().startswith("Aucun conflit")
    assert panel.message_label.text() == "Conflit réglé : la version en vigueur est gardée."
    with pole.session() as session:
        assert session.scalars(select(SyncConflict.resolved_at)).one() is not None
        assert session.scalars(select(TrainingSession.place).where(TrainingSession.title == SHARED_SESSION)).one() \
            == "CCI Grand Nancy, salle Stanislas"


def lose_a_version(store: Store, name: str, phone: str) -> None:
    """Another install's older version of NM-07's partner arrives (as tests/sync do): it loses, kept as a conflict."""
    with store.session() as session:
        uid = session.scalars(select(Partner.uid).where(Partner.name == "Garage de l'Église")).one()
        [record] = read_records(session, SPECS["partner"], index=UidIndex(session), uids=[uid])
    older = {**record, "hlc": Hlc(Hlc.decode(record["hlc"]).wall_ms - 1000, 0, "autre").encode(),
             "fields": {**record["fields"], "name": name, "phone": phone}}
    with store.transaction() as session:
        summary = merge.apply_records(session, [parse_record(older)], clock=store.clock, sender="NM-07")
    assert summary.conflicts == {"partner": 1}


def test_ones_own_lost_version_is_restored_from_the_panel(pole, open_window, qtbot):
    lose_a_version(pole, "Garage de l'Eglise", "03 83 12 34 56")
    window = open_window(pole)
    window.exchanges.conflicts_action.trigger()
    panel = window.exchanges.conflicts_dialog.panel
    assert window.exchanges.conflicts_dialog.isVisible()
    assert panel.model.rowCount() == 1
    assert panel.table.model().index(0, 5).data() == "Nom, Téléphone"
    differing = [(label, kept, lost) for label, kept, lost, differs in panel.comparison_rows() if differs]
    assert differing == [("Nom", "Garage de l'Église", "Garage de l'Eglise"), ("Téléphone", "—", "03 83 12 34 56")]
    assert dict((r[0], r[1]) for r in panel.comparison_rows())["SIRET"] == "552 081 317 66522"
    assert "arrivée de NM-07 a été écartée" in panel.heading_label.text()
    assert panel.restore_button.isEnabled()
    with pole.session() as session:
        before = Hlc.decode(session.scalars(select(Partner.hlc).where(Partner.siret == "55208131766522")).one())
    qtbot.mouseClick(panel.restore_button, LEFT)
    assert panel.model.rowCount() == 0
    assert panel.message_label.text().startswith("Version écartée rétablie")
    with pole.session() as session:
        partner = session.scalars(select(Partner).where(Partner.siret == "55208131766522")).one()
        assert (partner.name, partner.phone, partner.owner) == ("Garage de l'Eglise", "03 83 12 34 56", "NM-07")
        assert Hlc.decode(partner.hlc) > before   # a new write: it travels with the next bundle
        assert session.scalars(select(SyncConflict.resolved_at)).one() is not None


# -- cards, keys, peers ----------------------------------------------------------------------------------------------
def test_the_coordinators_card_is_imported_and_verified_by_its_code(small_store, coordinator, open_window, qtbot,
                                                                    tmp_path, monkeypatch):
    card = tmp_path / "carte-coordination.json"
    card.write_bytes(card_of(coordinator))
    window = open_window(small_store)
    open_file(monkeypatch, card)
    window.exchanges.import_card_action.trigger()
    dialog = window.exchanges.card_dialog
    assert dialog.isVisible() and dialog.status_label.text() == "Correspondant enregistré."
    groups = [label.text() for label in dialog.code_labels]
    assert len(groups) == 6 and all(len(g) == 5 and g.isdigit() for g in groups)
    pole_keys, coordinator_keys = keys.ensure_keys(small_store.folder), keys.ensure_keys(coordinator.folder)
    assert dialog.code_text == keys.verification_code(coordinator_keys.fingerprint, pole_keys.fingerprint)
    assert dialog.code_labels[0].font().pointSize() >= 20
    assert [dialog.verify_button.text(), dialog.later_button.text()] == ["Vérifié", "Plus tard"]

    qtbot.mouseClick(dialog.later_button, LEFT)
    with small_store.session() as session:
        assert session.get(Peer, "COORD-NANCY-METZ").verified_at is None
    window.exchanges.prepare_bundles_action.trigger()   # not verified: nothing can be sealed for it yet
    assert not window.exchanges.transfers.export_dialog.save_button.isEnabled()
    assert "à vérifier par téléphone" in window.exchanges.transfers.export_dialog.peers_list.item(0).text()
    window.exchanges.transfers.export_dialog.reject()

    window.exchanges.peers_action.trigger()
    peers_dialog = window.exchanges.peers_dialog
    assert peers_dialog.select("COORD-NANCY-METZ") and peers_dialog.verify_button.isEnabled()
    qtbot.mouseClick(peers_dialog.verify_button, LEFT)
    qtbot.mouseClick(window.exchanges.card_dialog.verify_button, LEFT)
    with small_store.session() as session:
        assert session.get(Peer, "COORD-NANCY-METZ").verified_at is not None
    assert peers_dialog.current_peer().state == "vérifié" and not peers_dialog.verify_button.isEnabled()
    assert not peers_dialog.revoke_button.isVisible()   # a pole revokes nobody


def test_a_refused_card_says_why_and_pins_nothing(small_store, open_window, tmp_path, monkeypatch):
    other = new_pole(tmp_path / "nm08", "NM-08")
    try:
        card = tmp_path / "carte-nm08.json"
        card.write_bytes(card_of(other))
        window = open_window(small_store)
        open_file(monkeypatch, card)
        window.exchanges.import_card_action.trigger()
        box = window.exchanges.message_box
        assert box.isVisible() and box.text().startswith("Un pôle n'échange qu'avec la coordination académique")
        assert window.exchanges.card_dialog is None
        with small_store.session() as session:
            assert session.scalars(select(Peer)).all() == []
    finally:
        other.close()


def test_my_card_is_saved_and_my_keys_renewed(small_store, open_window, tmp_path, monkeypatch):
    window = open_window(small_store)
    target, asked = tmp_path / "ma-carte.json", []
    save_to(monkeypatch, target, asked)
    window.exchanges.card_action.trigger()
    dialog = window.exchanges.keys_dialog
    own = keys.ensure_keys(small_store.folder)
    assert dialog.fingerprint_label.text().replace("\n", " ").replace(" ", "") == own.fingerprint
    dialog.export_button.click()
    assert asked == ["NM-07-carte-identite.json"]
    assert keys.read_card(target.read_bytes()).fingerprint == own.fingerprint
    assert "Carte enregistrée" in dialog.status_label.text()

    renewed = tmp_path / "nouvelle-carte.json"
    save_to(monkeypatch, renewed, asked)
    window.exchanges.rotate_action.trigger()
    dialog.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    new_card = keys.read_card(renewed.read_bytes())
    assert new_card.fingerprint != own.fingerprint and new_card.endorsed_by(own.verify_key)
    assert keys.load_keys(small_store.folder).fingerprint == new_card.fingerprint
    assert asked[-1] == f"NM-07-carte-identite-{TODAY}.json"
    assert dialog.fingerprint_label.text().replace("\n", " ").replace(" ", "") == new_card.fingerprint


def test_the_coordinator_revokes_a_poles_key_after_confirming(pole, coordinator, open_window, qtbot):
    window = open_window(coordinator)
    window.exchanges.peers_action.trigger()
    dialog = window.exchanges.peers_dialog
    assert dialog.select("NM-07") and dialog.revoke_button.isEnabled()
    qtbot.mouseClick(dialog.revoke_button, LEFT)
    assert "Révoquer la clé de NM-07" in dialog.confirm_box.text()
    dialog.confirm_box.button(QMessageBox.StandardButton.No).click()
    with coordinator.session() as session:
        assert session.get(Peer, "NM-07").revoked_at is None
    qtbot.mouseClick(dialog.revoke_button, LEFT)
    dialog.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    with coordinator.session() as session:
        assert session.get(Peer, "NM-07").revoked_at is not None
    assert dialog.current_peer().state == "révoqué" and not dialog.revoke_button.isEnabled()
    tab = window.coordination_tab
    window.tabs.setCurrentWidget(tab)
    assert [p.state for p in tab.poles_proxy.shown_rows()] == ["révoqué"]
