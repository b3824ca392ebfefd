"""R5.5, `$expand` with `$top`/`$skip` per parent (issue 11 "GET p95"): one LIMITed arm per parent joined by
UNION ALL (an index range scan each), not a window numbering every child; the window remains the fallback."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from ioc.sensors.tests.test_sta_query import QueryWorld, q


class ExpandPerParentTest(QueryWorld, TestCase):
    def expanded(self, path: str) -> tuple[dict[str, list[float]], list[str]]:
        with CaptureQueriesContext(connection) as queries:
            rows = self.get_json(q(path))["value"]
        found = {row["name"]: [o["result"] for o in row["Observations"]] for row in rows}
        return found, [query["sql"] for query in queries.captured_queries]

    def test_each_parent_gets_its_own_page_in_order_by_one_union(self):
        found, sql = self.expanded(
            "Datastreams?$select=name&$expand=Observations($orderby=phenomenonTime desc;$top=2;$skip=1)"
        )
        self.assertEqual(found, {"PM2.5 Trạm Alpha": [12.0, 10.5], "PM2.5 Trạm Beta": [101, 100]})
        expand_sql = [s for s in sql if "sensors_observation" in s and ("UNION ALL" in s or "LATERAL" in s)]
        self.assertEqual(len(expand_sql), 1)
        self.assertNotIn("ROW_NUMBER", " ".join(sql))

    def test_a_filter_naming_the_sentinel_value_falls_back_to_the_window_with_the_same_answer(self):
        found, sql = self.expanded(
            "Datastreams?$select=name&$expand=Observations($filter=result ne -7340033;"
            "$orderby=phenomenonTime desc;$top=2;$skip=1)"
        )
        self.assertEqual(found, {"PM2.5 Trạm Alpha": [12.0, 10.5], "PM2.5 Trạm Beta": [101, 100]})
        self.assertIn("ROW_NUMBER", " ".join(sql))

    def test_a_time_filter_count_and_next_link_per_parent(self):
        path = (
            "Datastreams?$select=name&$expand=Observations($filter=phenomenonTime ge 2025-07-01T01:00:00Z;"
            "$orderby=phenomenonTime asc;$top=3;$count=true)"
        )
        rows = {row["name"]: row for row in self.get_json(q(path))["value"]}
        alpha, beta = rows["PM2.5 Trạm Alpha"], rows["PM2.5 Trạm Beta"]
        self.assertEqual([o["result"] for o in alpha["Observations"]], [6.0, 7.5, 9.0])
        self.assertEqual(alpha["Observations@iot.count"], 6)
        self.assertIn("Observations@iot.nextLink", alpha)
        self.assertEqual([o["result"] for o in beta["Observations"]], [100, 101, 102])
        self.assertEqual(beta["Observations@iot.count"], 3)
        self.assertNotIn("Observations@iot.nextLink", beta)

    def test_a_many_to_many_navigation_pages_per_parent(self):
        rows = self.get_json(q("Locations?$select=name&$expand=Things($select=name;$top=1)"))["value"]
        self.assertEqual(
            sorted((row["name"], [t["name"] for t in row["Things"]]) for row in rows),
            [("Vị trí Trạm Alpha", ["Trạm Alpha"]), ("Vị trí Trạm Beta", ["Trạm Beta"])],
        )

    def test_a_column_holding_no_null_is_ordered_without_a_nulls_clause_and_the_children_without_a_join(self):
        # issue 11 "Speed": `DESC NULLS LAST` kept PostgreSQL from its index (each arm sorted all of a
        # Datastream's rows at 10 M); the arms no longer join the Things (the parents were checked already).
        found, sql = self.expanded("Datastreams?$select=name&$expand=Observations($top=1;$orderby=phenomenonTime desc)")
        self.assertEqual(found, {"PM2.5 Trạm Alpha": [13.5], "PM2.5 Trạm Beta": [102]})
        [union] = [s for s in sql if "UNION ALL" in s or "LATERAL" in s]
        self.assertNotIn("NULLS", union.upper())
        self.assertNotIn("sensors_thing", union)
        _found, sql = self.expanded("Datastreams?$select=name&$expand=Observations($top=1;$orderby=resultTime desc)")
        [union] = [s for s in sql if "UNION ALL" in s or "LATERAL" in s]
        self.assertIn("NULLS LAST", union.upper())
