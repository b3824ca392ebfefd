"""The watch in the one operator's queue, the overview tile and the navigation (R5.7, R7.1): a hot topic is a work
item pointing at its page (filtered by commune; no agency owns it), a watch list's surge only for the users granted
the list, titled by the list, never by the person."""

from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.common.workitems import WorkFilter, work_items_collect
from ioc.geo.models import AdminUnit
from ioc.media_watch import selectors, services
from ioc.media_watch.choices import EntityKind
from ioc.media_watch.models import HotState


class WorkItemsTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.commune = AdminUnit.objects.get(hierarchy="2025", code="25270")
        cls.topic = services.topic_set(actor=cls.admin, name="Ngập lụt", query="ngap")
        cls.watch = services.watchlist_set(actor=cls.admin, name="Nhà thầu", purpose="Công trình", retention_days=30)
        cls.entity = services.watch_entity_set(
            actor=cls.admin, watch_list=cls.watch, kind=EntityKind.PERSON, name="Nguyễn Văn Thử"
        )
        now = timezone.now()
        HotState.objects.create(
            key="t", kind="media.hot_topic", topic=cls.topic, unit=cls.commune, raised_at=now, last_count=9
        )
        HotState.objects.create(key="e", kind="media.watch_list", entity=cls.entity, raised_at=now, last_count=6)

    def test_a_hot_topic_is_in_the_queue_with_its_page(self):
        items = selectors.media_watch_work_items(user=self.operator)
        self.assertEqual([i.kind for i in items], ["hot_topic"])
        self.assertIn("Ngập lụt", items[0].title)
        self.assertEqual(items[0].url, f"/theo-doi-mang/chu-de/{self.topic.pk}/")
        self.assertEqual(items[0].commune_id, self.commune.pk)
        mine = [i for i in work_items_collect(user=self.operator, now=timezone.now()) if i.source == "media_watch"]
        self.assertEqual(len(mine), 1)

    def test_filters_by_commune_and_agency(self):
        self.assertEqual(
            len(selectors.media_watch_work_items(user=self.operator, where=WorkFilter(commune_id=self.commune.pk))), 1
        )
        other = AdminUnit.objects.filter(hierarchy="2025").exclude(pk=self.commune.pk).first()
        self.assertEqual(
            selectors.media_watch_work_items(user=self.operator, where=WorkFilter(commune_id=other.pk)), []
        )
        self.assertEqual(
            selectors.media_watch_work_items(user=self.operator, where=WorkFilter(agency_id=self.agency_a.pk)), []
        )

    def test_a_watch_list_surge_only_for_granted_users_never_naming_the_person(self):
        services.watchlist_viewers_set(actor=self.admin, watch_list=self.watch, viewers=[self.leader])
        items = selectors.media_watch_work_items(user=self.leader)
        surge = [i for i in items if i.kind == "watch_list"]
        self.assertEqual(len(surge), 1)
        self.assertIn("Nhà thầu", surge[0].title)
        self.assertNotIn("Nguyễn Văn Thử", surge[0].title)
        self.assertEqual([i.kind for i in selectors.media_watch_work_items(user=self.operator)], ["hot_topic"])

    def test_officers_and_citizens_get_nothing(self):
        for user in (self.officer_a, self.citizen):
            self.assertEqual(selectors.media_watch_work_items(user=user), [])

    def test_the_tile_and_the_navigation(self):
        self.sign_in(self.client, self.operator)
        self.assertContains(self.client.get("/"), "/theo-doi-mang/")
        panels = self.client.get("/man-hinh/bang/")
        self.assertContains(panels, 'data-panel="media_watch"')
        self.assertContains(panels, 'data-stat="media-hot">1<')
        self.assertEqual(selectors.media_watch_overview(user=self.screen_user)["hot_topics"], 1)
        self.assertEqual(selectors.media_watch_overview(user=self.officer_a), {})
