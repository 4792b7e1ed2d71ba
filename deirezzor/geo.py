"""Great-circle geometry on a spherical Earth (standard library only).

The Earth is taken as a sphere of radius ``EARTH_RADIUS_KM`` = 6371.0088 km,
the IUGG mean radius R1 = (2a + b) / 3 of the WGS 84 ellipsoid.  Distances
are then accurate to about 0.5 % anywhere -- far better than the positions
reported for the events in this course.  Latitudes and longitudes are in
decimal degrees (WGS 84), north and east positive; bearings in degrees
clockwise from true north, in [0, 360).
"""
from __future__ import annotations

import math

__all__ = ["EARTH_RADIUS_KM", "haversine_km", "initial_bearing_deg", "destination"]

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points (haversine formula)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def initial_bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial bearing (forward azimuth) from point 1 towards point 2, in [0, 360)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return math.degrees(math.atan2(x, y)) % 360.0


def destination(lat: float, lon: float, bearing_deg: float, km: float) -> tuple[float, float]:
    """The point reached from (lat, lon) going ``km`` along a great circle that
    starts on ``bearing_deg``.  Returns (lat, lon), lon normalised to [-180, 180)."""
    d = km / EARTH_RADIUS_KM
    p1, l1, b = math.radians(lat), math.radians(lon), math.radians(bearing_deg)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1),
                         math.cos(d) - math.sin(p1) * math.sin(p2))
    lon2 = (math.degrees(l2) + 540.0) % 360.0 - 180.0
    return math.degrees(p2), lon2
