"""Selectors other apps read (DESIGN "Map hooks", issue 12 KPIs): counts in an area, features in a box, the work
items of the operator's single queue, and counts, times and on-time rates; agency B sees nothing of A's."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.assignments import services as assignment_services
from ioc.geo.selectors import area_from_unit
from ioc.incidents import selectors, services
from ioc.incidents.tests.support import OTHER_COMMUNE, IncidentsMixin, point_in, unit
from ioc.web import selectors as web_selectors


class MapHooksTest(IncidentsMixin, TestCase):
    def test_counts_and_features_in_the_users_scope(self) -> None:
        incident, _parts = self.forwarded([self.agency_a])
        self.open_incident(kind="fire", commune=OTHER_COMMUNE)
        area = area_from_unit(unit())
        counts = selectors.incidents_counts_in_area(user=self.operator, area=area)
        self.assertEqual((counts["total"], counts["open"], counts["by_state"]), (1, 1, {"forwarded": 1}))
        self.assertEqual(selectors.incidents_counts_in_area(user=self.officer_a, area=area)["total"], 1)
        self.assertEqual(selectors.incidents_counts_in_area(user=self.officer_b, area=area)["total"], 0)
        lat, lon = point_in()
        box = (lat - 0.5, lon - 0.5, lat + 0.5, lon + 0.5)
        features = selectors.incidents_features(user=self.operator, bbox=box)
        self.assertIn(incident.pk, [f["id"] for f in features])
        self.assertEqual(features[0]["reference"][:3], "SC-")
        self.assertEqual(selectors.incidents_features(user=self.officer_b, bbox=box), [])

    def test_the_map_version_moves_with_a_new_incident_and_each_step(self) -> None:
        """Issue 20: the wall screen reloads the incidents layer only when this stamp moves."""
        before = selectors.incidents_map_version()
        incident = self.open_incident(commune=OTHER_COMMUNE)
        opened = selectors.incidents_map_version()
        self.assertNotEqual(opened, before)
        self.assertEqual(selectors.incidents_map_version(), opened)  # nothing changed, nothing moves
        services.incident_forward(incident=incident, agencies=[self.agency_a], actor=self.operator, instructions="Đi")
        self.assertNotEqual(selectors.incidents_map_version(), opened)  # a step writes an event

    def test_work_items_reach_the_single_queue(self) -> None:
        alert = self.raise_alert(severity=5)
        self.open_incident(kind="fire", commune=OTHER_COMMUNE)
        self.open_incident(kind="security.intrusion", commune=OTHER_COMMUNE)
        items = selectors.incidents_work_items(user=self.operator)
        kinds = {item.kind for item in items}
        self.assertEqual(kinds, {"verify", "dispatch"})  # approving is the leader's
        self.assertIn(f"#alert-{alert.pk}", items[0].url)
        self.assertIn("approve", {item.kind for item in selectors.incidents_work_items(user=self.leader)})
        self.assertEqual(selectors.incidents_work_items(user=self.officer_a), [])
        self.assertIn("incidents", web_selectors.work_item_sources())
        self.assertTrue(
            any(getattr(i, "source", "") == "incidents" for i in web_selectors.work_items(user=self.operator))
        )

    def test_work_items_in_plain_sql_match_the_orm_and_the_commune_filter(self) -> None:
        """Issue 20 "Speed": the territory roles' items come from statements built once per process; the rows,
        their converted times, the unit names and the commune filter are the ORM's."""
        from ioc.common.workitems import WorkFilter
        from ioc.incidents.models import Alert, Incident

        alert = self.raise_alert(severity=5)
        near = self.open_incident(kind="fire")
        far = self.open_incident(kind="fire", commune=OTHER_COMMUNE)
        items = {item.code: item for item in selectors.incidents_work_items(user=self.operator)}
        self.assertEqual(set(items), {f"CB-{alert.pk:06d}", f"SC-{near.pk:06d}", f"SC-{far.pk:06d}"})
        stored = Incident.objects.select_related("unit").get(pk=far.pk)
        self.assertEqual(items[f"SC-{far.pk:06d}"].at, stored.raised_at)  # an aware datetime, as the ORM gives it
        assert stored.unit is not None
        self.assertEqual(items[f"SC-{far.pk:06d}"].commune, stored.unit.name)
        self.assertEqual(items[f"CB-{alert.pk:06d}"].at, Alert.objects.get(pk=alert.pk).first_seen_at)
        self.assertTrue(items[f"CB-{alert.pk:06d}"].loud)
        there = WorkFilter(commune_id=stored.unit_id)
        self.assertEqual(
            {i.object_id for i in selectors.incidents_work_items(user=self.operator, where=there)}, {far.pk}
        )
        by_agency = WorkFilter(agency_id=self.agency_a.pk)
        self.assertEqual(selectors.incidents_work_items(user=self.operator, where=by_agency), [])


class KpiTest(IncidentsMixin, TestCase):
    def test_counts_times_and_on_time_rate(self) -> None:
        start, end = timezone.now() - dt.timedelta(days=1), timezone.now() + dt.timedelta(days=1)
        _incident, parts = self.forwarded([self.agency_b])
        assignment_services.assignment_accept(assignment=parts[0], actor=self.officer_b)
        assignment_services.assignment_resolve(assignment=parts[0], actor=self.officer_b, resolution="Xong")
        fire = self.open_incident(kind="fire", commune=OTHER_COMMUNE, severity=5)
        services.incident_dispatch(incident=fire, agencies=[self.agency_a], actor=self.operator)
        services.incident_en_route(incident=fire, actor=self.officer_a)
        services.incident_on_scene(incident=fire, actor=self.officer_a)
        counts = selectors.incidents_counts(user=self.operator, start=start, end=end)
        self.assertEqual((counts["total"], counts["open"], counts["severe"]), (2, 2, 1))
        self.assertEqual(counts["by_process"], {"time_bound": 1, "immediate": 1})
        times = selectors.incidents_times(user=self.operator, start=start, end=end)
        for name in ("to_verify", "call_to_dispatch", "dispatch_to_scene", "to_resolve"):
            self.assertIsNotNone(times[name], name)
            self.assertGreaterEqual(times[name] or 0, 0)
        rates = selectors.incidents_on_time(user=self.operator, start=start, end=end)
        self.assertEqual(
            [(r.agency, r.kind, r.total, r.on_time, r.rate) for r in rates],
            [(self.agency_b.name, "env.flood_level", 1, 1, 1.0)],
        )
        late = selectors.incidents_on_time(
            user=self.operator, start=start, end=end, now=timezone.now() + dt.timedelta(hours=2)
        )
        self.assertEqual(
            {(r.agency, r.total, r.on_time) for r in late},
            {
                (self.agency_b.name, 1, 1),
                (self.agency_a.name, 1, 0),  # the fire force's part is past its 30 minutes, still open
            },
        )
        self.assertEqual(selectors.incidents_on_time(user=self.officer_a, start=start, end=end), [])
        self.assertEqual(selectors.incidents_counts(user=self.officer_b, start=start, end=end)["total"], 1)
