from django.contrib import admin

from ioc.backups.models import BackupRun
from ioc.common.admin import ReadOnlyAdminMixin


@admin.register(BackupRun)
class BackupRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[BackupRun]):
    list_display = ("due_at", "kind", "state", "file_name", "size_bytes", "attempts", "finished_at")
    list_filter = ("kind", "state")
