"""R10.1, R5.6: refused security events per reason and channel on /metrics, read from the counters' rows at scrape
time (the syslog listener runs in its own process; the rows are the truth in every process)."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

from ioc.cybersecurity import selectors


class CyberCollector(Collector):
    def collect(self) -> Iterator[CounterMetricFamily]:
        rejected = CounterMetricFamily(
            "ioc_cyber_events_rejected",
            "Security events refused, per reason (oversized, encoding, malformed, shape, unregistered) and channel",
            labels=["reason", "channel"],
        )
        for row in selectors.rejections():
            rejected.add_metric([row.reason, row.channel], row.count)
        yield rejected
