"""R6.1 part 6 (R3.4, R7.5): the public map's layers — published citizen reports, public sensors and the public
warnings in force — with no personal data: for reports only the tracking code, category, status label,
publication day and the point."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from ioc.citizen_reports import selectors as citizen_reports
from ioc.citizen_reports.choices import ReportStatus
from ioc.geo.selectors import BBox
from ioc.maps.layers import FEATURES_MAX, Layer
from ioc.scenarios import selectors as scenarios
from ioc.sensors import selectors as sensors


def published_reports_features(*, user: Any, bbox: BBox, zoom: int | None = None, limit: int = 1000) -> list[Any]:
    """Published reports in `bbox`, newest first, at most `limit` (≤ FEATURES_MAX); `user` is ignored (public)."""
    qs = citizen_reports.public_reports(filters={"status": ReportStatus.PUBLISHED}).filter(
        lat__gte=bbox.min_lat, lat__lte=bbox.max_lat, lon__gte=bbox.min_lon, lon__lte=bbox.max_lon
    )
    rows = qs.values_list("tracking_code", "lat", "lon", "category__name", "published_at")
    return [
        {
            "id": code,
            "lat": lat,
            "lon": lon,
            "category_name": category,
            "status_label": str(ReportStatus.PUBLISHED.label),
            "published": published.date().isoformat() if published else "",
        }
        for code, lat, lon, category, published in rows[: max(0, min(int(limit), FEATURES_MAX))]
    ]


def public_sensors_features(*, user: Any, bbox: BBox, zoom: int | None = None, limit: int = 1000) -> list[Any]:
    """Stations of public Things only (the sensors' visibility for an anonymous viewer)."""
    return sensors.sensors_features(user=AnonymousUser(), bbox=bbox, zoom=zoom, limit=limit)


PUBLIC_LAYERS: dict[str, Layer] = {
    "citizen_reports": Layer(
        "citizen_reports", _("Phản ánh đã xử lý, công khai"), published_reports_features, mark="status"
    ),
    "sensors": Layer("sensors", _("Trạm quan trắc công khai"), public_sensors_features, mark="colour"),
    # R5.2: the warnings in force, as the public warning pages show them (issue 20 part 6)
    "warnings": Layer("warnings", _("Cảnh báo cho người dân"), scenarios.warnings_features, mark="severity"),
}
