"""Observation types of SensorThings 1.1 (O&M 2.0) and the result each expects (R5.5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ioc.agencies.choices import Sensitivity

__all__ = ["OM", "RESULT_TYPES", "Sensitivity"]

OM = "http://www.opengis.net/def/observationType/OGC-OM/2.0/"


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


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
# Labels every rule state carries, besides the rule's own (a silence matches on any of them).
BUILTIN_LABELS = ("rule", "property", "severity", "kind", "thing", "datastream", "agency")
