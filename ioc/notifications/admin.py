"""Admin of notifications: the outbox is read-only; a failed, dead or not-sent row is resent through a service."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ioc.common.admin import ReadOnlyAdminMixin
from ioc.common.authed import request_account
from ioc.notifications import services
from ioc.notifications.models import NotificationPreference, Outbox

if TYPE_CHECKING:  # Django's admin is not subscriptable at run time
    OutboxAdminBase = admin.ModelAdmin[Outbox]
    PreferenceAdminBase = admin.ModelAdmin[NotificationPreference]
else:
    OutboxAdminBase = PreferenceAdminBase = admin.ModelAdmin


@admin.register(Outbox)
class OutboxAdmin(ReadOnlyAdminMixin, OutboxAdminBase):
    list_display = [
        "created_at",
        "event",
        "channel",
        "recipient_address",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]
    list_filter = ["state", "channel", "urgent"]
    search_fields = ["event", "dedup_key", "recipient_address", "delivery_id"]
    date_hierarchy = "created_at"
    actions = ["requeue"]

    @admin.action(description=_("Gửi lại / Resend"), permissions=["view"])
    def requeue(self, request: HttpRequest, queryset: QuerySet[Outbox]) -> None:
        done = 0
        for row in queryset:
            try:
                services.outbox_requeue(actor=request_account(request), outbox=row)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{row}: {'; '.join(exc.messages)}", messages.WARNING)
        self.message_user(request, _("Đã xếp lại %(n)d thư / %(n)d messages requeued") % {"n": done})


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdminMixin, PreferenceAdminBase):
    list_display = ["user", "email_enabled", "sms_enabled", "language", "quiet_start", "quiet_end"]
    search_fields = ["user__username", "user__full_name"]
