"""`poledesk keys …` and `poledesk bundle …` headless: cards, the phone check, bundles exported and imported."""

from __future__ import annotations

import re

import pytest
from sync_support import coordinator_at, pole_at, populate, store_digest

from poledesk.cli import main


def run(folder, *argv: str) -> int:
    """The command as `poledesk --data-dir FOLDER …` runs it: a refusal reaches the CLI's one error handler."""
    return main(["--data-dir", str(folder), *argv])


@pytest.fixture
def folders(tmp_path):
    pole, coordinator = pole_at(tmp_path / "pole", "NM-07"), coordinator_at(tmp_path / "coordination")
    populate(pole)
    pole.store.close()
    coordinator.store.close()
    return pole.folder, coordinator.folder


def code_printed(output: str) -> str:
    return re.search(r"Code de vérification : ([\d ]{35})", output).group(1)


def test_two_installs_exchange_through_the_command_line(folders, tmp_path, capsys):
    pole, coordinator = folders
    assert run(pole, "keys", "init") == 0
    assert "déjà ses clés" in (run(pole, "keys", "init") == 0 and capsys.readouterr().out)
    assert run(pole, "keys", "export-card", str(tmp_path / "pole.json")) == 0
    assert run(coordinator, "keys", "export-card", str(tmp_path / "coordination.json")) == 0
    capsys.readouterr()
    assert run(coordinator, "keys", "import-card", str(tmp_path / "pole.json")) == 0
    code = code_printed(capsys.readouterr().out)
    assert run(pole, "keys", "import-card", str(tmp_path / "coordination.json")) == 0
    assert code_printed(capsys.readouterr().out) == code          # both screens show the same 30 digits
    assert run(pole, "bundle", "export", "--to", "COORD-NANCY-METZ", "--out", str(tmp_path / "b.age")) == 2
    assert "pas encore vérifié" in capsys.readouterr().err
    assert run(pole, "keys", "verify", "COORD-NANCY-METZ", "--code", "12345 12345 12345 12345 12345 12345") == 2
    assert "ne correspond pas" in capsys.readouterr().err
    assert run(pole, "keys", "verify", "COORD-NANCY-METZ", "--code", code) == 0
    assert run(coordinator, "keys", "verify", "NM-07", "--code", code.replace(" ", "-")) == 0
    assert run(pole, "bundle", "export", "--to", "COORD-NANCY-METZ", "--out", str(tmp_path / "b.age")) == 0
    assert "Paquet n° 1 (complet)" in capsys.readouterr().out
    assert run(coordinator, "bundle", "import", str(tmp_path / "b.age")) == 0
    assert "importé : 9 ajoutés" in capsys.readouterr().out
    assert run(coordinator, "bundle", "import", str(tmp_path / "b.age")) == 0
    assert "rien n'a changé" in capsys.readouterr().out
    assert run(coordinator, "keys", "show") == 0
    shown = capsys.readouterr().out
    assert "NM-07" in shown and "vérifié" in shown and "1 correspondant." in shown


def test_a_refused_bundle_exits_2_with_its_reason_and_the_others_still_import(folders, tmp_path, capsys):
    pole, coordinator = folders
    for folder in (pole, coordinator):
        run(folder, "keys", "export-card", str(tmp_path / f"{folder.name}.json"))
    run(coordinator, "keys", "import-card", str(tmp_path / "pole.json"))
    code = code_printed(capsys.readouterr().out)
    run(pole, "keys", "import-card", str(tmp_path / "coordination.json"))
    run(pole, "keys", "verify", "COORD-NANCY-METZ", "--code", code)
    run(coordinator, "keys", "verify", "NM-07", "--code", code)
    run(pole, "bundle", "export", "--to", "COORD-NANCY-METZ", "--out", str(tmp_path / "b.age"))
    broken = tmp_path / "tronque.age"
    broken.write_bytes((tmp_path / "b.age").read_bytes()[:-30])
    capsys.readouterr()
    from poledesk.data.db import open_store

    store = open_store(coordinator)
    before = store_digest(store)
    store.close()
    assert run(coordinator, "bundle", "import", str(broken), str(tmp_path / "b.age")) == 2
    out, err = capsys.readouterr()
    assert "tronque.age : refusé. Le paquet est tronqué" in err and "b.age : Paquet n° 1" in out
    store = open_store(coordinator)
    assert store_digest(store) != before
    store.close()


def test_revoking_is_the_coordinators(folders, tmp_path, capsys):
    pole, coordinator = folders
    run(pole, "keys", "export-card", str(tmp_path / "pole.json"))
    run(coordinator, "keys", "export-card", str(tmp_path / "coordination.json"))
    assert run(coordinator, "keys", "import-card", str(tmp_path / "pole.json")) == 0
    assert run(pole, "keys", "import-card", str(tmp_path / "coordination.json")) == 0
    assert run(pole, "keys", "revoke", "COORD-NANCY-METZ") == 2
    assert "Seule la coordination" in capsys.readouterr().err
    assert run(coordinator, "keys", "revoke", "NM-07") == 0
    assert "révoquée" in capsys.readouterr().out
    assert run(coordinator, "keys", "verify", "NM-99", "--code", "1") == 2
    assert "n'est pas un correspondant" in capsys.readouterr().err
