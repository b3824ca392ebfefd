"""R1.6, issue 10 "Speed": on PostgreSQL the database writes a page's JSON text in one aggregated string; the
answer must be byte for byte the page Python writes from the same rows (the SQLite path): rows, ids served (the
audit digest) and the next cursor, for every sort, direction, filter and page size, across NULL-keyed rows, rows
without a unit, and text that needs escaping."""

from unittest import skipUnless

from django.db import connection
from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.datahub.models import Record
from ioc.sharing.selectors.records import _shared_page
from ioc.sharing.testing import facility_row, granted, shared_dataset, two_communes

FIELDS = ["ma_co_so", "ten_co_so", "so_giuong", "loai", "cong_suat"]
AWKWARD = [
    'Trạm "Y tế" \\ số 1',
    "tab\there, new\nline, bell\x07, unit sep\x1f, delete\x7f",
    "Bệnh viện 🏥 đa khoa / tuyến huyện",
    "</script><b>&amp;",
    "",
]


@skipUnless(connection.vendor == "postgresql", "the database-written page is PostgreSQL's path")
class PageTextTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        first, second = two_communes()
        rows = [facility_row(f"CS{i:02d}", first if i % 3 else second, so_giuong=i % 4) for i in range(1, 12)]
        cls.dataset = shared_dataset(actor=cls.admin, owner=cls.agency_b, officer=cls.officer_b, rows=rows)
        cls.grant = granted(requester=cls.officer_a, owner_officer=cls.officer_b, dataset=cls.dataset, fields=FIELDS)
        records = list(Record.objects.filter(dataset=cls.dataset, is_current=True).order_by("pk"))
        for i, record in enumerate(records[: len(AWKWARD)]):
            record.data["ten_co_so"] = AWKWARD[i]
            record.data["loai"] = None if i == 1 else AWKWARD[i]
        records[0].data["cong_suat"] = 0.1 + 0.2
        records[2].data["cong_suat"] = 1e-7
        for record in records[5:8]:  # lacking the sorted field: NULL keys
            del record.data["so_giuong"]
        records[3].period = "2026-11"
        records[4].period = 'k"\\\tz'
        records[6].unit = records[6].commune = None  # a row placed nowhere: "" for its unit and commune
        for record in records:
            record.save()

    def pages(self, *, in_database, sort, filters, limit):
        """Every page from the first, following the cursor: (results, ids, cursor) per page."""
        found, cursor = [], ""
        while True:
            page = _shared_page(
                dataset=self.dataset,
                grant=self.grant,
                filters=filters,
                sort=sort,
                cursor=cursor,
                limit=limit,
                in_database=in_database,
            )
            found.append((page.results, page.ids, page.next_cursor))
            if page.next_cursor is None:
                return found
            cursor = page.next_cursor

    def test_the_database_writes_the_same_page_as_python(self):
        checked = 0
        for sort in ("", "-", "so_giuong", "-so_giuong", "loai", "-loai", "period", "-period"):
            for filters in ({}, {"so_giuong__gte": "1"}, {"loai__lt": "z"}, {"period": "2026-11"}):
                for limit in (1, 2, 3, 7, 100):
                    sort_name = "" if sort == "-" else sort
                    args = {"sort": sort_name, "filters": filters, "limit": limit}
                    expected = self.pages(in_database=False, **args)
                    self.assertEqual(self.pages(in_database=True, **args), expected, args)
                    checked += len(expected)
        self.assertGreater(checked, 400)

    def test_every_row_comes_once_and_its_text_decodes_to_the_stored_values(self):
        pages = self.pages(in_database=True, sort="-so_giuong", filters={}, limit=4)
        ids = [pk for _results, page_ids, _cursor in pages for pk in page_ids]
        self.assertEqual(sorted(ids), sorted(Record.objects.filter(dataset=self.dataset).values_list("pk", flat=True)))
        page = _shared_page(
            dataset=self.dataset, grant=self.grant, filters={}, sort="", cursor="", limit=100, in_database=True
        )
        rows = {row["_id"]: row for row in page.rows}
        for record in Record.objects.filter(dataset=self.dataset):
            row = rows[record.pk]
            self.assertEqual({k: row[k] for k in FIELDS}, {k: record.data.get(k) for k in FIELDS})
            self.assertEqual(row["_period"], record.period)
            self.assertEqual(row["_unit"], record.unit.code if record.unit else "")
