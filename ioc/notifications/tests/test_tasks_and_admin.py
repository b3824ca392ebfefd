"""The periodic task sweeps due rows and expired leases; the admin is read-only and resends via a service."""

import datetime as dt

from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.test import RequestFactory, TestCase
from django.utils import timezone

from ioc.audit.models import AuditEntry
from ioc.notifications.admin import OutboxAdmin
from ioc.notifications.choices import Channel, OutboxState
from ioc.notifications.models import Outbox
from ioc.notifications.services import Address, notification_enqueue, outbox_claim
from ioc.notifications.tasks import deliver_due, wake_sender
from ioc.notifications.tests.helpers import make_user


def enqueue(key: str) -> Outbox:
    return notification_enqueue(
        event="test",
        recipients=[Address(Channel.EMAIL, f"{key}@canary.invalid")],
        template="notifications.test",
        context={},
        dedup_key=key,
    )[0]


class TasksTest(TestCase):
    def test_it_delivers_due_rows_and_expired_leases_every_minute(self):
        due = enqueue("due")
        stuck = enqueue("stuck")
        outbox_claim(pk=stuck.pk)  # a sender crashed after claiming
        Outbox.objects.filter(pk=stuck.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
        later = enqueue("later")
        Outbox.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() + dt.timedelta(hours=1))
        self.assertEqual(deliver_due.call_local(), 2)
        states = dict(Outbox.objects.values_list("pk", "state"))
        self.assertEqual(states, {due.pk: OutboxState.SENT, stuck.pk: OutboxState.SENT, later.pk: OutboxState.PENDING})
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["due@canary.invalid", "stuck@canary.invalid"])
        self.assertEqual(wake_sender.call_local(), 0)


class OutboxAdminTest(TestCase):
    def test_it_is_read_only_and_resends_through_the_service(self):
        staff = make_user("quantri", is_staff=True, is_superuser=True)
        request = RequestFactory().post("/admin/")
        request.user = staff
        request.session = SessionStore()
        request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
        model_admin = admin.site._registry[Outbox]
        assert isinstance(model_admin, OutboxAdmin)
        self.assertFalse(model_admin.has_change_permission(request))
        self.assertFalse(model_admin.has_add_permission(request))
        self.assertFalse(model_admin.has_delete_permission(request))
        dead, fresh = enqueue("dead"), enqueue("fresh")
        Outbox.objects.filter(pk=dead.pk).update(state=OutboxState.DEAD, attempts=10)
        with self.captureOnCommitCallbacks(execute=True):
            model_admin.requeue(request, Outbox.objects.filter(pk__in=[dead.pk, fresh.pk]))
        self.assertEqual(Outbox.objects.get(pk=dead.pk).state, OutboxState.SENT)
        entry = AuditEntry.objects.get(action="notification.requeue")
        self.assertEqual((entry.actor, entry.object_id), (staff, str(dead.pk)))
