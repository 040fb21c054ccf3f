"""Every dialog keeps its size and position: moved and resized, closed, opened again, it comes back where it was
(ui_state.keep_geometry, one QSettings key per dialog class in the store's folder)."""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
import test_sync_ui
from PySide6.QtCore import QPoint, QSettings, QSize
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from reportlab.pdfgen import canvas
from test_sync_ui import pin

import poledesk.ui
from poledesk.data import identity, purge
from poledesk.data.actions import programme
from poledesk.data.actions.programme import ActionForm
from poledesk.data.db import Store
from poledesk.data.encryption import NewKey
from poledesk.data.enums import ActionAxis, Audience, ConventionStatus, EscalationStatus
from poledesk.data.escalations import edits as escalation_edits
from poledesk.data.escalations import listing as escalations
from poledesk.data.models import Contact, Partner, Pupil
from poledesk.data.placements import form as placements
from poledesk.data.placements import listing as placement_list
from poledesk.data.placements.form import PlacementForm
from poledesk.data.trainings import listing as trainings
from poledesk.sync import keys, peers
from poledesk.ui import ui_state
from poledesk.ui.bundle_transfers import TransferRun
from poledesk.ui.conflicts_panel import ConflictsDialog
from poledesk.ui.dialogs.action_dialog import ActionDialog, ReviewDialog
from poledesk.ui.dialogs.amendment_dialog import AmendmentDialog
from poledesk.ui.dialogs.batch_conventions_dialog import BatchConventionsDialog
from poledesk.ui.dialogs.bundle_export_dialog import BundleExportDialog
from poledesk.ui.dialogs.bundle_results_dialog import BundleResultsDialog
from poledesk.ui.dialogs.contact_dialog import ContactDialog
from poledesk.ui.dialogs.convention_preview_dialog import ConventionPreviewDialog
from poledesk.ui.dialogs.escalation_dialog import EscalationDialog
from poledesk.ui.dialogs.establishment_dialog import EstablishmentDialog
from poledesk.ui.dialogs.first_start_dialog import FirstStartDialog
from poledesk.ui.dialogs.import_wizard import ImportWizard
from poledesk.ui.dialogs.invite_dialog import InviteDialog
from poledesk.ui.dialogs.keys_dialog import KeysDialog
from poledesk.ui.dialogs.new_placement_dialog import NewPlacementDialog
from poledesk.ui.dialogs.offer_dialog import OfferDialog
from poledesk.ui.dialogs.partner_dialog import PartnerDialog
from poledesk.ui.dialogs.passphrase_dialogs import (
    ChangePassphraseDialog,
    ProtectStoreDialog,
    RecoverySheetDialog,
    UnlockDialog,
)
from poledesk.ui.dialogs.peer_card_dialog import PeerCardDialog
from poledesk.ui.dialogs.peers_dialog import PeersDialog
from poledesk.ui.dialogs.period_dialog import PeriodDialog
from poledesk.ui.dialogs.period_proposals_dialog import PeriodProposalsDialog
from poledesk.ui.dialogs.placement_dialog import PlacementDialog
from poledesk.ui.dialogs.privacy_dialog import PrivacyDialog
from poledesk.ui.dialogs.proposal_dialog import AnswerDialog, ProposalDialog
from poledesk.ui.dialogs.purge_dialog import PurgeDialog
from poledesk.ui.dialogs.signature_dialog import SignatureDialog
from poledesk.ui.dialogs.status_dialog import StatusReasonDialog
from poledesk.ui.dialogs.training_session_dialog import TrainingSessionDialog
from poledesk.ui.dialogs.visit_dialog import VisitDialog
from poledesk.ui.establishment_periods import EstablishmentPeriodsDialog
from poledesk.ui.forms import FormDialog
from poledesk.ui.guide_window import GuideWindow
from poledesk.ui.workers import TaskRunner

coordinator = test_sync_ui.coordinator   # the sync tests' fixture, shared by name
BAKERY = "Boulangerie Lefèvre"
MOVED = QPoint(37, 43)
SHRUNK = QSize(41, 29)


@dataclass
class Env:
    """What the dialogs are opened on: the small pole (paired with a coordinator), with one placement."""

    store: Store
    empty: Store
    runner: TaskRunner
    folder: Path
    bakery: int
    contact: int
    placement: int
    escalation: int
    proposal: escalations.ProposalLine
    form: PlacementForm

    @property
    def settings(self) -> QSettings:
        return ui_state.settings(self.folder)

    def own(self) -> identity.Identity:
        with self.store.session() as session:
            found = identity.current_identity(session)
        assert found is not None
        return found

    def peer(self) -> peers.PeerRow:
        with self.store.session() as session:
            return peers.list_peers(session, keys.ensure_keys(self.folder))[0]


