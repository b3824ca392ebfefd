"""R4.1 (issue 14): a rule over a point and radius or a drawn polygon watches the Datastreams whose Thing lies in
it: a station inside fires, one outside does not, through `rule_create`, `rule_update`, the page's form and the
API. Bad input — a radius over the cap, invalid GeoJSON, an area outside the territory, a commune and an area
together, text that is not JSON — is an error on the field `area` (400 on the page and the API); nothing written."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import shapely
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from ioc.audit.models import AuditEntry
from ioc.geo.models import AdminUnit
from ioc.geo.services import territory_set
from ioc.sensors.models import AlertRule
from ioc.sensors.rule_areas import RULE_MAX_RADIUS_M, area_check_scope, area_parse
from ioc.sensors.services import rule_update
from ioc.sensors.tests.rules_support import RuleWorld, minutes
from ioc.sensors.tests.sta_support import COMMUNE
from ioc.sensors.tests.test_pages import RULE

OUTSIDE = [21.0285, 105.8542]  # Hà Nội, outside the hung-yen territory of the test settings
BOWTIE = {  # a self-intersecting ring
    "type": "Polygon",
    "coordinates": [[[106.0, 20.6], [106.1, 20.7], [106.1, 20.6], [106.0, 20.7], [106.0, 20.6]]],
}


def square(lat: float, lon: float, half: float = 0.002) -> dict[str, Any]:
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


class RuleAreaWorld(RuleWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        territory_set(
            actor=cls.system_user,
            profile=settings.IOC_PROFILE,
            name="Tỉnh Hưng Yên",
            root_code="33",
            act_date=dt.date(2025, 7, 1),
        )

    def station(self) -> list[float]:
        point = self.stream.thing.locations.get()
        return [float(point.lat or 0), float(point.lon or 0)]

    def elsewhere(self) -> list[float]:
        """A point of another commune of the territory (not the station's)."""
        other = (
            AdminUnit.objects.filter(hierarchy="2025", territories__isnull=False)
            .exclude(code=COMMUNE)
            .exclude(geometry="")
            .first()
        )
        assert other is not None
        p = shapely.from_geojson(other.geometry).representative_point()
        return [float(p.y), float(p.x)]

    def refused(self, area: Any, reason: str, **extra: Any) -> None:
        with self.assertRaises(ValidationError) as caught:
            self.rule(code="vung-sai", area=area, **extra)
        self.assertIn(reason, " ".join(caught.exception.message_dict["area"]))


class RuleAreaTest(RuleAreaWorld):
    def test_a_circle_around_the_station_fires_and_one_elsewhere_does_not(self) -> None:
        self.rule(code="vong-tron-khac", area={"point": self.elsewhere(), "radius_m": 300})
        self.read(minutes(0), 90)
        self.assertEqual(self.states(), [])
        rule = self.rule(code="vong-tron-tram", area={"point": self.station(), "radius_m": 300})
        self.read(minutes(15), 90)
        self.assertEqual(list(AlertRule.objects.filter(states__state="firing").values_list("pk", flat=True)), [rule.pk])
        self.assertEqual(rule.area, {"point": self.station(), "radius_m": 300.0})

    def test_a_drawn_polygon_around_the_station_fires_and_one_elsewhere_does_not(self) -> None:
        self.rule(code="vung-khac", area={"geometry": square(*self.elsewhere())})
        self.read(minutes(0), 90)
        self.assertEqual(self.states(), [])
        rule = self.rule(code="vung-tram", area={"geometry": {"type": "Feature", "geometry": square(*self.station())}})
        self.assertEqual(rule.area["geometry"]["type"], "Polygon")  # stored as the geometry, not the Feature
        self.read(minutes(15), 90)
        self.assertEqual(self.states(), [("firing", "threshold")])

    def test_an_update_moves_the_area_and_the_audit_names_it(self) -> None:
        rule = self.rule(code="doi-vung", area={"point": self.elsewhere(), "radius_m": 300})
        self.read(minutes(0), 90)
        self.assertEqual(self.states(), [])
        rule_update(actor=self.operator, rule=rule, area={"point": self.station(), "radius_m": 300})
        self.read(minutes(15), 90)
        self.assertEqual(self.states(), [("firing", "threshold")])
        entry = AuditEntry.objects.get(action="sensors.rule.update", actor=self.operator)
        self.assertEqual(entry.changes["area"][1]["radius_m"], 300.0)

    def test_bad_areas_are_refused_on_the_field_and_nothing_is_written(self) -> None:
        self.refused({"point": self.station(), "radius_m": RULE_MAX_RADIUS_M + 1}, "radius_m")
        self.refused({"point": self.station(), "radius_m": 0}, "radius_m")
        self.refused({"point": [self.station()[0]], "radius_m": 100}, "point")
        self.refused({"geometry": BOWTIE}, "Self-intersection")
        self.refused({"geometry": {"type": "Point", "coordinates": [106.0, 20.6]}}, "Polygon")
        self.refused({"geometry": "not an object"}, "geometry")
        self.refused({"point": self.station(), "radius_m": 100, "geometry": square(*self.station())}, "point")
        self.refused({"point": OUTSIDE, "radius_m": 500}, "ngoài địa bàn")
        self.refused({"geometry": square(*OUTSIDE)}, "ngoài địa bàn")
        inside = AdminUnit.objects.get(hierarchy="2025", code=COMMUNE)
        self.refused({"point": self.station(), "radius_m": 100}, "không cả hai", unit=inside)
        self.assertFalse(AlertRule.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action__startswith="sensors.rule").exists())

    def test_a_refused_update_leaves_the_rule_as_it_was(self) -> None:
        area = {"point": self.station(), "radius_m": 300.0}
        rule = self.rule(code="giu-nguyen", area=area)
        with self.assertRaises(ValidationError):
            rule_update(actor=self.operator, rule=rule, area={"point": OUTSIDE, "radius_m": 500})
        rule.refresh_from_db()
        self.assertEqual(rule.area, area)
        self.assertFalse(AuditEntry.objects.filter(action="sensors.rule.update").exists())

    def test_an_account_without_the_whole_territory_may_not_set_an_area(self) -> None:
        _stored, area = area_parse({"point": self.station(), "radius_m": 300})
        assert area is not None
        area_check_scope(actor=self.operator, area=area)
        with self.assertRaises(ValidationError) as caught:
            area_check_scope(actor=self.officer_a, area=area)
        self.assertIn("area", caught.exception.message_dict)


