"""R5.6, R4.2, R4.6 (000:7.4 "tham gia ứng cứu khẩn cấp không gian mạng"): a `cyber.*` alert the operator confirms
becomes an incident of its kind; the ready "cyber attack on a provincial system" scenario (`ioc.scenarios.demo`)
starts on a defaced page of a watched system, opening its incident (of the scenario's kind, awaiting the leader's
approval; the alert, of another kind, stays in the inbox as the trigger), and not on a slow site."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.cybersecurity import services
from ioc.cybersecurity.models import Asset
from ioc.cybersecurity.probes import Outcome
from ioc.incidents import services as incident_services
from ioc.incidents.choices import IncidentState
from ioc.incidents.models import Alert
from ioc.scenarios import services as scenario_services
from ioc.scenarios.models import Activation, Scenario, TriggerHit
from ioc.scenarios.testing import READY, ready_triggers


class ResponseTest(Personas, TestCase):
    asset: Asset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.asset = services.asset_create(
            actor=cls.admin,
            code="cong-tinh",
            name="Cổng thông tin điện tử tỉnh",
            kind="portal",
            agency=cls.agency_a,
            level=3,
            url="https://cong-tinh.example.invalid/",
            is_demo=True,
        )

    def check(self, outcome: Outcome) -> None:
        lease = timezone.now() + dt.timedelta(minutes=1)
        Asset.objects.filter(pk=self.asset.pk).update(lease_until=lease)
        self.asset.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            services.check_record(asset=self.asset, lease=lease, outcome=outcome, actor=self.system_user)

    def alert(self, rule: str) -> Alert:
        return Alert.objects.get(source="cybersecurity", dedup_key=f"cong-tinh:{rule}")

    def cyber_scenario(self) -> None:
        row = next(r for r in READY if r[0] == "tan-cong-mang")
        code, name, group, kind, severity, _immediate, trigger, steps = row
        title, hours, checklist = steps[0]
        definition = {
            "incident": {"kind": kind, "severity": severity, "title": name},
            "triggers": ready_triggers(code, trigger),
            "area": None,
            "steps": [
                {"agency": self.agency_b.code, "title": title, "deadline_hours": hours, "checklist": list(checklist)}
            ],
            "message": f"Triển khai kịch bản “{name}”.",
        }
        scenario_services.scenario_create(actor=self.admin, code=code, name=name, group=group, definition=definition)

    def test_a_confirmed_cyber_alert_becomes_an_incident(self):
        self.check(Outcome(problems={"down": "connection refused"}))
        alert = self.alert("down")
        incident = incident_services.alert_verify(alert=alert, actor=self.operator, description="Cổng tỉnh ngừng")
        alert.refresh_from_db()
        self.assertEqual((incident.kind, alert.incident_id), ("cyber.down", incident.pk))
        self.assertEqual(incident.severity, alert.severity)

    def test_the_cyber_attack_scenario_starts_on_a_defaced_provincial_system(self):
        self.cyber_scenario()
        self.check(Outcome(ok=True, status_code=200, response_ms=3000, problems={"slow": "3000 ms"}))
        self.assertFalse(Activation.objects.exists())  # a slow site is no attack
        self.check(Outcome(ok=True, status_code=200, problems={"defacement": "vùng #main đã thay đổi"}))
        activation = Activation.objects.get(scenario__code="tan-cong-mang")
        alert = self.alert("defacement")
        self.assertTrue(TriggerHit.objects.filter(scenario=activation.scenario, key=f"alert:{alert.pk}").exists())
        self.assertEqual(activation.incident.kind, "security.intrusion")  # the scenario's own kind
        self.assertEqual((alert.state, alert.incident_id), ("attached", activation.incident.pk))  # in its timeline
        self.assertEqual(activation.incident.severity, 4)
        # An intrusion awaits the IOC leader's approval before the steps go out (its kind needs approval, R4.5).
        self.assertEqual(activation.incident.state, IncidentState.AWAITING_APPROVAL)

    def test_an_alert_handled_meanwhile_leaves_the_scenario_s_incident_open_and_itself_unchanged(self):
        self.cyber_scenario()
        self.check(Outcome(problems={"down": "connection refused"}))  # not the scenario's trigger
        stale = self.alert("down")
        incident_services.alert_dismiss(alert=Alert.objects.get(pk=stale.pk), actor=self.operator, reason="Bảo trì")
        activation = scenario_services.scenario_activate(
            scenario=Scenario.objects.get(code="tan-cong-mang"),
            actor=self.system_account,
            alert=stale,  # still "new" in the caller's hands
            trigger_key=f"alert:{stale.pk}",
            way="trigger",
        )
        self.assertEqual(activation.incident.kind, "security.intrusion")
        stale.refresh_from_db()
        self.assertEqual((stale.state, stale.incident_id), ("dismissed", None))
