"""Kinds of calendar exceptions (R3.3, R4.3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExceptionKind(models.TextChoices):
    """An administrator-decided change to the national calendar, citing the document that decides it."""

    DAY_OFF = "day_off", _("Ngày nghỉ bổ sung / Extra day off")
    WORKING_DAY = "working_day", _("Ngày làm bù / Compensatory working day")
