"""Records in their bundle form: which fields travel, how values and references are written, and their hash."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Enum, Integer, String, Table, Time

from poledesk.data import fields as limits
from poledesk.data.clock import Hlc
from poledesk.data.models import (
    TRAVELLING_MODELS,
    Travelling,
    action_establishment,
    action_partner,
    offer_reservation,
)

SYNC_COLUMNS = ("id", "uid", "owner", "hlc", "updated_at", "deleted_at")
DERIVED = {"search_key": "*", "sector": "partner"}   # column -> table: recomputed where the record lands, not sent
RECORD_KEYS = frozenset({"table", "uid", "owner", "hlc", "updated_at", "deleted_at", "fields"})
MINOR = "is_minor"                   # the pupil's one computed field: minor or not at the period

# What stays on the pole's laptop (DOMAIN.md, "Pupil data"): a pupil's identity, its health flags (PAI,
# disability: pseudonymous health data is still personal data; equity_count carries the counts instead), and
# any free text written about a pupil. A bundle carrying one of these fields is refused, so a tampered bundle
# cannot smuggle them in.
NEVER_TRAVEL: dict[str, frozenset[str]] = {
    "pupil": frozenset({"first_name", "last_name", "birth_date", "class_name", "representative_name",
                        "representative_email", "representative_phone", "needs", "has_pai", "has_disability"}),
    "escalation": frozenset({"asked_by_name", "asked_by_email", "mobility_commune", "mobility_postcode",
                             "mobility_means", "status_reason", "outcome", "needs_accessibility", "needs_pai"}),
    "escalation_event": frozenset({"reason"}),
    "proposal": frozenset({"refusal_reason"}),
    "placement": frozenset({"referent_teacher_name", "referent_teacher_email", "activities", "skills", "meals",
                            "transport", "accommodation", "gratification", "signed_copy_file"}),
    "amendment": frozenset({"reason", "changes"}),
}
# Association tables travel inside their parent record, as sorted lists of the children's uids.
LINKS: dict[str, tuple[tuple[str, Table, str, str, str], ...]] = {
    "hosting_offer": (("reserved_to", offer_reservation, "offer_id", "establishment_id", "establishment"),),
    "action": (("partners", action_partner, "action_id", "partner_id", "partner"),
               ("establishments", action_establishment, "action_id", "establishment_id", "establishment")),
}
UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")   # use with fullmatch
NODE = re.compile(r"[0-9A-Za-z_]{1,32}")


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One travelling column: its key in the bundle ('partner_uid' for partner_id) and how to read its value."""

    key: str
    column: str
    kind: str                        # str, int, bool, date, datetime, time, enum, ref
    nullable: bool
    length: int | None = None
    enum: type[StrEnum] | None = None
    target: str | None = None        # the referenced table, for a ref


@dataclass(frozen=True, slots=True)
class LinkSpec:
    key: str
    table: Table
    parent_column: str
    child_column: str
    target: str


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    model: type[Travelling]
    table: Table
    fields: tuple[FieldSpec, ...]
    links: tuple[LinkSpec, ...]
    local_only: frozenset[str]
    keys: frozenset[str]             # every key of the record's "fields", links and computed fields included


def _field(column: Column[Any]) -> FieldSpec:
    nullable = bool(column.nullable)
    if column.foreign_keys:
        target = next(iter(column.foreign_keys)).column.table.name
        return FieldSpec(column.name.removesuffix("_id") + "_uid", column.name, "ref", nullable, target=target)
    kind_of = column.type
    if isinstance(kind_of, Enum):
        return FieldSpec(column.name, column.name, "enum", nullable, enum=kind_of.enum_class)  # type: ignore[arg-type]  # enums.py: StrEnums
    for sql_type, kind in ((Boolean, "bool"), (Integer, "int"), (DateTime, "datetime"), (Date, "date"),
                           (Time, "time"), (String, "str")):
        if isinstance(kind_of, sql_type):
            length = getattr(kind_of, "length", None) if kind == "str" else None
            return FieldSpec(column.name, column.name, kind, nullable, length=length)
    raise TypeError(f"unsupported column type for sync: {column.table.name}.{column.name}")


