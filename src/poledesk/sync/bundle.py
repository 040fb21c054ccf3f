"""The bundle file: magic line, signed manifest and JSON Lines records, sealed with age; written and opened here.

Plain text, before encryption:
    POLEDESK-BUNDLE/1\\n
    <manifest, canonical JSON>\\n
    <Ed25519 signature of MANIFEST_DOMAIN + manifest, base64>\\n
    <payload: one canonical-JSON record per line>
The whole is encrypted with age to exactly one X25519 recipient (the `age` tool can open it). Sign, then encrypt:
the manifest names its recipient, so a bundle re-encrypted to another install is refused there.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage

from poledesk.data import files
from poledesk.data.system_errors import os_error_message
from poledesk.data.text import format_count
from poledesk.sync.errors import BundleError
from poledesk.sync.keys import LocalKeys
from poledesk.sync.records import ORDER, UID, canonical

MAGIC = b"POLEDESK-BUNDLE/1"
MAGIC_FAMILY = b"POLEDESK-BUNDLE/"
FORMAT = "poledesk-bundle/1"
MANIFEST_DOMAIN = b"poledesk-bundle-manifest-v1\0"
MAX_SIZE = 256 * 1024 * 1024
AGE_MAGIC = b"age-encryption.org/v1\n"
HEADER_MAX = 4096           # ours is ~300 bytes; pyrage spends minutes on a header of thousands of stanzas
MAX_STANZAS = 8             # one X25519 stanza, plus the "grease" stanza age adds
MANIFEST_MAX = 64 * 1024
RECORD_LINE_MAX = 1024 * 1024     # a record is a few hundred bytes; a long notes field a few kilobytes
RECORDS_MAX = 5_000_000           # a national coordinator holds about 1.5 million records
NESTING_MAX = 8                   # records and manifest are flat objects holding lists of uids: depth 3
SEQUENCE_MAX = 2 ** 53            # also bounds every count: what JSON numbers hold exactly
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(rb"[\[\]{}]")
KINDS = ("full", "incremental", "recovery")   # recovery: a pole's own records, back from the coordinator
SCHEMA = re.compile(r"[0-9]{1,8}")
PARTY_KEYS = frozenset({"code", "role", "fingerprint"})
MANIFEST_KEYS = frozenset({"format", "schema", "app_version", "bundle_id", "kind", "sender", "recipient", "sequence",
                           "acknowledged", "created_at", "counts", "state_digest", "payload"})


@dataclass(frozen=True, slots=True)
class Opened:
    """A decrypted bundle, its manifest parsed but nothing else checked yet."""

    manifest: dict[str, Any]
    manifest_bytes: bytes
    signature: str
    payload: bytes

    @property
    def sender(self) -> dict[str, str]:
        sender: dict[str, str] = self.manifest["sender"]
        return sender

    @property
    def recipient(self) -> dict[str, str]:
        recipient: dict[str, str] = self.manifest["recipient"]
        return recipient

    def records(self) -> list[Any]:
        """The payload's JSON lines, parsed (not yet checked against the models)."""
        lines = self.payload.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        if len(lines) > RECORDS_MAX:
            raise BundleError("payload_invalid", f"Le paquet contient plus de {format_count(RECORDS_MAX)} "
                                                 "enregistrements : il est refusé ; rien n'a changé.")
        records = []
        for number, line in enumerate(lines, start=1):
            if len(line) > RECORD_LINE_MAX or nesting_depth(line) > NESTING_MAX:
                raise BundleError("payload_invalid", f"L'enregistrement n° {number} du paquet est anormalement "
                                                     "long ou imbriqué : le paquet est refusé ; rien n'a changé.")
            try:
                records.append(json.loads(line))
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise BundleError("payload_invalid", f"L'enregistrement n° {number} du paquet est illisible : le "
                                                     "paquet est refusé ; rien n'a changé.") from None
        return records