def _pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Convention de stage")
    page.save()
    return out.getvalue()


def _session_id(env: Env) -> int:
    with env.store.session() as session:
        return trainings.list_sessions(session, "")[0].id


def _placement_rows(env: Env) -> list[placement_list.PlacementRow]:
    with env.store.session() as session:
        return list(placement_list.list_placements(session))


def _purge_plan(env: Env) -> purge.PurgePlan:
    with env.store.session() as session:
        return purge.plan_purge(session, date.today())


# Every QDialog of ui/, built as its caller builds it. A new dialog class fails test_every_dialog_is_listed until
# it is added here, so its geometry is checked too.
FACTORIES: dict[type[QDialog], Callable[[Env], QDialog]] = {
    ActionDialog: lambda e: ActionDialog(e.store, "2026-2027"),
    AmendmentDialog: lambda e: AmendmentDialog(e.store, e.form, placement_id=e.placement),
    AnswerDialog: lambda e: AnswerDialog(e.store, e.proposal),
    BatchConventionsDialog: lambda e: BatchConventionsDialog(e.store, e.runner, _placement_rows(e), e.settings),
    BundleExportDialog: lambda e: BundleExportDialog([e.peer()], coordinator=False, folder=e.folder),
    BundleResultsDialog: lambda e: BundleResultsDialog(TransferRun(()), "Paquets importés", folder=e.folder),
    ChangePassphraseDialog: lambda e: ChangePassphraseDialog(e.folder),
    ConflictsDialog: lambda e: ConflictsDialog(e.store, "NM-07"),
    ContactDialog: lambda e: ContactDialog(e.store, e.bakery, e.contact, partner_name=BAKERY),
    ConventionPreviewDialog: lambda e: ConventionPreviewDialog(_pdf(), title="Convention", folder=e.folder,
                                                               suggested=e.folder / "convention.pdf"),
    EscalationDialog: lambda e: EscalationDialog(e.store, escalation_id=e.escalation),
    EstablishmentDialog: lambda e: EstablishmentDialog(e.store),
    FirstStartDialog: lambda e: FirstStartDialog(e.empty, e.runner),
    GuideWindow: lambda e: GuideWindow(folder=e.folder),
    ImportWizard: lambda e: ImportWizard(e.store, e.runner, e.settings),
    InviteDialog: lambda e: InviteDialog(e.store, _session_id(e), "Accueillir un stagiaire mineur", date.today()),
    KeysDialog: lambda e: KeysDialog(e.folder, e.own(), e.settings),
    NewPlacementDialog: lambda e: NewPlacementDialog(e.store),
    OfferDialog: lambda e: OfferDialog(e.store, e.bakery, partner_name=BAKERY),
    PartnerDialog: lambda e: PartnerDialog(e.store, e.bakery),
    PeriodDialog: lambda e: PeriodDialog(e.store, e.form.establishment_id),
    PeriodProposalsDialog: lambda e: PeriodProposalsDialog(e.store, "2026-2027"),
    EstablishmentPeriodsDialog: lambda e: EstablishmentPeriodsDialog(e.store, e.form.establishment_id),
    PeerCardDialog: lambda e: PeerCardDialog(e.store, keys.ensure_keys(e.folder), e.peer()),
    PeersDialog: lambda e: PeersDialog(e.store, keys.ensure_keys(e.folder), e.own()),
    PlacementDialog: lambda e: PlacementDialog(e.store, e.form, placement_id=e.placement),
    PrivacyDialog: lambda e: PrivacyDialog(e.store, owner_title="Pôle de stages NM-07"),
    ProposalDialog: lambda e: ProposalDialog(e.store, e.escalation, e.bakery, BAKERY),
    ProtectStoreDialog: lambda e: ProtectStoreDialog(e.store, owner_title="Pôle de stages NM-07"),
    PurgeDialog: lambda e: PurgeDialog(e.store, e.runner, _purge_plan(e)),
    RecoverySheetDialog: lambda e: RecoverySheetDialog(NewKey(b"k" * 32, "ABCD-EFGH-IJKL-MNOP", "store-1"),
                                                       owner_title="Pôle de stages NM-07", folder=e.folder),
    ReviewDialog: lambda e: ReviewDialog(e.store, _action_id(e)),
    SignatureDialog: lambda e: SignatureDialog(e.store, e.placement, expected=ConventionStatus.PRINTED),
    StatusReasonDialog: lambda e: StatusReasonDialog(e.store, e.escalation, EscalationStatus.WITHDRAWN,
                                                     expected=EscalationStatus.SEARCHING),
    TrainingSessionDialog: lambda e: TrainingSessionDialog(e.store),
    UnlockDialog: lambda e: UnlockDialog(e.folder),
    VisitDialog: lambda e: VisitDialog(e.store, e.bakery, partner_name=BAKERY),
}


