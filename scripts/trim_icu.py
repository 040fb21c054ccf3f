"""Rebuilds Qt's ICU data library (libicudata.so, 31 MB) with only what a French application needs (about 9 MB).

PySide6's Linux wheels ship ICU for QtCore, whose data library holds every locale of the world, every legacy
character set converter and the Asian word-break dictionaries. PoleDesk's Qt only ever needs French (and English,
ICU's fallback, and root): poledesk.spec calls `trimmed_library` to put a smaller copy in the standalone folder.

What goes:
- the converter tables (*.cnv): Qt converts UTF-8/16/32 and Latin-1 itself, and Python, not Qt, reads the files
  PoleDesk imports; Qt would need them only for other legacy encodings, which PoleDesk never asks of it;
- the word-break dictionaries (brkitr/*.dict): Chinese, Japanese, Thai, Lao, Burmese and Khmer only;
- the data of every locale other than root, fr* and en*, in each tree (names, currencies, units, zones...).
Everything else stays: collation (UCA), normalisation, break rules, time zones, plural rules, supplemental data.

The package format is ICU's common data (udata.cpp, "Common Data" / ToC format): a header, then the count of
items and a table of (name offset, data offset) pairs, then the names, then the items, each aligned on 16 bytes.
The library itself is one read-only symbol, `icudtNN_dat`, assembled here with the system C compiler.
Linux only (Windows and macOS wheels use the system's ICU). Check it by hand:

    python scripts/trim_icu.py .venv/lib/python3.11/site-packages/PySide6/Qt/lib/libicudata.so.73 /tmp/out.so
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

KEPT_LANGUAGES = ("root", "fr", "en")
# A locale's item: 'fr.res', 'coll/fr_CA.res', 'zone/en_001.res', 'sr_Latn_BA.res'. Not: 'pool.res', 'root.res'
# (kept anyway), 'res_index.res' (the index of locales), 'supplementalData.res', 'zoneinfo64.res'.
LOCALE_ITEM = re.compile(r"^(?P<language>[a-z]{2,3})(_[A-Za-z0-9]*)*\.res$")   # 'coll/de__PHONEBOOK.res' too
ALWAYS_KEPT = frozenset({"res_index.res", "pool.res"})
DATA_SYMBOL = re.compile(rb"^icudt\d+_dat$")


class TrimError(RuntimeError):
    """The library could not be rebuilt (no C compiler, an unexpected file): the build keeps the original."""


def kept_item(name: str) -> bool:
    """Whether an item of the package ('icudt73l/coll/fr.res') is kept."""
    path = name.split("/", 1)[1] if "/" in name else name
    base = path.rsplit("/", 1)[-1]
    if base.endswith(".cnv") or (path.startswith("brkitr/") and base.endswith(".dict")):
        return False
    if base in ALWAYS_KEPT:
        return True
    locale = LOCALE_ITEM.match(base)
    return locale is None or locale.group("language") in KEPT_LANGUAGES


def read_package(library: bytes) -> tuple[str, bytes]:
    """The data symbol's name and bytes, found through the ELF's dynamic symbol table (64-bit little-endian)."""
    if library[:4] != b"\x7fELF" or library[4] != 2 or library[5] != 1:
        raise TrimError("libicudata n'est pas une bibliothèque ELF 64 bits little-endian")
    shoff, = struct.unpack_from("<Q", library, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", library, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", library, shoff + i * shentsize) for i in range(shnum)]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:   # SHT_DYNSYM
            continue
        strings = sections[link][4]
        for start in range(offset, offset + size, entsize):
            name_at, _info_, _other, index, value, length = struct.unpack_from("<IBBHQQ", library, start)
            name = library[strings + name_at:library.index(b"\0", strings + name_at)]
            if DATA_SYMBOL.match(name) and index < len(sections):
                section = sections[index]
                at = section[4] + (value - section[3])   # the symbol's address, as an offset in the file
                return name.decode(), library[at:at + length]
    raise TrimError("symbole icudtNN_dat introuvable dans libicudata")


def package_items(package: bytes) -> list[tuple[str, bytes]]:
    """The items of a common data package, in their (sorted) order: name ('icudt73l/coll/fr.res') and bytes."""
    header_size, = struct.unpack_from("<H", package, 0)
    if package[2:4] != b"\xda\x27":
        raise TrimError("en-tête de données ICU inattendu")
    count, = struct.unpack_from("<I", package, header_size)
    toc = [struct.unpack_from("<II", package, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_offset, data_offset) in enumerate(toc):
        name_at = header_size + name_offset
        name = package[name_at:package.index(b"\0", name_at)].decode("ascii")
        end = toc[i + 1][1] if i + 1 < count else len(package) - header_size
        items.append((name, package[header_size + data_offset:header_size + end]))
    return items


def trim_package(package: bytes) -> bytes:
    """The same package with only the kept items (see kept_item), its header and item bytes unchanged."""
    header_size, = struct.unpack_from("<H", package, 0)
    items = [(name, data) for name, data in package_items(package) if kept_item(name)]
    # Offsets count from the end of the header; the names follow the table, the items follow the names.
    table_size = 4 + 8 * len(items)
    names = b"".join(name.encode("ascii") + b"\0" for name, _data in items)
    data_start = _aligned(table_size + len(names), 16)
    table, body, name_offset, data_offset = [struct.pack("<I", len(items))], [], table_size, data_start
    for name, data in items:
        table.append(struct.pack("<II", name_offset, data_offset))
        name_offset += len(name) + 1
        padded = data + b"\0" * (_aligned(len(data), 16) - len(data))
        body.append(padded)
        data_offset += len(padded)
    before_data = b"".join(table) + names
    return (package[:header_size] + before_data + b"\0" * (data_start - len(before_data)) + b"".join(body))


def _aligned(size: int, alignment: int) -> int:
    return (size + alignment - 1) // alignment * alignment


def build_library(symbol: str, package: bytes, soname: str, target: Path) -> None:
    """A shared library holding `package` as the read-only symbol `symbol`, as ICU's own build makes it."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        raise TrimError("aucun compilateur C (cc) : libicudata n'est pas allégée")
    with tempfile.TemporaryDirectory() as work:
        data, source = Path(work) / "icudata.dat", Path(work) / "icudata.S"
        data.write_bytes(package)
        source.write_text(f'\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n'
                          f'{symbol}:\n\t.incbin "{data}"\n\t.size {symbol}, . - {symbol}\n'
                          '\t.section .note.GNU-stack,"",@progbits\n', encoding="ascii")
        result = subprocess.run([compiler, "-shared", "-nostdlib", f"-Wl,-soname,{soname}", "-Wl,-s",
                                 "-o", str(target), str(source)], capture_output=True, text=True)
        if result.returncode != 0:
            raise TrimError(f"la compilation de libicudata a échoué : {result.stderr.strip()}")


def trimmed_library(original: Path, target: Path) -> tuple[int, int]:
    """Write the trimmed copy of `original` to `target`; return the sizes before and after, in bytes."""
    symbol, package = read_package(original.read_bytes())
    build_library(symbol, trim_package(package), original.name, target)
    return original.stat().st_size, target.stat().st_size


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    try:
        before, after = trimmed_library(Path(sys.argv[1]), Path(sys.argv[2]))
    except TrimError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"libicudata : {before / 1e6:.1f} Mo -> {after / 1e6:.1f} Mo")
    return 0


if __name__ == "__main__":
    sys.exit(main())
