"""R6.1, R7.3: `geo_load` acts as the system account, and says which command to run when it is missing."""

from __future__ import annotations

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone

from ioc.accounts.choices import SYSTEM_USERNAME
from ioc.accounts.models import RoleAssignment
from ioc.accounts.testing import system_actor
from ioc.audit.models import AuditEntry
from ioc.geo.models import AdminUnit


class GeoLoadActorTest(TestCase):
    def test_it_loads_as_the_system_account(self):
        AdminUnit.objects.filter(hierarchy="2025", code="11953").update(name="Tên cũ")
        before = AuditEntry.objects.count()
        call_command("geo_load", "--provinces", "33", "--communes", "11953", "--no-boundaries", stdout=StringIO())
        entries = AuditEntry.objects.order_by("id")[before:]
        self.assertTrue(entries)
        self.assertEqual({(e.action, e.actor_label) for e in entries}, {("geo.units_load", SYSTEM_USERNAME)})
        self.assertEqual({e.actor_id for e in entries}, {system_actor().pk})

    def test_it_names_the_command_to_run_when_the_system_account_is_missing(self):
        RoleAssignment.objects.filter(user__username=SYSTEM_USERNAME).update(revoked_at=timezone.now())
        before = AuditEntry.objects.count()
        with self.assertRaisesMessage(CommandError, "system_account_ensure"):
            call_command("geo_load", "--provinces", "33", "--communes", "11953", stdout=StringIO())
        self.assertEqual(AuditEntry.objects.count(), before)
