"""Distances between coordinates, in Python and as database expressions.

Within a city an equirectangular projection is accurate to well under 1 % and needs only
arithmetic, so the same expression runs on SQLite and PostgreSQL and can be ordered by.
"""

import math

from django.db.models import ExpressionWrapper, F, FloatField, Value
from django.db.models.functions import Sqrt

EARTH_RADIUS_M = 6_371_000.0
METRES_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180.0


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def distance_expression(lat: float, lon: float, lat_field: str, lon_field: str):
    """Approximate metres from (lat, lon) to the row's (lat_field, lon_field), for annotate()."""
    x_scale = math.cos(math.radians(lat)) * METRES_PER_DEGREE
    dx = (F(lon_field) - Value(lon)) * Value(x_scale)
    dy = (F(lat_field) - Value(lat)) * Value(METRES_PER_DEGREE)
    return ExpressionWrapper(Sqrt(dx * dx + dy * dy), output_field=FloatField())
