"""The recovery sheet: one page holding the key, readable back, owner-only on disk."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader

from poledesk.data import encryption, vault
from poledesk.reports.recovery_sheet import write_recovery_sheet


def test_the_sheet_prints_the_key_that_opens_the_store(tmp_path):
    folder = tmp_path / "donnees"
    new = encryption.protect_new_folder(folder, "cheval correct agrafe pile", "cheval correct agrafe pile")
    path = write_recovery_sheet(tmp_path / "feuille.pdf", recovery_key=new.recovery_key, store_id=new.store_id,
                                owner_title="Pôle de Nancy (NM-07)", folder=folder, printed_on=date(2026, 9, 2))
    assert path.stat().st_mode & 0o077 == 0
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Feuille de secours" in text and "02/09/2026" in text and new.store_id in text
    printed = "".join(c for c in text if c.isalnum() and c.isupper() or c.isdigit())
    assert new.recovery_key.replace("-", "") in printed
    assert vault.parse_recovery_key(new.recovery_key) == new.key