# -- writing -----------------------------------------------------------------------------------------------------
def payload_of(records: list[dict[str, Any]]) -> bytes:
    return b"".join(canonical(record) + b"\n" for record in records)


def seal(manifest: dict[str, Any], payload: bytes, *, keys: LocalKeys, recipient: str) -> bytes:
    """Sign the manifest (which holds the payload's hash), then encrypt everything to `recipient`."""
    manifest = {**manifest, "payload": {"sha256": hashlib.sha256(payload).hexdigest(), "length": len(payload)}}
    manifest_bytes = canonical(manifest)
    signature = keys.sign(MANIFEST_DOMAIN, manifest_bytes).encode("ascii")
    plain = b"\n".join((MAGIC, manifest_bytes, signature, payload))
    return pyrage.encrypt(plain, [pyrage.x25519.Recipient.from_str(recipient)])


def write_atomically(path: Path, data: bytes) -> None:
    """The bundle lands whole or not at all, readable by its owner only (data/files.py)."""
    files.write_atomically(path, data)


# -- reading -----------------------------------------------------------------------------------------------------
def read_file(path: Path, *, max_size: int = MAX_SIZE) -> bytes:
    """The file's bytes, refused unread when larger than `max_size`."""
    try:
        size = Path(path).stat().st_size
        if size > max_size:
            raise BundleError("too_large", f"Le fichier fait {size / 2 ** 20:.1f} Mio, plus que les "
                                           f"{max_size / 2 ** 20:.0f} Mio d'un paquet PoleDesk : il est refusé "
                                           "sans être ouvert.")
        with open(path, "rb") as handle:
            data = handle.read(max_size + 1)
    except OSError as error:
        raise BundleError("unreadable", os_error_message(error, path)) from error
    if len(data) > max_size:
        raise BundleError("too_large", "Le fichier a grandi pendant la lecture : il est refusé.")
    return data


def check_envelope(data: bytes) -> None:
    """Look at the age header before pyrage does: one X25519 recipient, no passphrase, under HEADER_MAX bytes."""
    if not data.startswith(AGE_MAGIC):
        raise BundleError("not_age", "Ce fichier n'est pas un paquet PoleDesk (ce n'est pas un fichier chiffré "
                                     "pour un poste) : il est refusé.")
    end = data.find(b"\n---", 0, HEADER_MAX)
    if end < 0:
        raise BundleError("header_invalid", "L'en-tête de chiffrement du paquet est tronqué ou anormalement long "
                                            f"(plus de {HEADER_MAX} octets) : il est refusé sans être ouvert.")
    stanzas = [line[3:].split(b" ")[0] for line in data[len(AGE_MAGIC):end].split(b"\n") if line.startswith(b"-> ")]
    if b"scrypt" in stanzas:
        raise BundleError("passphrase", "Ce fichier est protégé par une phrase de passe : ce n'est pas un paquet "
                                        "PoleDesk, qui est chiffré pour la clé d'un poste. Il est refusé.")
    if len(stanzas) > MAX_STANZAS or stanzas.count(b"X25519") != 1:
        raise BundleError("recipients", "Un paquet PoleDesk est chiffré pour un seul poste ; celui-ci l'est pour "
                                        f"{stanzas.count(b'X25519')} destinataires : il est refusé sans être ouvert.")


def decrypt(data: bytes, keys: LocalKeys) -> bytes:
    """Decrypt all of it (age checks every chunk) before anything is parsed."""
    try:
        return pyrage.decrypt(data, keys.identities)
    except pyrage.DecryptError as error:
        text = str(error)
        if "No matching keys" in text:
            raise BundleError("not_for_us", "Ce paquet n'est pas chiffré pour ce poste (ou son en-tête a été "
                                            "modifié) : il ne peut pas être ouvert ; rien n'a changé.") from None
        if "MAC" in text:
            raise BundleError("header_tampered", "L'en-tête du paquet a été modifié après son envoi : il est "
                                                 "refusé ; rien n'a changé.") from None
        raise BundleError("damaged", "Le paquet est tronqué ou a été modifié après son envoi (copie incomplète ?) : "
                                     "il est refusé ; rien n'a changé. Demandez-en un nouvel envoi.") from None


