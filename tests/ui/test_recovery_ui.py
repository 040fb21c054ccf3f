"""The coordinator's « Paquet de restauration pour un pôle… »: the export dialog, for one pole, everything it owns."""

from __future__ import annotations

import test_sync_ui
from test_sync_ui import LEFT, WORKER_MS, load, save_to

from poledesk.sync import exchange, keys

# The sync tests' fixtures, shared by name (pytest finds them among a module's globals); open_window is in conftest.
coordinator, pole = test_sync_ui.coordinator, test_sync_ui.pole


def test_the_coordinator_writes_a_recovery_bundle_for_one_pole(pole, coordinator, open_window, qtbot, tmp_path,
                                                               monkeypatch):
    first = tmp_path / "NM-07.poledesk"
    exchange.export_bundle(pole, "COORD-NANCY-METZ", keys=keys.ensure_keys(pole.folder), out=first)
    load(coordinator, first)
    window = open_window(coordinator)
    actions = window.exchanges.menu.actions()
    assert "Paquet de &restauration pour un pôle…" in [a.text() for a in actions]
    target = tmp_path / "restauration.poledesk"
    save_to(monkeypatch, target)
    window.exchanges.recovery_action.trigger()
    transfers = window.exchanges.transfers
    dialog = transfers.export_dialog
    assert dialog.windowTitle() == "Paquet de restauration pour un pôle"
    assert not dialog.full_check.isVisible() and not dialog.save_button.isEnabled()   # nothing ticked yet
    assert "contiendra tous ses enregistrements" in dialog.peers_list.item(0).text()
    dialog.peers_list.item(0).setCheckState(dialog.peers_list.item(0).checkState().Checked)
    with qtbot.waitSignal(transfers.exported, timeout=WORKER_MS):
        qtbot.mouseClick(dialog.save_button, LEFT)
    assert window.banner.text_label.text().startswith("Paquet n° 1 (de restauration) pour « NM-07 » écrit")
    assert "5 partenaires" in window.banner.details_label.text()
    assert load(pole, target).status == exchange.APPLIED   # harmless on the pole that has them all
