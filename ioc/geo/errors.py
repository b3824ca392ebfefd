"""Errors of the geo app (R6.1). Other apps import them through `ioc.geo.selectors`.

Each carries the input field it concerns, so an API can answer 4xx naming the field and the reason.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


class GeoInputError(ValueError):
    """Bad geographic input (malformed unit reference, coordinates, radius, GeoJSON)."""

    code = "invalid"

    def __init__(self, message: str, *, field: str = "non_field_errors") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class UnitRefError(GeoInputError):
    """A unit reference that is neither `<digits>` (2025) nor `legacy:<digits>`."""

    code = "invalid_unit_ref"


class UnitNotFoundError(LookupError):
    """A well-formed reference naming no loaded unit."""

    code = "not_found"

    def __init__(self, ref: str) -> None:
        self.ref = ref
        self.message = _("Không tìm thấy đơn vị hành chính %(ref)s / Unknown administrative unit %(ref)s") % {
            "ref": ref
        }
        super().__init__(self.message)


class PointOutsideError(GeoInputError):
    """R6.1: a point inside no 2025 commune and farther than 1 km from all of them (outside the country)."""

    code = "point_outside"

    def __init__(self, lat: float, lon: float) -> None:
        super().__init__(
            _(
                "Điểm (%(lat)s, %(lon)s) nằm ngoài lãnh thổ Việt Nam (cách mọi xã, phường hơn 1 km) / "
                "The point (%(lat)s, %(lon)s) is outside Vietnam (more than 1 km from every commune)"
            )
            % {"lat": lat, "lon": lon},
            field="lat",
        )
        self.lat = lat
        self.lon = lon


class NoBoundaryError(GeoInputError):
    """A unit without a boundary (legacy units have none) asked for as an area."""

    code = "no_boundary"
