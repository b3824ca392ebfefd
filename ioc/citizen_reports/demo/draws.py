"""The demo's shared randomness (R11): arrivals day by day following the catalogue's seasons, points inside a
commune, descriptions, canary contacts (`@canary.invalid`, `0900000xxx`) and channels."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from collections.abc import Iterator

from ioc.citizen_reports import services
from ioc.citizen_reports.demo import catalogue
from ioc.citizen_reports.demo.catalogue import CategorySpec
from ioc.citizen_reports.demo.setup import LOCAL, World
from ioc.geo import selectors as geo_selectors
from ioc.geo.models import AdminUnit


def poisson(rng: random.Random, rate: float) -> int:
    """Knuth's method (rates here are below ~20 a day)."""
    limit, k, p = math.exp(-rate), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    hour = rng.choices(range(24), weights=catalogue.HOURS)[0]
    local = dt.datetime.combine(day, dt.time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=LOCAL)
    return local.astimezone(dt.UTC)


def hours(value: float) -> dt.timedelta:
    return dt.timedelta(hours=value)


def point_in(world: World, unit: AdminUnit) -> tuple[float, float]:
    """A random point inside the commune's boundary (its centre, jittered, when it has none)."""
    rng = world.rng
    shape = world.shapes.get(unit.pk)
    if shape is None and unit.geometry:
        from shapely.geometry import shape as to_shape
        from shapely.prepared import prep

        geometry = to_shape(json.loads(unit.geometry))
        shape = world.shapes[unit.pk] = (geometry.bounds, prep(geometry.buffer(-0.0005) or geometry))
    if shape is not None:
        from shapely.geometry import Point

        (min_x, min_y, max_x, max_y), prepared = shape
        for _attempt in range(60):
            lon, lat = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
            if prepared.contains(Point(lon, lat)) and _located(round(lat, 6), round(lon, 6)) == unit.pk:
                return round(lat, 6), round(lon, 6)
    lat = float(
        unit.lat if unit.lat is not None else (unit.min_lat or 0) + ((unit.max_lat or 0) - (unit.min_lat or 0)) / 2
    )
    lon = float(
        unit.lon if unit.lon is not None else (unit.min_lon or 0) + ((unit.max_lon or 0) - (unit.min_lon or 0)) / 2
    )
    return round(lat + rng.uniform(-0.002, 0.002), 6), round(lon + rng.uniform(-0.002, 0.002), 6)


def _located(lat: float, lon: float) -> int | None:
    """The commune the services will find for the point (near a border it may be the neighbour's)."""
    try:
        return geo_selectors.unit_at_point(lat=lat, lon=lon).pk
    except geo_selectors.PointOutsideError:
        return None


def describe(world: World, spec: CategorySpec) -> str:
    text = world.rng.choice(spec.texts)
    return text.format(street=world.rng.choice(catalogue.STREETS), landmark=world.rng.choice(catalogue.LANDMARKS))


def canary_contact(world: World) -> services.ContactInput | None:
    """55 % leave a contact: canary e-mails and 0900000xxx phones only."""
    rng = world.rng
    if rng.random() > 0.55:
        return None
    world.contact_seq += 1
    n = world.contact_seq
    has_email, has_phone = rng.random() < 0.45, rng.random() < 0.7
    return services.ContactInput(
        name=rng.choice(catalogue.NAMES) if rng.random() < 0.6 else "",
        phone=f"0900000{n % 1000:03d}" if has_phone or not has_email else "",
        email=f"nguoidan{n}@canary.invalid" if has_email else "",
        consent_processing=True,
        consent_share_with_agency=rng.random() < 0.5,
    )


def channel_pick(rng: random.Random) -> str:
    names = [name for name, _share in catalogue.CHANNEL_SHARES]
    return rng.choices(names, weights=[share for _name, share in catalogue.CHANNEL_SHARES])[0]


def arrivals(world: World, first: dt.date, last: dt.date) -> Iterator[tuple[CategorySpec, dt.datetime]]:
    """Every report's category and moment of arrival, day by day, following the catalogue's seasons."""
    day = first
    while day <= last:
        for spec in catalogue.CATEGORIES:
            for _n in range(poisson(world.rng, catalogue.seasonal_rate(spec, day) * world.scale)):
                yield spec, _moment(world.rng, day)
        day += dt.timedelta(days=1)
