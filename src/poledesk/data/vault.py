"""The store's key: a random SQLCipher key, wrapped by a passphrase (Argon2id) in a clear header file beside the store.

How it fits together:
- the store is encrypted by SQLCipher with a random 32-byte key, handed over raw (x'…') so that SQLCipher runs no
  KDF of its own;
- the header file (``poledesk.entete.json``, clear, 0600) holds the Argon2id salt and cost and that key wrapped
  (AES-256-GCM) by the key derived from the passphrase: a wrong passphrase fails the GCM tag and nothing is opened;
- the recovery key printed once on the recovery sheet *is* the store key, written in base32: it opens the store even
  when the passphrase is forgotten or the header is lost, and a new passphrase can then be set;
- changing the passphrase rewrites the header only, in one atomic step, so a crash leaves the old or the new one.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from poledesk.data.errors import StoreError
from poledesk.data.files import write_atomically

HEADER_FILE = "poledesk.entete.json"
HEADER_FORMAT = "poledesk-entete/1"
ENV_PASSPHRASE = "POLEDESK_PASSPHRASE"
# Read only by the test suite, to keep tests fast: a new header then gets the cheapest Argon2 cost.
# The default cost below is never weakened by anything else.
ENV_TEST_KDF = "POLEDESK_TEST_CHEAP_KDF"
KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
MIN_PASSPHRASE = 12
RECOVERY_GROUP = 4
WRAP_DOMAIN = b"poledesk-store-key-v1"


class VaultError(StoreError):
    """A key problem the user can act on; the message is French and says that nothing was modified."""


@dataclass(frozen=True, slots=True)
class KdfCost:
    time_cost: int
    memory_kib: int
    parallelism: int


# About 0.38 s on the reference 2-core machine (benchmarks/encrypted_store.py prints it), inside the unlock
# budget of 0.3 to 0.5 s; 160 MiB makes each guess costly on a GPU as well.
DEFAULT_COST = KdfCost(time_cost=2, memory_kib=160 * 1024, parallelism=1)
TEST_COST = KdfCost(time_cost=1, memory_kib=8, parallelism=1)


@dataclass(frozen=True, slots=True)
class Header:
    store_id: str
    salt: bytes
    cost: KdfCost
    wrapped_key: bytes       # nonce + AES-GCM ciphertext of the store key

    def to_json(self) -> bytes:
        return json.dumps({
            "format": HEADER_FORMAT, "store_id": self.store_id, "kdf": "argon2id",
            "salt": self.salt.hex(), "time_cost": self.cost.time_cost, "memory_kib": self.cost.memory_kib,
            "parallelism": self.cost.parallelism, "wrapped_key": self.wrapped_key.hex(),
        }, indent=2).encode()


def header_file(folder: Path) -> Path:
    return folder / HEADER_FILE


def cost_for_new_header() -> KdfCost:
    return TEST_COST if os.environ.get(ENV_TEST_KDF) == "1" else DEFAULT_COST


def new_store_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def derive(passphrase: str, salt: bytes, cost: KdfCost) -> bytes:
    """Argon2id: the key that wraps the store key."""
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(passphrase.encode("utf-8"), salt, time_cost=cost.time_cost, memory_cost=cost.memory_kib,
                           parallelism=cost.parallelism, hash_len=KEY_BYTES, type=Type.ID)


def make_header(passphrase: str, key: bytes, *, store_id: str | None = None, cost: KdfCost | None = None) -> Header:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # loaded only for an encrypted store

    cost = cost or cost_for_new_header()
    salt = secrets.token_bytes(SALT_BYTES)
    nonce = secrets.token_bytes(NONCE_BYTES)
    wrapped = nonce + AESGCM(derive(passphrase, salt, cost)).encrypt(nonce, key, WRAP_DOMAIN)
    return Header(store_id or secrets.token_hex(6), salt, cost, wrapped)


def write_header(folder: Path, header: Header) -> None:
    """Whole or not at all (a full disk leaves the previous header); owner-only."""
    try:
        write_atomically(header_file(folder), header.to_json())
    except OSError as error:
        raise VaultError(f"Le fichier d'en-tête n'a pas pu être écrit ({error.strerror or error}) : "
                         "la phrase secrète n'a pas changé.") from error


def read_header(folder: Path) -> Header:
    file = header_file(folder)
    if not file.exists():
        raise VaultError(f"Le fichier d'en-tête « {file.name} » manque à côté de la base chiffrée (base copiée "
                         "sans lui ?). Copiez-le depuis le poste d'origine, ou ouvrez la base avec la clé de "
                         "secours. Rien n'a été modifié.")
    try:
        data = json.loads(file.read_bytes())
        if data.get("format") != HEADER_FORMAT or data.get("kdf") != "argon2id":
            raise ValueError("format")
        cost = KdfCost(int(data["time_cost"]), int(data["memory_kib"]), int(data["parallelism"]))
        header = Header(str(data["store_id"]), bytes.fromhex(data["salt"]), cost, bytes.fromhex(data["wrapped_key"]))
        if len(header.salt) < 8 or len(header.wrapped_key) != NONCE_BYTES + KEY_BYTES + 16 or cost.time_cost < 1:
            raise ValueError("sizes")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise VaultError(f"Le fichier d'en-tête « {file.name} » est endommagé : la base ne peut être ouverte "
                         "qu'avec la clé de secours. Rien n'a été modifié.") from error
    return header


def unwrap(header: Header, passphrase: str) -> bytes:
    """The store key, or VaultError if the passphrase is empty or wrong."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not passphrase:
        raise VaultError("Saisissez la phrase secrète : elle ne peut pas être vide.")
    nonce, ciphertext = header.wrapped_key[:NONCE_BYTES], header.wrapped_key[NONCE_BYTES:]
    try:
        return AESGCM(derive(passphrase, header.salt, header.cost)).decrypt(nonce, ciphertext, WRAP_DOMAIN)
    except InvalidTag:
        raise VaultError("Phrase secrète incorrecte. Rien n'a été ouvert ni modifié.") from None


