"""The standalone build's French-only ICU data (scripts/trim_icu.py): a real library, a fifth of the size, that
Qt loads and uses as it does the whole one."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import PySide6
import pytest

ROOT = Path(__file__).resolve().parent.parent
ICU = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
pytestmark = pytest.mark.skipif(not ICU or shutil.which("cc") is None,
                                reason="Linux wheels of PySide6 and a C compiler only")

# What the application asks of ICU through Qt: French sorting, case, time zone names, number formats.
PROBE = """
import functools
from PySide6.QtCore import QCollator, QLocale, QTimeZone
fr = QLocale(QLocale.Language.French, QLocale.Country.France)
words = ["Élodie", "eric", "Zoé", "école", "Ecole", "Œuvre", "oeuf", "ça", "Cassis"]
print(sorted(words, key=functools.cmp_to_key(QCollator(fr).compare)))
print(fr.toUpper("straße éçà"), fr.toString(1234567.891, "f", 2))
zone = QTimeZone(b"Europe/Paris")
print(zone.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, fr))
"""


def trim_icu():
    spec = importlib.util.spec_from_file_location("trim_icu", ROOT / "scripts" / "trim_icu.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def probe(library_dir: Path | None) -> str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if library_dir is not None:   # LD_LIBRARY_PATH comes before the Qt libraries' RUNPATH
        env["LD_LIBRARY_PATH"] = str(library_dir)
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def test_the_trimmed_library_keeps_french_and_behaves_the_same(tmp_path):
    module = trim_icu()
    target = tmp_path / ICU[-1].name
    before, after = module.trimmed_library(ICU[-1], target)
    assert after < before / 4
    symbol, package = module.read_package(target.read_bytes())
    assert symbol.startswith("icudt") and package[2:4] == b"\xda\x27"
    names = {name.split("/", 1)[1] for name, _data in module.package_items(package)}
    assert {"fr.res", "fr_FR.res", "root.res", "coll/fr.res", "coll/ucadata.icu", "zone/fr.res"} <= names
    assert not names & {"de.res", "ja.res", "coll/zh.res", "brkitr/cjdict.dict"}
    assert not any(name.endswith(".cnv") for name in names)
    trimmed = probe(tmp_path)
    assert trimmed == probe(None)
    assert "['ça', 'Cassis', 'Ecole', 'école', 'Élodie', 'eric', 'oeuf', 'Œuvre', 'Zoé']" in trimmed
    assert "heure normale d’Europe centrale" in trimmed


@pytest.mark.parametrize(("item", "kept"), [
    ("icudt73l/fr.res", True), ("icudt73l/fr_CA.res", True), ("icudt73l/coll/fr.res", True),
    ("icudt73l/root.res", True), ("icudt73l/en_001.res", True), ("icudt73l/coll/ucadata.icu", True),
    ("icudt73l/res_index.res", True), ("icudt73l/zone/pool.res", True), ("icudt73l/supplementalData.res", True),
    ("icudt73l/brkitr/word.brk", True), ("icudt73l/nfkc.nrm", True),
    ("icudt73l/de.res", False), ("icudt73l/coll/de__PHONEBOOK.res", False), ("icudt73l/sr_Latn_BA.res", False),
    ("icudt73l/ibm-943_P15A-2003.cnv", False), ("icudt73l/brkitr/cjdict.dict", False),
])
def test_which_items_stay(item, kept):
    assert trim_icu().kept_item(item) is kept
