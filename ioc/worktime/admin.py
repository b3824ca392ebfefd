"""Admin of working time: every write goes through the services (DESIGN "Inside every app")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from ioc.common.authed import request_account
from ioc.worktime import services
from ioc.worktime.models import AgencyWorkingHours, CalendarException

if TYPE_CHECKING:  # Django's classes are not subscriptable at run time
    ExceptionFormBase = forms.ModelForm[CalendarException]
    ExceptionAdminBase = admin.ModelAdmin[CalendarException]
    HoursFormBase = forms.ModelForm[AgencyWorkingHours]
    HoursAdminBase = admin.ModelAdmin[AgencyWorkingHours]
else:
    ExceptionFormBase = HoursFormBase = forms.ModelForm
    ExceptionAdminBase = HoursAdminBase = admin.ModelAdmin


class CalendarExceptionForm(ExceptionFormBase):
    class Meta:
        model = CalendarException
        fields = ["date", "kind", "name", "document_ref"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            services.calendar_exception_validate(
                day=data["date"], kind=data["kind"], name=data["name"], document_ref=data["document_ref"]
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return data


@admin.register(CalendarException)
class CalendarExceptionAdmin(ExceptionAdminBase):
    """Added and removed through services; never edited in place."""

    ioc_service_backed = True

    form = CalendarExceptionForm
    list_display = ["date", "kind", "name", "document_ref"]
    list_filter = ["kind"]
    date_hierarchy = "date"

    def has_change_permission(self, request: HttpRequest, obj: CalendarException | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: CalendarException, form: Any, change: bool) -> None:
        created = services.calendar_exception_add(
            actor=request_account(request), day=obj.date, kind=obj.kind, name=obj.name, document_ref=obj.document_ref
        )
        obj.pk = created.pk
        obj.created_at = created.created_at

    def delete_model(self, request: HttpRequest, obj: CalendarException) -> None:
        services.calendar_exception_remove(actor=request_account(request), exception=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarException]) -> None:
        for exception in queryset:
            services.calendar_exception_remove(actor=request_account(request), exception=exception)


class WorkingHoursForm(HoursFormBase):
    class Meta:
        model = AgencyWorkingHours
        fields = ["agency", "morning_start", "morning_end", "afternoon_start", "afternoon_end", "around_the_clock"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            services.working_hours_validate(
                [(data["morning_start"], data["morning_end"]), (data["afternoon_start"], data["afternoon_end"])]
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field, messages)
        return data


@admin.register(AgencyWorkingHours)
class AgencyWorkingHoursAdmin(HoursAdminBase):
    """Set through `agency_working_hours_set`; the row without agency is the default."""

    ioc_service_backed = True

    form = WorkingHoursForm
    list_display = ["__str__", "agency", "around_the_clock"]
    list_select_related = ["agency"]

    def has_delete_permission(self, request: HttpRequest, obj: AgencyWorkingHours | None = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: AgencyWorkingHours | None = None) -> list[str]:
        return ["agency"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: AgencyWorkingHours, form: Any, change: bool) -> None:
        saved = services.agency_working_hours_set(
            actor=request_account(request),
            agency=obj.agency,
            morning_start=obj.morning_start,
            morning_end=obj.morning_end,
            afternoon_start=obj.afternoon_start,
            afternoon_end=obj.afternoon_end,
            around_the_clock=obj.around_the_clock,
        )
        obj.pk = saved.pk
