"""Does an alert or an indicator warning meet a scenario's triggers (R4.6)? Pure reads shared by the trigger hook,
the periodic sweep and the dry run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import shapely
from django.utils.translation import gettext as _

from ioc.geo.selectors import Area
from ioc.scenarios.choices import TriggerType as T
from ioc.scenarios.definition import area_of

SURGE_KIND = "citizen_reports.surge"


@dataclass(frozen=True)
class AlertFacts:
    """What matching needs of an alert."""

    kind: str
    severity: int
    lat: float | None
    lon: float | None
    unit_id: int | None
    payload: Mapping[str, Any]


class Watched:
    """A definition's watched area, built once (None: the whole territory)."""

    def __init__(self, definition: Mapping[str, Any]) -> None:
        self._source = definition.get("area")
        self._built = False
        self._area: Area | None = None

    @property
    def area(self) -> Area | None:
        """Built on first use: most alerts meet no trigger of a scenario, and then its area is never needed (the
        alert hook runs for every alert of a storm)."""
        if not self._built:
            self._area = area_of(self._source)
            if self._area is not None:
                shapely.prepare(self._area.geometry)
            self._built = True
        return self._area

    def holds(self, facts: AlertFacts) -> bool:
        area = self.area
        if area is None:
            return True
        if facts.lat is not None and facts.lon is not None:
            return bool(shapely.intersects_xy(area.geometry, facts.lon, facts.lat))
        return area.unit is not None and facts.unit_id == area.unit.pk


def alert_trigger(definition: Mapping[str, Any], facts: AlertFacts, watched: Watched) -> str:
    """The description of the first trigger the alert meets, "" when none does."""
    for trigger in definition.get("triggers", []):
        kind = trigger.get("type")
        met = kind == T.ALERT and facts.kind == trigger["kind"] and facts.severity >= trigger["min_severity"]
        if met and watched.holds(facts):
            return _("Cảnh báo %(kind)s mức %(level)d") % {"kind": facts.kind, "level": facts.severity}
        if kind == T.SURGE and facts.kind == SURGE_KIND and watched.holds(facts):
            category = str(facts.payload.get("category", ""))
            count = int(facts.payload.get("count", 0) or 0)
            if (not trigger["category"] or trigger["category"] == category) and count >= trigger["min_count"]:
                return _("Phản ánh tăng đột biến: %(n)d phản ánh %(c)s") % {"n": count, "c": category}
    return ""


def indicator_trigger(definition: Mapping[str, Any], indicator_code: str) -> str:
    """The description of the indicator-warning trigger met by a warning on `indicator_code`, "" when none."""
    for trigger in definition.get("triggers", []):
        if trigger.get("type") == T.INDICATOR and trigger["indicator"] == indicator_code:
            return _("Cảnh báo chỉ số %(code)s") % {"code": indicator_code}
    return ""


def watches_indicators(definition: Mapping[str, Any]) -> set[str]:
    return {t["indicator"] for t in definition.get("triggers", []) if t.get("type") == T.INDICATOR}
