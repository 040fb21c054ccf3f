"""Great-circle distances between communes, from the position shipped for each commune (resources/communes_geo.csv)."""

from __future__ import annotations

import csv
import math
from functools import cache

from poledesk import paths

GEO_FILE = "communes_geo.csv"
EARTH_RADIUS_KM = 6371.0088   # the mean radius (IUGG): the great circle stands in for the road, ~20 % shorter

Point = tuple[float, float]   # (latitude, longitude) in decimal degrees


def distance_km(a: Point, b: Point) -> float:
    """The great-circle distance between two points, in km (haversine: exact for near points too)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def commune_point(insee: str) -> Point | None:
    """Where a commune lies (its INSEE code), or None for a commune the file does not place."""
    return _points().get(insee.strip()) if insee else None


def format_km(km: float) -> str:
    """'à 800 m', 'à 3,4 km', 'à 27 km': the distance as a French sentence writes it."""
    if km < 1:
        return f"à {max(100, round(km * 10) * 100)} m"
    if km < 10:
        return f"à {km:.1f} km".replace(".", ",")
    return f"à {round(km)} km"


@cache
def _points() -> dict[str, Point]:
    with paths.resource(GEO_FILE).open(encoding="utf-8") as handle:
        rows = csv.reader((line for line in handle if not line.startswith("#")), delimiter=";")
        next(rows)
        return {insee: (float(lat), float(lon)) for insee, lat, lon in rows}
