"""The watch's pages (R5.7): the live feed with filters (staff only, query count locked) and the watch lists
(granted users only, each view audited)."""

from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.media_watch import services
from ioc.media_watch.choices import EntityKind, SourceKind
from ioc.media_watch.parsers import ItemDraft
from ioc.media_watch.services.config import SourceSettings

FEED = reverse("media_watch:feed")
LISTS = reverse("media_watch:watchlists")


class PagesTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.topic = services.topic_set(actor=cls.admin, name="Giao thông", query='"ùn tắc"')
        source = services.source_set(actor=cls.admin, values=SourceSettings(name="Báo", kind=SourceKind.EXPORT))
        drafts = [
            ItemDraft(title=f"Ùn tắc ở nút giao số {n}, người dân bức xúc", url=f"https://n.invalid/{n}")
            for n in range(3)
        ] + [ItemDraft(title="Khai trương thư viện Hồ Gươm", url="https://n.invalid/x")]
        services.items_ingest(actor=cls.admin, source=source, drafts=drafts)
        cls.watch = services.watchlist_set(
            actor=cls.admin, name="Nhà thầu", purpose="Chất lượng công trình", retention_days=60
        )
        services.watch_entity_set(
            actor=cls.admin, watch_list=cls.watch, kind=EntityKind.ORGANISATION, name="Công ty Xây dựng Số Một"
        )

    def get(self, user, url, **params):
        self.sign_in(self.client, user)
        return self.client.get(url, params)

    def test_the_operator_sees_the_feed_and_filters_it(self):
        response = self.get(self.operator, FEED)
        self.assertContains(response, "Khai trương thư viện Hồ Gươm")
        self.assertContains(response, 'rel="noopener noreferrer nofollow"')
        response = self.get(self.operator, FEED, q="ho guom")
        self.assertContains(response, "Hồ Gươm")
        self.assertNotContains(response, "nút giao số 1")
        response = self.get(self.operator, FEED, topic=self.topic.pk, negative="on")
        self.assertContains(response, "nút giao số 2")
        self.assertNotContains(response, "Hồ Gươm")

    def test_a_bad_filter_is_named(self):
        response = self.get(self.operator, FEED, topic="abc")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "invalid-feedback", status_code=400)

    def test_query_count_does_not_grow_with_items(self):
        self.sign_in(self.client, self.operator)
        self.client.get(FEED)
        with self.assertNumQueries(9):  # incl. session, roles, territory (no session save within a minute)
            self.client.get(FEED)

    def test_officers_and_citizens_are_refused(self):
        for user in (self.officer_a, self.citizen):
            self.assertEqual(self.get(user, FEED).status_code, 403)
            self.assertEqual(self.get(user, LISTS).status_code, 403)

    def test_watch_lists_only_for_granted_users_each_view_audited(self):
        response = self.get(self.operator, LISTS)
        self.assertNotContains(response, "Công ty Xây dựng Số Một")
        self.assertFalse(AuditEntry.objects.filter(action="personal_data.read").exists())
        services.watchlist_viewers_set(actor=self.admin, watch_list=self.watch, viewers=[self.operator])
        response = self.get(self.operator, LISTS)
        self.assertContains(response, "Công ty Xây dựng Số Một")
        self.assertEqual(AuditEntry.objects.filter(action="personal_data.read", actor=self.operator).count(), 1)
