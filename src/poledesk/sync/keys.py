"""This install's keys (age X25519 to open bundles, Ed25519 to sign them) and the identity cards that carry them."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from poledesk.data.identity import Identity
from poledesk.sync.errors import KeysError
from poledesk.sync.records import canonical

log = logging.getLogger(__name__)

KEYS_DIR = "cles"
AGE_FILE = "identite-age.txt"              # age-keygen's format: `age -d -i identite-age.txt` opens our bundles
SIGNING_FILE = "signature-ed25519.pem"
RETIRED_DIR = "anciennes"                  # keys replaced by a rotation: still open the bundles on their way
CARD_FORMAT = "poledesk-identity-card/1"
CARD_DOMAIN = b"poledesk-identity-card-v1\0"
ROTATION_DOMAIN = b"poledesk-key-rotation-v1\0"
FINGERPRINT_DOMAIN = b"poledesk-key-fingerprint-v1\0"
VERIFICATION_DOMAIN = b"poledesk-verification-code-v1\0"
CARD_MAX_BYTES = 16 * 1024
CARD_FIELDS = frozenset({"format", "role", "code", "name", "academie", "signing_key", "age_recipient",
                         "created_at", "replaces", "signature", "rotation_signature"})
_CREATED = re.compile(r"^# created: (\S+)$", re.MULTILINE)
# A private key file of an encrypted store is sealed with a key derived from the store key (never a clear file).
SEALED_MAGIC = b"POLEDESK-CLE-SCELLEE/1\n"
SEAL_INFO = b"poledesk-private-key-files-v1"


@dataclass(frozen=True, slots=True)
class LocalKeys:
    """This install's secret keys, with the age identities of earlier keys (to open bundles still on their way)."""

    age_identity: Any                      # pyrage.x25519.Identity
    signing_key: Ed25519PrivateKey
    created_at: datetime
    retired: tuple[tuple[Any, str], ...] = ()   # (age identity, fingerprint) of each earlier key pair

    @property
    def recipient(self) -> str:
        return str(self.age_identity.to_public())

    @property
    def verify_key(self) -> str:
        return _b64(self.signing_key.public_key().public_bytes(serialization.Encoding.Raw,
                                                               serialization.PublicFormat.Raw))

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.verify_key, self.recipient)

    @property
    def identities(self) -> list[Any]:
        return [self.age_identity, *(identity for identity, _ in self.retired)]

    @property
    def fingerprints(self) -> frozenset[str]:
        """The current fingerprint and those of the retired keys (a bundle may still be on its way to them)."""
        return frozenset({self.fingerprint, *(fp for _, fp in self.retired)})

    def sign(self, domain: bytes, data: bytes) -> str:
        return _b64(self.signing_key.sign(domain + data))


@dataclass(frozen=True, slots=True)
class Card:
    """A peer's identity card, its self-signature checked."""

    role: str
    code: str
    name: str
    academie: str
    signing_key: str
    age_recipient: str
    created_at: datetime
    replaces: str | None
    rotation_signature: str | None
    body: bytes                            # the canonical JSON both signatures cover

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_key, self.age_recipient)

    def endorsed_by(self, old_signing_key: str) -> bool:
        """A rotation: the card names `old_signing_key` as the key it replaces, and that key signed it."""
        return (self.replaces == old_signing_key and self.rotation_signature is not None
                and verify(old_signing_key, self.rotation_signature, domain=ROTATION_DOMAIN, data=self.body))


# -- fingerprints and signatures -------------------------------------------------------------------------------
def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def fingerprint(verify_key: str, recipient: str) -> str:
    """SHA-256 over both public keys of an install: one name for the pair a bundle is signed and sealed with."""
    both = verify_key.encode("ascii") + b"\0" + recipient.encode("ascii")
    return hashlib.sha256(FINGERPRINT_DOMAIN + both).hexdigest()


def verification_code(own_fingerprint: str, peer_fingerprint: str) -> str:
    """30 digits in 6 groups of 5, the same on both installs: read aloud by phone before trusting a peer."""
    first, second = sorted((own_fingerprint, peer_fingerprint))
    digest = hashlib.sha256(VERIFICATION_DOMAIN + first.encode() + b"\0" + second.encode()).digest()
    digits = f"{int.from_bytes(digest, 'big') % 10 ** 30:030d}"
    return " ".join(digits[i:i + 5] for i in range(0, 30, 5))


