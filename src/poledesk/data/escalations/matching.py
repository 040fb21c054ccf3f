"""Candidate partners for an escalation: a pure ranking, best first, with its reasons in words.

The ranking takes plain facts (`Need`, `Candidate`) and returns `Ranked` rows; gathering the facts from the
store is `escalation_candidates` in data/escalations/candidates.py. Hard rules exclude a partner; soft ones score it.

Excluded, never proposed:
- status « Ne plus solliciter »;
- no live offer for the pupil's audience, or none open to the pupil's establishment;
- no place left in the period (offers' places minus the placements already made there that overlap it), or
  offers whose months do not meet the period;
- too far: beyond what the pupil's mobility allows: same commune, then the same intercommunalité (EPCI: the
  communes around, usually on one transport network), then the same département (data/communes.py says where
  a commune lies; offline there are no road distances, so these tiers stand in for them);
- a constraint the pupil cannot meet: minimum age, accessibility for a pupil with a disability, a PAI.

Scored (points in brackets):
- offer for the very formation (+30) or for the audience only (+15);
- distance: same commune (+25), same intercommunalité (+15), same département (+5); then, where both communes are
  placed (data/geo.py), closeness in km (+10 under 3 km, one point less every 3 km, 0 from 30 km);
- sector (data/escalations/sectors.py): the formation's trade or the pupil's wish (+20); for a collégien in
  observation, a sector of building sites or machines (−40, as much as a refusal);
- a minimum age stated by the partner and met by the pupil (+5);
- places left in the period (+3 each, up to +9); offer months covering the whole period (+5);
- a tutor trained by the pole (+10); partner active (+10), prospect (0), paused (−15);
- past placements there: +3 each that went to signature (up to +9), −8 each cancelled;
- refusals: −40 if it refused this escalation, −6 for each other refusal within a year;
- requests this month at or over the partner's maximum (−30).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from poledesk.data.enums import Audience, PartnerStatus
from poledesk.data.escalations.sectors import SectorFit, sector_fit
from poledesk.data.geo import distance_km, format_km
from poledesk.data.text import fold, plural

SAME_COMMUNE, NEIGHBOUR, SAME_DEPARTEMENT, TOO_FAR = 0, 1, 2, 3
DISTANCE_WORDS = {SAME_COMMUNE: "même commune", NEIGHBOUR: "même intercommunalité",
                  SAME_DEPARTEMENT: "même département"}
DISTANCE_POINTS = {SAME_COMMUNE: 25, NEIGHBOUR: 15, SAME_DEPARTEMENT: 5}


@dataclass(frozen=True, slots=True)
class Where:
    """Where a pupil lives or a partner hosts: commune (INSEE code), intercommunalité, département."""

    commune: str
    insee: str = ""
    epci: str = ""
    departement: str = ""
    lat: float | None = None                 # the commune's position, when the communes' file places it
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Need:
    """What the escalation asks for."""

    audience: Audience
    formation_id: int | None
    establishment_id: int
    period_start: date
    period_end: date
    where: Where
    max_distance: int = SAME_DEPARTEMENT     # the farthest tier the pupil can reach
    pupil_age: int | None = None
    needs_accessibility: bool = False
    needs_pai: bool = False
    activities: tuple[str, ...] = ()         # NAF divisions or groups the formation leads to (sectors.py)
    wished_sections: tuple[str, ...] = ()    # NAF section letters the pupil wishes to discover


@dataclass(frozen=True, slots=True)
class Offer:
    audience: Audience
    formation_id: int | None
    places: int
    months: tuple[int, ...]
    reserved_to: tuple[int, ...] = ()        # establishment ids; empty = open to all


@dataclass(frozen=True, slots=True)
class Candidate:
    """The facts about one partner that the ranking weighs."""

    partner_id: int
    name: str
    where: Where
    status: PartnerStatus
    offers: tuple[Offer, ...]
    placements_in_period: int = 0            # live placements there overlapping the period
    min_age: int | None = None
    accepts_disability: bool = False
    accepts_pai: bool = False
    has_trained_tutor: bool = False
    signed_placements: int = 0
    cancelled_placements: int = 0
    refused_this_escalation: bool = False
    other_refusals: int = 0
    requests_this_month: int = 0
    max_requests_per_month: int | None = None
    naf_code: str = ""
    contact: str = ""                        # the person to call: a tutor first, then any contact who consents
    phone: str = ""                          # that person's phone, else the partner's


@dataclass(frozen=True, slots=True)
class Ranked:
    partner_id: int
    name: str
    commune: str
    score: int
    places_left: int
    distance: int
    reasons: tuple[str, ...] = field(default=())
    km: float | None = None                  # great-circle km between the communes, None if one is not placed
    sector: str = ""                         # the partner's NAF section letter, "" if its NAF code is unknown
    contact: str = ""
    phone: str = ""

    def calling(self, contact: str, phone: str) -> Ranked:
        """This row with the person to call (what dataclasses.replace gives, at a fraction of its cost: a
        thousand rows are ranked for a wide search)."""
        return Ranked(self.partner_id, self.name, self.commune, self.score, self.places_left, self.distance,
                      self.reasons, self.km, self.sector, contact, phone)


def km_between(a: Where, b: Where) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return distance_km((a.lat, a.lon), (b.lat, b.lon))


def distance_tier(a: Where, b: Where) -> int:
    if (a.insee and a.insee == b.insee) or (not (a.insee and b.insee) and a.commune
                                            and fold(a.commune) == fold(b.commune)):
        return SAME_COMMUNE
    if a.epci and a.epci == b.epci:
        return NEIGHBOUR
    if a.departement and a.departement == b.departement:
        return SAME_DEPARTEMENT
    return TOO_FAR


def max_distance_for_radius(radius_km: int | None) -> int:
    """A mobility radius in km, read as the farthest distance tier (postcodes stand in for kilometres)."""
    if radius_km is None:
        return SAME_DEPARTEMENT
    if radius_km <= 5:
        return SAME_COMMUNE
    if radius_km <= 20:
        return NEIGHBOUR
    return SAME_DEPARTEMENT


def period_months(start: date, end: date) -> set[int]:
    months, year, month = set(), start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.add(month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def rank_candidates(need: Need, candidates: Iterable[Candidate]) -> list[Ranked]:
    """Partners that could host the pupil, best first (ties by name), each with its reasons in words."""
    months = period_months(need.period_start, need.period_end)   # once, not once per candidate
    ranked = [r for r in (_rank_one(need, c, months) for c in candidates) if r is not None]
    return sorted(ranked, key=lambda r: (-r.score, r.name.casefold(), r.partner_id))


def _rank_one(need: Need, candidate: Candidate, months: set[int]) -> Ranked | None:
    if candidate.status is PartnerStatus.DO_NOT_CONTACT or not _constraints_met(need, candidate):
        return None
    distance = distance_tier(need.where, candidate.where)
    if distance > need.max_distance:
        return None
    offers = [o for o in candidate.offers if _offer_fits(need, o, months)]
    places_left = sum(o.places for o in offers) - candidate.placements_in_period
    if not offers or places_left <= 0:
        return None
    score, reasons = 0, []
    exact = any(o.formation_id is not None and o.formation_id == need.formation_id for o in offers)
    score += 30 if exact else 15
    reasons.append("propose la formation demandée" if exact else f"accueille le public « {need.audience.label} »")
    score += DISTANCE_POINTS[distance]
    km = km_between(need.where, candidate.where)
    if km is None or distance == SAME_COMMUNE:
        reasons.append(f"{DISTANCE_WORDS[distance]} ({candidate.where.commune})")
    else:
        reasons.append(f"{DISTANCE_WORDS[distance]}, {format_km(km)} ({candidate.where.commune})")
    if km is not None:
        score += max(0, 10 - int(km // 3))
    score += 3 * min(places_left, 3)
    reasons.append(_places_left_words(places_left))
    if any(not o.months or months.issubset(o.months) for o in offers):
        score += 5
        reasons.append("disponible tout au long de la période")
    fit = sector_fit(candidate.naf_code, audience=need.audience, activities=need.activities,
                     wished_sections=need.wished_sections, pupil_age=need.pupil_age)
    score += _fit_points(need, candidate, fit, reasons)
    score += _soft_points(need, candidate, reasons)
    return Ranked(candidate.partner_id, candidate.name, candidate.where.commune, score, places_left, distance,
                  tuple(reasons), km=km, sector=fit.section if fit else "", contact=candidate.contact,
                  phone=candidate.phone)


@lru_cache(maxsize=64)
def _places_left_words(places_left: int) -> str:
    return f"{plural(places_left, 'place libre')} sur la période"


def _fit_points(need: Need, candidate: Candidate, fit: SectorFit | None, reasons: list[str]) -> int:
    """Sector and age: what the partner's trade and its minimum age are worth for this pupil."""
    score = 0
    if fit is not None:
        score += fit.points
        reasons.append(fit.reason)
    if candidate.min_age is not None and need.pupil_age is not None:   # a younger pupil is excluded already
        score += 5
        reasons.append(f"accueille dès {candidate.min_age} ans (élève de {need.pupil_age} ans au début du stage)")
    return score


