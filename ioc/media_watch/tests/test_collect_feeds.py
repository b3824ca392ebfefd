"""RSS/Atom collectors against a local server (R5.7, issue 22 item 1 and "Bad input"): RSS 2.0, Atom 1.0, 304 on
ETag, a broken, truncated, Windows-1258, oversize and entity-expansion feed, a re-published article merged, an
item without a date, the per-source rate limit and the lease."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.test import TestCase, override_settings
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.media_watch import services
from ioc.media_watch.choices import RunStatus, SourceKind, SourceStatus
from ioc.media_watch.models import CollectorRun, Item, Source
from ioc.media_watch.services import collect
from ioc.media_watch.services.config import SourceSettings
from ioc.media_watch.tests.support import ATOM, Route, SiteMixin, cp1258, rss

TWO_ITEMS = rss(
    [
        {
            "title": "Mưa lớn gây ngập sâu nhiều tuyến phố",
            "link": "http://news.invalid/ngap-1",
            "guid": "ngap-1",
            "pubDate": "Tue, 01 Dec 2026 07:00:00 +0700",
            "author": "pv@canary.invalid (Phóng viên A)",
            "description": "&lt;p&gt;Nước ngập sâu 40 cm tại phố Hòa Bình.&lt;/p&gt;",
        },
        {"title": "Khai mạc hội chợ nông sản", "link": "http://news.invalid/hoi-cho", "guid": "hoi-cho"},
    ]
)


@override_settings(OUTBOUND_ALLOWED_CIDRS=["127.0.0.1/32"])
class FeedCollectTest(SiteMixin, Personas, TestCase):
    def source(self, path: str, kind: str = SourceKind.FEED, **extra) -> Source:
        values = SourceSettings(name=f"Nguồn {path}", kind=kind, url=self.site.url(path), min_gap_seconds=0, **extra)
        return services.source_set(actor=self.admin, values=values)

    def collect(self) -> int:
        return services.sources_collect_due()

    def test_rss_items_are_stored_with_source_url_time_author(self):
        self.site.routes["/rss"] = Route(TWO_ITEMS.encode(), etag='"v1"')
        source = self.source("/rss")
        self.assertEqual(self.collect(), 1)
        flood = Item.objects.get(guid="ngap-1")
        self.assertEqual(flood.source, source)
        self.assertEqual(flood.url, "http://news.invalid/ngap-1")
        self.assertEqual(flood.published_at, dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.UTC))
        self.assertFalse(flood.date_estimated)
        self.assertIn("Phóng viên A", flood.author)
        self.assertEqual(flood.body, "Nước ngập sâu 40 cm tại phố Hòa Bình.")
        self.assertIn("hoa binh", flood.folded)
        undated = Item.objects.get(guid="hoi-cho")
        self.assertTrue(undated.date_estimated)  # no date: collection time used, flagged
        run = CollectorRun.objects.get(source=source)
        self.assertEqual((run.status, run.http_status, run.items_new), (RunStatus.SUCCESS, 200, 2))
        source.refresh_from_db()
        self.assertEqual((source.status, source.etag, source.lease_until), (SourceStatus.OK, '"v1"', None))
        self.assertTrue(AuditEntry.objects.filter(action="media_item.ingest", row_count=2).exists())

    def test_atom_entries_are_stored(self):
        self.site.routes["/atom"] = Route(ATOM.encode(), content_type="application/atom+xml")
        self.source("/atom")
        self.collect()
        item = Item.objects.get()
        self.assertEqual(item.title, "Thông báo lịch cắt điện khu vực phường Trung tâm")
        self.assertEqual(item.body, "Cắt điện từ 7 giờ đến 11 giờ.")
        self.assertEqual(item.author, "Phòng Truyền thông")

    def test_etag_gives_304_and_nothing_new(self):
        self.site.routes["/rss"] = Route(TWO_ITEMS.encode(), etag='"v1"')
        source = self.source("/rss")
        self.collect()
        Source.objects.filter(pk=source.pk).update(next_run_at=timezone.now())
        self.assertEqual(self.collect(), 1)
        self.assertEqual(self.site.seen[-1]["if-none-match"], '"v1"')
        self.assertEqual(
            list(CollectorRun.objects.order_by("pk").values_list("status", "http_status")),
            [(RunStatus.SUCCESS, 200), (RunStatus.NOT_MODIFIED, 304)],
        )
        self.assertEqual(Item.objects.count(), 2)

    def assert_failed(self, path, reason):
        source = self.source(path)
        self.assertEqual(self.collect(), 1)
        run = CollectorRun.objects.get(source=source)
        self.assertEqual(run.status, RunStatus.FAILED)
        self.assertIn(reason, run.error)
        source.refresh_from_db()
        self.assertEqual((source.status, source.failures), (SourceStatus.FAILING, 1))
        self.assertIn(reason, source.last_error)
        self.assertFalse(Item.objects.exists())
        self.assertGreater(source.next_run_at, timezone.now())

    def test_a_feed_that_is_not_xml_fails_the_run(self):
        self.site.routes["/html"] = Route("<html><body>Trang chủ</body></html>".encode(), content_type="text/html")
        self.assert_failed("/html", "XML")

    def test_a_truncated_feed_fails_the_run_and_stores_nothing(self):
        self.site.routes["/cut"] = Route(TWO_ITEMS.encode()[:-120])
        self.assert_failed("/cut", "cắt cụt")

    def test_entity_expansion_is_refused(self):
        bomb = (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'
            '<rss version="2.0"><channel><title>&b;</title><item><title>&b;</title></item></channel></rss>'
        )
        self.site.routes["/bomb"] = Route(bomb.encode())
        self.assert_failed("/bomb", "ENTITY")

    def test_an_oversize_feed_fails_the_run(self):
        self.site.routes["/big"] = Route(TWO_ITEMS.encode() + b" " * 5000)
        with mock.patch.object(collect, "MAX_FEED_BYTES", 2000):
            self.assert_failed("/big", "2000")

    def test_a_source_that_is_down_fails_and_backs_off(self):
        self.assert_failed("/missing", "404")

    def test_windows_1258_feed(self):
        body = cp1258(rss([{"title": "Lũ lụt ở Thừa Thiên Huế, khoẻ mạnh", "guid": "w1"}], encoding="windows-1258"))
        self.assertNotIn("Lũ".encode(), body)
        self.site.routes["/cp"] = Route(body)
        self.source("/cp")
        self.collect()
        self.assertIn("lu lut o thua thien hue", Item.objects.get().folded)

    def test_a_republished_article_is_merged_and_counted(self):
        self.site.routes["/a"] = Route(TWO_ITEMS.encode())
        again = rss(
            [
                {
                    "title": "Mưa lớn gây ngập sâu nhiều tuyến phố",
                    "guid": "copy",
                    "link": "http://news.invalid/ngap-1?utm_source=fb",
                },
            ]
        )
        self.site.routes["/b"] = Route(again.encode())
        self.source("/a")
        self.source("/b")
        self.assertEqual(self.collect(), 2)
        self.assertEqual(Item.objects.count(), 2)
        self.assertEqual(Item.objects.get(guid="ngap-1").copies, 2)
        self.assertEqual(CollectorRun.objects.get(source__url__endswith="/b").items_merged, 1)

    def test_a_near_duplicate_at_another_address_is_merged(self):
        text = (
            "Chiều nay mưa lớn kéo dài hơn ba giờ khiến nhiều tuyến phố trung tâm ngập sâu, người dân phải dắt bộ "
            "xe máy qua đoạn đường trũng, lực lượng chức năng đã có mặt để phân luồng giao thông."
        )
        self.site.routes["/a"] = Route(
            rss([{"title": "Ngập sâu sau mưa lớn", "description": text, "guid": "x1"}]).encode()
        )
        edited = text.replace("hơn ba giờ", "hơn 3 giờ")
        self.site.routes["/b"] = Route(
            rss([{"title": "Ngập sâu sau mưa lớn", "description": edited, "guid": "y1"}]).encode()
        )
        self.source("/a")
        self.source("/b")
        self.collect()
        self.assertEqual(list(Item.objects.values_list("guid", "copies")), [("x1", 2)])

    def test_rate_limit_between_requests_to_one_source(self):
        self.site.routes["/rss"] = Route(TWO_ITEMS.encode())
        source = self.source("/rss")
        Source.objects.filter(pk=source.pk).update(min_gap_seconds=600)
        self.collect()
        Source.objects.filter(pk=source.pk).update(next_run_at=timezone.now())
        self.assertEqual(self.collect(), 0)
        self.assertEqual(len(self.site.seen), 1)
        self.assertEqual(CollectorRun.objects.count(), 1)
        source.refresh_from_db()
        self.assertGreater(source.next_run_at, timezone.now() + dt.timedelta(minutes=9))

    def test_a_claimed_source_is_not_claimed_twice(self):
        source = self.source("/rss")
        self.assertIsNotNone(services.source_claim(pk=source.pk))
        self.assertIsNone(services.source_claim(pk=source.pk))
        self.assertEqual(self.collect(), 0)

    def test_a_lost_lease_records_nothing(self):
        self.site.routes["/rss"] = Route(TWO_ITEMS.encode())
        source = self.source("/rss")
        lease = services.source_claim(pk=source.pk)
        Source.objects.filter(pk=source.pk).update(lease_until=timezone.now() + dt.timedelta(hours=1))
        self.assertFalse(collect._run(Source.objects.get(pk=source.pk), lease))
        self.assertFalse(Item.objects.exists())
        self.assertFalse(CollectorRun.objects.exists())
