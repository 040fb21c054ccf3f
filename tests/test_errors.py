"""One error root: every exception PoleDesk raises on purpose is a PoleDeskError carrying a French message,
and the CLI prints it in one place (the message, its exit code, no traceback)."""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import poledesk
from poledesk.cli import EXIT_REFUSED, main
from poledesk.data import errors
from poledesk.data.errors import EXIT_FAILED, PoleDeskError

SRC = Path(poledesk.__file__).resolve().parents[1]


def poledesk_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(poledesk.__path__, "poledesk.")]
    return [name for name in names if ".migrations." not in name and name != "poledesk.__main__"]


def test_every_exception_class_of_poledesk_has_the_one_root():
    found = {}
    for name in poledesk_modules():
        module = importlib.import_module(name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__.startswith("poledesk."):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    assert len(found) >= 15   # the families and the refusals built on them
    strays = sorted(name for name, kind in found.items() if not issubclass(kind, PoleDeskError))
    assert strays == []


@pytest.mark.parametrize("family", [errors.StoreError, errors.IdentityError, errors.SpreadsheetError,
                                    errors.RulesError, errors.DocumentError, errors.DuplicateWarning])
def test_a_family_carries_its_french_message(family):
    error = family("Le fichier « partenaires.xlsx » n'a pas de feuille « Réseau ».")
    assert isinstance(error, PoleDeskError)
    assert error.message == str(error) == "Le fichier « partenaires.xlsx » n'a pas de feuille « Réseau »."


def test_a_validation_error_shows_its_messages_and_logs_its_fields():
    error = errors.ValidationError({"siret": "SIRET invalide.", "email": "Adresse de courriel invalide."})
    assert error.message == "SIRET invalide. ; Adresse de courriel invalide."
    assert str(error) == "siret : SIRET invalide. ; email : Adresse de courriel invalide."
    assert error.exit_code == EXIT_FAILED


def test_the_old_names_are_the_families():
    from poledesk.data import db, identity, progress, validation
    from poledesk.data.spreadsheets.errors import SpreadsheetError
    from poledesk.reports.convention_articles import ArticlesError
    from poledesk.reports.convention_files import BlockingFindings
    from poledesk.sync.errors import BundleError, KeysError, SyncError

    assert validation.ValidationError is errors.ValidationError
    assert db.StoreError is errors.StoreError and identity.IdentityError is errors.IdentityError
    assert progress.Cancelled is errors.Cancelled and SpreadsheetError is errors.SpreadsheetError
    assert SyncError is errors.SyncError and issubclass(BundleError, SyncError) and issubclass(KeysError, SyncError)
    assert issubclass(BlockingFindings, errors.RulesError) and issubclass(ArticlesError, errors.DocumentError)
    assert isinstance(errors.InvalidValue("Code postal invalide."), ValueError)
    assert errors.Cancelled().message == "Opération annulée : rien n'a été modifié."


def run_cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "poledesk", "--data-dir", str(folder), *args],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(SRC)},
                          check=False)


def test_a_command_failing_with_a_poledesk_error_prints_the_french_message_and_exits_1(tmp_path, monkeypatch):
    monkeypatch.setenv("POLEDESK_PASSPHRASE", "une phrase secrète de test assez longue")   # a real pole's store
    folder = tmp_path / "pole"
    assert main(["--data-dir", str(folder), "init", "pole", "NM-07", "--name", "Pôle de stages de Nancy",
                 "--bassin", "Nancy", "--academie", "Nancy-Metz",
                 "--recovery-sheet", str(tmp_path / "secours.pdf")]) == 0   # not in the current folder
    done = run_cli(folder, "convention", "999", "--out", str(tmp_path / "convention.pdf"))
    assert done.returncode == EXIT_FAILED
    assert done.stderr.strip() == "Erreur : Aucun stage n° 999 dans PoleDesk (supprimé ou inconnu)."
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert not (tmp_path / "convention.pdf").exists()


def test_a_refusal_prints_its_message_and_exits_2(tmp_path):
    done = run_cli(tmp_path / "vide", "trainings", "list")
    assert done.returncode == EXIT_REFUSED
    assert done.stderr.strip() == f"Erreur : Aucune base PoleDesk dans le dossier « {tmp_path / 'vide'} »."
    assert "Traceback" not in done.stderr


def test_an_unexpected_error_is_not_swallowed(tmp_path, monkeypatch):
    from poledesk.commands import trainings

    def broken(_args, _folder):
        raise RuntimeError("a bug")

    monkeypatch.setattr(trainings, "run_list", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        main(["--data-dir", str(tmp_path), "trainings", "list"])
