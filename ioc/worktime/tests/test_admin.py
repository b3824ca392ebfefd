"""The admin of working time writes only through the services (DESIGN "Inside every app")."""

import datetime as dt
from typing import Any

from django.contrib import admin
from django.test import RequestFactory, TestCase

from ioc.accounts.models import User
from ioc.accounts.testing import personas_create
from ioc.audit.models import AuditEntry
from ioc.worktime.choices import ExceptionKind
from ioc.worktime.models import AgencyWorkingHours, CalendarException


class WorktimeAdminTest(TestCase):
    admin_user: User

    @classmethod
    def setUpTestData(cls):
        cls.admin_user = personas_create().admin

    def setUp(self):
        self.request = RequestFactory().post("/admin/")
        self.request.user = self.admin_user
        self.model_admin = admin.site._registry[CalendarException]

    def form(self, **data: Any) -> Any:
        form_class = self.model_admin.get_form(self.request)
        values = {
            "date": "2026-03-07",
            "kind": ExceptionKind.WORKING_DAY,
            "name": "Làm bù",
            "document_ref": "Thông báo 13/TB-UBND",
            **data,
        }
        return form_class(data=values)

    def test_it_adds_an_exception_through_the_service(self):
        form = self.form()
        self.assertTrue(form.is_valid(), form.errors)
        obj = form.save(commit=False)
        self.model_admin.save_model(self.request, obj, form, change=False)
        self.assertEqual(CalendarException.objects.get().pk, obj.pk)
        self.assertEqual(AuditEntry.objects.get(action="calendar_exception.add").actor, self.admin_user)

    def test_it_shows_the_services_reasons_as_form_errors(self):
        form = self.form(date="2026-03-09")
        self.assertFalse(form.is_valid())
        self.assertIn("kind", form.errors)
        form = self.form(document_ref="")
        self.assertFalse(form.is_valid())
        self.assertIn("document_ref", form.errors)

    def test_it_removes_through_the_service_and_never_edits_in_place(self):
        form = self.form()
        self.assertTrue(form.is_valid())
        self.model_admin.save_model(self.request, form.save(commit=False), form, change=False)
        self.assertFalse(self.model_admin.has_change_permission(self.request, CalendarException.objects.get()))
        self.model_admin.delete_queryset(self.request, CalendarException.objects.all())
        self.assertFalse(CalendarException.objects.exists())
        self.assertEqual(AuditEntry.objects.filter(action="calendar_exception.remove").count(), 1)

    def test_it_sets_working_hours_through_the_service(self):
        hours_admin = admin.site._registry[AgencyWorkingHours]
        form_class = hours_admin.get_form(self.request)
        form = form_class(
            data={
                "morning_start": "07:00",
                "morning_end": "11:00",
                "afternoon_start": "10:00",
                "afternoon_end": "16:00",
            }
        )
        self.assertFalse(form.is_valid())
        self.assertIn("afternoon_start", form.errors)
        form = form_class(
            data={
                "morning_start": "07:00",
                "morning_end": "11:00",
                "afternoon_start": "13:00",
                "afternoon_end": "16:00",
            }
        )
        self.assertTrue(form.is_valid(), form.errors)
        hours_admin.save_model(self.request, form.save(commit=False), form, change=False)
        self.assertEqual(AgencyWorkingHours.objects.get(agency=None).morning_start, dt.time(7, 0))
        self.assertTrue(AuditEntry.objects.filter(action="working_hours.set", actor=self.admin_user).exists())
        self.assertFalse(hours_admin.has_delete_permission(self.request))
