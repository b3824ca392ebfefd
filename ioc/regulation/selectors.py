"""Reads of the regulation (R11, "Quy chế"): what the deployment's act sets, for domain apps and the web page.

The act is the deployment's own (`settings.IOC_PROFILE`, or `profile=` to name one): reference data every staff
member may read, so no user scope applies. Each read answers empty (or None) before the act is loaded, so a
domain app falls back to its defaults: the data hub reads `template_cadence()` (Bà Rịa - Vũng Tàu: [1, 4],
Monday and Thursday), reporting `report_calendar()`, the operations room `monitored_domains()`, scenarios
`monitored_domains(kind="scenario_kind")`.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from ioc.regulation.choices import DomainKind
from ioc.regulation.models import (
    Act,
    Allowance,
    Article,
    Duty,
    MonitoredDomain,
    ReportCalendarEntry,
    ReviewMeeting,
    StaffPosition,
    TemplateCadence,
)

__all__ = [
    "act_current",
    "allowances",
    "articles",
    "duties",
    "monitored_domains",
    "report_calendar",
    "review_meetings",
    "staffing",
    "template_cadence",
    "template_cadence_entries",
]


def act_current(*, profile: str | None = None) -> Act | None:
    """R11: the act of the deployment's profile (`IOC_PROFILE`), None before it is loaded."""
    return Act.objects.filter(profile=profile or settings.IOC_PROFILE).first()


def _act_id(profile: str | None) -> QuerySet[Act, int]:
    return Act.objects.filter(profile=profile or settings.IOC_PROFILE).values_list("pk", flat=True)


def articles(*, profile: str | None = None) -> QuerySet[Article]:
    """The act's articles by number (number, title, excerpt, clauses)."""
    return Article.objects.filter(act__in=_act_id(profile)).order_by("number")


def duties(*, profile: str | None = None) -> QuerySet[Duty]:
    """R11: the act's duties in the act's order, each with its article (`source`, `article`), who carries it
    (`responsible`, an agency code) and what carries it out (`carried_out_by`: `url:<name>`, `api:<path>`,
    `task:<name>` or empty)."""
    return Duty.objects.filter(act__in=_act_id(profile)).select_related("article").order_by("position")


def monitored_domains(*, kind: str | None = DomainKind.DOMAIN, profile: str | None = None) -> QuerySet[MonitoredDomain]:
    """R11: the domains the act has the IOC monitor (`code`, `name`, `source`); `kind="data_group"` or
    `"scenario_kind"` for Hưng Yên's data groups and scenario kinds, `kind=None` for all."""
    rows = MonitoredDomain.objects.filter(act__in=_act_id(profile)).select_related("article")
    return (rows.filter(kind=kind) if kind is not None else rows).order_by("position")


def report_calendar(*, profile: str | None = None) -> QuerySet[ReportCalendarEntry]:
    """R11, R8: the periodic reports (`frequency` from `choices.Frequency`, `recipient`, `due_day` or None,
    `due_rule`): Lộc Ninh's monthly report before the 25th, Quảng Nam's quarterly report to the UBND…"""
    return ReportCalendarEntry.objects.filter(act__in=_act_id(profile)).select_related("article").order_by("position")


def template_cadence_entries(*, profile: str | None = None) -> QuerySet[TemplateCadence]:
    return TemplateCadence.objects.filter(act__in=_act_id(profile)).select_related("article").order_by("position")


def template_cadence(*, profile: str | None = None) -> list[int]:
    """R11, R1.2: the ISO weekdays (1 = Monday) agencies send data by template; [] when the act sets none."""
    days: set[int] = set()
    for entry in template_cadence_entries(profile=profile):
        days.update(int(day) for day in entry.weekdays)
    return sorted(days)


def review_meetings(*, profile: str | None = None) -> QuerySet[ReviewMeeting]:
    """R11: the review meetings (`frequency`, `organiser`)."""
    return ReviewMeeting.objects.filter(act__in=_act_id(profile)).select_related("article").order_by("position")


def allowances(*, profile: str | None = None) -> QuerySet[Allowance]:
    """R11: the staff allowances (`beneficiary`, `amount_vnd` per `period`)."""
    return Allowance.objects.filter(act__in=_act_id(profile)).select_related("article").order_by("position")


def staffing(*, profile: str | None = None) -> QuerySet[StaffPosition]:
    """R11, R10: the center's staffing (`title`, `count`, `provided_by`)."""
    return StaffPosition.objects.filter(act__in=_act_id(profile)).select_related("article").order_by("position")
