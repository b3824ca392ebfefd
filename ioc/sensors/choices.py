"""Observation types of SensorThings 1.1 (O&M 2.0) and the result each expects (R5.5)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from ioc.agencies.choices import Sensitivity

__all__ = ["OM", "RESULT_TYPES", "Sensitivity"]

OM = "http://www.opengis.net/def/observationType/OGC-OM/2.0/"


def _number(value: Any) -> bool:
    """A Measurement's result is a finite double: not NaN, ±Infinity or an integer beyond a double's range."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


RESULT_TYPES: dict[str, Callable[[Any], bool]] = {
    OM + "OM_Measurement": _number,
    OM + "OM_CountObservation": lambda v: isinstance(v, int) and not isinstance(v, bool),
    OM + "OM_TruthObservation": lambda v: isinstance(v, bool),
    OM + "OM_CategoryObservation": lambda v: isinstance(v, str),
}


# --- alert rules (R4.1) ----------------------------------------------------------------------------------------

PENDING, FIRING, RESOLVED = "pending", "firing", "resolved"
RULE_OPEN_STATES = (PENDING, FIRING)
THRESHOLD, NO_DATA = "threshold", "no_data"
OPERATORS = (">", ">=", "<", "<=")
SILENCE, MAINTENANCE = "silence", "maintenance"
SILENCE_KINDS = (SILENCE, MAINTENANCE)
# What a page shows of a silence's kind (the stored codes are English words): Vietnamese first.
SILENCE_KIND_LABELS = {SILENCE: _("Tắt tiếng / Silence"), MAINTENANCE: _("Bảo trì / Maintenance")}
# Labels every rule state carries, besides the rule's own (a silence matches on any of them).
BUILTIN_LABELS = ("rule", "property", "severity", "kind", "thing", "datastream", "agency")


# --- cameras (R5.2) --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CameraEventType:
    """An analytics event type: the alert kind it raises, the confidence it needs, its merge cooldown."""

    code: str
    kind: str
    threshold: float
    cooldown_seconds: int


CAMERA_EVENT_TYPES: dict[str, CameraEventType] = {
    t.code: t
    for t in (
        CameraEventType("crowd", "camera.crowd", 0.7, 600),
        CameraEventType("accident", "camera.accident", 0.6, 900),
        CameraEventType("wrong_way", "camera.wrong_way", 0.8, 300),
        CameraEventType("fire_smoke", "camera.fire_smoke", 0.6, 900),
        CameraEventType("illegal_parking", "camera.illegal_parking", 0.8, 1800),
        CameraEventType("intrusion", "camera.intrusion", 0.75, 600),
    )
}
HEARTBEAT = "heartbeat"
CAMERA_STATUSES = ("active", "maintenance", "retired")
STREAM_SCHEMES = ("rtsp", "rtsps", "http", "https")
SNAPSHOT_SCHEMES = ("http", "https")
