"""Sector fit of a partner for an escalation: the NAF activities a formation leads to, and those unfit for collégiens.

A formation names no NAF code, so its label is read for the trade it prepares ("CAP Cuisine" → restaurants and
hotels, divisions 55-56). An observation has no trade: the pupil's wishes (NAF sections) say where to look, and
whatever the wishes, an observation keeps a collégien away from machines and dangerous work (D331-9): building
sites, roofs, quarries, heavy industry and waste are scored down, not excluded (an office of such a firm may do).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from poledesk.data.enums import Audience
from poledesk.data.naf import naf_section, normalise_naf
from poledesk.data.text import fold

# Words of a formation's label (folded) -> the NAF divisions (2 digits) or groups (4 digits, "43.2") it leads to.
_TRADES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cuisine", ("55", "56")), ("restaura", ("55", "56")), ("hotel", ("55", "56")), ("boulang", ("10.7", "47.2")),
    ("patiss", ("10.7", "47.2")), ("boucher", ("10.1", "47.2")), ("electri", ("43.2", "27", "33", "35")),
    ("macon", ("41", "43")), ("batiment", ("41", "43")), ("menuis", ("43.3", "16")), ("peintre", ("43.3",)),
    ("couvreur", ("43.9",)), ("plomb", ("43.2",)), ("energetique", ("43.2", "35")), ("vehicule", ("45",)),
    ("automobile", ("45",)), ("carrosserie", ("45",)), ("commerce", ("45.1", "46", "47")), ("vente", ("46", "47")),
    ("client", ("47",)), ("logistique", ("49", "52", "46")), ("transport", ("49", "52")),
    ("gestion des organisations", ("69", "70", "82", "84", "64", "65", "66")), ("comptab", ("69",)),
    ("informatique", ("62", "63")), ("numerique", ("62", "63")), ("reseaux", ("61", "62")),
    ("petite enfance", ("88.9", "85.1")), ("soins", ("86", "87", "88")), ("sante", ("86", "87", "88")),
    ("services aux personnes", ("86", "87", "88")), ("coiffure", ("96.0",)), ("esthetique", ("96.0",)),
    ("agricol", ("01",)), ("paysag", ("81.3", "01")), ("securite", ("80", "84.2")), ("industri", ("25", "28")),
    ("usinage", ("25", "28")), ("accueil", ("82", "84", "55")),
)

# NAF divisions or groups where a collégien would meet machines, heights or dangerous work.
_HAZARDOUS = ("02", "05", "06", "07", "08", "09", "16.1", "19", "20", "23", "24", "25", "38", "39", "41", "42",
              "43")


@dataclass(frozen=True, slots=True)
class SectorFit:
    """What the sector of a partner is worth for a need, and why in words."""

    points: int
    reason: str
    section: str         # the partner's NAF section letter


def formation_activities(label: str) -> tuple[str, ...]:
    """The NAF divisions or groups a formation leads to, read from its label; () when it names no trade."""
    folded = fold(label)
    found: list[str] = []
    for word, activities in _TRADES:
        if word in folded:
            found.extend(a for a in activities if a not in found)
    return tuple(found)


def _naf_digits(naf_code: str) -> str:
    code = normalise_naf(naf_code)
    return code[:5] if code else ""


def matches(naf_code: str, activities: tuple[str, ...]) -> bool:
    """Whether a NAF sous-classe ("56.10A") falls in one of the divisions ("56") or groups ("43.2")."""
    digits = _naf_digits(naf_code)
    return bool(digits) and any(digits.startswith(a) for a in activities)


def is_hazardous_for_minors(naf_code: str) -> bool:
    return matches(naf_code, _HAZARDOUS)


@lru_cache(maxsize=8192)
def sector_fit(naf_code: str, *, audience: Audience, activities: tuple[str, ...] = (),
               wished_sections: tuple[str, ...] = (), pupil_age: int | None = None) -> SectorFit | None:
    """The points and the reason the partner's NAF code earns, None when nothing can be said (no NAF code).
    Cached: a ranking asks it for a thousand partners that share a few dozen codes."""
    section = naf_section(naf_code)
    if section is None:
        return None
    letter, label = section
    if audience is Audience.OBSERVATION_4E_3E and is_hazardous_for_minors(naf_code) and (pupil_age or 0) < 16:
        return SectorFit(-40, f"secteur à risques pour un collégien : chantier ou machines ({label})", letter)
    if wished_sections and letter in wished_sections:
        return SectorFit(20, f"secteur souhaité par l'élève ({label})", letter)
    if activities and matches(naf_code, activities):
        return SectorFit(20, f"secteur de la formation ({label})", letter)
    if activities or wished_sections:
        return SectorFit(0, f"autre secteur que celui demandé ({label})", letter)
    return SectorFit(0, f"secteur : {label}", letter)
