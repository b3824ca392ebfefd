"""R4.1, R5.5: the ready rules of national standards (VN_AQI, heat, heavy rain, flood alarm levels I–III per
gauge) installed as data, once; bands on each Datastream's latest value for the map; a rule over an area."""

from django.test import TestCase

from ioc.common.testing import frozen
from ioc.geo.models import AdminUnit
from ioc.sensors.models import AlertRule, Datastream
from ioc.sensors.rules_catalogue import READY_RULES, band_of, bands_for
from ioc.sensors.selectors import sensors_features
from ioc.sensors.services import rules_install_standard
from ioc.sensors.tests.rules_support import RuleWorld, minutes
from ioc.sensors.tests.sta_support import COMMUNE


class ReadyRulesTest(RuleWorld, TestCase):
    def test_the_standard_rules_install_once_and_a_gauge_gets_its_three_alarm_levels(self) -> None:
        gauge = self.stream  # arranged as a water gauge with its alarm levels
        Datastream.objects.filter(pk=gauge.pk).update(properties={"alarm_levels": [2.5, 3.5, 4.5]})
        gauge.observed_property.name = "Mực nước"
        gauge.observed_property.definition = "http://vocab.nerc.ac.uk/collection/P01/current/WLEV/"
        gauge.observed_property.save()
        made = rules_install_standard(actor=self.operator)
        self.assertEqual(made, len(READY_RULES) + 3)
        self.assertEqual(rules_install_standard(actor=self.operator), 0)
        levels = AlertRule.objects.filter(kind="env.flood_level").order_by("raise_value")
        self.assertEqual([(r.raise_value, r.severity) for r in levels], [(2.5, 3), (3.5, 4), (4.5, 5)])

    def test_a_rule_over_an_area_watches_the_stations_inside_it_only(self) -> None:
        inside = AdminUnit.objects.get(hierarchy="2025", code=COMMUNE)
        other = (
            AdminUnit.objects.filter(hierarchy="2025", level=inside.level)
            .exclude(pk=inside.pk)
            .exclude(geometry="")
            .first()
        )
        assert other is not None
        self.rule(code="o-xa-khac", unit=other)
        self.read(minutes(0), 90)
        self.assertEqual(self.states(), [])
        self.rule(code="o-xa-nay", unit=inside)
        self.read(minutes(15), 90)
        self.assertEqual(self.states(), [("firing", "threshold")])


class BandsTest(RuleWorld, TestCase):
    def test_the_latest_value_carries_its_vn_aqi_band(self) -> None:
        self.read(minutes(0), 60)
        point = self.stream.thing.locations.get()
        lat, lon = float(point.lat or 0), float(point.lon or 0)
        box = (lat - 0.01, lon - 0.01, lat + 0.01, lon + 0.01)
        with frozen(minutes(1)):
            stream = sensors_features(user=self.operator, bbox=box)[0]["datastreams"][0]
        self.assertEqual(stream["property"], "pm25")
        self.assertEqual(stream["band"]["label"], "Kém")  # 50–80 µg/m³: VN_AQI 101–150

    def test_bands_at_their_edges(self) -> None:
        pm25 = bands_for("pm25")
        self.assertEqual(band_of(24.9, pm25)["label"], "Tốt")  # type: ignore[index]
        self.assertEqual(band_of(25, pm25)["label"], "Trung bình")  # type: ignore[index]
        self.assertEqual(band_of(600, pm25)["label"], "Nguy hại")  # type: ignore[index]
        self.assertIsNone(band_of(None, pm25))
        gauge = bands_for("water_level", {"alarm_levels": [1, 2, 3]})
        self.assertEqual(band_of(2.2, gauge)["label"], "Báo động II")  # type: ignore[index]
        self.assertEqual(bands_for("water_level", {"alarm_levels": [3, 2, 1]}), ())
        self.assertEqual(bands_for("noise"), ())