def _action_id(env: Env) -> int:
    with env.store.transaction() as session:
        return programme.save_action(session, ActionForm("2026-2027", ActionAxis.PARTNERS, "Petit-déjeuner"))


def dialog_classes() -> set[type[QDialog]]:
    """Every dialog class ui/ defines (the form kit's base and Qt's own boxes aside)."""
    found: set[type[QDialog]] = set()
    for module_info in pkgutil.walk_packages(poledesk.ui.__path__, "poledesk.ui."):
        module = importlib.import_module(module_info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if (issubclass(value, QDialog) and value.__module__ == module.__name__
                    and not issubclass(value, QMessageBox | QFileDialog) and value is not FormDialog):
                found.add(value)
    return found


@pytest.fixture
def env(small_store, coordinator, empty_store, tmp_path, qtbot) -> Env:
    pin(small_store, coordinator)
    with small_store.transaction() as session:
        bakery = session.query(Partner).filter_by(name=BAKERY).one()
        tutor = session.query(Contact).filter_by(partner_id=bakery.id).one()
        pupil = session.query(Pupil).first()
        start = date.today() + timedelta(days=30)
        form = PlacementForm(pupil_id=pupil.id, establishment_id=pupil.establishment_id, partner_id=bakery.id,
                             audience=Audience.PFMP_BACPRO, start_date=start, end_date=start + timedelta(days=11),
                             tutor_id=tutor.id)
        placement_id = placements.save_placement(session, form)
        searching = next(r for r in escalations.list_escalations(session, open_only=True)
                         if r.status is EscalationStatus.SEARCHING)
        escalation_edits.record_proposal(session, searching.id, bakery.id, contacted_on=date.today())
        detail = escalations.escalation_detail(session, searching.id)
        assert detail is not None
        bakery_id, tutor_id = bakery.id, tutor.id
    runner = TaskRunner()
    yield Env(small_store, empty_store, runner, small_store.folder, bakery_id, tutor_id, placement_id, searching.id,
              detail.proposals[0], form)
    runner.wait(10_000)


def test_every_dialog_is_listed():
    assert {c.__name__ for c in dialog_classes()} == {c.__name__ for c in FACTORIES}


def open_dialog(qtbot, factory: Callable[[Env], QDialog], env: Env) -> QDialog:
    dialog = factory(env)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.mark.parametrize("kind", sorted(FACTORIES, key=lambda c: c.__name__), ids=lambda c: c.__name__)
def test_a_dialog_reopens_with_the_size_and_position_it_was_closed_with(qtbot, env, kind):
    first = open_dialog(qtbot, FACTORIES[kind], env)
    screen = first.screen().availableGeometry()     # a geometry off the screen would come back inside it
    smallest = first.minimumSizeHint().expandedTo(first.minimumSize())
    size = (first.size() - SHRUNK).boundedTo(screen.size() - QSize(40, 60)).expandedTo(smallest)
    first.resize(size)
    first.move(MOVED)
    qtbot.waitUntil(lambda: first.size() == size and first.pos() == MOVED)
    first.reject()                               # Annuler, Échap and the window's cross all end here
    qtbot.waitUntil(lambda: not first.isVisible())
    second = open_dialog(qtbot, FACTORIES[kind], env)
    if size.width() + MOVED.x() <= screen.right():
        assert (second.size(), second.pos()) == (size, MOVED)
    elif size.width() <= screen.width():   # wider than what is left right of MOVED: Qt brings it back sideways
        assert (second.size(), second.pos().y()) == (size, MOVED.y())
    else:   # wider than the test's 800-pixel screen: Qt narrows it to the screen (then to its minimum width)
        assert (second.height(), second.pos().y()) == (size.height(), MOVED.y())
    assert ui_state.geometry_key(second) == f"{ui_state.GEOMETRY_GROUP}/{kind.__name__}"
    second.reject()
