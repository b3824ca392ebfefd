"""R7.3: the AuditEntry admin is read-only; administrators, operators and leaders may view it."""

from django.contrib import admin
from django.test import RequestFactory, TestCase

from ioc.accounts.choices import Role
from ioc.audit.models import AuditEntry
from ioc.audit.services import audit_record
from ioc.audit.tests.support import make_user


class AuditAdminTest(TestCase):
    def setUp(self):
        self.model_admin = admin.site._registry[AuditEntry]
        self.request = RequestFactory().get("/admin/audit/auditentry/")

    def test_it_allows_no_add_change_or_delete_even_to_an_administrator(self):
        self.request.user = make_user("quan.tri", Role.SYSTEM_ADMIN)
        entry = audit_record(actor=None, action="thing.create")
        self.assertFalse(self.model_admin.has_add_permission(self.request))
        self.assertFalse(self.model_admin.has_change_permission(self.request, entry))
        self.assertFalse(self.model_admin.has_delete_permission(self.request, entry))
        self.assertTrue(self.model_admin.has_view_permission(self.request, entry))
        self.assertIn("changes", self.model_admin.get_readonly_fields(self.request, entry))

    def test_it_hides_the_trail_from_an_agency_officer(self):
        self.request.user = make_user("can.bo", Role.AGENCY_OFFICER)
        self.assertFalse(self.model_admin.has_view_permission(self.request))
        self.assertFalse(self.model_admin.has_module_permission(self.request))
