"""French communes (Etalab): postcode ↔ commune checks, and where a commune lies (département, intercommunalité)."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from poledesk import paths
from poledesk.data.text import fold
from poledesk.data.validation import InvalidValue

COMMUNES_FILE = "communes.csv"
_SAINT = re.compile(r"\b(st|ste)\b")


@dataclass(frozen=True, slots=True)
class Place:
    """Where a commune lies: its INSEE code, its département and its EPCI (intercommunalité), '' if none."""

    insee: str
    name: str
    departement: str
    epci: str


def name_key(name: str) -> str:
    """'St-Dié des Vosges' and 'Saint-Dié-des-Vosges' give the same key."""
    folded = re.sub(r"[-'’\s]+", " ", fold(name)).strip()
    return _SAINT.sub(lambda m: "saint" if m.group(1) == "st" else "sainte", folded)


@cache
def _by_postcode() -> dict[str, tuple[Place, ...]]:
    index: dict[str, list[Place]] = defaultdict(list)
    with paths.resource(COMMUNES_FILE).open(encoding="utf-8") as handle:
        rows = csv.reader((line for line in handle if not line.startswith("#")), delimiter=";")
        next(rows)
        for postcode, insee, name, departement, epci in rows:
            index[postcode].append(Place(insee, name, departement, epci))
    return {postcode: tuple(places) for postcode, places in index.items()}


def communes_of_postcode(postcode: str) -> list[str]:
    """The communes that use a postcode, by name; [] for a postcode the list does not know (a CEDEX...)."""
    return [place.name for place in _by_postcode().get(postcode.strip(), ())]


@cache
def _by_name_key(postcode: str) -> dict[str, Place]:
    """The communes of one postcode by name_key (a postcode is asked again and again in an import)."""
    found: dict[str, Place] = {}
    for place in _by_postcode().get(postcode, ()):
        found.setdefault(name_key(place.name), place)
    return found


def locate(postcode: str, commune: str) -> Place | None:
    """The commune of that name with that postcode, or None if the list does not know the pair."""
    return _by_name_key(postcode.strip()).get(name_key(commune))


def postcode_in_light_of(postcode: str, commune: str) -> str:
    """A postcode that lost digits in a spreadsheet ("5400", "1000" for 01000), read against its commune: the one
    postcode of that commune that begins with the digits kept, or that they are once its leading zeros are
    dropped. The postcode is returned unchanged when it already fits the commune, or when nothing (or more than
    one postcode) would fit."""
    typed = postcode.strip()
    if not typed.isdigit() or not commune.strip() or locate(typed, commune) is not None:
        return typed
    digits = typed.lstrip("0")
    if not digits or len(digits) >= 5:
        return typed
    found = {code for code in _postcodes_by_name().get(name_key(commune), ())
             if code.startswith(digits) or code.lstrip("0") == digits}
    return found.pop() if len(found) == 1 else typed


@cache
def _postcodes_by_name() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = defaultdict(list)
    for code, places in _by_postcode().items():
        for place in places:
            index[name_key(place.name)].append(code)
    return {key: tuple(codes) for key, codes in index.items()}


def check_commune(postcode: str, commune: str) -> str:
    """The commune's official spelling, if the postcode is known and the commune uses it.

    A postcode the list does not know (a CEDEX code, a new one) is not held against the user: the commune
    is then kept as typed.
    """
    commune = " ".join(commune.split())
    known = communes_of_postcode(postcode)
    if not known:
        return commune
    place = locate(postcode, commune)
    if place is not None:
        return place.name
    listed = ", ".join(known[:6]) + (" …" if len(known) > 6 else "")
    raise InvalidValue(f"« {commune} » n'a pas le code postal {postcode.strip()} ; communes de ce code postal : "
                       f"{listed}.")