class RuleAreaApiTest(RuleAreaWorld):
    def setUp(self) -> None:
        self.sign_in(self.client, self.operator)

    def post(self, **changes: Any) -> Any:
        body = {**RULE, "severity": 3, "raise_value": 50, "clear_value": 40, **changes}
        body.pop("is_active")
        return self.client.post("/api/v1/sensors/rules/", json.dumps(body), content_type="application/json")

    def test_the_api_takes_an_area_and_answers_it(self) -> None:
        response = self.post(area={"point": self.station(), "radius_m": 250})
        self.assertEqual(response.status_code, 201, response.content[:400])
        self.assertEqual(response.json()["area"], {"point": self.station(), "radius_m": 250.0})

    def test_bad_areas_are_a_400_naming_the_field(self) -> None:
        for area in (
            {"point": self.station(), "radius_m": RULE_MAX_RADIUS_M * 2},
            {"geometry": BOWTIE},
            {"point": OUTSIDE, "radius_m": 500},
        ):
            with self.subTest(area=area):
                response = self.post(area=area)
                self.assertEqual(response.status_code, 400, response.content[:400])
                self.assertIn("area", response.json()["error"]["fields"])
        self.assertFalse(AlertRule.objects.exists())


class RuleAreaPageTest(RuleAreaWorld):
    def setUp(self) -> None:
        self.sign_in(self.client, self.operator)

    def test_the_form_takes_an_area_and_shows_it_back(self) -> None:
        area = json.dumps({"geometry": square(*self.station())})
        page = self.client.post(reverse("sensors:rules"), {**RULE, "area": area})
        self.assertRedirects(page, reverse("sensors:rules"))
        rule = AlertRule.objects.get(code=RULE["code"])
        self.assertEqual(rule.area["geometry"]["type"], "Polygon")
        page = self.client.get(reverse("sensors:rule_edit", args=[rule.pk]))
        self.assertContains(page, "&quot;geometry&quot;")
        self.assertContains(self.client.get(reverse("sensors:rules")), "trong vùng theo dõi")

    def test_bad_areas_are_a_form_error_on_the_field(self) -> None:
        for text in (
            "{not json",
            "[1, 2]",
            json.dumps({"point": self.station(), "radius_m": RULE_MAX_RADIUS_M + 1}),
            json.dumps({"geometry": BOWTIE}),
            json.dumps({"point": OUTSIDE, "radius_m": 500}),
        ):
            with self.subTest(text=text):
                page = self.client.post(reverse("sensors:rules"), {**RULE, "area": text})
                self.assertContains(page, 'data-field="area"', status_code=400)
        self.assertFalse(AlertRule.objects.exists())