def _soft_points(need: Need, candidate: Candidate, reasons: list[str]) -> int:
    score = 0
    if candidate.has_trained_tutor:
        score += 10
        reasons.append("tuteur formé par le pôle")
    if candidate.status is PartnerStatus.ACTIVE:
        score += 10
        reasons.append("partenaire actif")
    elif candidate.status is PartnerStatus.PAUSED:
        score -= 15
        reasons.append("partenaire en pause")
    if candidate.signed_placements:
        score += 3 * min(candidate.signed_placements, 3)
        reasons.append(f"{plural(candidate.signed_placements, 'stage déjà conventionné', 'stages déjà conventionnés')}"
                       " ici")
    if candidate.cancelled_placements:
        score -= 8 * candidate.cancelled_placements
        reasons.append(f"{plural(candidate.cancelled_placements, 'convention annulée')} ici")
    if candidate.refused_this_escalation:
        score -= 40
        reasons.append("a déjà refusé cette sollicitation")
    if candidate.other_refusals:
        score -= 6 * candidate.other_refusals
        reasons.append(f"{candidate.other_refusals} refus dans l'année")
    if need.needs_accessibility:
        reasons.append("accueille des élèves en situation de handicap")
    if need.needs_pai:
        reasons.append("accepte un élève avec PAI")
    limit = candidate.max_requests_per_month
    if limit is not None and candidate.requests_this_month >= limit:
        score -= 30
        reasons.append(f"déjà sollicité {candidate.requests_this_month} fois ce mois-ci (maximum {limit})")
    elif candidate.requests_this_month:
        reasons.append(f"sollicité {candidate.requests_this_month} fois ce mois-ci"
                       + (f" (maximum {limit})" if limit is not None else ""))
    return score


def _offer_fits(need: Need, offer: Offer, months: set[int]) -> bool:
    if offer.audience is not need.audience or offer.places <= 0:
        return False
    if offer.reserved_to and need.establishment_id not in offer.reserved_to:
        return False
    return not offer.months or not months.isdisjoint(offer.months)


def _constraints_met(need: Need, candidate: Candidate) -> bool:
    if candidate.min_age is not None and need.pupil_age is not None and need.pupil_age < candidate.min_age:
        return False
    if need.needs_accessibility and not candidate.accepts_disability:
        return False
    return not (need.needs_pai and not candidate.accepts_pai)
