"""R10.2: a change refused to start without approval, a window in the past refused, the agency's consent, then
approved — its window marks alerts of the named sources "bảo trì" (no sound, no timer) — closed with its result;
a version change without an approved window raises `operations.unapproved_change`."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.incidents.models import Alert, MaintenanceWindow, VerificationTimer
from ioc.incidents.services import alert_raise
from ioc.operations import services
from ioc.operations.choices import ChangeState
from ioc.operations.models import Change, DeploymentRecord
from ioc.operations.testing import managing_body_make


class ChangeCase(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        managing_body_make(actor=cls.system_account, agency=cls.agency_b)

    def request(self, *, start: dt.datetime, hours: int = 2, **extra):
        return services.change_request(
            actor=self.operator,
            title="Nâng cấp nền tảng IOC",
            reason="Bản vá bảo mật",
            systems="Máy chủ ứng dụng",
            window_start=start,
            window_end=start + dt.timedelta(hours=hours),
            rollback_plan="Khôi phục bản sao lưu",
            requester="Nhà cung cấp",
            sources=["sensors"],
            **extra,
        )

    def sensor_alert(self, key: str) -> Alert:
        return alert_raise(
            source="sensors",
            dedup_key=key,
            kind="env.flood_level",
            severity=5,
            title="Ngập",
            occurred_at=timezone.now(),
            payload={},
            actor=self.system_account,
        )


class ChangeFlowTest(ChangeCase):
    def test_a_window_in_the_past_is_refused_and_nothing_is_written(self):
        with self.assertRaises(ValidationError) as caught:
            self.request(start=timezone.now() - dt.timedelta(hours=3))
        self.assertIn("window_start", caught.exception.message_dict)
        self.assertFalse(Change.objects.exists())

    def test_start_refused_without_approval_then_approved_mutes_and_closes(self):
        now = timezone.now()
        change = self.request(start=now + dt.timedelta(minutes=1), hours=3)
        later = now + dt.timedelta(minutes=5)
        with self.assertRaises(ValidationError) as caught:
            services.change_start(actor=self.operator, change=change, now=later)
        self.assertIn("state", caught.exception.message_dict)
        with self.assertRaises(PermissionDenied):
            services.change_decide(actor=self.leader, change=change, approve=True)
        services.change_decide(actor=self.officer_b, change=change, approve=True, now=now)
        loud_before = self.sensor_alert("before")  # the window has not begun
        self.assertTrue(loud_before.is_loud)
        # the clock reaches the window: both records move back a minute (alert_raise reads the real clock)
        Change.objects.filter(pk=change.pk).update(window_start=now - dt.timedelta(minutes=1))
        MaintenanceWindow.objects.update(starts_at=now - dt.timedelta(minutes=1))
        change.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            started = services.change_start(actor=self.operator, change=change, now=later)
        self.assertEqual(started.state, ChangeState.STARTED)
        muted = self.sensor_alert("during")
        self.assertTrue(muted.maintenance)
        self.assertFalse(muted.is_loud)
        self.assertFalse(VerificationTimer.objects.filter(alert=muted).exists())
        self.sign_in(self.client, self.operator)
        self.assertContains(self.client.get("/canh-bao/"), "data-maintenance")
        self.assertContains(self.client.get("/canh-bao/"), "data-maintenance-banner")
        closed = services.change_close(actor=self.operator, change=started, result="Thành công")
        self.assertEqual(closed.state, ChangeState.CLOSED)
        self.assertFalse(self.sensor_alert("after").maintenance)

    def test_a_touched_agency_must_consent_first(self):
        change = self.request(start=timezone.now() + dt.timedelta(hours=1), touched_systems=[self.system])
        with self.assertRaises(ValidationError) as caught:
            services.change_decide(actor=self.officer_b, change=change, approve=True)
        self.assertIn("consents", caught.exception.message_dict)
        with self.assertRaises(PermissionDenied):
            services.change_consent(actor=self.officer_b, change=change, agree=True)  # B's system is not touched
        services.change_consent(actor=self.officer_a, change=change, agree=True)
        self.assertEqual(services.change_decide(actor=self.officer_b, change=change, approve=True).state, "approved")


class DeploymentCheckTest(ChangeCase):
    def test_a_version_change_without_approval_raises_its_alert(self):
        base = ["incidents.0001_initial", "operations.0001_initial"]
        first = services.deployment_check(actor=self.system_account, version="1.0", migrations=base)
        self.assertTrue(first.approved)
        self.assertIsNone(services.deployment_check(actor=self.system_account, version="1.0", migrations=base))
        record = services.deployment_check(actor=self.system_account, version="1.1", migrations=base)
        self.assertFalse(record.approved)
        alert = Alert.objects.get(kind="operations.unapproved_change")
        self.assertEqual(alert.source, "operations")

    def test_a_change_inside_an_approved_window_is_recorded_without_alert(self):
        services.deployment_check(actor=self.system_account, version="1.0", migrations=[])
        now = timezone.now()
        change = self.request(start=now + dt.timedelta(seconds=1))
        services.change_decide(actor=self.officer_b, change=change, approve=True, now=now)
        record = services.deployment_check(
            actor=self.system_account, version="1.1", migrations=["x.0001"], now=now + dt.timedelta(minutes=1)
        )
        self.assertEqual((record.approved, record.change), (True, change))
        self.assertFalse(Alert.objects.filter(kind="operations.unapproved_change").exists())
        self.assertEqual(DeploymentRecord.objects.count(), 2)

    def test_a_window_for_another_version_does_not_cover_this_one(self):
        services.deployment_check(actor=self.system_account, version="1.0", migrations=[])
        now = timezone.now()
        change = self.request(start=now + dt.timedelta(seconds=1), version="2.0")
        services.change_decide(actor=self.officer_b, change=change, approve=True, now=now)
        later = now + dt.timedelta(minutes=1)
        record = services.deployment_check(actor=self.system_account, version="1.5", migrations=[], now=later)
        self.assertFalse(record.approved)
        self.assertTrue(Alert.objects.filter(kind="operations.unapproved_change").exists())

    def test_the_start_up_command_is_idempotent_and_audited(self):
        from io import StringIO

        from django.core.management import call_command

        from ioc.audit.models import AuditEntry

        out = StringIO()
        call_command("operations_deployment_check", stdout=out)
        call_command("operations_deployment_check", stdout=out)  # a second process starting: nothing new
        self.assertEqual(DeploymentRecord.objects.count(), 1)
        self.assertIn("unchanged", out.getvalue())
        self.assertEqual(AuditEntry.objects.filter(action="deployment.check").count(), 1)
        # The same unapproved difference seen by the web and the worker is one alert (dedup key).
        services.deployment_check(actor=self.system_account, version="9.9", migrations=[])
        DeploymentRecord.objects.order_by("-pk").first().delete()
        services.deployment_check(actor=self.system_account, version="9.9", migrations=[])
        self.assertEqual(Alert.objects.filter(kind="operations.unapproved_change").count(), 1)


class DeploymentCheckBeforeBootstrapTest(TestCase):
    def test_a_new_deployment_without_the_system_account_is_not_blocked(self):
        from io import StringIO

        from django.core.management import call_command

        from ioc.accounts.models import User
        from ioc.accounts.selectors import SYSTEM_USERNAME

        User.objects.filter(username=SYSTEM_USERNAME).update(is_active=False)  # as before `bootstrap_admin`
        out = StringIO()
        call_command("operations_deployment_check", stdout=out)  # exits normally: the web unit still starts
        self.assertIn("skipped", out.getvalue())
        self.assertFalse(DeploymentRecord.objects.exists())
