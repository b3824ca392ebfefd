"""Sitemaps with article pages, a platform's official API and uploaded exports (R5.7, issue 22 item 1)."""

from __future__ import annotations

import json
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase, override_settings
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.media_watch import services
from ioc.media_watch.choices import RunStatus, SourceKind, SourceStatus
from ioc.media_watch.models import CollectorRun, Item, Source
from ioc.media_watch.services.config import SourceSettings
from ioc.media_watch.tests.support import Route, SiteMixin
from ioc.notifications.models import Outbox

SEARCH = "/youtube/v3/search?part=snippet&q=ngap&type=video"
RECENT = "/2/tweets/search/recent?query=ngap&expansions=author_id&tweet.fields=created_at"

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


# YouTube Data API v3 (https://developers.google.com/youtube/v3/docs/search/list, …/commentThreads/list): the
# documented response shapes, abridged to the fields an item needs.
YOUTUBE_SEARCH = {
    "kind": "youtube#searchListResponse",
    "etag": "abc",
    "nextPageToken": "CAUQAA",
    "pageInfo": {"totalResults": 2, "resultsPerPage": 5},
    "items": [
        {
            "kind": "youtube#searchResult",
            "id": {"kind": "youtube#video", "videoId": "vid0001"},
            "snippet": {
                "publishedAt": "2026-12-01T03:00:00Z",
                "channelId": "UC1",
                "title": "Ngập sâu ở phường Trung Tâm sau mưa lớn",
                "description": "Nước ngập quá bánh xe máy.",
                "channelTitle": "Kênh Tin Địa Phương",
            },
        },
        {
            "kind": "youtube#searchResult",
            "id": {"kind": "youtube#channel", "channelId": "UC2"},
            "snippet": {"publishedAt": "2026-11-01T00:00:00Z", "title": "Một kênh", "channelTitle": "Một kênh"},
        },
    ],
}
YOUTUBE_COMMENTS = {
    "kind": "youtube#commentThreadListResponse",
    "items": [
        {
            "kind": "youtube#commentThread",
            "id": "th1",
            "snippet": {
                "videoId": "vid0001",
                "topLevelComment": {
                    "kind": "youtube#comment",
                    "id": "cm1",
                    "snippet": {
                        "videoId": "vid0001",
                        "textDisplay": "Đề nghị <b>nạo vét</b> kênh",
                        "textOriginal": "Đề nghị nạo vét kênh thoát nước",
                        "authorDisplayName": "@nguoidan",
                        "publishedAt": "2026-12-01T04:00:00Z",
                    },
                },
            },
        }
    ],
}
# X API v2 (https://docs.x.com/x-api/posts/search-recent-posts) with expansions=author_id.
X_POSTS = {
    "data": [
        {"id": "1864000000000000001", "text": "Cầu tạm bị cuốn trôi, dân không qua được", "author_id": "42",
         "created_at": "2026-12-01T05:00:00.000Z", "edit_history_tweet_ids": ["1864000000000000001"]},
        {"id": "1864000000000000002", "text": "Nước rút rồi", "author_id": "77",
         "created_at": "2026-12-01T06:00:00.000Z"},
    ],
    "includes": {"users": [{"id": "42", "name": "Người dân", "username": "nguoidan"}]},
    "meta": {"newest_id": "1864000000000000002", "oldest_id": "1864000000000000001", "result_count": 2},
}  # fmt: skip


