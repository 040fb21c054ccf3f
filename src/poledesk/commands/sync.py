"""`poledesk keys …` and `poledesk bundle …`: this install's keys, its trusted peers, bundles written and imported."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from poledesk.commands.console import print_table
from poledesk.data.text import plural

EXIT_OK, EXIT_REFUSED = 0, 2


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = commands.add_parser("keys", help="les clés de ce poste et ses correspondants de confiance")
    actions = keys.add_subparsers(dest="action", required=True, parser_class=type(keys), metavar="ACTION")
    actions.add_parser("init", help="créer les clés de ce poste (une fois)").set_defaults(handler=run_init)
    actions.add_parser("show", help="les clés de ce poste et l'état de chaque correspondant").set_defaults(
        handler=run_show)
    export_card = actions.add_parser("export-card", help="écrire la carte d'identité de ce poste, à envoyer")
    export_card.add_argument("file", metavar="FICHIER")
    export_card.set_defaults(handler=run_export_card)
    import_card = actions.add_parser("import-card", help="enregistrer la carte d'un correspondant")
    import_card.add_argument("file", metavar="FICHIER")
    import_card.add_argument("--remplacer", action="store_true",
                             help="accepter de nouvelles clés non signées par les anciennes (ordinateur changé)")
    import_card.set_defaults(handler=run_import_card)
    verify = actions.add_parser("verify", help="marquer un correspondant vérifié, une fois le code comparé par "
                                               "téléphone")
    verify.add_argument("peer", metavar="CORRESPONDANT")
    verify.add_argument("--code", help="les 30 chiffres lus par le correspondant (sinon ils sont demandés)")
    verify.set_defaults(handler=run_verify)
    revoke = actions.add_parser("revoke", help="révoquer la clé d'un pôle (ordinateur perdu ou volé)")
    revoke.add_argument("peer", metavar="CORRESPONDANT")
    revoke.add_argument("--apres", type=int, metavar="N", help="refuser ses paquets numérotés après N (par défaut, "
                                                               "le dernier reçu)")
    revoke.set_defaults(handler=run_revoke)
    rotate = actions.add_parser("rotate", help="remplacer les clés de ce poste ; la nouvelle carte est signée par "
                                               "l'ancienne clé")
    rotate.add_argument("file", metavar="FICHIER", help="la nouvelle carte d'identité, à envoyer")
    rotate.set_defaults(handler=run_rotate)
    _register_bundle(commands)


def _register_bundle(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    bundle = commands.add_parser("bundle", help="écrire ou importer un paquet d'échange chiffré")
    actions = bundle.add_subparsers(dest="action", required=True, parser_class=type(bundle), metavar="ACTION")
    export = actions.add_parser("export", help="écrire un paquet pour un correspondant vérifié")
    export.add_argument("--to", required=True, metavar="CORRESPONDANT", help="code du pôle ou de la coordination")
    export.add_argument("--out", required=True, metavar="FICHIER")
    export.add_argument("--full", action="store_true", help="tout envoyer, pas seulement les changements")
    export.add_argument("--recovery", action="store_true", help="coordination : paquet de restauration d'un pôle "
                                                                "(tous ses enregistrements, pour un nouvel ordinateur)")
    export.set_defaults(handler=run_bundle_export)
    imports = actions.add_parser("import", help="importer un ou plusieurs paquets reçus")
    imports.add_argument("files", nargs="+", metavar="FICHIER")
    imports.set_defaults(handler=run_bundle_import)


@contextmanager
def _store(folder: Path) -> Iterator[Any]:
    from poledesk.commands.protection import open_cli_store as open_store

    store = open_store(folder)
    try:
        yield store
    finally:
        store.close()


def run_init(_args: argparse.Namespace, folder: Path) -> int:
    from poledesk.sync import keys

    with _store(folder) as store:
        secret = store.key
    if keys.has_keys(folder):
        print(f"Ce poste a déjà ses clés (empreinte {keys.load_keys(folder, secret=secret).fingerprint[:16]}…) : "
              "rien n'a changé.")
        return EXIT_OK
    created = keys.create_keys(folder, secret=secret)
    print(f"Clés créées dans « {keys.keys_dir(folder)} » (lisibles par vous seul).")
    print(f"Empreinte : {created.fingerprint}")
    return EXIT_OK


def run_show(_args: argparse.Namespace, folder: Path) -> int:
    from poledesk.sync import keys, peers

    with _store(folder) as store, store.session() as session:
        own = keys.load_keys(folder, secret=store.key)
        print(f"Empreinte de ce poste : {own.fingerprint}")
        print(f"Destinataire age : {own.recipient}")
        rows = peers.list_peers(session, own)
    lines: list[tuple[str, ...]] = [(r.code, r.name, r.state, r.verification_code, f"{r.last_sequence_received}",
              f"{r.last_sequence_sent} (accusé {r.acknowledged_by_peer})") for r in rows]
    print_table(("Code", "Nom", "État", "Code de vérification", "Reçu n°", "Envoyé n°"), lines)
    print(plural(len(rows), "correspondant") + ".")
    return EXIT_OK


def run_export_card(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.sync import bundle, keys, peers

    with _store(folder) as store, store.session() as session:
        own = keys.ensure_keys(folder, secret=store.key)
        card = keys.make_card(peers.own_identity(session), own)
    bundle.write_atomically(Path(args.file), card)
    print(f"Carte d'identité écrite : {args.file}")
    print("Envoyez-la à votre correspondant, puis comparez ensemble, par téléphone, le code de vérification.")
    return EXIT_OK


def run_import_card(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.sync import keys, peers

    data = _read(Path(args.file))
    with _store(folder) as store, store.transaction() as session:
        own = keys.ensure_keys(folder, secret=store.key)
        imported = peers.import_card(session, data, keys=own, replace=args.remplacer)
    peer = imported.peer
    print({peers.NEW: f"Correspondant enregistré : {peer.code} ({peer.name}).",
           peers.UNCHANGED: f"Carte déjà connue : {peer.code} ({peer.name}), rien n'a changé.",
           peers.ROTATED: f"Nouvelles clés de {peer.code} acceptées : elles sont signées par les anciennes.",
           peers.REPLACED: f"Clés de {peer.code} remplacées."}[imported.status])
    if not peer.verified:
        print(f"Code de vérification : {peer.verification_code}")
        print(f"Lisez-le par téléphone à {peer.name} : s'il est identique chez lui, lancez "
              f"« poledesk keys verify {peer.code} ».")
    return EXIT_OK


def _read(path: Path) -> bytes:
    from poledesk.sync.errors import KeysError

    try:
        return path.read_bytes()[:65536]
    except OSError as error:
        reason = error.strerror or error
        raise KeysError("unreadable", f"Le fichier « {path} » ne peut pas être lu : {reason}.") from None


def run_verify(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.sync import keys, peers

    with _store(folder) as store, store.transaction() as session:
        own = keys.load_keys(folder, secret=store.key)
        peer = peers.get_peer(session, args.peer)
        code = args.code
        if code is None:
            expected = keys.verification_code(own.fingerprint, peer.fingerprint)
            print(f"Code de vérification de ce poste : {expected}")
            code = _ask("Tapez le code que lit votre correspondant : ")
        row = peers.verify_peer(session, args.peer, keys=own, code_read=code)
    print(f"{row.code} est vérifié : les paquets peuvent être échangés.")
    return EXIT_OK


def _ask(prompt: str) -> str:
    try:
        return input(prompt)
    except EOFError:
        return ""


def run_revoke(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.sync import keys, peers

    with _store(folder) as store, store.transaction() as session:
        own = keys.load_keys(folder, secret=store.key)
        row = peers.revoke_peer(session, args.peer, keys=own, after_sequence=args.apres)
    print(f"Clé de {row.code} révoquée : ses paquets numérotés après {row.revoked_after_sequence} seront refusés.")
    return EXIT_OK


def run_rotate(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.sync import bundle, keys, peers

    with _store(folder) as store, store.session() as session:
        identity = peers.own_identity(session)
        secret = store.key
    new, old = keys.rotate_keys(folder, secret=secret)
    bundle.write_atomically(Path(args.file), keys.make_card(identity, new, previous=old))
    print(f"Nouvelles clés créées ; nouvelle carte écrite : {args.file}")
    print("Envoyez-la à vos correspondants : signée par l'ancienne clé, elle est acceptée sans nouvel appel.")
    return EXIT_OK


def run_bundle_export(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.sync import exchange, keys

    with _store(folder) as store:
        own = keys.load_keys(folder, secret=store.key)
        result = exchange.export_bundle(store, args.to, keys=own, out=Path(args.out), full=args.full,
                                        recovery=args.recovery)
    print(result.describe())
    return EXIT_OK


def run_bundle_import(args: argparse.Namespace, folder: Path) -> int:
    """Each file in turn; a refused one does not stop the others. Exit 2 if any was refused."""
    from poledesk.sync import exchange, keys
    from poledesk.sync.errors import BundleError

    refused, backed_up = 0, False
    with _store(folder) as store:
        own = keys.load_keys(folder, secret=store.key)
        for name in args.files:
            try:
                result = exchange.import_bundle(store, Path(name), keys=own, backup=not backed_up)
            except BundleError as error:
                refused += 1
                print(f"{name} : refusé. {error}", file=sys.stderr)
                continue
            backed_up = backed_up or result.status == exchange.APPLIED   # one backup before the first change
            print(f"{name} : {result.message}")
    return EXIT_REFUSED if refused else EXIT_OK
