"""Sitemaps with article pages, a platform's official API and uploaded exports (R5.7, issue 22 item 1)."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase, override_settings

from ioc.accounts.testing import Personas
from ioc.media_watch import services
from ioc.media_watch.choices import RunStatus, SourceKind, SourceStatus
from ioc.media_watch.models import CollectorRun, Item, Source
from ioc.media_watch.services.config import SourceSettings
from ioc.media_watch.tests.support import Route, SiteMixin

SELECTORS = {"title": "h1.title", "body": "div.content p", "time": "time", "author": "xpath://span[@class='by']"}


def article(title: str, body: str, when: str = "2026-12-01T09:30:00+07:00") -> bytes:
    return (
        f'<html><head><script>var x = "{title}";</script></head><body><h1 class="title">{title}</h1>'
        f'<time datetime="{when}">1/12/2026</time><span class="by">Nhóm PV</span>'
        f'<div class="content"><p>{body}</p><p>Đoạn hai.</p></div><aside>Quảng cáo</aside></body></html>'
    ).encode()


POSTS = {
    "data": [
        {
            "id": "100_1",
            "message": "Đường vào thôn bị sạt lở, xe không qua được.\nĐề nghị xã sớm khắc phục.",
            "created_time": "2026-12-01T02:00:00+0000",
            "permalink_url": "https://social.invalid/posts/100_1",
            "from": {"name": "Người dân"},
        },
        {"id": "100_2", "created_time": "2026-12-01T02:00:00+0000"},
    ],
    "paging": {"cursors": {"after": "x"}},
}


@override_settings(OUTBOUND_ALLOWED_CIDRS=["127.0.0.1/32"])
class SiteCollectTest(SiteMixin, Personas, TestCase):
    def source(self, path, kind, **extra):
        values = SourceSettings(name=f"Nguồn {path}", kind=kind, url=self.site.url(path), min_gap_seconds=0, **extra)
        return services.source_set(actor=self.admin, values=values)

    def test_sitemap_articles_are_read_with_the_site_selectors(self):
        sitemap = (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{self.site.url('/bai/1')}</loc><lastmod>2026-12-01</lastmod></url>"
            f"<url><loc>{self.site.url('/bai/2')}</loc></url>"
            "<url><loc>http://elsewhere.invalid/bai/3</loc></url></urlset>"
        )
        self.site.routes["/sitemap.xml"] = Route(sitemap.encode())
        self.site.routes["/bai/1"] = Route(article("Nước sông dâng cao", "Mực nước vượt báo động 2."), 200, "text/html")
        self.site.routes["/bai/2"] = Route(b"<html><body><p>no title</p></body></html>", 200, "text/html")
        source = self.source("/sitemap.xml", SourceKind.SITEMAP, selectors=SELECTORS)
        services.sources_collect_due()
        item = Item.objects.get()
        self.assertEqual(item.title, "Nước sông dâng cao")
        self.assertEqual(item.body, "Mực nước vượt báo động 2. Đoạn hai.")
        self.assertEqual(item.author, "Nhóm PV")
        self.assertEqual(item.published_at.isoformat(), "2026-12-01T02:30:00+00:00")
        self.assertNotIn("/bai/3", str(self.site.seen))  # another host is never fetched
        run = CollectorRun.objects.get(source=source)
        self.assertEqual((run.status, run.items_new, run.items_rejected), (RunStatus.SUCCESS, 1, 1))
        self.assertIn("/bai/2", run.error)
        Source.objects.filter(pk=source.pk).update(next_run_at=source.created_at, etag="")
        services.sources_collect_due()
        self.assertEqual(sum(1 for seen in self.site.seen if seen["path"] == "/bai/1"), 1)  # known: not fetched again

    def test_a_sitemap_index_is_refused_with_a_reason(self):
        self.site.routes["/idx.xml"] = Route(b'<?xml version="1.0"?><sitemapindex></sitemapindex>')
        source = self.source("/idx.xml", SourceKind.SITEMAP)
        services.sources_collect_due()
        self.assertIn("urlset", CollectorRun.objects.get(source=source).error)

    def test_platform_api_gets_the_key_and_stores_posts(self):
        self.site.routes["/v1/page/feed"] = Route(json.dumps(POSTS).encode(), content_type="application/json")
        source = self.source("/v1/page/feed", SourceKind.PLATFORM, api_key="khoa-bi-mat")
        self.assertNotIn("khoa-bi-mat", Source.objects.get(pk=source.pk).api_key_sealed)
        services.sources_collect_due()
        self.assertEqual(self.site.seen[0]["authorization"], "Bearer khoa-bi-mat")
        post = Item.objects.get()
        self.assertEqual(post.title, "Đường vào thôn bị sạt lở, xe không qua được.")
        self.assertEqual((post.guid, post.author), ("100_1", "Người dân"))
        self.assertEqual(post.url, "https://social.invalid/posts/100_1")

    def test_a_platform_refusing_the_key_marks_the_source_failing(self):
        self.site.routes["/v1/page/feed"] = Route(b'{"error": {"code": 190}}', 401, "application/json")
        source = self.source("/v1/page/feed", SourceKind.PLATFORM, api_key="het-han")
        services.sources_collect_due()
        source.refresh_from_db()
        self.assertEqual(source.status, SourceStatus.FAILING)
        self.assertIn("khoá API", source.last_error)
        self.assertFalse(Item.objects.exists())


class ExportUploadTest(Personas, TestCase):
    def setUp(self):
        values = SourceSettings(name="Tệp xuất", kind=SourceKind.EXPORT)
        self.source = services.source_set(actor=self.admin, values=values)

    def test_csv_export_is_stored_and_recorded(self):
        csv = (
            "url,published_at,author,title,text\n"
            "https://social.invalid/p/1,01/12/2026 08:15,Người dân,,Rác thải ùn ứ ở chợ\n"
            "https://social.invalid/p/1,01/12/2026 08:15,Người dân,,Rác thải ùn ứ ở chợ\n"
        ).encode()
        run = services.export_upload(actor=self.admin, source=self.source, content=csv, file_name="xuat.csv")
        self.assertEqual((run.items_new, run.items_merged), (1, 1))
        item = Item.objects.get()
        self.assertEqual(item.title, "Rác thải ùn ứ ở chợ")
        self.assertEqual(item.published_at.isoformat(), "2026-12-01T01:15:00+00:00")

    def test_bad_exports_are_refused_naming_the_file_and_store_nothing(self):
        for content, name, reason in [
            (b"url,title\nx,y\n", "a.csv", "thiếu cột"),
            ("tiêu đề".encode("utf-16"), "a.csv", "UTF-8"),
            (b"{not json", "a.json", "JSON"),
            (b"url,published_at,author,title,text\n", "a.csv", "không có dòng"),
        ]:
            with self.subTest(name=name, reason=reason), self.assertRaises(ValidationError) as caught:
                services.export_upload(actor=self.admin, source=self.source, content=content, file_name=name)
            self.assertIn(reason, str(caught.exception.message_dict["file"]))
        self.assertFalse(Item.objects.exists())
        self.assertFalse(CollectorRun.objects.exists())

    def test_only_the_administrator_uploads(self):
        with self.assertRaises(PermissionDenied):
            services.export_upload(actor=self.operator, source=self.source, content=b"", file_name="a.csv")
