"""The push API (R5.7): an information system posts items of a configured export source with a token holding
`media_watch.items`; a retry is merged and counted, never doubled; each bad row is named (row, field, reason) and
the batch recorded as a run; a bad body or an unknown source is a 400 naming the field, nothing stored."""

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.media_watch import services
from ioc.media_watch.choices import SourceKind
from ioc.media_watch.models import CollectorRun, Item
from ioc.media_watch.services.config import SourceSettings

URL = "/api/v1/media-watch/items/"
ROW = {
    "title": "Người dân phản ánh đường ngập sau mưa",
    "body": "Đoạn đường trước chợ ngập sâu nửa mét.",
    "url": "https://social.example.invalid/p/1",
    "published_at": "2026-01-05T08:00:00+07:00",
    "author": "Một người dân",
}


class PushApiTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.source = services.source_set(
            actor=cls.admin, values=SourceSettings(name="Mạng xã hội tỉnh", kind=SourceKind.EXPORT)
        )

    def post(self, body, **extra):
        return self.client.post(URL, body, content_type="application/json", **(extra or self.bearer()))

    def test_items_are_stored_once_and_the_run_recorded(self):
        response = self.post({"source": "Mạng xã hội tỉnh", "items": [ROW]})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            response.json(), {"status": "accepted", "imported": 1, "ignored": 0, "rejected": 0, "conflicts": []}
        )
        again = self.post({"source": "Mạng xã hội tỉnh", "items": [ROW]}).json()
        self.assertEqual((again["imported"], again["ignored"]), (0, 1))
        item = Item.objects.get()
        self.assertEqual((item.copies, item.author, item.source), (2, "Một người dân", self.source))
        self.assertEqual(CollectorRun.objects.filter(source=self.source).count(), 2)

    def test_each_bad_row_is_named(self):
        rows = [
            ROW,
            {"title": "", "body": ""},
            {"title": "x", "url": "ftp://a.invalid/"},
            {"title": "x", "published_at": "hôm qua"},
            {"title": "x", "published_at": "2026-01-05T08:00:00"},
            {"title": 5},
            "không phải đối tượng",
        ]
        summary = self.post({"source": "Mạng xã hội tỉnh", "items": rows}).json()
        self.assertEqual((summary["status"], summary["imported"], summary["rejected"]), ("partial", 1, 6))
        self.assertEqual(
            [(c["row"], c["field"]) for c in summary["conflicts"]],
            [(2, "title"), (3, "url"), (4, "published_at"), (5, "published_at"), (6, "title"), (7, "item")],
        )
        run = CollectorRun.objects.get()
        self.assertEqual((run.items_new, run.items_rejected), (1, 6))

    def test_a_nul_or_a_lone_surrogate_is_a_named_row_fault_never_a_500(self):
        rows = [ROW, {"title": "lũ\u0000"}, {"title": "x", "body": "ngập \ud800"}, {"title": "x", "author": "\udfff"}]
        summary = self.post({"source": "Mạng xã hội tỉnh", "items": rows}).json()
        self.assertEqual((summary["imported"], summary["rejected"]), (1, 3))
        self.assertEqual(
            [(c["row"], c["field"]) for c in summary["conflicts"]], [(2, "title"), (3, "body"), (4, "author")]
        )
        for source in ("Mạng xã hội tỉnh\u0000", "Mạng xã hội \ud800"):
            with self.subTest(source=source):
                response = self.post({"source": source, "items": [ROW]})
                self.assertEqual(response.status_code, 400)
                self.assertIn("source", response.json()["error"]["fields"])
        self.assertEqual(Item.objects.count(), 1)

    def test_a_bad_body_or_source_is_a_400_naming_the_field(self):
        for body, field in (
            ({"source": "Mạng xã hội tỉnh", "items": []}, "items"),
            ({"source": "Mạng xã hội tỉnh", "items": "x"}, "items"),
            ({"items": [ROW]}, "source"),
            ({"source": "Không có", "items": [ROW]}, "source"),
            ([ROW], "items"),
        ):
            with self.subTest(field=field, body=body):
                response = self.post(body)
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.json()["error"]["fields"])
        self.assertFalse(Item.objects.exists())
        self.assertFalse(CollectorRun.objects.exists())

    def test_no_token_no_entry(self):
        response = self.client.post(
            URL, {"source": "Mạng xã hội tỉnh", "items": [ROW]}, content_type="application/json"
        )
        self.assertIn(response.status_code, (401, 403))
        self.assertFalse(Item.objects.exists())
