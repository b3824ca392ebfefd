"""Read-only admin of the data hub (DESIGN: the admin never writes behind the services' back)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from ioc.common.admin import ReadOnlyAdminMixin
from ioc.datahub.models import Connector, ConnectorRun, Dataset, Obligation, Submission

if TYPE_CHECKING:  # Django's admin is not subscriptable at run time
    DatasetAdminBase = admin.ModelAdmin[Dataset]
    SubmissionAdminBase = admin.ModelAdmin[Submission]
    ObligationAdminBase = admin.ModelAdmin[Obligation]
    ConnectorAdminBase = admin.ModelAdmin[Connector]
    ConnectorRunAdminBase = admin.ModelAdmin[ConnectorRun]
else:
    DatasetAdminBase = SubmissionAdminBase = ObligationAdminBase = admin.ModelAdmin
    ConnectorAdminBase = ConnectorRunAdminBase = admin.ModelAdmin


@admin.register(Dataset)
class DatasetAdmin(ReadOnlyAdminMixin, DatasetAdminBase):
    list_display = ["code", "name", "owner", "frequency", "sensitivity", "sharing_mode", "status"]
    list_filter = ["status", "frequency", "sensitivity", "sharing_mode"]
    search_fields = ["code", "name"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdminMixin, SubmissionAdminBase):
    list_display = ["pk", "dataset", "agency", "channel", "received_at", "period", "status", "rows_total"]
    list_filter = ["status", "channel"]
    exclude = ["errors", "quality"]


@admin.register(Obligation)
class ObligationAdmin(ReadOnlyAdminMixin, ObligationAdminBase):
    list_display = ["dataset", "agency", "frequency", "weekdays", "day", "month", "due_time", "is_active"]
    list_filter = ["frequency", "is_active"]


@admin.register(Connector)
class ConnectorAdmin(ReadOnlyAdminMixin, ConnectorAdminBase):
    list_display = ["dataset", "method", "url", "interval_minutes", "is_active", "next_run_at", "failures"]
    list_filter = ["is_active", "fmt"]
    exclude = ["auth_secret"]


@admin.register(ConnectorRun)
class ConnectorRunAdmin(ReadOnlyAdminMixin, ConnectorRunAdminBase):
    list_display = ["connector", "started_at", "status", "http_status", "rows", "duration_ms"]
    list_filter = ["status"]
