"""The rules checked from outside: one placement as JSON in, its findings as JSON out (docs/rules-check.md).

This is the interface other tools and auditors use, so its shape is versioned: `INPUT_VERSION` is what this code
reads, and a change that would alter what an existing file means takes a new version, never a silent one.
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any, TypeVar

from poledesk.data.conventions.rules import ConventionFacts, Finding, HostPeriod, check_convention
from poledesk.data.enums import Audience, LegalKind
from poledesk.data.placements.form import DaySlot
from poledesk.data.validation import ValidationError

INPUT_VERSION = 1
E = TypeVar("E", Audience, LegalKind)
DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CLOCK = re.compile(r"^([01]?\d|2[0-3])[:h]([0-5]\d)$")
KNOWN_KEYS = frozenset({"version", "pupil", "audience", "host", "period", "timetable", "legal_representative",
                        "gratification_amount", "public_holidays_excluded", "other_placements_with_host"})


def check_placement(data: Any) -> dict[str, Any]:
    """The findings of one placement described as in docs/rules-check.md; ValidationError (French messages per
    field, e.g. 'period.start') when the input cannot be read."""
    facts = facts_from_json(data)
    findings = check_convention(facts)
    return {"version": INPUT_VERSION, "blocking": any(f.blocking for f in findings),
            "findings": [finding_json(f) for f in findings]}


def finding_json(item: Finding) -> dict[str, str]:
    return {"rule": item.rule, "level": item.level, "source": item.source, "message": item.message,
            "explanation": item.explanation, "field": item.field}


def facts_from_json(data: Any) -> ConventionFacts:
    problems: dict[str, str] = {}
    if not isinstance(data, dict):
        raise ValidationError({"": "Le fichier doit contenir un objet JSON décrivant un stage."})
    if data.get("version") != INPUT_VERSION:
        raise ValidationError({"version": f"Version du format attendue : {INPUT_VERSION} (champ « version »)."})
    for key in sorted(set(data) - KNOWN_KEYS):
        problems[key] = f"Champ inconnu « {key} » : voir la liste des champs de la version {INPUT_VERSION}."
    pupil, host, period = (_object(data, name, problems) for name in ("pupil", "host", "period"))
    birth = _date(pupil, "birth_date", "pupil.birth_date", problems)
    audience = _choice(data.get("audience"), Audience, "audience", problems)
    legal_kind = _choice(host.get("legal_kind", LegalKind.COMPANY.value), LegalKind, "host.legal_kind", problems)
    postcode = host.get("site_postcode", "")
    if not isinstance(postcode, str) or (postcode and not re.fullmatch(r"\d{5}", postcode)):
        problems["host.site_postcode"] = "Code postal du lieu du stage : cinq chiffres, par exemple « 57000 »."
    start = _date(period, "start", "period.start", problems)
    end = _date(period, "end", "period.end", problems)
    timetable = _timetable(data.get("timetable"), "timetable", problems)
    others = _others(data.get("other_placements_with_host", []), timetable, problems)
    amount = data.get("gratification_amount")
    if amount is not None and not isinstance(amount, str | int | float):
        problems["gratification_amount"] = "Montant de la gratification : un nombre, un texte ou null."
    flags = {name: data.get(name, False) for name in ("legal_representative", "public_holidays_excluded")}
    flags["host.family_business"] = host.get("family_business", False)
    for name, value in flags.items():
        if not isinstance(value, bool):
            problems[name] = f"« {name} » : true ou false."
    if problems:
        raise ValidationError(problems)
    assert birth and start and end and audience and legal_kind and timetable is not None
    return ConventionFacts(
        audience=audience, start_date=start, end_date=end, timetable=timetable, birth_date=birth,
        pupil_class=str(pupil.get("class", "")), host_name=str(host.get("name", "")).strip(),
        host_legal_kind=legal_kind, site_postcode=postcode,
        family_business=flags["host.family_business"],
        representative_name="représentant légal indiqué" if flags["legal_representative"] else "",
        gratification="" if amount is None else str(amount).strip(),
        holidays_excluded=flags["public_holidays_excluded"], other_periods=others,
        today=start, first_print=False, check_mentions=False)


def _object(data: dict[str, Any], name: str, problems: dict[str, str]) -> dict[str, Any]:
    value = data.get(name)
    if isinstance(value, dict):
        return value
    problems[name] = f"« {name} » : un objet JSON est attendu (voir la documentation)."
    return {}


def _date(data: dict[str, Any], key: str, path: str, problems: dict[str, str]) -> date | None:
    value = data.get(key)
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems[path] = f"« {path} » : une date AAAA-MM-JJ est attendue, par exemple « 2027-01-11 »."
    return None


def _choice(value: Any, kind: type[E], path: str, problems: dict[str, str]) -> E | None:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        problems[path] = f"« {path} » : une de ces valeurs est attendue : {allowed}."
        return None


def _timetable(value: Any, path: str, problems: dict[str, str]) -> tuple[DaySlot, ...] | None:
    if not isinstance(value, list):
        problems[path] = f"« {path} » : une liste de jours est attendue (elle peut être vide)."
        return None
    slots = []
    for index, day in enumerate(value):
        where = f"{path}[{index}]"
        if not isinstance(day, dict) or str(day.get("day", "")).strip().lower() not in DAY_NAMES:
            problems[where] = (f"« {where} » : un jour {{\"day\": \"lundi\", \"start\": \"08:30\", \"end\": "
                               "\"17:00\"} est attendu, le jour écrit de « lundi » à « dimanche ».")
            continue
        pause = day.get("break")
        if pause is not None and not isinstance(pause, dict):
            problems[f"{where}.break"] = f"« {where}.break » : {{\"start\": …, \"end\": …}} ou null."
            pause = None
        clocks = [_clock(day.get("start"), f"{where}.start", problems), _clock(day.get("end"), f"{where}.end",
                                                                               problems)]
        if pause:
            clocks += [_clock(pause.get("start"), f"{where}.break.start", problems),
                       _clock(pause.get("end"), f"{where}.break.end", problems)]
        if all(c is not None for c in clocks):
            slots.append(DaySlot(DAY_NAMES.index(day["day"].strip().lower()), *clocks))  # type: ignore[arg-type]  # no None
    return tuple(slots)


def _clock(value: Any, path: str, problems: dict[str, str]) -> time | None:
    match = CLOCK.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        problems[path] = f"« {path} » : une heure HH:MM est attendue, par exemple « 08:30 »."
        return None
    return time(int(match.group(1)), int(match.group(2)))


def _others(value: Any, timetable: tuple[DaySlot, ...] | None,
            problems: dict[str, str]) -> tuple[HostPeriod, ...]:
    if not isinstance(value, list):
        problems["other_placements_with_host"] = "« other_placements_with_host » : une liste est attendue."
        return ()
    periods = []
    for index, other in enumerate(value):
        where = f"other_placements_with_host[{index}]"
        if not isinstance(other, dict):
            problems[where] = f"« {where} » : un objet {{\"start\": …, \"end\": …}} est attendu."
            continue
        start, end = _date(other, "start", f"{where}.start", problems), _date(other, "end", f"{where}.end", problems)
        own = _timetable(other["timetable"], f"{where}.timetable", problems) if "timetable" in other else timetable
        if start and end and own is not None:
            periods.append(HostPeriod(start, end, own))
    return tuple(periods)