def _spec(model: type[Travelling]) -> TableSpec:
    table: Table = model.__table__  # type: ignore[attr-defined]  # every travelling model is mapped
    local_only = NEVER_TRAVEL.get(table.name, frozenset())
    fields = tuple(_field(c) for c in table.columns
                   if c.name not in SYNC_COLUMNS and DERIVED.get(c.name) not in ("*", table.name)
                   and c.name not in local_only)
    links = tuple(LinkSpec(*link) for link in LINKS.get(table.name, ()))
    keys = {f.key for f in fields} | {link.key for link in links} | ({MINOR} if table.name == "pupil" else set())
    return TableSpec(table.name, model, table, fields, links, local_only, frozenset(keys))


SPECS: dict[str, TableSpec] = {spec.name: spec for spec in map(_spec, TRAVELLING_MODELS)}
ORDER: tuple[str, ...] = tuple(SPECS)   # parents first: TRAVELLING_MODELS is declared in that order


# -- values ----------------------------------------------------------------------------------------------------
def encode_value(field: FieldSpec, value: Any) -> Any:
    """A Python value as JSON: dates in ISO 8601, enums as their stored value."""
    if value is None:
        return None
    if field.kind in ("date", "datetime", "time"):
        return value.isoformat()
    if field.kind == "enum":
        return value.value if isinstance(value, StrEnum) else str(value)
    return value


def decode_value(field: FieldSpec, raw: Any) -> Any:
    """A JSON value checked against its column; ValueError (French) when it does not fit."""
    if raw is None:
        if not field.nullable:
            raise ValueError(f"le champ « {field.key} » est obligatoire")
        return None
    try:
        return _DECODERS[field.kind](field, raw)
    except (TypeError, ValueError) as error:
        raise ValueError(f"valeur invalide pour « {field.key} » : {str(error) or type(error).__name__}") from None


def _str(field: FieldSpec, raw: Any) -> str:
    if not isinstance(raw, str):
        raise TypeError("texte attendu")
    # The limits of data/fields.py, the same as a form's: a text is refused here as it would be there.
    problem = limits.text_problem(raw, max_length=field.length, multiline=field.length is None)
    if problem:
        raise ValueError(problem.rstrip("."))
    return raw if raw.isascii() else unicodedata.normalize("NFC", raw)


