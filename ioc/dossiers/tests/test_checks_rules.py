"""R5.3: each rule on crafted event sequences, on a frozen clock across a weekend and Tết (pure: no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import SimpleTestCase

from ioc.dossiers.checks import EventView, StepShape, VersionShape, dossier_check
from ioc.dossiers.choices import DossierStatus
from ioc.worktime.choices import ExceptionKind
from ioc.worktime.selectors import LOCAL_TZ, WorkCalendar

CAL = WorkCalendar()  # 7:30–11:30, 13:30–17:00: 7.5 h a day; the national holidays of `holidays`
VERSION = VersionShape(
    limit_days=Decimal("3"),
    documents=("Đơn đề nghị", "Bản sao CCCD"),
    steps=(
        StepShape(1, "tiep-nhan", Decimal("0.5")),
        StepShape(2, "tham-dinh", Decimal("1.5")),
        StepShape(3, "phe-duyet", Decimal("1")),
    ),
)
DOCS = ("Đơn đề nghị", "Bản sao CCCD")


def at(day: str, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), LOCAL_TZ)


class Story:
    """Events of one dossier, numbered as they are added."""

    def __init__(self, received: dt.datetime, documents: tuple[str, ...] = DOCS) -> None:
        self.events = [EventView(1, "receipt", received, documents=documents)]

    def add(self, kind: str, moment: dt.datetime, **fields: object) -> Story:
        self.events.append(EventView(len(self.events) + 1, kind, moment, **fields))  # type: ignore[arg-type]
        return self

    def check(
        self, now: dt.datetime, version: VersionShape = VERSION, calendar: WorkCalendar = CAL
    ) -> dict[tuple[str, str], object]:
        self.result = dossier_check(version=version, events=self.events, calendar=calendar, now=now)
        return dict(self.result.findings)


class DueTimeTests(SimpleTestCase):
    def test_due_counts_working_days_over_a_weekend(self):
        story = Story(at("2026-03-06", 8))  # a Friday
        story.check(now=at("2026-03-06", 9))
        # Fri 8:00 → 7 h that day; Mon 7.5; Tue 7.5 → 22 h; 0.5 h on Wednesday.
        self.assertEqual(story.result.due_at, at("2026-03-11", 8))

    def test_due_skips_tet(self):
        story = Story(at("2026-02-13", 8))  # the Friday before Tết Bính Ngọ (16–20/2 off)
        story.check(now=at("2026-02-13", 9))
        self.assertEqual(story.result.due_at, at("2026-02-25", 8))

    def test_supplement_stops_the_clock(self):
        story = Story(at("2026-03-02", 8))  # Monday
        story.add("supplement_request", at("2026-03-02", 9))
        story.add("supplement_received", at("2026-03-04", 9))  # Wednesday: 2 working days awaited
        story.check(now=at("2026-03-04", 10))
        # Without the pause due Thu 5/3 08:00; the pause ran Mon 9:00 → Wed 9:00 = 15 working hours.
        self.assertEqual(story.result.due_at, at("2026-03-09", 8))

    def test_while_awaiting_supplements_nothing_falls_due(self):
        story = Story(at("2026-03-02", 8)).add("supplement_request", at("2026-03-02", 9))
        findings = story.check(now=at("2026-03-20", 9))
        self.assertEqual(findings, {})
        self.assertEqual(story.result.status, DossierStatus.SUPPLEMENT)
        self.assertIsNone(story.result.next_check_at)

    def test_without_the_rule_the_clock_runs_on(self):
        version = VersionShape(VERSION.limit_days, VERSION.documents, VERSION.steps, stop_clock_on_supplement=False)
        story = Story(at("2026-03-02", 8)).add("supplement_request", at("2026-03-02", 9))
        findings = story.check(now=at("2026-03-20", 9), version=version)
        self.assertIn(("dossier_late", ""), findings)


class CalendarExceptionTests(SimpleTestCase):
    """R3.3: the administrator's exceptions (a compensating working Saturday, an extra day off) move due times."""

    WORKING_SATURDAY = WorkCalendar(exceptions={dt.date(2026, 3, 7): ExceptionKind.WORKING_DAY})
    EXTRA_DAY_OFF = WorkCalendar(exceptions={dt.date(2026, 3, 9): ExceptionKind.DAY_OFF})

    def test_a_working_saturday_brings_the_due_time_forward(self):
        story = Story(at("2026-03-06", 8))  # Friday: 7 h, Sat 7/3 worked 7.5, Mon 7.5 → 22 h; 0.5 h on Tuesday
        story.check(now=at("2026-03-06", 9), calendar=self.WORKING_SATURDAY)
        self.assertEqual(story.result.due_at, at("2026-03-10", 8))

    def test_an_extra_day_off_pushes_the_due_time_back(self):
        story = Story(at("2026-03-06", 8))  # Friday 7 h, Mon 9/3 off, Tue 7.5, Wed 7.5 → 22 h; 0.5 h on Thursday
        story.check(now=at("2026-03-06", 9), calendar=self.EXTRA_DAY_OFF)
        self.assertEqual(story.result.due_at, at("2026-03-12", 8))

    def test_a_step_falls_due_on_the_working_saturday(self):
        story = Story(at("2026-03-06", 16))  # Friday 16:00: 1 h, then 2.75 h of the Saturday worked → Sat 10:15
        story.add("step_done", at("2026-03-09", 8), step_code="tiep-nhan", account="")
        self.assertIn(("step_late", "tiep-nhan"), story.check(now=at("2026-03-09", 9), calendar=self.WORKING_SATURDAY))
        # The national calendar alone: due Monday 10:15, done at 8:00 in time.
        self.assertNotIn(("step_late", "tiep-nhan"), story.check(now=at("2026-03-09", 9)))


