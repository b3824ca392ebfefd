"""Read-only admin of the shift handovers (R7.1): they change only through `ioc.duty.services`."""

from __future__ import annotations

from django.contrib import admin

from ioc.common.admin import ReadOnlyAdminMixin
from ioc.duty.models import Handover


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Handover]):
    list_display = ("shift_date", "shift", "author", "written_at", "open_count", "acknowledged_at")
    list_filter = ("shift",)
