"""Reads of working time (R3.3, R4.3): the calendar of an agency and the arithmetic other apps use.

Other apps import from here (DESIGN "Inside every app"): `calendar_for` (or `calendar_cached`, the same kept per
process for hot paths), `WorkCalendar`, `is_working_day`, `next_working_day`, `deadline_add`, `working_hours_between`.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from ioc.agencies.models import Agency
from ioc.common.refcache import RefCache
from ioc.worktime.calendar import (
    DEFAULT_PERIODS,
    LOCAL_TZ,
    WorkCalendar,
    deadline_add,
    is_statutory_working_day,
    is_working_day,
    next_working_day,
    statutory_year,
    working_hours_between,
)
from ioc.worktime.models import AgencyWorkingHours, CalendarException

__all__ = [
    "DEFAULT_PERIODS",
    "LOCAL_TZ",
    "WorkCalendar",
    "around_the_clock_agencies",
    "calendar_cached",
    "calendar_exception_get",
    "calendar_exception_list",
    "calendar_for",
    "deadline_add",
    "is_statutory_working_day",
    "is_working_day",
    "next_working_day",
    "statutory_year",
    "working_hours_between",
    "working_hours_for",
    "working_hours_list",
]


def calendar_exception_list(*, year: int | None = None) -> QuerySet[CalendarException]:
    """The administrator's exceptions, optionally of one year (public reference data, no scope)."""
    qs = CalendarException.objects.order_by("date")
    return qs.filter(date__year=year) if year is not None else qs


def working_hours_for(*, agency: Agency | None = None) -> AgencyWorkingHours | None:
    """The agency's own row, else the default row, else None (built-in defaults apply)."""
    rows = AgencyWorkingHours.objects.filter(agency__isnull=True)
    if agency is not None:
        rows = AgencyWorkingHours.objects.filter(agency=agency) | rows
    found = sorted(rows, key=lambda row: row.agency_id is None)
    return found[0] if found else None


def calendar_for(*, agency: Agency | None = None) -> WorkCalendar:
    """R3.3, R4.3: the calendar deadlines of `agency` count in (two queries; reuse it for many deadlines)."""
    row = working_hours_for(agency=agency)
    around_the_clock = bool(agency is not None and agency.works_24x7) or bool(row and row.around_the_clock)
    periods = DEFAULT_PERIODS
    if row is not None:
        periods = ((row.morning_start, row.morning_end), (row.afternoon_start, row.afternoon_end))
    exceptions: dict[dt.date, str] = dict(CalendarException.objects.values_list("date", "kind"))
    return WorkCalendar(periods=periods, around_the_clock=around_the_clock, exceptions=exceptions)


# Per process: the four services that change working hours or exceptions (services.py) call CALENDARS.changed().
CALENDARS: RefCache[WorkCalendar] = RefCache("worktime.calendars")


def calendar_cached(*, agency: Agency | None = None) -> WorkCalendar:
    """`calendar_for`, kept per process (`common.refcache`), for a path that takes the calendar on every request
    (issue 23 "Speed": the dossiers' push, one event a request). A change made through `services` is seen at once in
    its process and within seconds in the others; the agency's own 24/7 flag is read from `agency` each call.
    Shared between threads: read it, never change it."""
    key = (agency.pk if agency is not None else None, bool(agency is not None and agency.works_24x7))
    return CALENDARS.get(key, lambda: calendar_for(agency=agency))


def calendar_exception_get(*, pk: int) -> CalendarException | None:
    return CalendarException.objects.filter(pk=pk).first()


def working_hours_list() -> list[AgencyWorkingHours]:
    """R3.3, R4.3: the default row first, then each agency's own working hours by agency name."""
    rows = AgencyWorkingHours.objects.select_related("agency").order_by("agency__name")
    return sorted(rows, key=lambda row: row.agency_id is not None)


def around_the_clock_agencies() -> QuerySet[Agency]:
    """R3.3, R4.3: active agencies whose deadlines count 24/7 (the agency's flag or its working-hours row)."""
    return Agency.objects.filter(Q(works_24x7=True) | Q(working_hours__around_the_clock=True), is_active=True).order_by(
        "name"
    )
