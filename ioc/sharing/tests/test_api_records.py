"""R1.6: the read API of shared datasets — only a live grant's fields and communes, filters and sort on indexed
fields, keyset paging with an opaque cursor, JSON and CSV (formula cells escaped), every page audited; refused
outside the grant (403 naming why), on a non-filterable field or a bad cursor (400 naming the field)."""

import csv
import datetime as dt
import io

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.audit.services import rows_digest
from ioc.datahub.models import Record
from ioc.sharing.models import Grant
from ioc.sharing.testing import facility_row, granted, shared_dataset, two_communes

FIELDS = ["ma_co_so", "ten_co_so", "so_giuong", "loai"]


class RecordApiTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.first, cls.second = two_communes()
        rows = [facility_row(f"CS{i:02d}", cls.first, so_giuong=i) for i in range(1, 8)]
        rows += [facility_row("X01", cls.second, so_giuong=100)]
        cls.dataset = shared_dataset(actor=cls.admin, owner=cls.agency_b, officer=cls.officer_b, rows=rows)
        cls.grant = granted(requester=cls.officer_a, owner_officer=cls.officer_b, dataset=cls.dataset, fields=FIELDS)
        cls.url = reverse("sharing_api:records", kwargs={"code": cls.dataset.code})

    def get(self, params=None, **headers):
        return self.client.get(self.url, params or {}, **(headers or self.bearer()))

    def test_a_consumer_reads_only_granted_fields_with_its_token(self):
        response = self.get({"limit": 100})
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(body["columns"], FIELDS)
        self.assertEqual(len(body["results"]), 8)
        self.assertEqual(set(body["results"][0]), {"_id", "_period", "_unit", "_commune", *FIELDS})
        self.assertNotIn("vi_do", body["results"][0])
        self.assertIsNone(body["next"])

    def test_an_officer_of_the_consumer_reads_with_a_session(self):
        self.sign_in(self.client, self.officer_a)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)

    def test_every_page_read_is_audited_once(self):
        before = AuditEntry.objects.filter(action="grant.read").count()
        self.get({"limit": 3})
        entries = AuditEntry.objects.filter(action="grant.read")
        self.assertEqual(entries.count(), before + 1)
        entry = entries.latest("pk")
        self.assertEqual(entry.row_count, 3)
        served = [(r["_id"],) for r in self.get({"limit": 3}).json()["results"]]
        self.assertEqual(entry.digest, rows_digest(served)[1])  # audit_record_bulk's digest of the ids served
        self.assertEqual(entry.changes["grant"], self.grant.pk)
        self.assertEqual(entry.actor, self.system_user)

    def test_keyset_pages_follow_the_sorted_field_and_the_next_link(self):
        seen, url, params = [], self.url, {"sort": "-so_giuong", "limit": 3}
        while url:
            body = self.client.get(url, params, **self.bearer()).json()
            seen.extend(r["so_giuong"] for r in body["results"])
            url, params = body["next"], None
        self.assertEqual(seen, [100, 7, 6, 5, 4, 3, 2, 1])

    def walk(self, params):
        """Every page from the first, following `next`: the rows in the order served."""
        seen, url = [], self.url
        while url:
            body = self.client.get(url, params, **self.bearer()).json()
            seen.extend(body["results"])
            url, params = body["next"], None
        return seen

    def test_rows_lacking_the_sorted_field_come_where_the_engine_puts_null_across_pages(self):
        # A row stored before the field existed (or by a bulk load) lacks it: it sorts as NULL — SQLite first
        # ascending, PostgreSQL last — and keyset pages cross between keyed and NULL-keyed rows both ways.
        for code in ("CS02", "CS05"):
            record = Record.objects.get(dataset=self.dataset, is_current=True, data__ma_co_so=code)
            del record.data["so_giuong"]
            record.save(update_fields=["data"])
        null_ids = sorted(
            Record.objects.filter(
                dataset=self.dataset, is_current=True, data__ma_co_so__in=["CS02", "CS05"]
            ).values_list("pk", flat=True)
        )
        for sort in ("so_giuong", "-so_giuong"):
            descending = sort.startswith("-")
            keyed = sorted([1, 3, 4, 6, 7, 100], reverse=descending)
            nulls_ahead = (connection.vendor == "sqlite") != descending
            for limit in (1, 2, 3, 5, 7):
                rows = self.walk({"sort": sort, "limit": limit})
                beds = [r.get("so_giuong") for r in rows]
                self.assertEqual(beds, [None, None, *keyed] if nulls_ahead else [*keyed, None, None], (sort, limit))
                nulls = [r["_id"] for r in rows if r["so_giuong"] is None]
                self.assertEqual(nulls, sorted(null_ids, reverse=descending), (sort, limit))

    def test_values_leave_with_their_stored_digits_and_text(self):
        # The rows' JSON is spliced from the stored values, not decoded and encoded again: a float keeps its 17
        # digits (SQLite's JSON_EXTRACT would give 15), text its quotes, backslashes and Vietnamese letters.
        record = Record.objects.get(dataset=self.dataset, is_current=True, data__ma_co_so="CS01")
        record.data.update(so_giuong=0.1 + 0.2, ten_co_so='Trạm "Y tế" \\ số 1', loai=None)
        record.save(update_fields=["data"])
        response = self.get({"limit": 100})
        self.assertEqual(response["Content-Type"], "application/json")
        row = next(r for r in response.json()["results"] if r["ma_co_so"] == "CS01")
        self.assertEqual(row["so_giuong"], 0.30000000000000004)
        self.assertEqual(row["ten_co_so"], 'Trạm "Y tế" \\ số 1')
        self.assertIsNone(row["loai"])
        self.assertEqual(list(row), ["_id", "_period", "_unit", "_commune", *FIELDS])
        self.assertEqual(row["_commune"], self.first.code)

    def test_the_page_query_reads_the_expression_index_in_its_order(self):
        # The index on (value, id) serves the filter, the order and a cursor's seek: no sort of the rows past
        # the filter (PostgreSQL's former index on the value alone sorted them all; docs/benchmarks.md).
        params = {"so_giuong__gte": "2", "sort": "so_giuong", "limit": 2}
        first = self.get(params).json()
        for url, query in ((self.url, params), (first["next"], None)):
            with CaptureQueriesContext(connection) as ctx:
                self.client.get(url, query, **self.bearer())
            (sql,) = [q["sql"] for q in ctx.captured_queries if "ORDER BY" in q["sql"] and "datahub_record" in q["sql"]]
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":  # a tiny table: make the planner show what the index serves
                    cursor.execute("SET LOCAL enable_seqscan = off")
                    cursor.execute("SET LOCAL enable_bitmapscan = off")
                    cursor.execute("EXPLAIN " + sql)
                else:
                    cursor.execute("EXPLAIN QUERY PLAN " + sql)
                plan = " / ".join(str(row[-1]) for row in cursor.fetchall())
            self.assertIn(f"datahub_rx_{self.dataset.pk}_so_giuong", plan)
            self.assertNotIn("Sort", plan)  # PostgreSQL
            self.assertNotIn("TEMP B-TREE", plan)  # SQLite

    def test_filters_on_indexed_fields_and_real_columns(self):
        body = self.get({"so_giuong__gte": "3", "so_giuong__lt": "6", "sort": "so_giuong"}).json()
        self.assertEqual([r["so_giuong"] for r in body["results"]], [3, 4, 5])
        body = self.get({"commune": self.second.code}).json()
        self.assertEqual([r["ma_co_so"] for r in body["results"]], ["X01"])

    def test_a_filter_on_a_non_filterable_field_is_400_naming_it(self):
        response = self.get({"ten_co_so": "x"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("ten_co_so", response.json()["error"]["fields"])
        response = self.get({"khong_co": "x"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("khong_co", response.json()["error"]["fields"])
        response = self.get({"so_giuong": "nhieu"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("so_giuong", response.json()["error"]["fields"])
        response = self.get({"sort": "ten_co_so"})
        self.assertEqual(response.status_code, 400)

    def test_a_bad_or_foreign_cursor_is_400(self):
        for cursor in ("!!!", "bm90LWpzb24", "eyJzIjoiIiwiZiI6IngiLCJ2IjpudWxsLCJrIjoxfQ"):
            response = self.get({"cursor": cursor})
            self.assertEqual(response.status_code, 400, cursor)
            self.assertIn("cursor", response.json()["error"]["fields"])
        first = self.get({"sort": "so_giuong", "limit": 2}).json()
        cursor = first["next"].split("cursor=")[1]
        response = self.get({"sort": "-so_giuong", "cursor": cursor})
        self.assertEqual(response.status_code, 400)

    def test_csv_escapes_formula_cells(self):
        # The hub refuses formula cells at intake; a row stored before that rule (or by a bulk load) still
        # leaves the API escaped.
        record = Record.objects.get(dataset=self.dataset, is_current=True, data__ma_co_so="X01")
        record.data["ten_co_so"] = "=cmd|' /C calc'!A0"
        record.save(update_fields=["data"])
        response = self.get({"format": "csv", "commune": self.second.code})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/csv"))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0], ["_id", "_period", "_unit", "_commune", *FIELDS])
        self.assertEqual(rows[1][5], "'=cmd|' /C calc'!A0")

    def test_errors_keep_the_json_body_when_csv_is_asked_for(self):
        response = self.get({"format": "csv", "cursor": "!!!"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("cursor", response.json()["error"]["fields"])
        Grant.objects.filter(pk=self.grant.pk).update(revoked_at=timezone.now())
        response = self.get({"format": "csv"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["error"]["code"], "grant_revoked")

    def test_a_consumer_is_denied_outside_its_grant(self):
        response = self.get({"vi_do": "1"})  # not filterable anyway: 400
        self.assertEqual(response.status_code, 400)
        Grant.objects.filter(pk=self.grant.pk).update(fields=["ma_co_so"])
        response = self.get({"so_giuong": "3"})
        self.assertEqual(response.status_code, 403)
        self.assertIn("so_giuong", response.json()["error"]["fields"])

    def test_the_owner_without_a_grant_and_another_agency_are_denied_naming_why(self):
        self.sign_in(self.client, self.officer_b)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["error"]["code"], "no_grant")
        self.client.logout()
        self.sign_in(self.client, self.citizen)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_an_expired_grant_is_403(self):
        past = timezone.now() - dt.timedelta(minutes=1)
        Grant.objects.filter(pk=self.grant.pk).update(starts_at=past - dt.timedelta(days=1), expires_at=past)
        response = self.get()
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["error"]["code"], "grant_expired")
        self.assertFalse(AuditEntry.objects.filter(action="grant.read").exists())

    def test_a_commune_scoped_grant_hides_other_communes(self):
        Grant.objects.get(pk=self.grant.pk).communes.set([self.first])
        body = self.get({"limit": 100}).json()
        self.assertEqual(len(body["results"]), 7)
        self.assertNotIn("X01", [r["ma_co_so"] for r in body["results"]])

    def test_a_page_costs_a_fixed_number_of_queries(self):
        self.get({"limit": 2, "sort": "so_giuong"})  # the expression index's name is looked up once per process
        # token, dataset, grant, its communes, page, the codes (SQLite; PostgreSQL joins them), audit entry; the
        # reader's agency is its account's (no query)
        with self.assertNumQueries(6 if connection.vendor == "postgresql" else 7):
            self.get({"limit": 8, "sort": "so_giuong"})
