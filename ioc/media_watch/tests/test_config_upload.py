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
