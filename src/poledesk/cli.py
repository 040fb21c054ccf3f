"""The command line: no argument opens the window; sub-commands do the headless jobs, in French."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from poledesk import __version__, paths
from poledesk.commands.console import end_progress, print_progress
from poledesk.data.errors import PoleDeskError

EXIT_OK, EXIT_ERROR, EXIT_REFUSED = 0, 1, 2

# Each module adds its sub-commands with register(commands); a handler is handler(args, folder) -> exit code.
# They import what their work needs inside the handler, so `poledesk --help` stays instant.
COMMAND_MODULES = (
    "poledesk.commands.spreadsheets",
    "poledesk.commands.escalations",
    "poledesk.commands.conventions",
    "poledesk.commands.trainings",
    "poledesk.commands.sync",
    "poledesk.commands.reports",
    "poledesk.commands.planning",
    "poledesk.commands.rules",
    "poledesk.commands.protection",
    "poledesk.commands.privacy",
)


class FrenchParser(argparse.ArgumentParser):
    """argparse speaking French, with --data-dir accepted before or after any sub-command."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # SUPPRESS: a sub-command that is not given --data-dir keeps what the main command line said.
        self.add_argument("--data-dir", default=argparse.SUPPRESS, metavar="DOSSIER",
                          help="dossier de données (sinon POLEDESK_DATA_DIR, sinon le dossier de l'utilisateur)")

    def format_help(self) -> str:
        return _in_french(super().format_help())

    def format_usage(self) -> str:
        return _in_french(super().format_usage())

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)   # format_usage: in French
        message = (message.replace("the following arguments are required", "arguments obligatoires manquants")
                   .replace("unrecognized arguments", "arguments inconnus")
                   .replace("invalid choice", "choix invalide").replace("choose from", "au choix")
                   .replace("expected one argument", "une valeur est attendue")
                   .replace("invalid int value", "nombre entier attendu"))
        self.exit(EXIT_REFUSED, f"{self.prog} : erreur : {message}\n")


ARGPARSE_WORDS = (("usage:", "utilisation :"), ("positional arguments:", "arguments :"), ("options:", "options :"),
                  ("show this help message and exit", "afficher cette aide et quitter"),
                  ("show program's version number and exit", "afficher la version et quitter"))


def _in_french(text: str) -> str:
    for english, french in ARGPARSE_WORDS:
        text = text.replace(english, french)
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchParser(prog="poledesk", description="PoleDesk, l'outil des pôles de stages.")
    parser.set_defaults(data_dir=None, handler=None)
    parser.add_argument("--version", action="version", version=f"PoleDesk {__version__}")
    parser.add_argument("--demo", action="store_true",
                        help="ouvrir la fenêtre sur un pôle de démonstration si le dossier est vide")
    parser.add_argument("--smoke", action="store_true",
                        help="ouvrir la fenêtre puis quitter dès qu'elle est affichée (vérifier une installation)")
    commands = parser.add_subparsers(dest="command", metavar="COMMANDE")
    _add_store_commands(commands)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)
    return parser


def _add_store_commands(commands: argparse._SubParsersAction[FrenchParser]) -> None:
    init = commands.add_parser("init", help="configurer un dossier de données vide")
    roles = init.add_subparsers(dest="role", required=True, metavar="RÔLE")
    pole = roles.add_parser("pole", help="ce poste est celui d'un pôle de stages")
    pole.add_argument("code", help="code du pôle, par exemple NM-07")
    pole.add_argument("--name", required=True, help="nom du pôle")
    pole.add_argument("--bassin", required=True, help="bassin d'éducation et de formation")
    pole.add_argument("--academie", required=True, help="académie")
    pole.add_argument("--animateur", default="", help="nom de l'animateur ou de l'animatrice")
    coordinator = roles.add_parser("coordinator", help="ce poste est celui de la coordination académique")
    coordinator.add_argument("academie", help="académie")
    for role in (pole, coordinator):   # after the role's arguments, where one writes it
        role.add_argument("--recovery-sheet", type=Path, default=None, metavar="PDF",
                          help="où écrire la feuille de secours (par défaut : le dossier courant)")
    init.set_defaults(handler=cmd_init)

    demo = commands.add_parser("demo", help="remplir un dossier vide avec un pôle (ou une académie) fictif")
    demo.add_argument("--scale", choices=("pole", "academy"), default="pole")
    demo.add_argument("--seed", type=int, default=2026)
    demo.set_defaults(handler=cmd_demo)

    commands.add_parser("check", help="vérifier l'intégrité de la base").set_defaults(handler=cmd_check)
    commands.add_parser("backup", help="sauvegarder une copie de la base").set_defaults(handler=cmd_backup)


