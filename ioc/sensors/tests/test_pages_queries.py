"""R4.1, R5.2, R5.5: the sensors list pages run the same number of queries whatever the number of rows."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ioc.sensors.services import camera_create
from ioc.sensors.tests.rules_support import RuleWorld, minutes
from ioc.sensors.tests.sta_support import point_in


class QueryCountTest(RuleWorld, TestCase):
    def count(self, name: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(reverse(name)).status_code, 200)
        return len(queries)

    def grow(self, n: int) -> None:
        lon, lat = point_in()
        for i in range(n):
            self.rule(code=f"r-{self.made + i}", raise_value=50.0 + i)
            camera_create(
                actor=self.operator, code=f"c-{self.made + i}", agency=self.agency_a, name="C", lat=lat, lon=lon
            )
        self.made += n
        self.read(minutes(self.made), 90)

    def test_the_list_pages_do_not_grow_with_their_rows(self) -> None:
        self.sign_in(self.client, self.operator)
        self.made = 0
        self.grow(1)
        names = ("sensors:rules", "sensors:states", "sensors:cameras")
        for name in names:  # warm-up: the session's and the caches' first reads
            self.count(name)
        before = {name: self.count(name) for name in names}
        self.grow(3)
        after = {name: self.count(name) for name in before}
        self.assertEqual(before, after)
