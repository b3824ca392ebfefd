"""R7.1 (issue 20 "Speed"): the folded text search reads an index (FTS5 trigram on SQLite, pg_trgm on PostgreSQL)
and finds exactly the reports whose folded key contains the folded text — the same answer on both engines, since
both are compared here with the same plain substring test (the PostgreSQL suite runs this file too)."""

from __future__ import annotations

from unittest.mock import patch

from django.db import connection
from django.test import TestCase

from ioc.citizen_reports import selectors, text_index
from ioc.citizen_reports.models import Report
from ioc.citizen_reports.selectors import search as search_module
from ioc.citizen_reports.tests.test_core_support import CoreMixin
from ioc.common.text import fold

TEXTS = (
    ("Ổ gà lớn gần hồ Gươm, đường Đinh Tiên Hoàng", "Số 5 phố Hàng Bài"),
    ("Đèn đường không sáng cả tuần", "Thôn Hoà Bình"),
    ("Rác thải 100% chưa thu gom_ ven sông", ""),
    ('Cây đổ chắn lối "đường tắt" ra chợ', "Xóm Đông"),
    ("Nước thải tràn ra đường", "Ngõ 12, phường Hiến Nam"),
)
QUERIES = (
    "ho guom",
    "Hòa Bình",
    "hoà bình",
    "duong",
    "đường",
    "ng",  # shorter than a trigram: the plain filter
    "go",
    "100%",
    "gom_",
    '"duong tat"',
    "tat",
    "thai",
    "xyz khong co",
    "ien nam",
    "  NƯỚC   thải ",
)


class SearchIndexTest(CoreMixin, TestCase):
    def setUp(self) -> None:
        for description, address in TEXTS:
            self.receive(description=description, address=address)

    def found(self, query: str) -> set[int]:
        return set(selectors.report_list_for(user=self.operator, filters={"q": query}).values_list("pk", flat=True))

    def oracle(self, query: str) -> set[int]:
        folded = fold(query)
        return {pk for pk, key in Report.objects.values_list("pk", "search_text") if folded in key}

    def test_it_finds_exactly_the_reports_whose_key_contains_the_text(self) -> None:
        for query in QUERIES:
            with self.subTest(query=query):
                self.assertEqual(self.found(query), self.oracle(query))
        self.assertEqual(len(self.found("duong")), 4)  # the oracle is not empty everywhere

    def test_the_query_reads_the_index(self) -> None:
        found = selectors.report_list_for(user=self.operator, filters={"q": "den duong"})
        # SQLite: what the search box asks. PostgreSQL walks a tiny table by its key when the query is ordered and
        # limited; the filter alone shows the index.
        qs = found.order_by("-pk")[:10] if connection.vendor == "sqlite" else found.order_by().values("pk")
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plan = " ".join(str(row) for row in cursor.fetchall())
                self.assertIn("citizen_reports_report_fts VIRTUAL TABLE", plan)
            else:
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("EXPLAIN " + sql, params)
                plan = " ".join(row[0] for row in cursor.fetchall())
                self.assertIn(text_index.PG_INDEX, plan)

    def test_a_changed_text_moves_in_the_index(self) -> None:
        report = Report.objects.get(search_text__contains="den duong")
        Report.objects.filter(pk=report.pk).update(search_text=fold("Đèn chiếu sáng hỏng"))
        self.assertNotIn(report.pk, self.found("den duong"))
        self.assertIn(report.pk, self.found("chieu sang"))

    def test_a_deleted_report_leaves_the_index(self) -> None:
        report = Report.objects.get(search_text__contains="nuoc thai")
        Report.objects.filter(pk=report.pk).delete()
        self.assertEqual(self.found("nuoc thai"), set())


class SearchIndexEnsureTest(CoreMixin, TestCase):
    def test_migrate_puts_back_dropped_triggers_and_reindexes(self) -> None:
        if connection.vendor != "sqlite":
            self.assertFalse(text_index.text_index_ensure())  # nothing to keep: PostgreSQL indexes the column
            return
        self.assertTrue(text_index.triggers_current())
        with connection.cursor() as cursor:
            for name in text_index.SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER {name}")
        self.assertFalse(text_index.triggers_current())
        report = self.receive(description="Cột điện nghiêng sắp đổ").report  # written while the index sleeps
        self.assertTrue(text_index.text_index_ensure())
        self.assertFalse(text_index.text_index_ensure())
        found = selectors.report_list_for(user=self.operator, filters={"q": "cot dien nghieng"})
        self.assertEqual(list(found.values_list("pk", flat=True)), [report.pk])


class SearchBoxTest(CoreMixin, TestCase):
    """`report_search` walks the index newest first in windows: it answers what the plain filter answers."""

    def test_it_answers_the_newest_matches_like_the_filter(self) -> None:
        for n in range(7):
            self.receive(description=f"Đèn đường số {n} không sáng")
        self.receive(description="Ổ gà trước cổng chợ")
        for query in ("den duong", "đèn", "so 3", "ng", "cho", "khong co gi"):
            for limit in (1, 3, 10):
                with self.subTest(query=query, limit=limit):
                    expected = selectors.report_list_for(user=self.operator, filters={"q": query}).order_by("-pk")
                    found = selectors.report_search(user=self.operator, text=query, limit=limit)
                    self.assertEqual([r.pk for r in found], list(expected.values_list("pk", flat=True)[:limit]))

    def test_it_widens_its_window_past_reports_the_user_may_not_see(self) -> None:
        mine = self.receive(description="Cống thoát nước tắc").report
        others = [self.receive(description="Cống thoát nước tắc nữa").report.pk for _ in range(3)]  # newer
        Report.objects.filter(pk=mine.pk).update(agency=self.agency_a)
        Report.objects.filter(pk__in=others).update(agency=None)  # not agency A's: the officer may not see them
        with patch.object(search_module, "FIRST_WINDOW", 2):
            found = selectors.report_search(user=self.officer_a, text="cong thoat", limit=5)
        self.assertEqual([r.pk for r in found], [mine.pk])

    def test_it_finds_a_tracking_code_beside_the_text(self) -> None:
        report = self.receive(description="Cây đổ").report
        found = selectors.report_search(user=self.operator, text=report.tracking_code, limit=10)
        self.assertEqual([r.pk for r in found], [report.pk])
