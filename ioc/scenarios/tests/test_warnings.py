"""R5.2, R5.5: publishing public warnings (the leader's approval when severe), updates and cancellations naming the
original, and the bad input of the issue: an invalid polygon, an area outside the territory, an expired warning
being updated — each a clear error, nothing half-changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from ioc.notifications.models import Outbox
from ioc.scenarios import services
from ioc.scenarios.models import PublicWarning
from ioc.scenarios.tests.support import COMMUNE, ScenarioMixin, point_in, territory


def square(lat: float, lon: float, half: float = 0.005) -> dict[str, Any]:
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def draft(**overrides: Any) -> services.WarningDraft:
    now = timezone.now()
    lat, lon = point_in(COMMUNE)
    fields: dict[str, Any] = {
        "event": "Ngập lụt",
        "category": "Met",
        "urgency": "Expected",
        "certainty": "Likely",
        "severity": 3,
        "headline_vi": "Cảnh báo ngập lụt vùng trũng",
        "description_vi": "Mưa lớn, nước dâng tại các vùng trũng.",
        "instruction_vi": "Di chuyển tài sản lên cao, tránh đi qua vùng ngập.",
        "area_desc": "Vùng trũng ven sông",
        "onset": now,
        "expires": now + dt.timedelta(hours=12),
        "area_geojson": square(lat, lon),
        "unit_codes": [COMMUNE],
        "headline_en": "Flood warning for low-lying areas",
        "description_en": "Heavy rain, water rising in low-lying areas.",
        "instruction_en": "Move belongings up; avoid flooded roads.",
    }
    fields.update(overrides)
    return services.WarningDraft(**fields)


class WarningTests(ScenarioMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        territory()

    def test_an_operator_publishes_a_moderate_warning_at_once(self) -> None:
        warning = services.warning_publish(actor=self.operator, draft=draft())
        self.assertEqual((warning.state, warning.msg_type), ("published", "Alert"))
        self.assertIsNotNone(warning.sent_at)

    def test_a_severe_warning_waits_for_the_leader(self) -> None:
        warning = services.warning_publish(actor=self.operator, draft=draft(severity=4))
        self.assertEqual(warning.state, "awaiting_approval")
        self.assertIsNone(warning.sent_at)
        self.assertTrue(
            Outbox.objects.filter(recipient_user=self.leader, template="scenarios.warning_approval").exists()
        )
        with self.assertRaises(PermissionDenied):
            services.warning_approve(actor=self.operator, warning=warning)
        approved = services.warning_approve(actor=self.leader, warning=warning)
        self.assertEqual((approved.state, approved.approved_by), ("published", self.leader))

    def test_update_and_cancel_reference_the_original(self) -> None:
        original = services.warning_publish(actor=self.operator, draft=draft())
        update = services.warning_update(actor=self.operator, original=original, draft=draft(headline_vi="Mưa tăng"))
        original.refresh_from_db()
        self.assertEqual((update.msg_type, update.references, original.state), ("Update", original, "superseded"))
        cancel = services.warning_cancel(actor=self.operator, original=update, reason="Nước đã rút")
        update.refresh_from_db()
        self.assertEqual((cancel.msg_type, cancel.references, update.state), ("Cancel", update, "cancelled"))

    def test_an_invalid_polygon_is_refused(self) -> None:
        bowtie = {"type": "Polygon", "coordinates": [[[106, 20], [106.1, 20.1], [106.1, 20], [106, 20.1], [106, 20]]]}
        self.assert_refused(draft(area_geojson=bowtie), "area_geojson")
        self.assert_refused(draft(area_geojson={"type": "Point", "coordinates": [106, 20]}), "area_geojson")

    def test_an_area_outside_the_territory_is_refused(self) -> None:
        self.assert_refused(draft(area_geojson=square(10.8, 106.7)), "area_geojson")  # Hồ Chí Minh City
        self.assert_refused(draft(area_geojson=None, unit_codes=["00070"]), "unit_codes")

    def test_other_bad_input_names_its_field(self) -> None:
        now = timezone.now()
        self.assert_refused(draft(expires=now - dt.timedelta(minutes=1)), "expires")
        self.assert_refused(draft(headline_vi=""), "headline_vi")
        self.assert_refused(draft(category="Weather"), "category")
        self.assert_refused(draft(area_geojson=None, unit_codes=[]), "area_geojson")
        self.assert_refused(draft(instruction_vi="<script>x</script>"), "instruction_vi")

    def test_an_expired_warning_cannot_be_updated(self) -> None:
        original = services.warning_publish(actor=self.operator, draft=draft())
        PublicWarning.objects.filter(pk=original.pk).update(expires=timezone.now() - dt.timedelta(minutes=1))
        with self.assertRaises(ValidationError) as caught:
            services.warning_update(actor=self.operator, original=original, draft=draft())
        self.assertIn("original", caught.exception.message_dict)
        with self.assertRaises(ValidationError):
            services.warning_cancel(actor=self.operator, original=original, reason="x")
        self.assertEqual(PublicWarning.objects.count(), 1)
        original.refresh_from_db()
        self.assertEqual(original.state, "published")

    def test_only_the_ioc_publishes(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.warning_publish(actor=self.officer_a, draft=draft())
        self.assertFalse(PublicWarning.objects.exists())

    def assert_refused(self, bad: services.WarningDraft, field: str) -> None:
        with self.assertRaises(ValidationError) as caught:
            services.warning_publish(actor=self.operator, draft=replace(bad))
        self.assertIn(field, caught.exception.message_dict)
        self.assertFalse(PublicWarning.objects.exists())
