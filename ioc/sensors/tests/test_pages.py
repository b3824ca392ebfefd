"""R4.1, R5.2, R5.5: the sensors pages: the operator sees the states with bands, creates a rule (bad input: a
form error naming the field, status 400, nothing written), edits it with its 7-day preview, silences and ends a
silence, adds a camera (a non-http(s) snapshot refused); an agency officer gets 403."""

import datetime as dt

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from ioc.sensors.models import AlertRule, Camera, Silence
from ioc.sensors.tests.rules_support import RuleWorld
from ioc.sensors.tests.sta_support import point_in

RULE = {
    "code": "pm25-trang",
    "name": "PM2.5 cao",
    "observed_property": "pm25",
    "kind": "env.air_quality",
    "severity": "3",
    "raise_op": ">",
    "raise_value": "50",
    "clear_op": "<=",
    "clear_value": "40",
    "for_seconds": "0",
    "repeat_count": "1",
    "no_data_intervals": "0",
    "expected_interval_seconds": "900",
    "is_active": "on",
}


class PagesTest(RuleWorld, TestCase):
    def setUp(self) -> None:
        self.sign_in(self.client, self.operator)

    def test_states_show_the_band_of_the_latest_value(self) -> None:
        now = timezone.now()
        self.read(now, 60)
        page = self.client.get(reverse("sensors:states"))
        self.assertContains(page, "Kém")
        self.assertContains(page, "Trạm Bụi")

    def test_a_rule_is_created_edited_and_previewed(self) -> None:
        self.assertRedirects(self.client.post(reverse("sensors:rules"), RULE), reverse("sensors:rules"))
        rule = AlertRule.objects.get(code="pm25-trang")
        self.read(timezone.now() - dt.timedelta(days=1), 90)
        page = self.client.get(reverse("sensors:rule_edit", args=[rule.pk]))
        self.assertContains(page, "Lẽ ra đã báo lúc")
        self.assertNotContains(page, "không báo lần nào")
        url = reverse("sensors:rule_edit", args=[rule.pk])
        self.assertRedirects(self.client.post(url, {**RULE, "raise_value": "55"}), url)
        rule.refresh_from_db()
        self.assertEqual(rule.raise_value, 55)

    def test_a_bad_rule_is_a_form_error_and_nothing_is_written(self) -> None:
        for changes, field in (({"clear_op": ">"}, "clear_value"), ({"unit": "khong-co"}, "unit")):
            with self.subTest(field=field):
                page = self.client.post(reverse("sensors:rules"), {**RULE, **changes})
                self.assertEqual(page.status_code, 400)
                self.assertContains(page, f'data-field="{field}"', status_code=400)
        self.assertFalse(AlertRule.objects.exists())

    def test_a_silence_is_added_and_ended(self) -> None:
        body = {
            "kind": "maintenance",
            "matchers": f"thing={self.stream.thing_id}",
            "starts_at": "2030-01-01T08:00",
            "ends_at": "2030-01-01T10:00",
            "reason": "Thay cảm biến",
        }
        self.assertRedirects(self.client.post(reverse("sensors:silences"), body), reverse("sensors:silences"))
        silence = Silence.objects.get()
        self.assertEqual(silence.matchers, {"thing": str(self.stream.thing_id)})
        bad = self.client.post(reverse("sensors:silences"), {**body, "ends_at": "2029-01-01T08:00"})
        self.assertEqual(bad.status_code, 400)
        self.client.post(reverse("sensors:silence_expire", args=[silence.pk]))
        silence.refresh_from_db()
        self.assertEqual((silence.ends_at - silence.starts_at).total_seconds(), 1)  # a planned window, cancelled

    def test_a_camera_is_added_and_a_bad_snapshot_refused(self) -> None:
        lon, lat = point_in()
        body = {"code": "cam-1", "name": "Ngã tư", "agency": self.agency_a.pk, "lat": lat, "lon": lon,
                "sensitivity": "internal", "heartbeat_seconds": 300}  # fmt: skip
        bad = self.client.post(reverse("sensors:cameras"), {**body, "snapshot_url": "ftp://x.invalid/a.jpg"})
        self.assertContains(bad, 'data-field="snapshot_url"', status_code=400)
        self.assertFalse(Camera.objects.exists())
        self.assertRedirects(self.client.post(reverse("sensors:cameras"), body), reverse("sensors:cameras"))
        self.assertContains(self.client.get(reverse("sensors:cameras")), "Ngã tư")

    def test_an_agency_officer_is_refused_everywhere(self) -> None:
        self.client.logout()
        self.sign_in(self.client, self.officer_a)
        for name in ("states", "rules", "silences", "cameras"):
            self.assertEqual(self.client.get(reverse(f"sensors:{name}")).status_code, 403)
        self.assertEqual(self.client.post(reverse("sensors:rules"), RULE).status_code, 403)
        self.assertFalse(AlertRule.objects.exists())