def passphrase_problem(passphrase: str, confirmation: str) -> str | None:
    """Why a new passphrase is refused, in French; None when it is accepted."""
    if not passphrase:
        return "Choisissez une phrase secrète : elle ne peut pas être vide."
    if len(passphrase) < MIN_PASSPHRASE:
        return f"La phrase secrète doit compter au moins {MIN_PASSPHRASE} caractères ({len(passphrase)} saisis)."
    if passphrase != confirmation:
        return "Les deux saisies de la phrase secrète sont différentes."
    if len(set(passphrase)) < 5:
        return "La phrase secrète répète trop les mêmes caractères : choisissez plusieurs mots."
    return None


def strength_hint(passphrase: str) -> str:
    """A short French hint shown while the passphrase is typed."""
    words = len([w for w in passphrase.replace("-", " ").split() if w])
    kinds = sum(any(test(c) for c in passphrase) for test in (str.islower, str.isupper, str.isdigit,
                                                               lambda c: not c.isalnum()))
    if len(passphrase) < MIN_PASSPHRASE:
        return f"Trop courte : au moins {MIN_PASSPHRASE} caractères. Quatre mots au hasard font une bonne phrase."
    if len(passphrase) >= 20 and (words >= 4 or kinds >= 3):
        return "Solide."
    if words >= 3 or kinds >= 3:
        return "Correcte : un mot de plus la rendrait solide."
    return "Faible : ajoutez des mots, des chiffres ou des signes."


def format_recovery_key(key: bytes) -> str:
    """The store key in base32, in groups of four: what the recovery sheet prints."""
    text = base64.b32encode(key).decode().rstrip("=")
    return "-".join(text[i:i + RECOVERY_GROUP] for i in range(0, len(text), RECOVERY_GROUP))


def parse_recovery_key(text: str) -> bytes:
    cleaned = "".join(c for c in text.upper() if c.isalnum())
    expected = len(base64.b32encode(bytes(KEY_BYTES)).decode().rstrip("="))
    if len(cleaned) != expected:
        raise VaultError(f"La clé de secours compte {expected} caractères (lettres A à Z et chiffres 2 à 7) ; "
                         f"{len(cleaned)} ont été saisis. Rien n'a été modifié.")
    try:
        return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except binascii.Error:
        raise VaultError("La clé de secours ne contient que des lettres A à Z et des chiffres 2 à 7 : "
                         "vérifiez la saisie. Rien n'a été modifié.") from None


def passphrase_from_environment() -> str | None:
    return os.environ.get(ENV_PASSPHRASE) or None