def _int(field: FieldSpec, raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or abs(raw) >= 2 ** 53:
        raise TypeError("nombre entier attendu")
    problem = limits.integer_problem(raw, field.column)
    if problem:
        raise ValueError(problem.rstrip("."))
    return raw


def _bool(_field: FieldSpec, raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise TypeError("vrai ou faux attendu")
    return raw


def _parsed(parse: Callable[[str], Any]) -> Callable[[FieldSpec, Any], Any]:
    def decode(_field: FieldSpec, raw: Any) -> Any:
        if not isinstance(raw, str):
            raise TypeError("date ou heure attendue")
        value = parse(raw)
        if getattr(value, "tzinfo", None) is not None:
            raise ValueError("heure locale sans fuseau attendue")
        return value
    return decode


def _enum(field: FieldSpec, raw: Any) -> StrEnum:
    assert field.enum is not None
    if not isinstance(raw, str) or raw not in field.enum._value2member_map_:
        raise ValueError(f"« {raw} » n'est pas une valeur permise")
    return field.enum(raw)


def _ref(_field: FieldSpec, raw: Any) -> str:
    if not isinstance(raw, str) or not UID.fullmatch(raw):
        raise ValueError("identifiant d'enregistrement attendu")
    return raw


_DECODERS = {"str": _str, "int": _int, "bool": _bool, "date": _parsed(date.fromisoformat),
             "datetime": _parsed(datetime.fromisoformat), "time": _parsed(time.fromisoformat), "enum": _enum,
             "ref": _ref}


_HLC_USUAL = re.compile(r"([0-9]{13})-([0-9]{5})-([0-9A-Za-z_]{1,32})")   # what Hlc.encode writes today


def decode_hlc(text: Any) -> Hlc:
    """A clock as written by Hlc.encode, and only so (fixed widths keep text order equal to clock order)."""
    usual = _HLC_USUAL.fullmatch(text) if type(text) is str else None
    if usual is not None:   # encodes back to itself, with a valid node: what the checks below accept
        return Hlc(int(usual[1]), int(usual[2]), usual[3])
    if not isinstance(text, str) or len(text) > 64:
        raise ValueError("horloge illisible")
    hlc = Hlc.decode(text)
    if hlc.encode() != text or hlc.wall_ms < 0 or hlc.counter < 0 or not NODE.fullmatch(hlc.node):
        raise ValueError(f"horloge illisible : {text!r}")
    return hlc


# -- records ---------------------------------------------------------------------------------------------------
def canonical(value: Any) -> bytes:
    """Canonical JSON: sorted keys, no spaces, UTF-8; the bytes that are hashed and signed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def content_hash(record: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


def is_purged(record: dict[str, Any]) -> bool:
    """Pupil data purged: absorbing in the merge (nothing brings it back)."""
    return record["table"] == "pupil" and record["fields"].get("purged_at") is not None


def make_record(spec: TableSpec, row: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """The bundle form of a record from its sync columns (`row`) and its already encoded `fields`."""
    deleted = row["deleted_at"]
    return {"table": spec.name, "uid": row["uid"], "owner": row["owner"], "hlc": row["hlc"],
            "updated_at": row["updated_at"].isoformat() if row["updated_at"] else None,
            "deleted_at": deleted.isoformat() if deleted else None, "fields": fields}


@dataclass(slots=True)
class Incoming:
    """A received record, checked: its column values, its references by uid; its normalised bundle form and the
    hash of that form are worked out when first asked (only a record already in the store is compared)."""

    spec: TableSpec
    uid: str
    owner: str
    values: dict[str, Any]                 # column -> value (sync columns included), references left out
    refs: dict[str, str | None]            # column -> referenced uid
    links: dict[str, list[str]]            # link key -> children's uids
    hlc: Hlc
    minor: bool | None
    known_record: dict[str, Any] | None = None
    known_digest: str | None = None

    @property
    def record(self) -> dict[str, Any]:
        """The normalised bundle form: each value as encode_value writes the decoded one."""
        if self.known_record is None:
            spec, values, refs = self.spec, self.values, self.refs
            fields = {f.key: refs[f.column] if f.kind == "ref" else encode_value(f, values[f.column])
                      for f in spec.fields}
            fields.update(self.links)
            if spec.name == "pupil":
                fields[MINOR] = self.minor
            self.known_record = make_record(spec, values, fields)
        return self.known_record

    @property
    def digest(self) -> str:
        if self.known_digest is None:
            self.known_digest = content_hash(self.record)
        return self.known_digest

    @property
    def purged(self) -> bool:
        return is_purged(self.record)


def parse_record(raw: Any) -> Incoming:
    """Check one JSON Lines record against the models; ValueError with a French reason if it does not fit."""
    if not isinstance(raw, dict) or raw.keys() != RECORD_KEYS:
        raise ValueError("enregistrement mal formé")
    spec = SPECS.get(raw["table"]) if isinstance(raw["table"], str) else None
    if spec is None:
        raise ValueError(f"type d'enregistrement inconnu « {raw['table']} »")
    uid, owner, fields = raw["uid"], raw["owner"], raw["fields"]
    if not isinstance(uid, str) or not UID.fullmatch(uid):
        raise ValueError("identifiant d'enregistrement invalide")
    if not isinstance(owner, str) or not 0 < len(owner) <= 40:
        raise ValueError("propriétaire invalide")
    if not isinstance(fields, dict):
        raise ValueError("champs mal formés")
    _check_keys(spec, fields)
    hlc = decode_hlc(raw["hlc"])
    values: dict[str, Any] = {"uid": uid, "owner": owner, "hlc": raw["hlc"],
                              "updated_at": _UPDATED_AT_OF(raw["updated_at"]),
                              "deleted_at": _DELETED_AT_OF(raw["deleted_at"])}
    refs: dict[str, Any] = {}
    for key, column, is_ref, decode in _PLANS[spec.name]:
        (refs if is_ref else values)[column] = decode(fields[key])
    links = {link.key: _uid_list(fields[link.key], link.key) for link in spec.links}
    minor = None
    if spec.name == "pupil":
        minor = fields[MINOR]
        if minor is not None and not isinstance(minor, bool):
            raise ValueError(f"valeur invalide pour « {MINOR} »")
    return Incoming(spec, uid, owner, values, refs, links, hlc, minor)


# -- decoding fast -----------------------------------------------------------------------------------------------
# parse_record runs once per record of every bundle: each field gets a decoder made once for its column, which
# takes the common valid value by a short test and gives anything else to decode_value (same checks, same French
# messages), so what is accepted, refused and stored is exactly what decode_value says.
Decoder = Callable[[Any], Any]   # raw JSON value -> column value


def _fast(field: FieldSpec) -> Decoder:
    nullable, kind = field.nullable, field.kind

    def general(raw: Any) -> Any:
        return decode_value(field, raw)

    if kind == "str":
        length = field.length

        def text(raw: Any) -> Any:
            # Printable means no control character; ASCII or already NFC means normalising changes nothing.
            if (type(raw) is str and raw.isprintable() and (length is None or len(raw) <= length)
                    and (raw.isascii() or unicodedata.is_normalized("NFC", raw))):
                return raw
            return None if raw is None and nullable else general(raw)
        return text
    if kind == "int":
        low, high = limits.RANGES.get(field.column, (limits.SQLITE_MIN, limits.SQLITE_MAX))
        low, high = max(low, 1 - 2 ** 53), min(high, 2 ** 53 - 1)

        def whole(raw: Any) -> Any:
            if type(raw) is int and low <= raw <= high:
                return raw
            return None if raw is None and nullable else general(raw)
        return whole
    if kind == "enum":
        members = field.enum._value2member_map_ if field.enum is not None else {}

        def choice(raw: Any) -> Any:
            member = members.get(raw) if type(raw) is str else None
            if member is not None:
                return member
            return None if raw is None and nullable else general(raw)
        return choice
    if kind == "ref":
        def reference(raw: Any) -> Any:
            if type(raw) is str and UID.fullmatch(raw):
                return raw
            return None if raw is None and nullable else general(raw)
        return reference
    if kind == "bool":
        def truth(raw: Any) -> Any:
            if type(raw) is bool:
                return raw
            return None if raw is None and nullable else general(raw)
        return truth
    parse = _PARSERS[kind]

    def moment(raw: Any) -> Any:
        if type(raw) is str:
            try:
                value = parse(raw)
            except ValueError:
                return general(raw)     # refused, in French
            if getattr(value, "tzinfo", None) is None:
                return value
        return None if raw is None and nullable else general(raw)
    return moment


_PARSERS: dict[str, Callable[[str], Any]] = {"date": date.fromisoformat, "datetime": datetime.fromisoformat,
                                             "time": time.fromisoformat}
# Per table: (key in the bundle, column, is a reference, decoder) of each travelling field.
_PLANS: dict[str, tuple[tuple[str, str, bool, Decoder], ...]] = {
    name: tuple((f.key, f.column, f.kind == "ref", _fast(f)) for f in spec.fields) for name, spec in SPECS.items()}


def _check_keys(spec: TableSpec, fields: dict[str, Any]) -> None:
    if fields.keys() == spec.keys:
        return
    keys = set(fields)
    private = {k for k in keys if k in spec.local_only}
    if private:
        raise ValueError(f"donnée qui ne doit jamais quitter le poste : {', '.join(sorted(private))}")
    unknown, missing = keys - spec.keys, spec.keys - keys
    if unknown:
        raise ValueError(f"champ inattendu : {', '.join(sorted(unknown))}")
    if missing:
        raise ValueError(f"champ manquant : {', '.join(sorted(missing))}")


_UPDATED_AT_OF = _fast(FieldSpec("updated_at", "updated_at", "datetime", False))
_DELETED_AT_OF = _fast(FieldSpec("deleted_at", "deleted_at", "datetime", True))


def _uid_list(raw: Any, key: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(u, str) and UID.fullmatch(u) for u in raw):
        raise ValueError(f"liste d'identifiants invalide pour « {key} »")
    if len(set(raw)) != len(raw):
        raise ValueError(f"identifiant répété dans « {key} »")
    return sorted(raw)