def main(argv: Sequence[str] | None = None) -> int:
    from poledesk.logs import setup_logging

    ensure_streams()
    args = build_parser().parse_args(argv)
    paths.owner_only_files()
    folder = paths.data_dir(args.data_dir)
    if args.handler is None:
        from poledesk.ui.app import run_app

        return run_app(folder, demo=args.demo, smoke=args.smoke)
    setup_logging(folder, console=False)
    try:
        code: int = args.handler(args, folder)
        return code
    except PoleDeskError as error:   # the one place: the French message, no traceback
        end_progress()
        print(f"Erreur : {error.message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("Interrompu : rien n'a été modifié.", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:   # `poledesk … | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # a system fault (a file missing, a full disk…) said in French, no traceback
        from poledesk.data.system_errors import system_fault_message

        message = system_fault_message(error)
        if message is None:
            raise
        end_progress()
        print(f"Erreur : {message}", file=sys.stderr)
        return EXIT_REFUSED


def ensure_streams() -> None:
    """Streams every command can print to, whatever started it.

    A windowed executable on Windows (the PoleDesk.exe of the standalone build, pythonw) has no console:
    sys.stdout and sys.stderr are None, and the first print() would raise. They go to the null device then.
    A console whose code page lacks a character (cp850, cp1252: no box-drawing line) shows '?' instead of failing.
    """
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 (lives as long as the process)
        elif hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def cmd_init(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.commands import protection
    from poledesk.data import encryption, identity
    from poledesk.data.db import open_store

    new = None
    if encryption.store_state(folder) == "new":   # a real pole or coordinator: its store is encrypted from the start
        new = encryption.protect_new_folder(folder, *protection.new_passphrase())
        store = open_store(folder, key=new.key)
    else:
        store = protection.open_cli_store(folder)
    try:
        with store.transaction() as session:
            if args.role == "pole":
                ident = identity.init_pole(session, args.code, name=args.name, bassin=args.bassin,
                                           academie=args.academie, animator=args.animateur)
            else:
                ident = identity.init_coordinator(session, args.academie)
    except BaseException:
        store.close()
        if new is not None:   # refused identity: the folder goes back to empty (no key without its sheet)
            encryption.discard_new_store(folder)
        raise
    store.close()
    print(f"Dossier configuré : {ident.title}.")
    print(f"Base : {paths.store_file(folder)}" + (" (chiffrée)" if store.encrypted else ""))
    if new is not None:
        protection.write_sheet(args.recovery_sheet, folder, recovery_key=new.recovery_key, store_id=new.store_id,
                               title=ident.title)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, folder: Path) -> int:
    import time

    from poledesk.commands import protection
    from poledesk.data import encryption, vault
    from poledesk.data.db import open_store
    from poledesk.data.demo import build as demo

    passphrase = vault.passphrase_from_environment()
    if passphrase is not None and encryption.store_state(folder) == "new":   # fictitious data: clear unless asked
        store = open_store(folder, key=encryption.protect_new_folder(folder, passphrase, passphrase).key)
    else:
        store = protection.open_cli_store(folder)
    started = time.perf_counter()
    try:
        summary = demo.create_demo_store(store, scale=args.scale, seed=args.seed, progress=print_progress)
    finally:
        store.close()
    end_progress()
    print(f"Démonstration créée en {time.perf_counter() - started:.1f} s : {summary.describe()}.")
    return EXIT_OK


def cmd_check(_args: argparse.Namespace, folder: Path) -> int:
    from poledesk.commands.protection import store_key
    from poledesk.data.db import check_store

    file = paths.store_file(folder)
    problems = check_store(file, key=store_key(folder) if file.exists() else None)
    if problems:
        print(f"La base « {file} » a des problèmes :", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return EXIT_ERROR
    print(f"La base « {file} » est saine (intégrité et références vérifiées).")
    return EXIT_OK


def cmd_backup(_args: argparse.Namespace, folder: Path) -> int:
    from poledesk.commands.protection import open_cli_store

    store = open_cli_store(folder, create=False)
    try:
        target = store.backup("manuelle")
    finally:
        store.close()
    print(f"Copie de sauvegarde écrite : {target}")
    return EXIT_OK
