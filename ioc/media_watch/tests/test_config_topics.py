"""The topics' configuration page (R5.7): a query is previewed over the last 30 days before it is saved (nothing
written by the preview), a query that does not parse is named with its position, others get 403."""

import datetime as dt

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.media_watch import services
from ioc.media_watch.choices import SourceKind
from ioc.media_watch.models import Topic
from ioc.media_watch.parsers import ItemDraft
from ioc.media_watch.selectors.topics import query_preview
from ioc.media_watch.services.config import SourceSettings

CREATE = reverse("media_watch:topic_create")


class TopicConfigTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        source = services.source_set(actor=cls.admin, values=SourceSettings(name="Báo", kind=SourceKind.EXPORT))
        now = timezone.now()
        drafts = [
            ItemDraft(title="Ngập sâu ở phố Hoà Bình sau mưa", url="https://n.invalid/1", published_at=now),
            ItemDraft(title="Triều cường gây ngập khu chợ", url="https://n.invalid/2", published_at=now),
            ItemDraft(title="Ngập úng năm ngoái", url="https://n.invalid/3", published_at=now - dt.timedelta(days=40)),
            ItemDraft(title="Khai trương thư viện mới", url="https://n.invalid/4", published_at=now),
        ]
        services.items_ingest(actor=cls.admin, source=source, drafts=drafts)

    def test_the_preview_shows_the_last_30_days_and_saves_nothing(self):
        self.sign_in(self.client, self.admin)
        data = {"name": "Ngập", "query": "ngap", "min_hourly": "5", "is_active": "on", "action": "preview"}
        response = self.client.post(CREATE, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-preview="2"')
        self.assertContains(response, "Triều cường gây ngập")
        self.assertNotContains(response, "Ngập úng năm ngoái")
        self.assertNotContains(response, "thư viện")
        self.assertFalse(Topic.objects.exists())
        response = self.client.post(CREATE, {**data, "action": "save"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Topic.objects.get().query, "ngap")
        self.assertEqual(AuditEntry.objects.get(action="media_topic.create").actor, self.admin)

    def test_marks_phrases_and_not_in_the_preview(self):
        self.assertEqual(query_preview(user=self.admin, query='"Hòa Bình"').total, 1)  # "Hoà" = "Hòa"
        self.assertEqual(query_preview(user=self.admin, query="ngáp").total, 0)  # typed with marks: those marks
        self.assertEqual(query_preview(user=self.admin, query="ngap NOT chợ").total, 1)
        self.assertEqual(query_preview(user=self.admin, query="NOT ngap").total, 1)  # the library only
        self.assertEqual(query_preview(user=self.officer_a, query="ngap").total, 0)

    def test_a_query_that_does_not_parse_is_named_with_its_position(self):
        self.sign_in(self.client, self.admin)
        for action in ("preview", "save"):
            with self.subTest(action=action):
                data = {"name": "Hỏng", "query": 'ngap AND ("mua', "min_hourly": "5", "action": action}
                response = self.client.post(CREATE, data)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, 'data-field="query"', status_code=400)
                self.assertContains(response, "vị trí", status_code=400)
        response = self.client.post(CREATE, {"name": "", "query": "ngap", "min_hourly": "0"})
        self.assertContains(response, 'data-field="name"', status_code=400)
        self.assertContains(response, 'data-field="min_hourly"', status_code=400)
        self.assertFalse(Topic.objects.exists())

    def test_editing_keeps_one_write_path_and_others_are_refused(self):
        topic = services.topic_set(actor=self.admin, name="Ngập", query="ngap")
        edit = reverse("media_watch:topic_edit", kwargs={"pk": topic.pk})
        for user in (self.operator, self.leader):
            self.sign_in(self.client, user)
            self.assertEqual(self.client.post(edit, {"name": "X", "query": "y", "min_hourly": "5"}).status_code, 403)
        self.sign_in(self.client, self.admin)
        self.assertContains(self.client.get(edit), "ngap")
        self.client.post(edit, {"name": "Ngập úng", "query": '"triều cường"', "min_hourly": "7", "action": "save"})
        topic.refresh_from_db()
        self.assertEqual(
            (topic.name, topic.query, topic.min_hourly, topic.is_active), ("Ngập úng", '"triều cường"', 7, False)
        )
