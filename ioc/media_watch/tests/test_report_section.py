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
        ]
        first, _second = services.items_ingest(actor=self.admin, source=source, drafts=drafts).new
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
        self.assertEqual(figures["media_watch.items"], 2)
        self.assertEqual(figures["media_watch.negative"], 1)
        self.assertEqual((figures["media_watch.forwarded"], figures["media_watch.on_time"]), (1, 1))
        self.assertEqual(list(figures["media_watch.by_topic"].rows), [["Môi trường", 1]])
