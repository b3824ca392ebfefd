"""Fixtures other apps' tests use (the crawl's world): one alert rule and one planned maintenance window,
through the services."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from ioc.sensors.models import AlertRule, Silence
from ioc.sensors.services import rule_create, silence_create

if TYPE_CHECKING:
    from ioc.accounts.models import User

CRAWL_RULE = "crawl-pm25"


def sensors_crawl_fixtures(*, actor: User) -> tuple[AlertRule, Silence]:
    """R4.1: a PM2.5 rule (code `CRAWL_RULE`) and a maintenance window of it starting tomorrow."""
    rule = rule_create(
        actor=actor,
        code=CRAWL_RULE,
        name="PM2.5 mức Kém",
        observed_property="pm25",
        kind="env.air_quality",
        severity=3,
        raise_op=">",
        raise_value=50.0,
        clear_op="<=",
        clear_value=40.0,
        for_seconds=3600,
    )
    start = timezone.now() + dt.timedelta(days=1)
    silence = silence_create(
        actor=actor,
        kind="maintenance",
        matchers={"rule": CRAWL_RULE},
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        reason="Bảo trì trạm định kỳ",
    )
    return rule, silence
