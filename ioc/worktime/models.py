"""Working time: calendar exceptions and working hours per agency (R3.3, R4.3)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.worktime.choices import ExceptionKind

DEFAULT_MORNING = (dt.time(7, 30), dt.time(11, 30))
DEFAULT_AFTERNOON = (dt.time(13, 30), dt.time(17, 0))


class CalendarException(models.Model):
    """R3.3, R4.3: an extra day off or a compensatory working day on top of the statutory holidays."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=ExceptionKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    document_ref = models.CharField(
        _("văn bản"), max_length=200, help_text=_("Số, ngày văn bản quyết định / Deciding document")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ngày ngoại lệ")
        verbose_name_plural = _("ngày ngoại lệ")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.name}"


class AgencyWorkingHours(models.Model):
    """R3.3, R4.3: an agency's working periods (the row without agency is the default), or 24/7."""

    agency = models.OneToOneField(
        "agencies.Agency", models.CASCADE, null=True, blank=True, related_name="working_hours"
    )
    morning_start = models.TimeField(_("sáng bắt đầu"), default=DEFAULT_MORNING[0])
    morning_end = models.TimeField(_("sáng kết thúc"), default=DEFAULT_MORNING[1])
    afternoon_start = models.TimeField(_("chiều bắt đầu"), default=DEFAULT_AFTERNOON[0])
    afternoon_end = models.TimeField(_("chiều kết thúc"), default=DEFAULT_AFTERNOON[1])
    around_the_clock = models.BooleanField(_("làm việc 24/7"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")
        constraints = [
            # One row per agency and a single default row (agency NULL counts as 0).
            models.UniqueConstraint(Coalesce("agency", Value(0)), name="worktime_hours_one_per_agency"),
        ]

    def __str__(self) -> str:
        who = str(self.agency) if self.agency_id else _("Mặc định / Default")
        if self.around_the_clock:
            return f"{who}: 24/7"
        return (
            f"{who}: {self.morning_start:%H:%M}–{self.morning_end:%H:%M}, "
            f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"
        )
