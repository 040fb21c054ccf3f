"""The demo builder's base: its draws (picks, people, phones, addresses), unique SIRETs and UAIs, dates, the write."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from poledesk.data.demo import names as words
from poledesk.data.enums import LegalKind
from poledesk.data.models import Travelling
from poledesk.data.text import fold, school_year_start

T = TypeVar("T")
Record = TypeVar("Record", bound=Travelling)

BATCH = 250  # records per flush: keeps memory flat and lets progress and cancel come often
UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
# School holidays of zone B, roughly (their dates move a little every year): no period overlaps them.
HOLIDAYS = (((10, 17), (11, 2)), ((12, 19), (1, 3)), ((2, 13), (3, 1)), ((4, 10), (4, 26)), ((7, 4), (8, 31)))
LANDLINE = {"54": "03 83", "57": "03 87", "55": "03 29", "88": "03 29"}


class SharedIds:
    """What must stay unique across the poles of one build."""

    def __init__(self) -> None:
        self.sirets: set[str] = set()
        self.uais: set[str] = set()
        # Partners without a SIRET that several poles of one department know (the académie's shared partners).
        self.regional: dict[str, list[tuple[str, str, str, str]]] = {}


@dataclass(slots=True)
class Person:
    """Someone the demo invents; `woman` picks the feminine of a role (« directrice », « gérante »)."""

    first: str
    last: str
    woman: bool

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


class DemoBuilder:
    """Builds one pole's records; every random draw comes from `rng`, in a fixed order.

    The stages come in layers, each building on the records of the one below: demo_network (schools and the
    partner network), demo_escalations (pupils and escalations), demo_activity (placements, trainings, actions).
    """

    def __init__(self, session: Session, bassin: words.BassinSpec, *, rng: random.Random, animator: str,
                 today: date, shared: SharedIds, counts: Counter[str]) -> None:
        self.session, self.bassin, self.rng, self.today = session, bassin, rng, today
        self.shared, self.counts = shared, counts
        self.code, self.animator = bassin.code, animator
        start_year = school_year_start(today).year
        self.year_start = date(start_year, 9, 1)
        self.previous_start = date(start_year - 1, 9, 1)
        self.holidays = [(date(year + (m1 < 9), m1, d1), date(year + (m2 < 9), m2, d2))
                         for year in (start_year, start_year + 1) for (m1, d1), (m2, d2) in HOLIDAYS]

    # -- draws and writes ---------------------------------------------------------------------------------------------
    def new(self, model: type[Record], **values: Any) -> Record:
        obj = model(**values)
        obj.owner = self.code
        return obj

    def save(self, objects: Sequence[Travelling], counter: str | None = None) -> None:
        for start in range(0, len(objects), BATCH):
            self.session.add_all(objects[start:start + BATCH])
            self.session.flush()
        if counter:
            self.counts[counter] += len(objects)

    def pick(self, items: Sequence[T], weights: Sequence[float] | None = None) -> T:
        return self.rng.choices(items, weights)[0] if weights else self.rng.choice(items)

    def commune(self) -> tuple[str, str]:
        name, postcode, _ = self.pick(self.bassin.communes, [c[2] for c in self.bassin.communes])
        return name, postcode

    def person(self, *, young: bool = False) -> Person:
        woman = self.rng.random() < 0.5
        firsts = (words.GIRLS if woman else words.BOYS) if young else (words.WOMEN if woman else words.MEN)
        return Person(self.rng.choice(firsts), self.rng.choice(words.SURNAMES), woman)

    def phone(self, postcode: str) -> str:
        r = self.rng
        return f"{LANDLINE[postcode[:2]]} {r.randint(10, 99)} {r.randint(0, 99):02d} {r.randint(0, 99):02d}"

    def mobile(self) -> str:
        r = self.rng
        return f"0{r.choice('67')} {r.randint(10, 99)} {r.randint(0, 99):02d} {r.randint(0, 99):02d} " \
               f"{r.randint(0, 99):02d}"

    def address(self) -> str:
        street = self.rng.choice(words.STREETS)
        return street if street.startswith("zone") else f"{self.rng.randint(1, 160)} {street}"

    def working_day_since(self, first: date) -> date:
        """A day from `first` to today, Monday to Friday, not in the summer break (when the pole is closed)."""
        while True:
            day = weekday_on_or_before(self.days_ago(0, (self.today - first).days - 3))
            if not (7, 14) <= (day.month, day.day) <= (8, 24):
                return day

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def role(self, pair: tuple[str, str], who: Person) -> str:
        return pair[1] if who.woman else pair[0]

    # -- school calendar ----------------------------------------------------------------------------------------------
    def in_holidays(self, start: date, end: date) -> bool:
        return any(start <= last and first <= end for first, last in self.holidays)

    def in_school_year(self, month_day: tuple[int, int]) -> date:
        month, day = month_day
        return date(self.year_start.year + (month < 9), month, day)

    # -- identifiers --------------------------------------------------------------------------------------------------
    def siret(self, kind: LegalKind, postcode: str) -> str | None:
        """A SIRET that passes the Luhn check (SIREN key, then the 14 digits), or None for some associations."""
        r, department = self.rng, postcode[:2]
        if kind is LegalKind.ASSOCIATION and r.random() < 0.3:
            return None
        while True:
            body = {LegalKind.LOCAL_AUTHORITY: f"21{department}{r.randint(0, 9999):04d}",
                    LegalKind.PUBLIC_BODY: f"26{department}{r.randint(0, 9999):04d}",
                    LegalKind.ADMINISTRATION: f"11{r.randint(0, 999999):06d}",
                    LegalKind.ASSOCIATION: f"{r.choice('4578')}{r.randint(0, 9999999):07d}"}.get(
                kind, f"{r.randint(3, 9)}{r.randint(0, 9999999):07d}")
            siren = body + _luhn_key(body)
            nic = f"{r.choice((1, 1, 1, 1, 2, 2, 3, 4, 5, 7)):04d}"
            siret = siren + nic + _luhn_key(siren + nic)
            if siret not in self.shared.sirets and not siren.startswith("356000000"):  # La Poste has its own rule
                self.shared.sirets.add(siret)
                return siret

    def uai(self, postcode: str) -> str:
        while True:
            body = f"0{postcode[:2]}{self.rng.randint(0, 9999):04d}"
            uai = body + UAI_LETTERS[int(body) % 23]
            if uai not in self.shared.uais:
                self.shared.uais.add(uai)
                return uai


def _luhn_key(body: str) -> str:
    """The digit that, appended to `body`, makes the whole pass the Luhn check."""
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char) * (2 if position % 2 == 0 else 1)  # doubled: odd places once the key is appended
        total += digit - 9 if digit > 9 else digit
    return str(-total % 10)


def of_place(place: str) -> str:
    """'de Nancy', "d'Épinal", 'du Ban-Saint-Martin': the French preposition before a place name."""
    if place.startswith("Le "):
        return f"du {place[3:]}"
    if place.startswith("Les "):
        return f"des {place[4:]}"
    return f"d'{place}" if fold(place[0]) in "aeiouy" else f"de {place}"


def slug(text: str, separator: str = "-") -> str:
    return re.sub(r"[^a-z0-9]+", separator, fold(text).replace("'", "")).strip(separator)


def email_of(person: Person, domain: str) -> str:
    return f"{slug(person.first)}.{slug(person.last)}@{domain}"


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def monday_on_or_after(day: date) -> date:
    return day + timedelta(days=-day.weekday() % 7)


def weekday_on_or_before(day: date) -> date:
    return day - timedelta(days=max(0, day.weekday() - 4))
