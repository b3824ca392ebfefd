"""A topic's page (R5.7, issue 22 item 6): its counts per local hour (7 days) and per day (90 days), each beside the
baseline of the same hour (day) of the 4 weeks before, drawn by ECharts from a JSON block; a bad step is named
(400); an unknown topic is a 404; only the watch's viewers see it."""

import datetime as dt
import json

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.media_watch import services
from ioc.media_watch.choices import SourceKind
from ioc.media_watch.parsers import ItemDraft
from ioc.media_watch.selectors.topics import HOURLY_POINTS, topic_trend
from ioc.media_watch.services.config import SourceSettings


class TopicPageTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.topic = services.topic_set(actor=cls.admin, name="Ngập", query="ngap")
        source = services.source_set(actor=cls.admin, values=SourceSettings(name="Báo", kind=SourceKind.EXPORT))
        cls.hour = timezone.localtime().replace(minute=5, second=0, microsecond=0)
        drafts = [ItemDraft(title=f"Ngập tin số {n} giờ này", published_at=cls.hour) for n in range(3)]
        for weeks in range(1, 5):  # the same hour of the 4 weeks before: 1 item each
            drafts.append(
                ItemDraft(title=f"Ngập tuần trước số {weeks}", published_at=cls.hour - dt.timedelta(weeks=weeks))
            )
        drafts.append(ItemDraft(title="Khai trương thư viện", published_at=cls.hour))
        services.items_history_load(actor=cls.admin, source=source, drafts=drafts)

    def test_the_hourly_trend_and_its_baseline(self):
        trend = topic_trend(user=self.operator, topic=self.topic, step="hour")
        self.assertEqual(len(trend.counts), HOURLY_POINTS)
        self.assertEqual(trend.counts[-1], 3)
        self.assertEqual(trend.labels[-1], self.hour.strftime("%d/%m %H:00"))
        self.assertEqual(trend.baseline[-1], 1.0)  # median of 1, 1, 1, 1
        self.assertEqual(trend.threshold[-1], 4.0)  # 1 + 3·max(1.4826·0, 1)
        self.assertEqual(sum(trend.counts), 3)  # the weeks before are outside the 7 days shown

    def test_the_daily_trend(self):
        trend = topic_trend(user=self.operator, topic=self.topic, step="day")
        self.assertEqual(len(trend.counts), 90)
        self.assertEqual(trend.counts[-1], 3)
        self.assertEqual(sum(trend.counts), 7)
        self.assertEqual(trend.baseline[-1], 1.0)
        self.assertEqual(trend.threshold, [])

    def test_the_page_draws_the_chart_and_lists_the_items(self):
        self.sign_in(self.client, self.operator)
        url = reverse("media_watch:topic", kwargs={"pk": self.topic.pk})
        response = self.client.get(url)
        self.assertContains(response, "echarts.min.js")
        self.assertContains(response, 'id="topic-trend-data"')
        data = json.loads(
            response.content.decode().split('id="topic-trend-data" type="application/json">')[1].split("</script>")[0]
        )
        self.assertEqual(data["counts"][-1], 3)
        self.assertContains(response, "Ngập tin số 2 giờ này")
        self.assertNotContains(response, "thư viện")
        self.assertEqual(self.client.get(url, {"step": "day"}).status_code, 200)
        response = self.client.get(url, {"step": "minute"})
        self.assertContains(response, "invalid-feedback", status_code=400)
        self.assertEqual(self.client.get(reverse("media_watch:topic", kwargs={"pk": 999999})).status_code, 404)

    def test_officers_are_refused(self):
        self.sign_in(self.client, self.officer_a)
        response = self.client.get(reverse("media_watch:topic", kwargs={"pk": self.topic.pk}))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(topic_trend(user=self.officer_a, topic=self.topic).counts, [])