@contextmanager
def few_collections() -> Iterator[None]:
    """Python's cyclic collector paused in the block, then put back as it was. Opening and merging a bundle
    makes some hundred thousand small dicts and lists that live until the merge ends; the collector, run every
    few hundred allocations, would walk them again and again (a third of a merge's time). Reference counting
    frees them all the same; only cycles wait for the collector's next run."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def open_bundle(data: bytes, keys: LocalKeys) -> Opened:
    """Envelope, decryption, magic line and manifest: everything that needs no store."""
    check_envelope(data)
    plain = decrypt(data, keys)
    parts = plain.split(b"\n", 3)
    if not parts[0].startswith(MAGIC_FAMILY):
        raise BundleError("magic", "Ce fichier chiffré n'est pas un paquet PoleDesk : il est refusé.")
    if parts[0] != MAGIC:
        raise BundleError("format_newer", "Ce paquet a été écrit par une version plus récente de PoleDesk : "
                                          "mettez à jour PoleDesk, puis importez-le de nouveau. Rien n'a changé.")
    if len(parts) < 4 or len(parts[1]) > MANIFEST_MAX:
        raise BundleError("manifest", "Le manifeste du paquet est incomplet : il est refusé ; rien n'a changé.")
    if not parts[2].strip():
        raise BundleError("unsigned", "Le paquet n'est pas signé : on ne peut pas savoir qui l'a écrit. Il est "
                                      "refusé ; rien n'a changé.")
    manifest = _manifest(parts[1])
    return Opened(manifest, parts[1], parts[2].decode("ascii", "replace"), parts[3])


def nesting_depth(raw: bytes) -> int:
    """How deeply JSON arrays and objects nest in `raw`, counted before parsing (json recurses once per level)."""
    if raw.count(b"[") + raw.count(b"{") <= NESTING_MAX:      # the common case: never deeper than that
        return raw.count(b"[") + raw.count(b"{")
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub(b'""', raw)):
        depth += 1 if bracket in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _manifest(raw: bytes) -> dict[str, Any]:
    bad = BundleError("manifest", "Le manifeste du paquet est illisible ou incomplet : il est refusé ; rien n'a "
                                  "changé.")
    if nesting_depth(raw) > NESTING_MAX:
        raise bad
    try:
        manifest = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(manifest, dict) or set(manifest) != MANIFEST_KEYS or not _well_typed(manifest):
        raise bad
    if manifest["format"] != FORMAT:
        raise BundleError("format_newer", f"Ce paquet est au format « {manifest['format']} », que cette version "
                                          "de PoleDesk ne connaît pas : mettez à jour PoleDesk. Rien n'a changé.")
    return manifest


def _well_typed(m: dict[str, Any]) -> bool:
    def party(value: Any) -> bool:
        return isinstance(value, dict) and set(value) == PARTY_KEYS and all(isinstance(v, str) for v in value.values())

    def count(value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= SEQUENCE_MAX

    payload, counts = m["payload"], m["counts"]
    return (all(isinstance(m[k], str) for k in ("format", "schema", "app_version", "bundle_id", "kind",
                                                 "created_at", "state_digest"))
            and bool(SCHEMA.fullmatch(m["schema"])) and bool(UID.fullmatch(m["bundle_id"])) and m["kind"] in KINDS
            and party(m["sender"]) and party(m["recipient"]) and count(m["sequence"]) and m["sequence"] >= 1
            and count(m["acknowledged"]) and isinstance(counts, dict)
            and all(k in ORDER and count(v) for k, v in counts.items())
            and isinstance(payload, dict) and set(payload) == {"sha256", "length"}
            and isinstance(payload["sha256"], str) and count(payload["length"]))
