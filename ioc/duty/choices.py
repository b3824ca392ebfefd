"""R7.1 (issue 20): the IOC's 24/7 duty shifts (three of eight hours, Asia/Ho_Chi_Minh)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from ioc.worktime.selectors import LOCAL_TZ


class Shift(models.TextChoices):
    MORNING = "ca1", _("Ca 1 (06:00–14:00)")
    AFTERNOON = "ca2", _("Ca 2 (14:00–22:00)")
    NIGHT = "ca3", _("Ca 3 (22:00–06:00)")


def shift_of(moment: dt.datetime) -> tuple[dt.date, Shift]:
    """The shift `moment` falls in and the day it started (a night shift after midnight began the day before)."""
    local = moment.astimezone(LOCAL_TZ)
    if 6 <= local.hour < 14:
        return local.date(), Shift.MORNING
    if 14 <= local.hour < 22:
        return local.date(), Shift.AFTERNOON
    start = local.date() if local.hour >= 22 else local.date() - dt.timedelta(days=1)
    return start, Shift.NIGHT
