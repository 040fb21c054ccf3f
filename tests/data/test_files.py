"""Files written whole or not at all."""

from __future__ import annotations

import os
import stat

import pytest

from poledesk.data.files import write_atomically


def test_bytes_land_whole_and_owner_only(tmp_path):
    target = write_atomically(tmp_path / "sous-dossier" / "export.pdf", b"%PDF-1.7 contenu")
    assert target.read_bytes() == b"%PDF-1.7 contenu"
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["export.pdf"]


def test_a_failing_writer_leaves_the_previous_file_and_no_leftover(tmp_path):
    target = tmp_path / "partenaires.xlsx"
    target.write_bytes(b"ancien")

    def half_then_fail(temporary):
        temporary.write_bytes(b"moiti")
        raise RuntimeError("disque plein")

    with pytest.raises(RuntimeError):
        write_atomically(target, half_then_fail)
    assert target.read_bytes() == b"ancien"
    assert [p.name for p in tmp_path.iterdir()] == ["partenaires.xlsx"]
