"""R5.7 (issue 22 item 1): an administrator uploads a platform export on the export source's page; a file that
cannot be read, a source of another kind and an empty file are refused on the file field (400), nothing stored."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.media_watch import services
from ioc.media_watch.choices import SourceKind
from ioc.media_watch.models import CollectorRun, Item
from ioc.media_watch.services.config import SourceSettings

CSV = (
    "url,published_at,author,title,text\n"
    "https://social.invalid/p/1,01/12/2026 08:15,Người dân,,Rác thải ùn ứ ở chợ\n"
    "https://social.invalid/p/2,01/12/2026 09:00,Người dân,,Đèn đường hỏng trước trường\n"
).encode()


class ExportUploadPageTest(Personas, TestCase):
    def setUp(self):
        self.source = services.source_set(
            actor=self.admin, values=SourceSettings(name="Tệp xuất", kind=SourceKind.EXPORT)
        )

    def upload(self, content: bytes, name: str = "xuat.csv", source=None):
        url = reverse("media_watch:source_upload", kwargs={"pk": (source or self.source).pk})
        return self.client.post(url, {"file": SimpleUploadedFile(name, content)})

    def test_the_administrator_uploads_an_export_on_the_source_page(self):
        self.sign_in(self.client, self.admin)
        page = self.client.get(reverse("media_watch:source_edit", kwargs={"pk": self.source.pk}))
        self.assertContains(page, 'id="media-upload-form"')
        url = reverse("media_watch:source_upload", kwargs={"pk": self.source.pk})
        page = self.client.post(url, {"file": SimpleUploadedFile("xuat.csv", CSV)}, follow=True)
        self.assertEqual(
            page.redirect_chain, [(reverse("media_watch:source_edit", kwargs={"pk": self.source.pk}), 302)]
        )
        self.assertContains(page, "2 tin mới")
        self.assertEqual(Item.objects.count(), 2)
        run = CollectorRun.objects.get()
        self.assertEqual((run.source, run.items_new), (self.source, 2))

    def test_bad_uploads_are_named_on_the_file_and_store_nothing(self):
        feed = services.source_set(
            actor=self.admin,
            values=SourceSettings(name="Báo RSS", kind=SourceKind.FEED, url="https://bao.invalid/rss"),
        )
        self.sign_in(self.client, self.admin)
        for content, name, source, reason in [
            (b"url,title\nx,y\n", "a.csv", None, "thiếu cột"),
            (b"{not json", "a.json", None, "JSON"),
            (b"url,published_at,author,title,text\n", "a.csv", None, "không có dòng"),
            (CSV, "a.csv", feed, "tệp xuất tải lên"),
        ]:
            with self.subTest(reason=reason):
                response = self.upload(content, name, source)
                self.assertContains(response, 'data-field="file"', status_code=400)
                self.assertContains(response, reason, status_code=400)
        empty = self.client.post(reverse("media_watch:source_upload", kwargs={"pk": self.source.pk}), {})
        self.assertContains(empty, 'data-field="file"', status_code=400)
        self.assertFalse(Item.objects.exists())
        self.assertFalse(CollectorRun.objects.exists())

    def test_only_the_administrator_uploads(self):
        self.sign_in(self.client, self.operator)
        self.assertEqual(self.upload(CSV).status_code, 403)
        self.assertFalse(Item.objects.exists())


class HostileExportTest(Personas, TestCase):
    """Issue 16 part 5: hostile files at the export upload — each a 400 naming why, nothing stored; text with NUL,
    other control characters or lone surrogates is stored without them (PostgreSQL cannot store a NUL)."""

    def setUp(self):
        self.source = services.source_set(
            actor=self.admin, values=SourceSettings(name="Tệp xuất", kind=SourceKind.EXPORT)
        )
        self.sign_in(self.client, self.admin)

    def upload(self, content: bytes, name: str):
        url = reverse("media_watch:source_upload", kwargs={"pk": self.source.pk})
        return self.client.post(url, {"file": SimpleUploadedFile(name, content)})

    def test_each_hostile_export_is_refused_naming_why(self):
        line = b"url,published_at,author,title,text\n"
        for label, content, name, reason in [
            ("nested JSON", b"[" * 200_000 + b"]" * 200_000, "xuat.json", "JSON"),
            ("a 5,000-digit number", b'[{"published_at":' + b"9" * 5000 + b"}]", "xuat.json", "JSON"),
            ("a PNG named .csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "xuat.csv", "UTF-8"),
            ("UTF-16", line.decode().encode("utf-16"), "xuat.csv", "UTF-8"),
            ("over 5 MB", line + b"https://x.invalid/1,,a,t," + b"b" * (5 * 1024 * 1024) + b"\n", "xuat.csv", "5 MB"),
            ("a path in the name", b"{not json", "../../../etc/xuat.json", "JSON"),
        ]:
            with self.subTest(label):
                response = self.upload(content, name)
                self.assertContains(response, 'data-field="file"', status_code=400)
                self.assertContains(response, reason, status_code=400)
        self.assertFalse(Item.objects.exists())
        self.assertFalse(CollectorRun.objects.exists())

    def test_control_characters_and_lone_surrogates_are_dropped_not_stored(self):
        text = (
            "url,published_at,author,title,text\n"
            "https://social.invalid/p/9\x00,01/12/2026 08:15,Người\x00 dân\x07,Tiêu\x1bđề,Rác thải\x00 ùn ứ ở chợ\n"
        )
        response = self.upload(text.encode(), "xuat.csv")
        self.assertEqual(response.status_code, 302, response.content.decode()[:500])
        item = Item.objects.get()
        self.assertEqual((item.title, item.body), ("Tiêuđề", "Rác thải ùn ứ ở chợ"))
        self.assertEqual(item.url, "https://social.invalid/p/9")
        self.assertEqual(item.author, "Người dân")
        # A lone surrogate arrives only as a JSON escape: dropped too.
        post = '{"data": [{"id": "7\\u0000", "message": "Ngập \\ud800sâu\\u0000 ở phố", "from": {"name": "A\\udfff"}}]}'
        response = self.upload(post.encode(), "xuat.json")
        self.assertEqual(response.status_code, 302, response.content.decode()[:500])
        item = Item.objects.exclude(pk=item.pk).get()
        self.assertEqual((item.body, item.author), ("Ngập sâu ở phố", "A"))
