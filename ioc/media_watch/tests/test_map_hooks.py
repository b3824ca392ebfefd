"""Places mentioned on the map, counts in an area and the overview figures (R5.7, R6.1, R6.2), staff only."""

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.geo.models import AdminUnit
from ioc.geo.selectors import area_from_circle
from ioc.media_watch import selectors, services
from ioc.media_watch.choices import SourceKind
from ioc.media_watch.parsers import ItemDraft
from ioc.media_watch.services.config import SourceSettings


class MapHooksTest(Personas, TestCase):
    def setUp(self):
        self.commune = AdminUnit.objects.get(hierarchy="2025", code="25270")
        source = services.source_set(actor=self.admin, values=SourceSettings(name="T", kind=SourceKind.EXPORT))
        drafts = [
            ItemDraft(title=f"Ùn tắc ở {self.commune.full_name}", url="https://n.invalid/1"),
            ItemDraft(title=f"Người dân {self.commune.full_name} hài lòng với dịch vụ công", url="https://n.invalid/2"),
        ]
        services.items_ingest(actor=self.admin, source=source, drafts=drafts)
        self.box = (self.commune.lat - 0.1, self.commune.lon - 0.1, self.commune.lat + 0.1, self.commune.lon + 0.1)

    def test_features_and_counts_for_the_operator(self):
        features = selectors.media_watch_features(user=self.operator, bbox=self.box)
        self.assertEqual([(f["id"], f["count"]) for f in features], [(self.commune.pk, 2)])
        area = area_from_circle(self.commune.lat, self.commune.lon, 2000)
        self.assertEqual(selectors.media_watch_counts_in_area(user=self.operator, area=area), {"total": 1, "items": 2})
        overview = selectors.media_watch_overview(user=self.leader)
        self.assertEqual((overview["items_24h"], overview["negative_24h"]), (2, 1))

    def test_a_place_in_the_areas_box_but_outside_the_area_is_not_counted(self):
        # the commune's centre lies in the circle's bounding box (0.008° from its centre each way) but ~1.2 km away
        area = area_from_circle(self.commune.lat + 0.008, self.commune.lon + 0.008, 1000)
        box = area.bbox
        self.assertTrue(box.min_lat < self.commune.lat < box.max_lat and box.min_lon < self.commune.lon < box.max_lon)
        self.assertEqual(selectors.media_watch_counts_in_area(user=self.operator, area=area), {"total": 0, "items": 0})
        wider = area_from_circle(self.commune.lat + 0.008, self.commune.lon + 0.008, 1300)
        self.assertEqual(selectors.media_watch_counts_in_area(user=self.operator, area=wider), {"total": 1, "items": 2})

    def test_nothing_for_an_agency_officer_or_a_citizen(self):
        for user in (self.officer_a, self.citizen):
            self.assertEqual(selectors.media_watch_features(user=user, bbox=self.box), [])
            self.assertEqual(selectors.media_watch_overview(user=user), {})
