"""Watch lists: personal data granted by the administrator, each view audited, items purged after retention;
a watched name found in items; configuration refused to others (R5.7, Nghị định 13/2023/NĐ-CP)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.media_watch import selectors, services
from ioc.media_watch.choices import EntityKind, SourceKind
from ioc.media_watch.models import Item, WatchList
from ioc.media_watch.parsers import ItemDraft
from ioc.media_watch.services.config import SourceSettings


class WatchListTest(Personas, TestCase):
    def setUp(self):
        self.watch = services.watchlist_set(
            actor=self.admin, name="Doanh nghiệp xả thải", purpose="Theo dõi phản ánh môi trường", retention_days=30
        )
        self.company = services.watch_entity_set(
            actor=self.admin,
            watch_list=self.watch,
            kind=EntityKind.ORGANISATION,
            name="Công ty Hóa chất Sông Xanh",
            aliases="Hoá chất Sông Xanh\nSXC",
        )
        self.source = services.source_set(actor=self.admin, values=SourceSettings(name="Tệp", kind=SourceKind.EXPORT))

    def ingest(self, title, when=None):
        draft = ItemDraft(title=title, url=f"https://news.invalid/{abs(hash(title))}", published_at=when)
        return services.items_ingest(actor=self.admin, source=self.source, drafts=[draft]).new

    def test_aliases_and_tone_placement_find_the_entity(self):
        (first,) = self.ingest("Người dân phản ánh hoá chất Sông Xanh xả thải ra kênh")
        (second,) = self.ingest("SXC bị xử phạt")
        (other,) = self.ingest("Sông Xanh mùa nước nổi")
        self.assertEqual(list(first.entities.all()), [self.company])
        self.assertEqual(list(second.entities.all()), [self.company])
        self.assertFalse(other.entities.exists())

    def test_an_operator_without_the_grant_is_refused_and_nothing_is_read(self):
        self.assertFalse(selectors.watchlists_granted(user=self.operator).exists())
        with self.assertRaises(PermissionDenied):
            selectors.watchlist_open(user=self.operator, pk=self.watch.pk)
        self.assertFalse(AuditEntry.objects.filter(action="personal_data.read").exists())

    def test_a_granted_operator_sees_it_and_each_view_is_audited(self):
        services.watchlist_viewers_set(actor=self.admin, watch_list=self.watch, viewers=[self.operator])
        self.assertTrue(AuditEntry.objects.filter(action="media_watchlist.grant", actor=self.admin).exists())
        self.assertEqual(list(selectors.watchlists_granted(user=self.operator)), [self.watch])
        for _ in range(2):
            selectors.watchlist_open(user=self.operator, pk=self.watch.pk, purpose="kiểm tra")
        reads = AuditEntry.objects.filter(action="personal_data.read", actor=self.operator)
        self.assertEqual(reads.count(), 2)
        self.assertEqual(reads.first().object_id, str(self.watch.pk))

    def test_items_past_retention_are_purged_with_one_audit_entry_per_batch(self):
        old = timezone.now() - dt.timedelta(days=40)
        self.ingest("Hóa chất Sông Xanh bị phản ánh lần 1", when=old)
        self.ingest("Người dân lại phản ánh về Hóa chất Sông Xanh", when=old - dt.timedelta(hours=1))
        self.ingest("Hóa chất Sông Xanh nộp phạt", when=timezone.now())
        self.ingest("Tin không liên quan", when=old)
        self.assertEqual(services.watchlist_items_purge(batch=1), 2)
        self.assertEqual(
            sorted(Item.objects.values_list("title", flat=True)), ["Hóa chất Sông Xanh nộp phạt", "Tin không liên quan"]
        )
        batches = AuditEntry.objects.filter(action="media_item.purge")
        self.assertEqual([entry.row_count for entry in batches], [1, 1])

    def test_only_the_administrator_configures_and_bad_input_names_the_field(self):
        with self.assertRaises(PermissionDenied):
            services.watchlist_set(actor=self.operator, name="X", purpose="Y", retention_days=10)
        with self.assertRaises(ValidationError) as caught:
            services.watchlist_set(actor=self.admin, name="", purpose="", retention_days=0)
        self.assertEqual(set(caught.exception.message_dict), {"name", "purpose", "retention_days"})
        with self.assertRaises(ValidationError) as caught:
            services.watch_entity_set(actor=self.admin, watch_list=self.watch, kind="robot", name="!!!")
        self.assertEqual(set(caught.exception.message_dict), {"kind", "name"})
        self.assertEqual(WatchList.objects.count(), 1)


class TopicConfigTest(Personas, TestCase):
    def test_a_query_that_does_not_parse_is_refused_naming_the_position(self):
        with self.assertRaises(ValidationError) as caught:
            services.topic_set(actor=self.admin, name="Lũ", query="lũ AND (bão")
        self.assertIn("vị trí 12", caught.exception.message_dict["query"][0])

    def test_a_new_topic_classifies_the_next_items_at_once(self):
        source = services.source_set(actor=self.admin, values=SourceSettings(name="Tệp", kind=SourceKind.EXPORT))
        draft = ItemDraft(title="Lũ quét ở vùng cao")
        self.assertFalse(services.items_ingest(actor=self.admin, source=source, drafts=[draft]).new[0].topics.exists())
        topic = services.topic_set(actor=self.admin, name="Lũ", query='lu OR "lũ quét"')
        item = services.items_ingest(actor=self.admin, source=source, drafts=[ItemDraft(title="Lũ về sáng nay")]).new[0]
        self.assertEqual(list(item.topics.all()), [topic])
        self.assertTrue(AuditEntry.objects.filter(action="media_topic.create", actor=self.admin).exists())

    def test_source_settings_are_checked_field_by_field(self):
        with self.assertRaises(ValidationError) as caught:
            services.source_set(
                actor=self.admin,
                values=SourceSettings(name="", kind="feed", url="ftp://x", interval_minutes=1, selectors={"x": 1}),
            )
        self.assertEqual(set(caught.exception.message_dict), {"name", "url", "interval_minutes", "selectors"})
