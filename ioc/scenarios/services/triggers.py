"""The triggers at work (R4.6): after an alert commits, the incidents hook hands it to every active scenario; a
periodic sweep does the same for indicator warnings still in force and for the last hour's alerts (a hook lost in
a crash is caught up; `TriggerHit` makes a second look harmless)."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.utils import timezone

from ioc.accounts.selectors import system_account
from ioc.incidents.models import Alert
from ioc.indicators.models import IndicatorWarning
from ioc.scenarios.choices import ActivationWay
from ioc.scenarios.matching import AlertFacts, Watched, alert_trigger, indicator_trigger, watches_indicators
from ioc.scenarios.models import Activation, Scenario, TriggerHit
from ioc.scenarios.services.activation import scenario_activate

logger = logging.getLogger(__name__)
SWEEP_ALERTS_SINCE = dt.timedelta(hours=1)


def facts_of(alert: Alert) -> AlertFacts:
    return AlertFacts(alert.kind, alert.severity, alert.lat, alert.lon, alert.unit_id, alert.payload or {})


def _activate(scenario: Scenario, reason: str, key: str, alert: Alert | None) -> Activation | None:
    try:
        return scenario_activate(
            scenario=scenario,
            actor=system_account(),
            reason=reason,
            alert=alert,
            trigger_key=key,
            way=ActivationWay.TRIGGER,
        )
    except ValidationError as error:  # e.g. an agency retired since the scenario was saved: log, go on
        logger.warning("scenario %s not activated by %s: %s", scenario.code, key, error.messages)
        return None


def scenario_alert_hook(alert_id: int) -> list[Activation]:
    """R4.6: activate every active scenario whose alert or surge trigger the new alert meets."""
    scenarios = list(Scenario.objects.filter(is_active=True).order_by("pk"))
    alert = Alert.objects.select_related("unit").filter(pk=alert_id).first() if scenarios else None
    if alert is None:
        return []
    facts = facts_of(alert)
    done: list[Activation] = []
    key = f"alert:{alert.pk}"
    for scenario in scenarios:
        # The pure check first: in a storm nearly every alert meets no scenario, and then no query is needed.
        reason = alert_trigger(scenario.definition, facts, Watched(scenario.definition))
        if not reason or TriggerHit.objects.filter(scenario=scenario, key=key).exists():
            continue
        activation = _activate(scenario, f"{reason}: {alert.title}", key, alert)
        if activation is not None:
            done.append(activation)
            alert.refresh_from_db()
    return done


def scenario_triggers_sweep(*, now: dt.datetime | None = None) -> int:
    """R4.6: indicator warnings in force and the last hour's alerts, against every active scenario (safe to run
    twice: each occurrence is seen once per scenario). Returns how many activations were opened or joined."""
    now = now or timezone.now()
    count = 0
    for alert_id in Alert.objects.filter(first_seen_at__gte=now - SWEEP_ALERTS_SINCE).values_list("pk", flat=True):
        count += len(scenario_alert_hook(alert_id))
    scenarios = [s for s in Scenario.objects.filter(is_active=True) if watches_indicators(s.definition)]
    if not scenarios:
        return count
    codes = set().union(*(watches_indicators(s.definition) for s in scenarios))
    warnings = IndicatorWarning.objects.filter(cleared_at__isnull=True, indicator__code__in=codes)
    for warning in warnings.select_related("indicator"):
        for scenario in scenarios:
            key = f"warning:{warning.pk}"
            reason = indicator_trigger(scenario.definition, warning.indicator.code)
            if reason and not TriggerHit.objects.filter(scenario=scenario, key=key).exists():
                text = f"{reason}: {warning.indicator.name} {warning.period}"
                count += _activate(scenario, text[:300], key, None) is not None
    return count
