"""R11: what the act sets, each citing an article, clause or point that exists in its text."""

from django.core.exceptions import ValidationError
from django.test import TestCase

from ioc.accounts.testing import system_actor
from ioc.audit.models import AuditEntry
from ioc.regulation import services
from ioc.regulation.models import Allowance, Duty, ReportCalendarEntry, TemplateCadence
from ioc.regulation.tests.support import loc_ninh_act

DUTY = {
    "code": "bao-cao",
    "title": "Báo cáo tháng trước ngày 25",
    "source": "003:11.6",
    "responsible": "vp-hdnd-ubnd-huyen",
    "carried_out_by": "url:reporting:index",
}


class DutiesSetTest(TestCase):
    def setUp(self):
        self.act = loc_ninh_act()

    def test_it_writes_the_duties_with_their_articles_and_drops_those_no_longer_listed(self):
        services.duties_set(
            actor=system_actor(), act=self.act, items=[DUTY, {**DUTY, "code": "khac", "source": "003:9"}]
        )
        duty = Duty.objects.get(code="bao-cao")
        self.assertEqual((duty.article.number, duty.carried_out_by), (11, "url:reporting:index"))
        services.duties_set(actor=system_actor(), act=self.act, items=[DUTY])
        self.assertEqual(list(Duty.objects.values_list("code", flat=True)), ["bao-cao"])

    def test_it_is_idempotent_with_one_audit_entry_per_change(self):
        for _ in range(2):
            services.duties_set(actor=system_actor(), act=self.act, items=[DUTY])
        self.assertEqual(AuditEntry.objects.filter(action="regulation.duty_set").count(), 1)

    def test_it_refuses_a_citation_the_act_does_not_have_and_writes_nothing(self):
        for source in ("003:11.9", "003:20", "002:11.6", "11.6", "003:9.1"):
            with self.subTest(source=source), self.assertRaises(ValidationError) as caught:
                services.duties_set(
                    actor=system_actor(), act=self.act, items=[DUTY, {**DUTY, "code": "x", "source": source}]
                )
            self.assertIn("items[1].source", caught.exception.message_dict)
        self.assertFalse(Duty.objects.exists())

    def test_it_refuses_bad_items_naming_the_field(self):
        cases = [
            ("code", {"code": "Bad Code"}),
            ("title", {"title": " "}),
            ("carried_out_by", {"carried_out_by": "https://example.invalid/"}),
        ]
        for field, override in cases:
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                services.duties_set(actor=system_actor(), act=self.act, items=[{**DUTY, **override}])
            self.assertIn(f"items[0].{field}", caught.exception.message_dict)
        with self.assertRaises(ValidationError):
            services.duties_set(actor=system_actor(), act=self.act, items=[DUTY, DUTY])  # a repeated code
        self.assertFalse(Duty.objects.exists())


class CalendarsAndAllowancesTest(TestCase):
    def setUp(self):
        self.act = loc_ninh_act()

    def test_report_calendar_checks_frequency_and_day(self):
        report = {"code": "thang", "name": "Báo cáo tháng", "frequency": "monthly", "source": "003:11.6", "due_day": 25}
        services.report_calendar_set(actor=system_actor(), act=self.act, items=[report])
        self.assertEqual(ReportCalendarEntry.objects.get().due_day, 25)
        for field, override in (("frequency", {"frequency": "daily"}), ("due_day", {"due_day": 32})):
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                services.report_calendar_set(actor=system_actor(), act=self.act, items=[{**report, **override}])
            self.assertIn(f"items[0].{field}", caught.exception.message_dict)
        self.assertEqual(ReportCalendarEntry.objects.get().due_day, 25)

    def test_template_cadence_takes_iso_weekdays(self):
        item = {"code": "bieu-mau", "weekdays": (4, 1), "description": "Thứ 2 và thứ 5", "source": "003:10.1"}
        services.template_cadence_set(actor=system_actor(), act=self.act, items=[item])
        self.assertEqual(TemplateCadence.objects.get().weekdays, [1, 4])
        with self.assertRaises(ValidationError) as caught:
            services.template_cadence_set(actor=system_actor(), act=self.act, items=[{**item, "weekdays": [0, 8]}])
        self.assertIn("items[0].weekdays", caught.exception.message_dict)

    def test_allowances_are_positive_amounts(self):
        item = {
            "code": "truc-tiep",
            "beneficiary": "Làm việc tại Trung tâm",
            "amount_vnd": 1_000_000,
            "source": "003:9",
        }
        services.allowances_set(actor=system_actor(), act=self.act, items=[item])
        self.assertEqual(Allowance.objects.get().amount_vnd, 1_000_000)
        with self.assertRaises(ValidationError) as caught:
            services.allowances_set(actor=system_actor(), act=self.act, items=[{**item, "amount_vnd": 0}])
        self.assertIn("items[0].amount_vnd", caught.exception.message_dict)
