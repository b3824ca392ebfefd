"""The topic query over every item (R5.7, issue 22 "Speed"): the word index (FTS5 on SQLite, tsvector + GIN on
PostgreSQL) narrows, the matcher decides — so the indexed search, the plain substring scan and the matcher over
every item give the same items, for unmarked and marked terms, phrases, NEAR, NOT (a negated marked term keeps
the other marks), and the index follows inserts, edits and deletions."""

from __future__ import annotations

from unittest import mock

from django.db import connection
from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.media_watch import search, services
from ioc.media_watch.choices import SourceKind
from ioc.media_watch.matching import build
from ioc.media_watch.models import Item
from ioc.media_watch.parsers import ItemDraft
from ioc.media_watch.query import parse
from ioc.media_watch.services.config import SourceSettings
from ioc.media_watch.services.ingest import BODY_MAX
from ioc.media_watch.text import normalise

TITLES = [
    "Bão số 3 đổ bộ vào ven biển, mưa lớn kéo dài",
    "Báo chí đưa tin về lễ hội ở phường Hoà Bình",
    "Người dân bảo rằng đường ngập sau cơn mưa lớn",
    "Khai trương thư viện mới ở xã Hòa Bình",
    "Mưa to, nhiều tuyến đường ngập sâu, giao thông ùn tắc",
    "Giá xăng giảm nhẹ từ chiều nay",
]
QUERIES = [
    "bao",
    "bão",
    "báo OR bảo",
    '"hoa binh"',
    '"Hòa Bình"',
    '"mưa lớn"',
    "mưa NEAR/3 ngập",
    "mua NEAR/1 ngap",
    'duong AND ngap NOT "un tac"',
    "mua NOT bão",
    "NOT mua",
    '(xang OR "thu vien") AND NOT gia',
    "mua NOT (bao NEAR/1 ngap)",  # "bảo rằng đường ngập": apart, so kept (a widened NEAR must not be negated)
    'duong NOT "mua lon"',
]


class SearchTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        source = services.source_set(actor=cls.admin, values=SourceSettings(name="Báo", kind=SourceKind.EXPORT))
        drafts = [ItemDraft(title=t, url=f"https://n.invalid/{n}") for n, t in enumerate(TITLES)]
        services.items_history_load(actor=cls.admin, source=source, drafts=drafts)

    def exact(self, query):
        rule = build([("q", parse(query))])
        rows = Item.objects.order_by("-pk").values_list("pk", "title", "body")
        return [pk for pk, title, body in rows if rule.match(normalise(f"{title} {body}"), normalised=True)]

    def test_index_scan_and_matcher_agree(self):
        for query in QUERIES:
            with self.subTest(query=query):
                expected = self.exact(query)
                self.assertEqual(search.items_search(query), expected)
                self.assertEqual(search.items_search(query, plain=True), expected)
        self.assertEqual(len(self.exact("bao")), 3)  # bão, báo, bảo
        self.assertEqual(len(self.exact("bão")), 1)
        self.assertEqual(len(self.exact('"Hòa Bình"')), 2)  # "Hoà" = "Hòa"

    def test_the_index_narrows(self):
        node = parse("bão")
        condition = search.index_filter(node, using=connection.alias)
        self.assertIsNotNone(condition)
        self.assertEqual(Item.objects.filter(condition).count(), 3)  # folded: the matcher keeps one
        self.assertIsNone(search.index_filter(parse("NOT mua"), using=connection.alias))

    def test_expressions(self):
        self.assertEqual(search.fts5_expression(parse('"Hòa Bình" NEAR/2 lu')), 'NEAR("hoa binh" "lu", 2)')
        self.assertEqual(search.fts5_expression(parse("mua NOT bao")), '(("mua") NOT "bao")')
        self.assertEqual(search.fts5_expression(parse("mua NOT bão")), '("mua")')  # marked: not negated by folds
        # A phrase with its pairs of syllables (the stored column holds them: GIN narrows to the rows holding them).
        self.assertEqual(search.tsquery_expression(parse('"mua lon" OR bao')), "(((mua <-> lon) & muaqlon) | (bao))")
        self.assertEqual(search.tsquery_expression(parse('"le hoi 2025 o"')), "((le <-> hoi <-> 2025 <-> o) & leqhoi)")
        self.assertIsNone(search.tsquery_expression(parse("NOT mua")))
        self.assertEqual(search.tsquery_expression(parse("mua NOT (bao NEAR/1 ngap)")), "((mua))")
        # NEAR between syllables: every distance both ways (exact); between phrases: the AND (a superset).
        near = "(mua <1> ngap | ngap <1> mua | mua <2> ngap | ngap <2> mua)"
        self.assertEqual(search.tsquery_expression(parse("mua NEAR/1 ngap")), near)
        wide = "(((mua <-> lon) & muaqlon) & (ngap))"
        self.assertEqual(search.tsquery_expression(parse('"mua lon" NEAR/1 ngap')), wide)

    def test_postgresql_stores_the_vector_with_its_pairs(self):
        """PostgreSQL computes the stored column on insert and edit: the syllables and each adjacent pair."""
        if connection.vendor != "postgresql":
            self.skipTest("the stored tsvector column is PostgreSQL's")
        item = Item.objects.get(title__startswith="Giá xăng")
        Item.objects.filter(pk=item.pk).update(folded="gia dau tang")
        with connection.cursor() as cursor:
            cursor.execute("SELECT folded_tsv::text FROM media_watch_item WHERE id = %s", [item.pk])
            vector = cursor.fetchone()[0]
        self.assertEqual(vector, "'dau':2 'dauqtang':5 'gia':1 'giaqdau':4 'tang':3")

    def test_windows_of_ids_give_the_same_answer(self):
        """PostgreSQL reads windows of ids newest first (one id, then 2, 4, …): every answer still comes, in order,
        with any page size (SQLite ignores the windows)."""
        with mock.patch.object(search, "PG_WINDOW", 1), mock.patch.object(search, "PG_GROWTH", 2):
            for query in QUERIES:
                with self.subTest(query=query):
                    expected = self.exact(query)
                    self.assertEqual(search.items_search(query), expected)
                    self.assertEqual(search.items_search(query, limit=1), expected[:1])
                    self.assertEqual([row[0] for row in search.iter_matching(query, chunk=1)], expected)

    def test_the_index_follows_edits_and_deletions(self):
        item = Item.objects.get(title__startswith="Giá xăng")
        Item.objects.filter(pk=item.pk).update(folded="gia dau tang manh")
        self.assertEqual(Item.objects.filter(search.index_filter(parse("xang"), using=connection.alias)).count(), 0)
        self.assertEqual(Item.objects.filter(search.index_filter(parse("dau"), using=connection.alias)).count(), 1)
        Item.objects.filter(pk=item.pk).delete()
        self.assertEqual(Item.objects.filter(search.index_filter(parse("dau"), using=connection.alias)).count(), 0)

    def test_the_triggers_come_back_after_a_drop(self):
        search.triggers_drop(using=connection.alias)
        self.assertEqual(search.index_ensure(using=connection.alias), connection.vendor == "sqlite")
        self.assertTrue(search.triggers_current(using=connection.alias))
        self.assertFalse(search.index_ensure(using=connection.alias))

    def test_a_very_long_body_is_cut_before_the_index(self):
        """A 3 MB page of distinct words would exceed PostgreSQL's 1 MB tsvector and fail the insert; the body is
        cut at `BODY_MAX` characters first, so the item is stored and found by a word of its kept part only."""
        source = Item.objects.first().source  # type: ignore[union-attr]
        words = " ".join(f"w{n:07d}" for n in range(375_000))  # 3,000,000 characters
        draft = ItemDraft(title="Trang rất dài", body=words, url="https://n.invalid/dai")
        (item,) = services.items_ingest(actor=self.admin, source=source, drafts=[draft]).new
        item.refresh_from_db()
        self.assertEqual(len(item.body), BODY_MAX)
        self.assertIn(item.pk, search.items_search("w0000100"))
        self.assertNotIn(item.pk, search.items_search("w0300000"))