class _Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


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
        # The system administrators are told (people only, never the system account), once a day per source.
        told = Outbox.objects.filter(template="media_watch.key_refused")
        self.assertEqual({row.recipient_user_id for row in told}, {self.admin.pk})
        body = told.first().body
        self.assertIn(source.name, body)
        self.assertIn("HTTP 401", body)
        self.assertIn(f"/theo-doi-mang/cau-hinh/nguon/{source.pk}/", body)
        self.assertNotIn("het-han", body)
        count = told.count()
        Source.objects.filter(pk=source.pk).update(next_run_at=timezone.now(), last_request_at=None)
        self.assertEqual(services.sources_collect_due(), 1)  # the retry: recorded, failing, not told again
        self.assertEqual(CollectorRun.objects.filter(source=source, status=RunStatus.FAILED).count(), 2)
        self.assertEqual(told.count(), count)

    def test_a_feed_answering_401_fails_without_telling_the_administrators(self):
        self.site.routes["/rss-kin.xml"] = Route(b"", 401, "text/plain")
        source = self.source("/rss-kin.xml", SourceKind.FEED)
        services.sources_collect_due()
        source.refresh_from_db()
        self.assertEqual(source.status, SourceStatus.FAILING)
        self.assertFalse(Outbox.objects.filter(template="media_watch.key_refused").exists())

    def collect_capturing_logs(self) -> list[str]:
        handler = _Captured()
        root = logging.getLogger()
        root.addHandler(handler)
        level = root.level
        root.setLevel(logging.DEBUG)
        try:
            services.sources_collect_due()
        finally:
            root.removeHandler(handler)
            root.setLevel(level)
        return handler.lines

    @override_settings(
        MEDIA_WATCH_YOUTUBE_API_KEY="AIza-khoa-he-thong",
        MEDIA_WATCH_PLATFORM_HOSTS={SourceKind.YOUTUBE: ("127.0.0.1",)},
    )
    def test_youtube_search_results_become_items_with_the_deployments_key_in_a_header(self):
        self.site.routes[SEARCH] = Route(json.dumps(YOUTUBE_SEARCH).encode(), content_type="application/json")
        source = self.source(SEARCH, SourceKind.YOUTUBE)
        logs = self.collect_capturing_logs()
        self.assertEqual(self.site.seen[0]["x-goog-api-key"], "AIza-khoa-he-thong")
        self.assertNotIn("AIza", self.site.seen[0]["path"])  # never in the URL
        video = Item.objects.get()  # the channel found by the search is not an item
        self.assertEqual(
            (video.title, video.url, video.guid, video.author),
            ("Ngập sâu ở phường Trung Tâm sau mưa lớn", "https://www.youtube.com/watch?v=vid0001",
             "yt-video:vid0001", "Kênh Tin Địa Phương"),
        )  # fmt: skip
        self.assertEqual(video.published_at.isoformat(), "2026-12-01T03:00:00+00:00")
        run = CollectorRun.objects.get(source=source)
        self.assertEqual((run.status, run.items_new), (RunStatus.SUCCESS, 1))
        self.assertFalse(any("AIza" in line for line in logs))

    def test_youtube_comment_threads_become_items_linked_to_the_comment(self):
        path = "/youtube/v3/commentThreads?part=snippet&videoId=vid0001"
        self.site.routes[path] = Route(json.dumps(YOUTUBE_COMMENTS).encode(), content_type="application/json")
        self.source(path, SourceKind.YOUTUBE, api_key="AIza-cua-nguon")
        services.sources_collect_due()
        self.assertEqual(self.site.seen[0]["x-goog-api-key"], "AIza-cua-nguon")  # the source's own key first
        comment = Item.objects.get()
        self.assertEqual(comment.body, "Đề nghị nạo vét kênh thoát nước")
        self.assertEqual(comment.url, "https://www.youtube.com/watch?v=vid0001&lc=cm1")
        self.assertEqual(comment.author, "@nguoidan")

    @override_settings(MEDIA_WATCH_X_BEARER_TOKEN="x-token-he-thong")
    def test_the_deployments_token_goes_to_the_platforms_host_only(self):
        self.site.routes[RECENT] = Route(b'{"meta": {"result_count": 0}}', content_type="application/json")
        self.source(RECENT, SourceKind.X)  # a source on another host (here the fake server) and no key of its own
        services.sources_collect_due()
        self.assertNotIn("authorization", self.site.seen[0])

    @override_settings(
        MEDIA_WATCH_X_BEARER_TOKEN="x-token-he-thong", MEDIA_WATCH_PLATFORM_HOSTS={SourceKind.X: ("127.0.0.1",)}
    )
    def test_x_posts_become_items_with_their_authors_from_includes(self):
        self.site.routes[RECENT] = Route(json.dumps(X_POSTS).encode(), content_type="application/json")
        self.source(RECENT, SourceKind.X)
        logs = self.collect_capturing_logs()
        self.assertEqual(self.site.seen[0]["authorization"], "Bearer x-token-he-thong")
        posts = {item.guid: item for item in Item.objects.all()}
        first, second = posts["x:1864000000000000001"], posts["x:1864000000000000002"]
        self.assertEqual(first.url, "https://x.com/nguoidan/status/1864000000000000001")
        self.assertEqual((first.author, first.title), ("Người dân", "Cầu tạm bị cuốn trôi, dân không qua được"))
        self.assertEqual(second.url, "https://x.com/i/web/status/1864000000000000002")  # author not expanded
        self.assertEqual(first.published_at.isoformat(), "2026-12-01T05:00:00+00:00")
        self.assertFalse(any("x-token-he-thong" in line for line in logs))

    def test_an_x_search_without_new_posts_is_a_successful_empty_run(self):
        self.site.routes[RECENT] = Route(b'{"meta": {"result_count": 0}}', content_type="application/json")
        source = self.source(RECENT, SourceKind.X, api_key="tok")
        services.sources_collect_due()
        run = CollectorRun.objects.get(source=source)
        self.assertEqual((run.status, run.items_new), (RunStatus.SUCCESS, 0))

    def test_bad_youtube_and_x_shapes_are_refused_with_the_reason_and_store_nothing(self):
        bad_post = {**X_POSTS, "data": [X_POSTS["data"][0], {"id": "1864000000000000003", "author_id": "42"}]}
        bad_comment = json.loads(json.dumps(YOUTUBE_COMMENTS))
        del bad_comment["items"][0]["snippet"]["topLevelComment"]["id"]
        cases = [
            (SourceKind.YOUTUBE, {"items": []}, "YouTube Data API v3"),  # no list kind: another API's answer
            (SourceKind.YOUTUBE, {**YOUTUBE_SEARCH, "items": {"a": 1}}, "items"),
            (SourceKind.YOUTUBE, bad_comment, "topLevelComment"),
            (SourceKind.YOUTUBE, {"kind": "youtube#videoListResponse", "items": [{"id": "v", "snippet": {}}]}, "title"),
            (SourceKind.X, POSTS, "“id”"),  # a Graph-API page feed is not X's shape: its ids are not numbers
            (SourceKind.X, bad_post, "2"),  # the second post has no text: the first is not stored either
            (SourceKind.X, {"errors": [{"title": "Invalid Request", "detail": "query is too long"}]}, "too long"),
            (SourceKind.X, {"data": {"id": "1"}}, "data"),
        ]
        for n, (kind, document, reason) in enumerate(cases):
            with self.subTest(kind=kind, reason=reason):
                path = f"/api/{n}"
                self.site.routes[path] = Route(json.dumps(document).encode(), content_type="application/json")
                source = self.source(path, kind, api_key="tok-bi-mat")
                services.sources_collect_due()
                run = CollectorRun.objects.get(source=source)
                self.assertEqual(run.status, RunStatus.FAILED)
                self.assertIn(reason, run.error)
                self.assertNotIn("tok-bi-mat", run.error)
                source.refresh_from_db()
                self.assertEqual(source.status, SourceStatus.FAILING)
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
