"""R7.1 (issue 20): the shift handover — written at the end of a duty with a snapshot of the open work, shown
first to the next shift on the operator's home until one of them acknowledges it; audited; bad input and
refused actors write nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from ioc.accounts.models import User
from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.common.testing import local
from ioc.common.workitems import WorkItem
from ioc.duty import selectors, services
from ioc.duty.choices import Shift, shift_of
from ioc.duty.models import Handover
from ioc.duty.tests.support import next_operator, signed_in

ITEM = WorkItem(
    source="incidents",
    kind="verify",
    title="Xác minh cảnh báo: Cháy kho",
    url="/canh-bao/#alert-1",
    severity=5,
    code="CB-000001",
)


class ShiftTest(TestCase):
    def test_the_three_shifts(self) -> None:
        self.assertEqual(shift_of(local(2026, 4, 20, 6, 0)), (local(2026, 4, 20).date(), Shift.MORNING))
        self.assertEqual(shift_of(local(2026, 4, 20, 21, 59)), (local(2026, 4, 20).date(), Shift.AFTERNOON))
        self.assertEqual(shift_of(local(2026, 4, 20, 23, 0)), (local(2026, 4, 20).date(), Shift.NIGHT))
        self.assertEqual(shift_of(local(2026, 4, 21, 5, 30)), (local(2026, 4, 20).date(), Shift.NIGHT))


class HandoverServiceTest(Personas, TestCase):
    next_operator: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.next_operator = next_operator(cls.admin)

    def write(self, **fields: object) -> Handover:
        values: dict[str, object] = {"actor": self.operator, "happened": "Cháy kho lúc 23:10, đã điều động PCCC."}
        values.update(fields)
        return services.handover_write(**values)  # type: ignore[arg-type]

    def test_write_snapshots_the_open_work_and_is_audited(self) -> None:
        handover = self.write(next_steps="Theo dõi CB-000001", open_items=[ITEM], now=local(2026, 4, 21, 5, 50))
        self.assertEqual((handover.shift, handover.shift_date), (Shift.NIGHT, local(2026, 4, 20).date()))
        self.assertEqual(handover.open_count, 1)
        self.assertEqual(handover.open_items[0]["code"], "CB-000001")
        self.assertEqual(handover.open_items[0]["severity"], 5)
        entry = AuditEntry.objects.get(action="handover.write")
        self.assertEqual((entry.actor_id, entry.object_id), (self.operator.pk, str(handover.pk)))

    def test_the_next_shift_sees_it_until_acknowledged(self) -> None:
        handover = self.write()
        self.assertIsNone(selectors.handover_pending(user=self.operator))  # not one's own
        self.assertEqual(selectors.handover_pending(user=self.next_operator), handover)
        self.assertIsNone(selectors.handover_pending(user=self.leader))  # leaders read, they do not take the duty
        services.handover_acknowledge(handover=handover, actor=self.next_operator)
        self.assertIsNone(selectors.handover_pending(user=self.next_operator))
        handover.refresh_from_db()
        self.assertEqual(handover.acknowledged_by_id, self.next_operator.pk)
        self.assertTrue(AuditEntry.objects.filter(action="handover.acknowledge", actor=self.next_operator).exists())

    def test_refused_acknowledgements_write_nothing(self) -> None:
        handover = self.write()
        with self.assertRaises(ValidationError) as own:
            services.handover_acknowledge(handover=handover, actor=self.operator)
        self.assertIn("acknowledged_by", own.exception.message_dict)
        with self.assertRaises(PermissionDenied):
            services.handover_acknowledge(handover=handover, actor=self.officer_a)
        services.handover_acknowledge(handover=handover, actor=self.next_operator)
        with self.assertRaises(ValidationError) as twice:
            services.handover_acknowledge(handover=handover, actor=self.next_operator)
        self.assertIn("acknowledged_at", twice.exception.message_dict)
        self.assertEqual(AuditEntry.objects.filter(action="handover.acknowledge").count(), 1)

    def test_bad_input_names_the_field_and_writes_nothing(self) -> None:
        cases: list[tuple[dict[str, object], str]] = [
            ({"happened": "   "}, "happened"),
            ({"happened": "x" * (services.TEXT_MAX + 1)}, "happened"),
            ({"happened": "<script>alert(1)</script>"}, "happened"),
            ({"next_steps": "<b>gấp</b>"}, "next_steps"),
        ]
        for fields, field in cases:
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                self.write(**fields)
            self.assertIn(field, caught.exception.message_dict)
        for actor in (self.leader, self.officer_a, self.citizen):
            with self.subTest(actor=actor.username), self.assertRaises(PermissionDenied):
                self.write(actor=actor)
        self.assertFalse(Handover.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action="handover.write").exists())


class HandoverPagesTest(Personas, TestCase):
    next_operator: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.next_operator = next_operator(cls.admin)

    def test_written_on_the_page_it_reaches_the_next_shifts_home_first(self) -> None:
        client = signed_in(self.operator)
        self.assertEqual(client.get("/truc-ban/ban-giao/").status_code, 200)
        response = client.post("/truc-ban/ban-giao/", {"happened": "Ngập nhẹ tại phường 3.", "next_steps": ""})
        self.assertRedirects(response, "/truc-ban/", fetch_redirect_response=False)
        handover = Handover.objects.get()
        self.assertNotIn('id="handover-pending"', client.get("/").content.decode())
        other = signed_in(self.next_operator)
        home = other.get("/").content.decode()
        self.assertIn('id="handover-pending"', home)
        self.assertLess(home.index('id="handover-pending"'), home.index('id="work-queue"'))
        self.assertIn("Ngập nhẹ tại phường 3.", home)
        response = other.post(f"/truc-ban/{handover.pk}/da-nhan/")
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertNotIn('id="handover-pending"', other.get("/").content.decode())
        self.assertEqual(signed_in(self.leader).get(f"/truc-ban/{handover.pk}/").status_code, 200)

    def test_bad_input_is_a_form_error(self) -> None:
        client = signed_in(self.operator)
        for data, field in [({"happened": ""}, "happened"), ({"happened": "<img src=x onerror=1>"}, "happened")]:
            with self.subTest(data=data):
                response = client.post("/truc-ban/ban-giao/", data)
                self.assertEqual(response.status_code, 400)
                self.assertIn(f'data-field="{field}"', response.content.decode())
        self.assertFalse(Handover.objects.exists())

    def test_who_may_write_read_and_acknowledge(self) -> None:
        handover = services.handover_write(actor=self.operator, happened="Yên tĩnh.")
        self.assertEqual(signed_in(self.leader).get("/truc-ban/ban-giao/").status_code, 403)
        self.assertEqual(signed_in(self.officer_a).get("/truc-ban/").status_code, 403)
        self.assertEqual(signed_in(self.officer_a).get(f"/truc-ban/{handover.pk}/").status_code, 403)
        self.assertEqual(signed_in(self.leader).post(f"/truc-ban/{handover.pk}/da-nhan/").status_code, 403)
        own = signed_in(self.operator).post(f"/truc-ban/{handover.pk}/da-nhan/")
        self.assertRedirects(own, f"/truc-ban/{handover.pk}/", fetch_redirect_response=False)
        handover.refresh_from_db()
        self.assertIsNone(handover.acknowledged_at)
