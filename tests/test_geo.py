"""deirezzor.geo against values computed independently here."""
import math

import pytest

from deirezzor import geo

R = 6371.0088  # IUGG mean Earth radius, km


def test_radius_is_the_documented_mean_radius():
    assert geo.EARTH_RADIUS_KM == R
    assert "6371.0088" in geo.__doc__


def test_one_degree_of_latitude():
    # arc length of 1 degree on a sphere: 2*pi*R/360 (about 111.195 km)
    expected = 2 * math.pi * R / 360
    assert geo.haversine_km(35.0, 40.0, 36.0, 40.0) == pytest.approx(expected, rel=1e-12)
    assert 111.19 < expected < 111.20


def test_one_degree_of_longitude_on_the_equator_and_at_60N():
    deg = 2 * math.pi * R / 360
    assert geo.haversine_km(0, 10, 0, 11) == pytest.approx(deg, rel=1e-12)
    # a small arc along a parallel is close to cos(lat) * deg
    assert geo.haversine_km(60, 10, 60, 10.01) == pytest.approx(0.5 * deg * 0.01, rel=1e-4)


def test_distance_is_symmetric_and_zero_for_same_point():
    a, b = (35.28, 40.18), (35.33, 40.10)
    assert geo.haversine_km(*a, *b) == pytest.approx(geo.haversine_km(*b, *a), rel=1e-15)
    assert geo.haversine_km(*a, *a) == 0.0


def test_antipodes_are_half_the_circumference():
    assert geo.haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * R, rel=1e-12)


@pytest.mark.parametrize("lat2,lon2,expected", [
    (36, 40, 0.0), (34, 40, 180.0), (0, 1, 90.0), (0, -1, 270.0),
])
def test_bearing_cardinal_directions(lat2, lon2, expected):
    lat1, lon1 = (35, 40) if expected in (0.0, 180.0) else (0, 0)
    assert geo.initial_bearing_deg(lat1, lon1, lat2, lon2) == pytest.approx(expected, abs=1e-9)


def test_bearing_northeast_on_the_equator():
    # from (0,0) to (1,1): atan2(sin1*cos1, sin1) = atan(cos 1deg) in degrees
    expected = math.degrees(math.atan(math.cos(math.radians(1))))
    assert geo.initial_bearing_deg(0, 0, 1, 1) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("bearing", [0, 37.5, 90, 145, 200, 271, 359])
@pytest.mark.parametrize("km", [0.5, 12.0, 300.0])
def test_destination_round_trip(bearing, km):
    lat, lon = 35.2853, 40.1757  # near Deir ez-Zor airport
    lat2, lon2 = geo.destination(lat, lon, bearing, km)
    assert geo.haversine_km(lat, lon, lat2, lon2) == pytest.approx(km, rel=1e-9)
    assert geo.initial_bearing_deg(lat, lon, lat2, lon2) == pytest.approx(bearing % 360, abs=1e-6)


def test_destination_due_north_adds_latitude():
    lat2, lon2 = geo.destination(10.0, 20.0, 0.0, 2 * math.pi * R / 360)
    assert (lat2, lon2) == (pytest.approx(11.0, abs=1e-9), pytest.approx(20.0, abs=1e-9))


def test_destination_longitude_wraps():
    lat2, lon2 = geo.destination(0.0, 179.5, 90.0, 2 * math.pi * R / 360)  # one degree east
    assert lon2 == pytest.approx(-179.5, abs=1e-9)
    assert lat2 == pytest.approx(0.0, abs=1e-9)
