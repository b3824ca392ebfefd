"""R10.4: trainings attended (000:7.3, 003:10.4) recorded from the person's page, bad input a 400 naming the field,
nothing written; a duty handed to someone else from the roster's page — asked by the person on duty, approved or
refused by the IOC leader only."""

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.agencies.models import Agency
from ioc.audit.models import AuditEntry
from ioc.operations import services
from ioc.operations.choices import SwapState
from ioc.operations.models import RosterDuty, RosterShift, ShiftSwap, Staff, Training
from ioc.operations.testing import staff_make


class TrainingPageTest(Personas, TestCase):
    person: Staff

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.person = staff_make(leader=cls.leader, agency=cls.agency_a, name="Nguyễn An", start=dt.date(2025, 1, 1))

    def post(self, **data):
        fields = {f"training-{key}": value for key, value in data.items()}
        return self.client.post(f"/van-hanh/nhan-su/{self.person.pk}/", {"action": "training", **fields})

    def test_the_leader_records_a_training_shown_on_the_page(self):
        self.sign_in(self.client, self.leader)
        answer = self.post(title="Chuyển giao công nghệ IOC", held_on="2025-03-04", hours="16", organiser="VNPT")
        self.assertEqual(answer.status_code, 302)
        training = Training.objects.get(staff=self.person)
        self.assertEqual((training.hours, training.held_on), (16, dt.date(2025, 3, 4)))
        self.assertTrue(AuditEntry.objects.filter(action="training.record").exists())
        self.assertContains(self.client.get(f"/van-hanh/nhan-su/{self.person.pk}/"), "Chuyển giao công nghệ IOC")

    def test_bad_input_names_the_field_and_writes_nothing(self):
        self.sign_in(self.client, self.leader)
        for data, field in (
            ({"title": "", "held_on": "2025-03-04", "hours": "1"}, "title"),
            ({"title": "Tập huấn", "held_on": "2025-13-45", "hours": "1"}, "held_on"),
            ({"title": "Tập huấn", "held_on": "2025-03-04", "hours": "-1"}, "hours"),
            ({"title": "<b>Tập huấn</b>", "held_on": "2025-03-04", "hours": "1"}, "title"),
        ):
            with self.subTest(field=field):
                answer = self.post(**data)
                self.assertEqual(answer.status_code, 400)
                self.assertIn(field, answer.context["training_form"].errors)
        self.assertFalse(Training.objects.exists())

    def test_an_operator_gets_no_form_and_cannot_record(self):
        self.sign_in(self.client, self.operator)
        self.assertNotContains(self.client.get(f"/van-hanh/nhan-su/{self.person.pk}/"), 'value="training"')
        answer = self.post(title="Tập huấn", held_on="2025-03-04", hours="1")
        self.assertEqual(answer.status_code, 400)
        self.assertFalse(Training.objects.exists())


class SwapPageTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Agency.objects.filter(pk=cls.agency_b.pk).update(works_24x7=True)
        cls.agency_b.refresh_from_db()
        start = dt.date(2025, 1, 1)
        cls.chief = staff_make(leader=cls.leader, agency=cls.agency_a, name="Trưởng ca", start=start, is_leader=True)
        cls.mine = staff_make(leader=cls.leader, agency=cls.agency_a, name="Cán bộ", start=start, user=cls.operator)
        month = (timezone.localdate().replace(day=1) + dt.timedelta(days=40)).replace(day=1)  # next month
        cls.roster = services.roster_create(actor=cls.leader, agency=cls.agency_b, month=month)
        cls.shift = RosterShift.objects.filter(roster=cls.roster).order_by("starts_at").first()
        cls.duty = services.roster_duty_add(actor=cls.leader, shift=cls.shift, staff=cls.mine)
        cls.url = f"/van-hanh/lich-truc/{cls.roster.pk}/"

    def ask(self, **extra):
        data = {"action": "swap", "swap-duty": self.duty.pk, "swap-to_staff": self.chief.pk, "swap-reason": "Ốm"}
        return self.client.post(self.url, {**data, **extra})

    def test_asked_by_the_person_on_duty_then_approved_by_the_leader(self):
        self.sign_in(self.client, self.operator)
        self.assertContains(self.client.get(self.url), 'value="swap"')
        self.assertEqual(self.ask().status_code, 302)
        swap = ShiftSwap.objects.get()
        page = self.client.get(self.url)
        self.assertContains(page, f'data-swap="{swap.pk}"')
        self.assertNotContains(page, 'value="swap_decide"')  # the operator does not decide
        refused = self.client.post(self.url, {"action": "swap_decide", "swap": swap.pk, "approve": "1"})
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(ShiftSwap.objects.get().state, SwapState.PENDING)
        self.client.logout()
        self.sign_in(self.client, self.leader)
        answer = self.client.post(self.url, {"action": "swap_decide", "swap": swap.pk, "approve": "1"})
        self.assertEqual(answer.status_code, 302)
        self.assertEqual(RosterDuty.objects.get(pk=self.duty.pk).staff, self.chief)
        self.assertEqual(ShiftSwap.objects.get().state, SwapState.APPROVED)
        self.assertTrue(AuditEntry.objects.filter(action="shift_swap.decide").exists())

    def test_bad_swap_requests_name_the_field(self):
        self.sign_in(self.client, self.operator)
        for extra, field in (
            ({"swap-to_staff": self.mine.pk}, "to_staff"),  # oneself
            ({"swap-reason": ""}, "reason"),
            ({"swap-duty": "999999"}, "duty"),
        ):
            with self.subTest(field=field):
                answer = self.ask(**extra)
                self.assertEqual(answer.status_code, 400)
                self.assertIn(field, answer.context["outcome"].errors)
        self.assertFalse(ShiftSwap.objects.exists())

    def test_someone_elses_duty_is_not_offered(self):
        other = staff_make(leader=self.leader, agency=self.agency_a, name="Người khác", start=dt.date(2025, 1, 1))
        theirs = services.roster_duty_add(actor=self.leader, shift=self.shift, staff=other)
        self.sign_in(self.client, self.operator)
        answer = self.ask(**{"swap-duty": theirs.pk})
        self.assertEqual(answer.status_code, 400)
        self.assertIn("duty", answer.context["outcome"].errors)
