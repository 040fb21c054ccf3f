"""The passphrase on the command line: unlock for every command, protect a store, change or reset its passphrase."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import date
from pathlib import Path

from poledesk.data.db import Store
from poledesk.data.vault import VaultError

ENV_NEW_PASSPHRASE = "POLEDESK_NEW_PASSPHRASE"
TRIES = 3


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    change = commands.add_parser("passphrase", help="changer la phrase secrète de la base chiffrée")
    change.add_argument("--recovery", action="store_true",
                        help="la phrase est perdue : ouvrir avec la clé de secours, puis en choisir une nouvelle")
    change.set_defaults(handler=cmd_passphrase)
    encrypt = commands.add_parser("encrypt", help="chiffrer une base claire (une sauvegarde est prise d'abord)")
    encrypt.add_argument("--recovery-sheet", type=Path, default=None, metavar="PDF",
                         help="où écrire la feuille de secours (par défaut : le dossier courant)")
    encrypt.set_defaults(handler=cmd_encrypt)


def ask_passphrase(prompt: str = "Phrase secrète de la base : ") -> str:
    """POLEDESK_PASSPHRASE, or the terminal (never echoed); empty when neither can answer."""
    from poledesk.data import vault

    given = vault.passphrase_from_environment()
    if given is not None:
        return given
    if not sys.stdin.isatty():
        return ""
    return getpass.getpass(prompt)


def store_key(folder: Path) -> bytes | None:
    """The key of the store in `folder` (None for a clear or new one); VaultError after the allowed tries."""
    from poledesk.data import encryption, vault

    if encryption.store_state(folder) != "encrypted":
        return None
    tries = 1 if vault.passphrase_from_environment() is not None or not sys.stdin.isatty() else TRIES
    for attempt in range(1, tries + 1):
        try:
            return encryption.unlock(folder, ask_passphrase())
        except VaultError as error:
            if attempt == tries or "incorrecte" not in str(error):
                if not vault.passphrase_from_environment() and not sys.stdin.isatty():
                    raise VaultError("La base est chiffrée : donnez sa phrase secrète dans la variable "
                                     "POLEDESK_PASSPHRASE ou lancez la commande dans un terminal. "
                                     "Rien n'a été modifié.") from None
                raise
            print(f"{error} Essai {attempt} sur {tries}.", file=sys.stderr)
    return None


def open_cli_store(folder: Path, *, create: bool = True) -> Store:
    """open_store with the passphrase asked for when the store is encrypted; clear key files are then sealed."""
    from poledesk.data.db import open_store
    from poledesk.sync.keys import seal_existing_keys

    store = open_store(folder, create=create, key=store_key(folder))
    if store.key is not None:
        seal_existing_keys(folder, store.key)
    return store


def new_passphrase() -> tuple[str, str]:
    """A new passphrase, typed twice on the terminal, or POLEDESK_NEW_PASSPHRASE / POLEDESK_PASSPHRASE for scripts."""
    from poledesk.data import vault

    given = os.environ.get(ENV_NEW_PASSPHRASE) or vault.passphrase_from_environment()
    if given:
        return given, given
    if not sys.stdin.isatty():
        raise VaultError("Choisissez une phrase secrète : lancez la commande dans un terminal ou donnez-la dans "
                         "POLEDESK_PASSPHRASE. Rien n'a été modifié.")
    print(f"Choisissez une phrase secrète d'au moins {vault.MIN_PASSPHRASE} caractères : quatre mots au hasard "
          "font une bonne phrase.", file=sys.stderr)
    first = getpass.getpass("Nouvelle phrase secrète : ")
    print(vault.strength_hint(first), file=sys.stderr)
    return first, getpass.getpass("La même, une seconde fois : ")


def write_sheet(target: Path | None, folder: Path, *, recovery_key: str, store_id: str, title: str) -> Path:
    from poledesk.reports.recovery_sheet import write_recovery_sheet

    path = target or Path.cwd() / f"feuille-de-secours-poledesk-{store_id}.pdf"
    write_recovery_sheet(path, recovery_key=recovery_key, store_id=store_id, owner_title=title, folder=folder,
                         printed_on=date.today())
    print(f"Feuille de secours écrite : {path}\nImprimez-la, rangez-la au coffre du pôle, puis supprimez ce fichier : "
          "elle ne sera plus jamais affichée.")
    return path


def cmd_passphrase(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.data import encryption

    if encryption.store_state(folder) != "encrypted":
        print("La base n'est pas chiffrée : utilisez « poledesk encrypt ». Rien n'a été modifié.", file=sys.stderr)
        return 2
    if args.recovery:
        text = getpass.getpass("Clé de secours : ") if sys.stdin.isatty() else sys.stdin.readline()
        key = encryption.unlock_with_recovery(folder, text)
    else:
        key = encryption.unlock(folder, ask_passphrase("Phrase secrète actuelle : "))
    first, second = new_passphrase()
    encryption.set_passphrase(folder, key, first, second)
    print("Phrase secrète changée. La feuille de secours reste valable.")
    return 0


def cmd_encrypt(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.data import encryption, identity
    from poledesk.data.db import open_store
    from poledesk.sync.keys import seal_existing_keys

    if encryption.store_state(folder) != "clear":
        print("Il n'y a pas de base claire à chiffrer dans ce dossier. Rien n'a été modifié.", file=sys.stderr)
        return 2
    store = open_store(folder, create=False)
    try:
        with store.session() as session:
            ident = identity.current_identity(session)
        first, second = new_passphrase()
        new = encryption.encrypt_in_place(store, first, second)
        seal_existing_keys(folder, new.key)
    finally:
        store.close()
    print("Base chiffrée ; la base claire a été sauvegardée puis ses sauvegardes chiffrées aussi.")
    write_sheet(args.recovery_sheet, folder, recovery_key=new.recovery_key, store_id=new.store_id,
                title=ident.title if ident else "PoleDesk")
    return 0