def verify(verify_key: str, signature: str, *, domain: bytes, data: bytes) -> bool:
    """Whether `signature` (base64) is `verify_key`'s Ed25519 signature of domain + data."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(verify_key, validate=True))
        key.verify(base64.b64decode(signature, validate=True), domain + data)
    except (InvalidSignature, ValueError, binascii.Error, TypeError):
        return False
    return True


# -- key files ---------------------------------------------------------------------------------------------------
def keys_dir(folder: Path) -> Path:
    return folder / KEYS_DIR


def has_keys(folder: Path) -> bool:
    return (keys_dir(folder) / AGE_FILE).exists() and (keys_dir(folder) / SIGNING_FILE).exists()


def ensure_keys(folder: Path, *, secret: bytes | None = None) -> LocalKeys:
    """The keys of the install in `folder`, created on first use; `secret` is the store key of an encrypted store."""
    return load_keys(folder, secret=secret) if has_keys(folder) else create_keys(folder, secret=secret)


def _seal_key(secret: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=SEAL_INFO).derive(secret)


def seal(data: bytes, secret: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    return SEALED_MAGIC + nonce + AESGCM(_seal_key(secret)).encrypt(nonce, data, SEALED_MAGIC)


def unseal(data: bytes, secret: bytes | None) -> bytes:
    """The clear content of a key file; a sealed one needs the store key."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not data.startswith(SEALED_MAGIC):
        return data
    if secret is None:
        raise ValueError("fichier scellé : la base chiffrée doit être ouverte")
    body = data[len(SEALED_MAGIC):]
    try:
        return AESGCM(_seal_key(secret)).decrypt(body[:12], body[12:], SEALED_MAGIC)
    except InvalidTag:
        raise ValueError("fichier scellé par une autre base") from None


def seal_existing_keys(folder: Path, secret: bytes) -> int:
    """Clear key files left by an earlier version (or before the store was encrypted) sealed in place; how many."""
    from poledesk.data.files import write_atomically

    sealed = 0
    directory = keys_dir(folder)
    for path in [*directory.glob(AGE_FILE), *directory.glob(SIGNING_FILE),
                 *(directory / RETIRED_DIR).glob(f"*/{AGE_FILE}"),
                 *(directory / RETIRED_DIR).glob(f"*/{SIGNING_FILE}")]:
        data = path.read_bytes()
        if not data.startswith(SEALED_MAGIC):
            write_atomically(path, seal(data, secret))
            sealed += 1
    return sealed


def create_keys(folder: Path, *, secret: bytes | None = None) -> LocalKeys:
    """New keys in folder/cles (folder 700, files 600); refused if this install has keys already.

    With `secret` (the store key of an encrypted store) the files are sealed with it.
    """
    if has_keys(folder):
        raise KeysError("keys_exist", "Ce poste a déjà ses clés : elles n'ont pas été remplacées.")
    directory = keys_dir(folder)
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    keys = LocalKeys(pyrage.x25519.Identity.generate(), Ed25519PrivateKey.generate(),
                     datetime.now(UTC).replace(microsecond=0, tzinfo=None))
    _write_keys(directory, keys, secret)
    return load_keys(folder, secret=secret)


def _write_keys(directory: Path, keys: LocalKeys, secret: bytes | None) -> None:
    created = keys.created_at.isoformat() + "Z"
    age_text = f"# created: {created}\n# public key: {keys.recipient}\n{keys.age_identity}\n"
    pem = keys.signing_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption())
    for name, data in ((AGE_FILE, age_text.encode("ascii")), (SIGNING_FILE, pem)):
        _write_private(directory / name, seal(data, secret) if secret is not None else data)


def _write_private(path: Path, data: bytes) -> None:
    """Create a file readable by its user only (mode 600 from the start), written through to the disk."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, 0o600)


def load_keys(folder: Path, *, secret: bytes | None = None) -> LocalKeys:
    """This install's keys; with the store key of an encrypted store, clear key files are sealed first."""
    directory = keys_dir(folder)
    if not has_keys(folder):
        raise KeysError("no_keys", "Ce poste n'a pas encore de clés : créez-les (« poledesk keys init »).")
    if secret is not None and seal_existing_keys(folder, secret):
        log.info("clear private key files sealed with the store key")
    current = _read_pair(directory, secret)
    retired = tuple((old.age_identity, old.fingerprint)
                    for old in (_read_pair(d, secret) for d in sorted((directory / RETIRED_DIR).glob("*/"))))
    return LocalKeys(current.age_identity, current.signing_key, current.created_at, retired)


