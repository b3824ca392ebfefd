"""R1.6: both sharing workflows through the services — default sharing set up within 2 working days, sharing on
request approved with a scoped, time-limited grant or refused in writing; refusals write nothing."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.datahub.choices import SharingMode
from ioc.notifications.models import Outbox
from ioc.sharing import selectors, services
from ioc.sharing.choices import RequestStatus
from ioc.sharing.models import AccessRequest, Grant
from ioc.sharing.testing import pending, shared_dataset
from ioc.worktime.selectors import calendar_for, working_hours_between

FIELDS = ["ma_co_so", "ten_co_so", "so_giuong"]


class WorkflowTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.default = shared_dataset(actor=cls.admin, owner=cls.agency_b, officer=cls.officer_b)
        cls.specific = shared_dataset(
            actor=cls.admin, owner=cls.agency_b, officer=cls.officer_b, code="theo-yeu-cau", mode=SharingMode.ON_REQUEST
        )

    def test_default_sharing_is_due_in_two_working_days_and_the_owner_is_told(self):
        request = pending(requester=self.officer_a, dataset=self.default, fields=FIELDS)
        hours = working_hours_between(
            start=request.submitted_at, end=request.due_at, calendar=calendar_for(agency=self.agency_b)
        )
        self.assertAlmostEqual(hours, 2 * calendar_for(agency=self.agency_b).hours_per_day, places=3)
        self.assertEqual(request.mode, SharingMode.DEFAULT)
        self.assertTrue(Outbox.objects.filter(dedup_key=f"sharing.submitted:{request.pk}").exists())
        self.assertTrue(AuditEntry.objects.filter(action="access_request.submit", object_id=str(request.pk)).exists())

    def test_sharing_on_request_is_due_in_five_working_days(self):
        request = pending(requester=self.officer_a, dataset=self.specific, fields=FIELDS)
        hours = working_hours_between(
            start=request.submitted_at, end=request.due_at, calendar=calendar_for(agency=self.agency_b)
        )
        self.assertAlmostEqual(hours, 5 * calendar_for(agency=self.agency_b).hours_per_day, places=3)

    def test_the_terms_are_configuration(self):
        services.sharing_terms_set(
            actor=self.leader, setup_working_days=1, response_working_days=3, max_grant_days=90, remind_before_hours=4
        )
        request = pending(requester=self.officer_a, dataset=self.specific, fields=FIELDS)
        hours = working_hours_between(
            start=request.submitted_at, end=request.due_at, calendar=calendar_for(agency=self.agency_b)
        )
        self.assertAlmostEqual(hours, 3 * calendar_for(agency=self.agency_b).hours_per_day, places=3)
        with self.assertRaises(PermissionDenied):
            services.sharing_terms_set(
                actor=self.officer_a,
                setup_working_days=1,
                response_working_days=3,
                max_grant_days=9,
                remind_before_hours=1,
            )
        with self.assertRaises(ValidationError) as caught:
            services.sharing_terms_set(
                actor=self.leader,
                setup_working_days=0,
                response_working_days=3,
                max_grant_days=9,
                remind_before_hours=1,
            )
        self.assertIn("setup_working_days", caught.exception.message_dict)

    def test_a_request_on_request_needs_fields_purpose_and_legal_basis_and_writes_nothing_without(self):
        with self.assertRaises(ValidationError) as caught:
            services.access_request_submit(
                actor=self.officer_a, dataset=self.specific, fields=["khong_co"], purpose=" ", legal_basis=""
            )
        self.assertEqual(set(caught.exception.message_dict), {"fields", "purpose", "legal_basis"})
        self.assertFalse(AccessRequest.objects.exists())

    def test_the_owner_cannot_ask_for_its_own_dataset_and_a_citizen_cannot_ask(self):
        with self.assertRaises(ValidationError) as caught:
            pending(requester=self.officer_b, dataset=self.default, fields=FIELDS)
        self.assertIn("dataset", caught.exception.message_dict)
        with self.assertRaises(PermissionDenied):
            pending(requester=self.citizen, dataset=self.default, fields=FIELDS)

    def test_the_owner_approves_a_narrower_time_limited_grant(self):
        request = pending(requester=self.officer_a, dataset=self.specific, fields=FIELDS)
        expires = timezone.now() + dt.timedelta(days=30)
        grant = services.access_request_approve(
            actor=self.officer_b, request=request, fields=["ma_co_so", "so_giuong"], expires_at=expires
        )
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.APPROVED)
        self.assertEqual(grant.fields, ["ma_co_so", "so_giuong"])
        self.assertEqual(grant.agency, self.agency_a)
        self.assertTrue(Outbox.objects.filter(dedup_key=f"sharing.decided:{request.pk}").exists())
        self.assertEqual(selectors.grant_for_read(user=self.officer_a, dataset=self.specific), grant)

    def test_approval_is_refused_to_others_wider_fields_and_a_long_expiry(self):
        request = pending(requester=self.officer_a, dataset=self.specific, fields=FIELDS)
        soon = timezone.now() + dt.timedelta(days=5)
        with self.assertRaises(PermissionDenied):
            services.access_request_approve(actor=self.officer_a, request=request, expires_at=soon)
        with self.assertRaises(ValidationError) as caught:
            services.access_request_approve(
                actor=self.officer_b,
                request=request,
                fields=[*FIELDS, "cong_suat"],
                expires_at=timezone.now() + dt.timedelta(days=4000),
            )
        self.assertEqual(set(caught.exception.message_dict), {"fields", "expires_at"})
        self.assertFalse(Grant.objects.exists())
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.PENDING)

    def test_the_owner_refuses_in_writing_with_reasons_and_legal_basis(self):
        request = pending(requester=self.officer_a, dataset=self.specific, fields=FIELDS)
        with self.assertRaises(ValidationError) as caught:
            services.access_request_refuse(actor=self.officer_b, request=request, reasons="", legal_basis="")
        self.assertEqual(set(caught.exception.message_dict), {"reasons", "legal_basis"})
        services.access_request_refuse(
            actor=self.officer_b,
            request=request,
            reasons="Dữ liệu có thông tin cá nhân của người bệnh.",
            legal_basis="Khoản 2 Điều 15 Nghị định 47/2020/NĐ-CP",
        )
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.REFUSED)
        self.assertIn("người bệnh", request.refusal_reasons)
        with self.assertRaises(ValidationError):
            services.access_request_approve(
                actor=self.officer_b, request=request, expires_at=timezone.now() + dt.timedelta(days=5)
            )
        self.assertFalse(Grant.objects.exists())

    def test_default_sharing_is_set_up_not_refused(self):
        request = pending(requester=self.officer_a, dataset=self.default, fields=FIELDS)
        with self.assertRaises(ValidationError) as caught:
            services.access_request_refuse(actor=self.officer_b, request=request, reasons="Không", legal_basis="Không")
        self.assertIn("status", caught.exception.message_dict)

    def test_reminders_and_the_overdue_chase_are_sent_once(self):
        request = pending(requester=self.officer_a, dataset=self.specific, fields=FIELDS)
        before_due = request.due_at - dt.timedelta(hours=1)
        self.assertGreater(services.access_request_reminders_send(now=before_due), 0)
        self.assertEqual(services.access_request_reminders_send(now=before_due), 0)
        after_due = request.due_at + dt.timedelta(hours=1)
        self.assertGreater(services.access_request_reminders_send(now=after_due), 0)
        self.assertEqual(services.access_request_reminders_send(now=after_due), 0)
        self.assertTrue(Outbox.objects.filter(dedup_key=f"sharing.overdue:{request.pk}").exists())

    def test_the_owner_and_the_operator_see_work_items(self):
        request = pending(requester=self.officer_a, dataset=self.specific, fields=FIELDS)
        self.assertEqual([i.object_id for i in selectors.sharing_work_items(user=self.officer_b)], [request.pk])
        self.assertEqual(selectors.sharing_work_items(user=self.officer_a), [])
        self.assertEqual(selectors.sharing_work_items(user=self.operator), [])  # not overdue yet
        AccessRequest.objects.filter(pk=request.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
        items = selectors.sharing_work_items(user=self.operator)
        self.assertEqual([(i.object_id, i.state) for i in items], [(request.pk, "overdue")])

    def test_a_grant_is_revoked_by_its_owner_with_a_reason(self):
        request = pending(requester=self.officer_a, dataset=self.specific, fields=FIELDS)
        grant = services.access_request_approve(
            actor=self.officer_b, request=request, expires_at=timezone.now() + dt.timedelta(days=9)
        )
        with self.assertRaises(PermissionDenied):
            services.grant_revoke(actor=self.officer_a, grant=grant, reason="x")
        with self.assertRaises(ValidationError):
            services.grant_revoke(actor=self.officer_b, grant=grant, reason="")
        services.grant_revoke(actor=self.officer_b, grant=grant, reason="Hết nhu cầu")
        refusal = selectors.grant_for_read(user=self.officer_a, dataset=self.specific)
        self.assertIsInstance(refusal, selectors.GrantRefusal)
        assert isinstance(refusal, selectors.GrantRefusal)
        self.assertEqual(refusal.code, "grant_revoked")
