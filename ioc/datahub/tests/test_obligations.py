"""R1.3: obligations — due days (template cadence Monday and Thursday, holidays moving them), late and missing
against submissions (23:30 local time on the due day is late), reminders once each, bad input named by field."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.common.testing import frozen, local
from ioc.datahub import selectors, services
from ioc.datahub.cadence import Rule, due_instants, judge
from ioc.datahub.choices import Channel, DueState, ObligationFrequency
from ioc.datahub.models import Dataset, Obligation
from ioc.datahub.testing import dataset_make
from ioc.datahub.tests.support import facility
from ioc.notifications.models import Outbox
from ioc.regulation.testing import sample_regulation_load
from ioc.worktime import services as worktime_services
from ioc.worktime.choices import ExceptionKind
from ioc.worktime.selectors import WorkCalendar

MON_THU = Rule(ObligationFrequency.WEEKLY, weekdays=(1, 4))


class CadenceTest(SimpleTestCase):
    def test_monday_and_thursday_at_17_local(self) -> None:
        dues = due_instants(MON_THU, start=dt.date(2026, 4, 20), end=dt.date(2026, 4, 26), calendar=WorkCalendar())
        self.assertEqual(dues, [local(2026, 4, 20, 17), local(2026, 4, 23, 17)])

    def test_holidays_move_the_due_day_to_the_next_working_day(self) -> None:
        # 27/04/2026 (Hùng Kings, observed) moves to Tuesday; 30/04 and 01/05 move Thursday's due to Monday 04/05.
        dues = due_instants(MON_THU, start=dt.date(2026, 4, 27), end=dt.date(2026, 5, 4), calendar=WorkCalendar())
        self.assertEqual(dues, [local(2026, 4, 28, 17), local(2026, 5, 4, 17)])

    def test_monthly_quarterly_and_yearly_days(self) -> None:
        calendar = WorkCalendar()
        monthly = Rule(ObligationFrequency.MONTHLY, day=31, due_time=dt.time(9, 30))
        # 31/01 is a Saturday (→ Monday 02/02); February has no 31st (→ 28/02, a Saturday → Monday 02/03).
        self.assertEqual(
            due_instants(monthly, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 1), calendar=calendar),
            [local(2026, 2, 2, 9, 30)],
        )
        quarterly = Rule(ObligationFrequency.QUARTERLY, day=10)
        got = due_instants(quarterly, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), calendar=calendar)
        self.assertEqual([due.month for due in got], [1, 4, 7, 10])
        yearly = Rule(ObligationFrequency.YEARLY, day=15, month=12)
        got = due_instants(yearly, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), calendar=calendar)
        self.assertEqual(got, [local(2026, 12, 15, 17)])

    def test_one_submission_answers_one_due(self) -> None:
        dues = [local(2026, 4, 20, 17), local(2026, 4, 23, 17)]
        late = local(2026, 4, 21, 8)
        judged = judge(dues, [late], now=local(2026, 4, 24, 9), since=local(2026, 4, 16, 17))
        self.assertEqual([d.state for d in judged], [DueState.LATE, DueState.MISSING])
        self.assertEqual(judged[0].submitted_at, late)


class ObligationTest(Personas, TestCase):
    dataset: Dataset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dataset = dataset_make(actor=cls.system_account, owner=cls.agency_a)
        sample_regulation_load(actor=cls.system_account, profile=settings.IOC_PROFILE)

    def oblige(self, **changes: object) -> Obligation:
        params: dict[str, object] = {
            "actor": self.operator,
            "dataset": self.dataset,
            "agency": self.agency_a,
            "frequency": ObligationFrequency.TEMPLATE,
            "starts_on": dt.date(2026, 4, 18),
        }
        params.update(changes)
        return services.obligation_set(**params)  # type: ignore[arg-type]

    def send_at(self, moment: dt.datetime, code: str) -> None:
        with frozen(moment):
            services.submission_ingest(
                actor=self.officer_a,
                dataset=self.dataset,
                agency=self.agency_a,
                channel=Channel.PUSH,
                rows=[facility(code)],
            )

    def week(self, obligation: Obligation, now: dt.datetime) -> list[tuple[dt.datetime, str]]:
        status = selectors.obligation_status(
            obligation=obligation, start=dt.date(2026, 4, 20), end=dt.date(2026, 4, 26), now=now
        )
        return [(due.at, due.state) for due in status.dues]

    def test_a_week_monday_on_time_thursday_moved_by_a_day_off_and_answered_at_23_30(self) -> None:
        obligation = self.oblige()  # template: the profile's cadence, Monday and Thursday
        self.assertEqual(obligation.due_time, dt.time(17, 0))
        worktime_services.calendar_exception_add(
            actor=self.admin, day=dt.date(2026, 4, 23), kind=ExceptionKind.DAY_OFF, name="Nghỉ bù", document_ref="1"
        )
        self.send_at(local(2026, 4, 20, 16, 59), "CS01")  # Monday, before 17:00: on time
        self.send_at(local(2026, 4, 24, 23, 30), "CS02")  # Friday (Thursday's due moved), 23:30: late
        monday, friday = local(2026, 4, 20, 17), local(2026, 4, 24, 17)
        self.assertEqual(self.week(obligation, local(2026, 4, 24, 12)), [(monday, "on_time"), (friday, "upcoming")])
        self.assertEqual(self.week(obligation, local(2026, 4, 24, 20)), [(monday, "on_time"), (friday, "missing")])
        self.assertEqual(self.week(obligation, local(2026, 4, 25, 8)), [(monday, "on_time"), (friday, "late")])

    def test_the_compliance_board_ranks_agencies_by_on_time_rate(self) -> None:
        self.oblige()
        self.oblige(agency=self.agency_b)
        self.send_at(local(2026, 4, 20, 10), "CS01")
        self.send_at(local(2026, 4, 23, 10), "CS02")
        board = selectors.compliance_board(user=self.operator, now=local(2026, 4, 24, 9), days=6)
        self.assertEqual([row.agency_id for row in board], [self.agency_a.pk, self.agency_b.pk])
        self.assertEqual((board[0].on_time_rate, board[1].on_time_rate), (1.0, 0.0))
        self.assertEqual(board[1].counts, {"missing": 2})
        mine = selectors.obligations_owed(user=self.officer_b, now=local(2026, 4, 24, 9))
        self.assertEqual([s.obligation.agency_id for s in mine], [self.agency_b.pk])

    def test_reminders_before_and_after_are_sent_once_each(self) -> None:
        obligation = self.oblige(remind_before_hours=24, remind_after_hours=2)
        prefix = f"datahub.obligation:{obligation.pk}:"
        with frozen(local(2026, 4, 20, 9)):
            first = services.obligation_reminders_send()
            again = services.obligation_reminders_send()
        self.assertEqual((first > 0, again), (True, 0))
        self.assertEqual(
            Outbox.objects.filter(dedup_key__startswith=prefix, dedup_key__endswith=":before").count(), first
        )
        with frozen(local(2026, 4, 20, 18)):  # due passed, but not yet 2 hours: nothing
            self.assertEqual(services.obligation_reminders_send(), 0)
        with frozen(local(2026, 4, 20, 19, 30)):
            chased = services.obligation_reminders_send()
            self.assertEqual(services.obligation_reminders_send(), 0)
        self.assertGreater(chased, 0)
        row = Outbox.objects.filter(dedup_key__endswith=":after").first()
        assert row is not None
        self.assertIn("17:00 20/04/2026", row.body)
        self.send_at(local(2026, 4, 22, 9), "CS01")  # Wednesday: answers Monday's due, late
        with frozen(local(2026, 4, 23, 9)):  # so Thursday is still owed: reminded once
            self.assertEqual(services.obligation_reminders_send(), 1)
        self.send_at(local(2026, 4, 23, 10), "CS02")  # Thursday answered on time: no chasing
        with frozen(local(2026, 4, 23, 19, 30)):
            self.assertEqual(services.obligation_reminders_send(), 0)
        with frozen(local(2026, 4, 21, 9)):
            self.assertEqual(selectors.datahub_work_items(user=self.officer_a), [])
            items = selectors.datahub_work_items(user=self.operator)
        self.assertEqual([item["at"] for item in items], [local(2026, 4, 20, 17)])

    def test_bad_input_names_the_field(self) -> None:
        cases: list[tuple[dict[str, object], str]] = [
            ({"frequency": ObligationFrequency.WEEKLY, "weekdays": [1, 8]}, "weekdays"),
            ({"frequency": ObligationFrequency.WEEKLY, "weekdays": []}, "weekdays"),
            ({"weekdays": ["Mon"]}, "weekdays"),
            ({"due_time": "25:00"}, "due_time"),
            ({"due_time": "5 giờ chiều"}, "due_time"),
            ({"frequency": "daily"}, "frequency"),
            ({"frequency": ObligationFrequency.MONTHLY}, "day"),
            ({"frequency": ObligationFrequency.YEARLY, "day": 5, "month": 13}, "month"),
            ({"remind_before_hours": -1}, "remind_before_hours"),
            (
                {"dataset": dataset_make(actor=self.operator, owner=self.agency_b, code="nhap", publish=False)},
                "dataset",
            ),
        ]
        for changes, name in cases:
            with self.subTest(name=name, changes=changes), self.assertRaises(ValidationError) as caught:
                self.oblige(**changes)
            self.assertIn(name, caught.exception.message_dict)
        self.assertFalse(Obligation.objects.exists())
        with self.assertRaises(PermissionDenied):
            self.oblige(actor=self.officer_a)

    def test_set_twice_updates_one_row_and_audits_each(self) -> None:
        self.oblige()
        obligation = self.oblige(frequency=ObligationFrequency.MONTHLY, day=5, due_time="09:30")
        self.assertEqual(Obligation.objects.count(), 1)
        self.assertEqual((obligation.day, obligation.due_time), (5, dt.time(9, 30)))
        actions = list(
            AuditEntry.objects.filter(action__startswith="datahub_obligation.").values_list("action", flat=True)
        )
        self.assertEqual(sorted(actions), ["datahub_obligation.create", "datahub_obligation.update"])


class ObligationPagesTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        dataset = dataset_make(actor=cls.system_account, owner=cls.agency_a)
        for agency in (cls.agency_a, cls.agency_b):
            services.obligation_set(
                actor=cls.operator,
                dataset=dataset,
                agency=agency,
                frequency=ObligationFrequency.WEEKLY,
                weekdays=[1, 2, 3, 4, 5],
                starts_on=dt.date(2020, 1, 1),
            )

    def test_an_officer_sees_what_the_agency_owes_and_only_that(self) -> None:
        self.sign_in(self.client, self.officer_b)
        page = self.client.get(reverse("datahub:owed"))
        self.assertContains(page, "Nghĩa vụ gửi dữ liệu")
        self.assertContains(page, 'data-state="missing"')
        self.assertContains(page, "Cơ sở y tế")
        self.assertNotContains(page, self.agency_a.short_name + " ·")

    def test_the_compliance_board_lists_agencies_for_the_ioc(self) -> None:
        self.sign_in(self.client, self.operator)
        page = self.client.get(reverse("datahub:compliance"))
        self.assertContains(page, "Bảng tuân thủ gửi dữ liệu")
        self.assertContains(page, f'data-agency="{self.agency_a.pk}"')
        self.assertContains(page, f'data-agency="{self.agency_b.pk}"')
        self.assertContains(page, "0%")
        self.assertContains(page, 'data-measure="dung"')  # R1.4: each agency's quality beside its on-time rate

    def test_citizens_are_refused(self) -> None:
        self.sign_in(self.client, self.citizen)
        self.assertEqual(self.client.get(reverse("datahub:compliance")).status_code, 403)


class ObligationEditPageTest(Personas, TestCase):
    dataset: Dataset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dataset = dataset_make(actor=cls.system_account, owner=cls.agency_a)

    def url(self) -> str:
        return reverse("datahub:obligation_edit", kwargs={"dataset": self.dataset.code})

    def test_the_ioc_sets_an_obligation_from_the_dataset_page(self) -> None:
        self.sign_in(self.client, self.operator)
        self.assertContains(self.client.get(reverse("datahub:dataset_detail", args=[self.dataset.code])), self.url())
        data = {"agency": self.agency_b.pk, "frequency": "weekly", "weekdays": ["1", "4"], "due_time": "16:30"}
        data.update(remind_before_hours="24", remind_after_hours="2")
        self.assertRedirects(self.client.post(self.url(), data), self.url())
        obligation = Obligation.objects.get()
        self.assertEqual((obligation.weekdays, obligation.due_time), ([1, 4], dt.time(16, 30)))
        self.assertContains(self.client.get(self.url()), f'data-agency="{self.agency_b.code}"')

    def test_bad_input_is_a_form_error_naming_the_field(self) -> None:
        self.sign_in(self.client, self.operator)
        data = {"agency": self.agency_b.pk, "frequency": "monthly", "due_time": "5pm"}
        data.update(remind_before_hours="24", remind_after_hours="2")
        page = self.client.post(self.url(), data)
        self.assertEqual(page.status_code, 400)
        self.assertEqual(set(page.context["form"].errors), {"due_time", "day"})
        self.assertFalse(Obligation.objects.exists())

    def test_an_officer_is_refused(self) -> None:
        self.sign_in(self.client, self.officer_a)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
