"""The watch's report section (R8.1, R5.7): volume, negative items, hot topics, items handed on, answers on time."""

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.assignments.models import Assignment
from ioc.assignments.services import assignment_accept, assignment_resolve
from ioc.common.report_sections import FigureContext, ReportScope, section_get
from ioc.media_watch import report_sections, services
from ioc.media_watch.choices import SourceKind
from ioc.media_watch.parsers import ItemDraft
from ioc.media_watch.services.config import SourceSettings


class ReportSectionTest(Personas, TestCase):
    def test_figures_of_the_period(self):
        services.topic_set(actor=self.admin, name="Môi trường", query="rác")
        source = services.source_set(actor=self.admin, values=SourceSettings(name="T", kind=SourceKind.EXPORT))
        drafts = [
            ItemDraft(title="Rác ùn ứ, người dân bức xúc", url="https://n.invalid/1"),
            ItemDraft(title="Khai trương thư viện", url="https://n.invalid/2"),
            # 002:6.5: two items citing the authorities, one landing well and one badly
            ItemDraft(
                title="Theo thông báo của UBND tỉnh, thư viện mới khang trang, người dân vui mừng",
                url="https://n.invalid/3",
            ),
            ItemDraft(
                title="Người phát ngôn nói vậy nhưng người dân bức xúc, phẫn nộ vì rác ùn ứ", url="https://n.invalid/4"
            ),
        ]
        first, *_others = services.items_ingest(actor=self.admin, source=source, drafts=drafts).new
        work = services.item_forward(actor=self.operator, item=first, agency=self.agency_a, working_hours=8)
        assignment_accept(assignment=work, actor=self.officer_a)
        assignment_resolve(assignment=Assignment.objects.get(pk=work.pk), actor=self.officer_a, resolution="Đã dọn.")
        now = timezone.now()
        ctx = FigureContext(
            user=self.leader,
            period_code="x",
            start=now - dt.timedelta(days=1),
            end=now + dt.timedelta(minutes=1),
            scope=ReportScope(),
            now=now,
        )
        self.assertIs(section_get("media_watch"), report_sections.SECTION)
        figures = {f.code: f.compute(ctx) for f in report_sections.SECTION.figures}
        self.assertEqual(figures["media_watch.items"], 4)
        self.assertEqual(figures["media_watch.negative"], 2)
        official = [figures[f"media_watch.official{suffix}"] for suffix in ("", "_positive", "_negative")]
        self.assertEqual(official, [2, 1, 1])
        self.assertEqual((figures["media_watch.forwarded"], figures["media_watch.on_time"]), (1, 1))
        self.assertEqual(list(figures["media_watch.by_topic"].rows), [["Môi trường", 2]])
