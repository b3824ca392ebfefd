"""Live readings for the demo (R5.5, R11): `./manage.py sensors_simulate` publishes, every few seconds, one new
reading per live demo Datastream over MQTT, continuing its series from the latest value.

Each quantity drifts around the value it started from (a mean-reverting random walk with the spread the demo's
history has at 15 minutes, kept within physical bounds); rain falls in short showers that die out. Datastreams
silent for more than a day before the newest one (the demo's broken sensors) stay silent, also when the demo is
started again days after it was loaded.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db.models import Max

from ioc.sensors.models import Datastream

SILENT_AFTER = dt.timedelta(days=1)


@dataclass(frozen=True)
class Drift:
    sigma: float
    low: float
    high: float


# By the ObservedProperty's definition (the demo's catalogue, ioc/sensors/demo.py).
DRIFTS = {
    "PM25": Drift(2.0, 2.0, 300.0),
    "PM10": Drift(3.0, 4.0, 500.0),
    "WLEV": Drift(0.01, 0.0, 12.0),
    "CFSN0023": Drift(0.15, 5.0, 42.0),  # air temperature
    "CFSN0413": Drift(0.8, 30.0, 100.0),  # relative humidity
    "SDBAZZ01": Drift(1.5, 35.0, 95.0),  # noise
}
RAIN = "CFSN0382"


@dataclass
class Series:
    """One live Datastream: its topic, its quantity (the definition's last segment), its anchor and last value."""

    topic: str
    quantity: str
    anchor: float
    value: float

    def step(self, rng: random.Random) -> float:
        if self.quantity == RAIN:
            if self.value > 0:
                self.value = max(0.0, self.value * 0.7 + rng.gauss(0, 0.2)) if rng.random() > 0.1 else 0.0
            elif rng.random() < 0.02:
                self.value = rng.gammavariate(2.0, 1.5)
        else:
            drift = DRIFTS.get(self.quantity, Drift(max(abs(self.anchor) * 0.01, 0.01), -1e9, 1e9))
            pulled = self.value + 0.1 * (self.anchor - self.value) + rng.gauss(0, drift.sigma)
            self.value = min(drift.high, max(drift.low, pulled))
        self.value = round(self.value, 2)
        return self.value


def live_series() -> list[Series]:
    """The Datastreams with a numeric latest value at most a day older than the newest one, in id order."""
    numeric = Datastream.objects.filter(latest_value__isnull=False, latest_time__isnull=False)
    newest = numeric.aggregate(newest=Max("latest_time"))["newest"]
    if newest is None:
        return []
    streams = numeric.filter(latest_time__gte=newest - SILENT_AFTER).select_related("observed_property").order_by("pk")
    found = []
    for stream in streams:
        quantity = stream.observed_property.definition.rstrip("/").rsplit("/", 1)[-1]
        value = float(stream.latest_value or 0.0)
        found.append(Series(f"v1.1/Datastreams({stream.pk})/Observations", quantity, value, value))
    return found
