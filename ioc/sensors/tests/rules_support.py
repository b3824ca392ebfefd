"""Shared by the alert-rule tests: one PM2.5 station of agency A built through the services, readings through
`observations_create` (the dataArray path) at given instants, and the rule states and inbox alerts to check."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ioc.common.testing import frozen
from ioc.incidents.models import Alert
from ioc.sensors.drafts import parse_draft
from ioc.sensors.models import AlertRule, Datastream, RuleState
from ioc.sensors.selectors import viewer_for
from ioc.sensors.services import ObservationRow, entity_create, observations_create, rule_create
from ioc.sensors.tests.sta_support import StaClient, thing_payload

T0 = dt.datetime(2025, 7, 14, 8, 0, tzinfo=dt.UTC)


def minutes(n: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


class RuleWorld(StaClient):
    stream: Datastream

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        draft = parse_draft("Things", thing_payload("Trạm Bụi"))
        entity_create(actor=cls.system_user, agency_id=cls.agency_a.pk, viewer=viewer_for(cls.system_user), draft=draft)
        cls.stream = Datastream.objects.get(thing__name="Trạm Bụi")

    def rule(self, **fields: Any) -> AlertRule:
        data: dict[str, Any] = {
            "code": "pm25-test",
            "name": "PM2.5 cao",
            "observed_property": "pm25",
            "kind": "env.air_quality",
            "severity": 3,
            "raise_op": ">",
            "raise_value": 50.0,
            "clear_op": "<=",
            "clear_value": 40.0,
            **fields,
        }
        return rule_create(actor=self.operator, **data)

    def read(self, at: dt.datetime, value: float, *, now: dt.datetime | None = None) -> None:
        """One reading at `at`, sent at `now` (default: the reading's own time)."""
        row = ObservationRow({"phenomenon_time": at, "result": value, "result_number": value})
        with frozen(now or at):
            observations_create(
                actor=self.system_user,
                agency_id=self.agency_a.pk,
                viewer=viewer_for(self.system_user),
                batches=[(self.stream.pk, [row])],
            )

    def states(self) -> list[tuple[str, str]]:
        return list(RuleState.objects.order_by("pk").values_list("state", "reason"))

    def alerts(self) -> list[tuple[str, str, str]]:
        return list(Alert.objects.filter(source="sensors").order_by("pk").values_list("kind", "state", "dedup_key"))
