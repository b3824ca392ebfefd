"""Hot topics against their own weekly baseline (R5.7, R4.1): a synthetic surge raises one alert, repeated while
hot and resolved when it falls back; a weekly cycle raises none; a watched organisation's surge raises
`media.watch_list` without naming it."""

from __future__ import annotations

import datetime as dt
import random

from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.geo.models import AdminUnit
from ioc.incidents.models import Alert
from ioc.media_watch import services
from ioc.media_watch.choices import EntityKind, SourceKind
from ioc.media_watch.corpus import compose
from ioc.media_watch.models import HotState
from ioc.media_watch.parsers import ItemDraft
from ioc.media_watch.services.config import SourceSettings
from ioc.media_watch.services.hot import hot_topics_evaluate, judge

FILLER = [
    "trước",
    "sau",
    "trên",
    "dưới",
    "trong",
    "ngoài",
    "giữa",
    "bên",
    "cạnh",
    "gần",
    "xa",
    "lại",
    "vừa",
    "mới",
    "đang",
    "sẽ",
    "còn",
]


class JudgeTest(TestCase):
    def test_median_and_mad_with_a_floor(self):
        self.assertTrue(judge(12, [1, 1, 2, 1], minimum=5).hot)
        self.assertFalse(judge(4, [0, 0, 0, 0], minimum=5).hot)  # under the minimum count
        self.assertFalse(judge(10, [10, 9, 11, 10], minimum=5).hot)  # the usual level
        self.assertFalse(judge(14, [10, 4, 16, 10], minimum=5).hot)  # inside a wide spread (MAD)


class HotTopicTest(Personas, TestCase):
    def setUp(self):
        self.rng = random.Random(5)
        self.now = timezone.now().replace(microsecond=0)
        self.commune = AdminUnit.objects.get(hierarchy="2025", code="25270")
        self.topic = services.topic_set(actor=self.admin, name="Ngập lụt", query='ngập OR lũ OR "mưa lớn"')
        self.source = services.source_set(actor=self.admin, values=SourceSettings(name="T", kind=SourceKind.EXPORT))
        self.serial = 0

    def drafts(self, count, when, *, place=None, title=None):
        out = []
        for _ in range(count):
            self.serial += 1
            item = compose(self.rng, theme="flood", place=place or self.commune.full_name)
            tail = " ".join(self.rng.sample(FILLER, 12))  # distinct items, not near-duplicates
            out.append(
                ItemDraft(
                    title=title or item.title,
                    body=f"{item.body.split('.')[0]}. Tin {self.serial}: {tail}.",
                    url=f"https://news.invalid/{self.serial}",
                    published_at=when,
                )
            )
        return out

    def history(self, per_week):
        for week, count in enumerate(per_week, start=1):
            when = self.now - dt.timedelta(weeks=week, minutes=20)
            services.items_history_load(actor=self.admin, source=self.source, drafts=self.drafts(count, when))

    def live(self, count, **extra):
        drafts = self.drafts(count, self.now - dt.timedelta(minutes=20), **extra)
        result = services.items_ingest(actor=self.admin, source=self.source, drafts=drafts)
        self.assertEqual(len(result.new), count)

    def test_a_synthetic_surge_raises_one_alert_then_resolves(self):
        self.history([1, 2, 1, 0])
        self.live(12)
        self.assertEqual(hot_topics_evaluate(now=self.now).raised, 1)
        alert = Alert.objects.get(source="media_watch")
        self.assertEqual((alert.kind, alert.dedup_key), ("media.hot_topic", f"{self.topic.pk}:{self.commune.pk}"))
        self.assertEqual(alert.unit, self.commune)
        self.assertEqual(alert.payload["count"], 12)
        self.assertEqual(len(alert.payload["items"]), 5)
        self.assertEqual(hot_topics_evaluate(now=self.now + dt.timedelta(minutes=5)).raised, 0)  # repeated, not new
        self.assertEqual(Alert.objects.filter(source="media_watch").count(), 1)
        self.assertEqual(hot_topics_evaluate(now=self.now + dt.timedelta(hours=2)).resolved, 1)
        alert.refresh_from_db()
        self.assertEqual(alert.state, "resolved")
        self.assertFalse(HotState.objects.exists())

    def test_a_weekly_cycle_raises_nothing(self):
        self.history([10, 10, 9, 11])
        self.live(10)
        self.assertEqual(hot_topics_evaluate(now=self.now).raised, 0)
        self.assertFalse(Alert.objects.filter(source="media_watch").exists())

    def test_a_surge_on_a_watched_organisation(self):
        watch = services.watchlist_set(actor=self.admin, name="Doanh nghiệp", purpose="Môi trường", retention_days=90)
        services.watch_entity_set(
            actor=self.admin, watch_list=watch, kind=EntityKind.ORGANISATION, name="Công ty Thép Bình Minh"
        )
        self.live(6, title="Công ty Thép Bình Minh bị phản ánh xả khói")
        hot_topics_evaluate(now=self.now)
        alert = Alert.objects.get(kind="media.watch_list")
        self.assertNotIn("Thép", alert.title)
        self.assertIn("Doanh nghiệp", alert.title)
