"""R9.3: lag and backlog per link on /metrics, read from the outbox at scrape time (the rows are the truth in every
process, so no per-process gauge is kept)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from ioc.federation import selectors


class FederationCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        backlog = GaugeMetricFamily(
            "ioc_federation_backlog_messages",
            "Messages not yet acknowledged by the other center, per link",
            labels=["link"],
        )
        lag = GaugeMetricFamily(
            "ioc_federation_lag_seconds", "Age of the oldest unacknowledged message, per link", labels=["link"]
        )
        dead = GaugeMetricFamily("ioc_federation_dead_letters", "Dead letters not replayed, per link", labels=["link"])
        for status in selectors.link_statuses(now=timezone.now()):
            backlog.add_metric([status.link.code], status.backlog)
            lag.add_metric([status.link.code], status.lag_seconds)
            dead.add_metric([status.link.code], status.dead)
        yield backlog
        yield lag
        yield dead