def _read_pair(directory: Path, secret: bytes | None) -> LocalKeys:
    try:
        age_identity, created = _read_age(directory / AGE_FILE, secret)
        signing = serialization.load_pem_private_key(unseal((directory / SIGNING_FILE).read_bytes(), secret),
                                                     password=None)
    except (OSError, ValueError, StopIteration, pyrage.IdentityError) as error:
        raise KeysError("keys_unreadable", f"Les clés de ce poste sont illisibles ({error}) : restaurez le "
                                           f"dossier « {directory} » d'une sauvegarde.") from error
    if not isinstance(signing, Ed25519PrivateKey):
        raise KeysError("keys_unreadable", "La clé de signature de ce poste n'est pas une clé Ed25519.")
    return LocalKeys(age_identity, signing, created)


def _read_age(path: Path, secret: bytes | None) -> tuple[Any, datetime]:
    text = unseal(path.read_bytes(), secret).decode("ascii")
    identity = next(line for line in text.splitlines() if line.startswith("AGE-SECRET-KEY-"))
    match = _CREATED.search(text)
    created = datetime.fromisoformat(match.group(1).rstrip("Z")) if match else datetime.fromtimestamp(
        path.stat().st_mtime, UTC).replace(tzinfo=None)
    return pyrage.x25519.Identity.from_str(identity), created.replace(tzinfo=None, microsecond=0)


def rotate_keys(folder: Path, *, secret: bytes | None = None) -> tuple[LocalKeys, LocalKeys]:
    """New keys for this install; the old ones move to cles/anciennes/ (they still open bundles sent to them).

    Returns (new, old): the new card must be made with `previous=old`, so that peers accept it unchecked.
    """
    old = load_keys(folder, secret=secret)
    directory = keys_dir(folder)
    retired = directory / RETIRED_DIR / datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    retired.mkdir(parents=True)
    os.chmod(directory / RETIRED_DIR, 0o700)
    os.chmod(retired, 0o700)
    for name in (AGE_FILE, SIGNING_FILE):
        os.replace(directory / name, retired / name)
    return create_keys(folder, secret=secret), old


# -- identity cards ----------------------------------------------------------------------------------------------
def make_card(identity: Identity, keys: LocalKeys, *, previous: LocalKeys | None = None) -> bytes:
    """This install's identity card (JSON), self-signed; after a rotation, also signed by the previous key."""
    body = {"format": CARD_FORMAT, "role": identity.role, "code": identity.code, "name": identity.name,
            "academie": identity.academie, "signing_key": keys.verify_key, "age_recipient": keys.recipient,
            "created_at": keys.created_at.isoformat(), "replaces": previous.verify_key if previous else None}
    signed = canonical(body)
    card = {**body, "signature": keys.sign(CARD_DOMAIN, signed),
            "rotation_signature": previous.sign(ROTATION_DOMAIN, signed) if previous else None}
    return json.dumps(card, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8") + b"\n"


def read_card(data: bytes) -> Card:
    """Parse an identity card and check its self-signature; KeysError (French) for anything else."""
    bad = KeysError("card_invalid", "Ce fichier n'est pas une carte d'identité PoleDesk valide (illisible, "
                                    "incomplète ou modifiée) : rien n'a été enregistré.")
    if len(data) > CARD_MAX_BYTES:
        raise bad
    try:
        card = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise bad from None
    if not isinstance(card, dict) or set(card) != CARD_FIELDS or card["format"] != CARD_FORMAT:
        raise bad
    body = {k: v for k, v in card.items() if k not in ("signature", "rotation_signature")}
    texts = ("role", "code", "name", "academie", "signing_key", "age_recipient", "created_at", "signature")
    if not all(isinstance(card[k], str) for k in texts) or not _optional_texts(card):
        raise bad
    signed = canonical(body)
    if not verify(card["signing_key"], card["signature"], domain=CARD_DOMAIN, data=signed):
        raise bad
    try:
        pyrage.x25519.Recipient.from_str(card["age_recipient"])
        created = datetime.fromisoformat(card["created_at"]).replace(tzinfo=None)
    except (pyrage.RecipientError, ValueError):
        raise bad from None
    return Card(card["role"], card["code"], card["name"], card["academie"], card["signing_key"],
                card["age_recipient"], created, card["replaces"], card["rotation_signature"], signed)


def _optional_texts(card: dict[str, Any]) -> bool:
    return all(card[k] is None or isinstance(card[k], str) for k in ("replaces", "rotation_signature"))