class RuleTests(SimpleTestCase):
    def done(self, story: Story, code: str, moment: dt.datetime, account: str = "") -> Story:
        return story.add("step_done", moment, step_code=code, account=account)

    def full(self, received: dt.datetime) -> Story:
        story = Story(received)
        self.done(story, "tiep-nhan", received + dt.timedelta(hours=1))
        self.done(story, "tham-dinh", received + dt.timedelta(hours=3))
        return self.done(story, "phe-duyet", received + dt.timedelta(hours=5))

    def test_a_clean_dossier_has_no_findings(self):
        story = self.full(at("2026-03-02", 8))
        self.assertEqual(story.check(now=at("2026-03-10", 8)), {})
        self.assertEqual(story.result.status, DossierStatus.DONE)
        self.assertFalse(story.result.is_late)

    def test_documents_missing_at_receipt(self):
        story = Story(at("2026-03-02", 8), documents=("Đơn đề nghị",))
        finding = story.check(now=at("2026-03-02", 9))[("documents_missing", "")]
        self.assertIn("Bản sao CCCD", finding.detail)  # type: ignore[attr-defined]

    def test_step_over_its_time(self):
        story = Story(at("2026-03-06", 8))  # Friday; step 1 has 3.75 h → due Fri 13:45
        self.done(story, "tiep-nhan", at("2026-03-09", 8))  # done Monday
        self.assertIn(("step_late", "tiep-nhan"), story.check(now=at("2026-03-09", 9)))

    def test_step_done_in_time_across_the_weekend(self):
        story = Story(at("2026-03-06", 16))  # Friday 16:00: 1 h Friday, 2.75 h Monday → due Mon 10:15
        self.done(story, "tiep-nhan", at("2026-03-09", 10))
        self.assertNotIn(("step_late", "tiep-nhan"), story.check(now=at("2026-03-09", 10, 30)))

    def test_dossier_over_its_limit_and_without_apology(self):
        story = Story(at("2026-02-13", 8))  # due Wed 25/2 08:00 (Tết skipped)
        self.done(story, "tiep-nhan", at("2026-02-13", 9))
        self.done(story, "tham-dinh", at("2026-02-13", 10))
        self.done(story, "phe-duyet", at("2026-02-26", 9))
        findings = story.check(now=at("2026-02-26", 10))
        self.assertIn(("dossier_late", ""), findings)
        self.assertIn(("late_without_apology", ""), findings)
        self.assertTrue(story.result.is_late)

    def test_late_with_an_apology_in_time_is_only_late(self):
        story = Story(at("2026-02-13", 8))
        story.add("apology", at("2026-02-24", 9), new_due_at=at("2026-02-27", 9))
        findings = story.check(now=at("2026-02-26", 10))
        self.assertIn(("dossier_late", ""), findings)
        self.assertNotIn(("late_without_apology", ""), findings)
        self.assertEqual(story.result.promised_at, at("2026-02-27", 9))

    def test_not_late_before_tet_ends(self):
        story = Story(at("2026-02-13", 8))
        self.assertNotIn(("dossier_late", ""), story.check(now=at("2026-02-24", 16)))

    def test_step_skipped(self):
        story = Story(at("2026-03-02", 8))
        self.done(story, "tiep-nhan", at("2026-03-02", 9))
        self.done(story, "phe-duyet", at("2026-03-02", 10))
        self.assertIn(("step_skipped", "tham-dinh"), story.check(now=at("2026-03-02", 11)))

    def test_skipped_step_done_later_is_out_of_order(self):
        story = Story(at("2026-03-02", 8))
        self.done(story, "tiep-nhan", at("2026-03-02", 9))
        self.done(story, "phe-duyet", at("2026-03-02", 10))
        self.done(story, "tham-dinh", at("2026-03-02", 11))
        findings = story.check(now=at("2026-03-02", 11))
        self.assertIn(("step_out_of_order", "tham-dinh"), findings)
        self.assertNotIn(("step_skipped", "tham-dinh"), findings)

    def test_second_supplement_request(self):
        story = Story(at("2026-03-02", 8))
        story.add("supplement_request", at("2026-03-02", 9)).add("supplement_received", at("2026-03-03", 9))
        self.assertNotIn(("supplement_repeated", ""), story.check(now=at("2026-03-03", 10)))
        story.add("supplement_request", at("2026-03-03", 10))
        self.assertIn(("supplement_repeated", ""), story.check(now=at("2026-03-03", 11)))

    def test_refusal_without_reason(self):
        story = Story(at("2026-03-02", 8)).add("refusal", at("2026-03-02", 9), reason="  ")
        self.assertIn(("refusal_without_reason", ""), story.check(now=at("2026-03-02", 10)))
        self.assertEqual(story.result.status, DossierStatus.REFUSED)
        story = Story(at("2026-03-02", 8)).add("refusal", at("2026-03-02", 9), reason="Không thuộc thẩm quyền")
        self.assertEqual(story.check(now=at("2026-03-02", 10)), {})

    def test_step_by_an_unassigned_account(self):
        story = Story(at("2026-03-02", 8))
        story.add("transfer", at("2026-03-02", 8, 30), step_code="tiep-nhan", assignee="can-bo-a")
        self.done(story, "tiep-nhan", at("2026-03-02", 9), account="can-bo-b")
        finding = story.check(now=at("2026-03-02", 10))[("step_unassigned", "tiep-nhan")]
        self.assertEqual(finding.detail, "can-bo-b")  # type: ignore[attr-defined]

    def test_step_by_the_assigned_account(self):
        story = Story(at("2026-03-02", 8))
        story.add("transfer", at("2026-03-02", 8, 30), step_code="tiep-nhan", assignee="can-bo-a")
        self.done(story, "tiep-nhan", at("2026-03-02", 9), account="can-bo-a")
        self.assertEqual(story.check(now=at("2026-03-02", 10)), {})

    def test_a_step_late_with_no_event_and_the_next_check(self):
        story = Story(at("2026-03-06", 8))  # step 1 due Fri 13:45 (3.75 h)
        self.assertEqual(story.check(now=at("2026-03-06", 9)), {})
        self.assertEqual(story.result.next_check_at, at("2026-03-06", 13, 45))
        self.assertIn(("step_late", "tiep-nhan"), story.check(now=at("2026-03-06", 14)))

    def test_a_late_event_placed_by_its_time_disproves_the_sweeps_finding(self):
        story = Story(at("2026-03-06", 8))
        self.assertIn(("step_late", "tiep-nhan"), story.check(now=at("2026-03-09", 9)))
        self.done(story, "tiep-nhan", at("2026-03-06", 11))  # arrives late, happened in time
        self.assertNotIn(("step_late", "tiep-nhan"), story.check(now=at("2026-03-09", 9, 5)))
