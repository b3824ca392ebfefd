"""The "Quy chế" page (R11, issue 9 part 6): the deployment's act, its duties as a checklist, and what it sets.

Each duty links to the screen, API or job that carries it out, or says "chưa có" when that part of the IOC is
not built (its URL name does not resolve, its API path answers nothing, its task is not registered): an honest
map of what the deployment covers. Reads go through the regulation, agencies, worktime and geo selectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ioc.accounts.choices import Role
from ioc.agencies import selectors as agency_selectors
from ioc.agencies.choices import ActRole
from ioc.common.authed import AuthedRequest
from ioc.regulation import selectors as regulation_selectors
from ioc.regulation.choices import DomainKind
from ioc.web import selectors as web_selectors
from ioc.worktime import selectors as worktime_selectors

# Who reads the act's page: IOC staff and leaders, the locality's leaders and the administrator (R11).
REGULATION_ROLES = frozenset({Role.IOC_OPERATOR, Role.IOC_LEADER, Role.PROVINCE_LEADER, Role.SYSTEM_ADMIN})


@dataclass(frozen=True)
class Target:
    """What carries a duty out: its kind (screen, API, job), the link (None for a job) and whether it exists."""

    kind: str
    label: str
    url: str | None
    built: bool


def _task_registered(name: str) -> bool:
    """Whether a Huey task of that name (`escalate_due` or its dotted path) exists in this deployment."""
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    autodiscover_modules("tasks")  # what the consumer loads; cheap once imported
    registry = getattr(HUEY, "_registry", None)
    names = getattr(registry, "_registry", {}) or {}
    return any(key == name or key.endswith(f".{name}") for key in names)


def duty_target(reference: str) -> Target:
    """`url:<url name>`, `api:<path>` or `task:<name>` resolved against this deployment (R11)."""
    kind, _sep, value = (reference or "").partition(":")
    if kind == "url":
        try:
            return Target("screen", _("Màn hình"), reverse(value), True)
        except NoReverseMatch:
            return Target("screen", _("Màn hình"), None, False)
    if kind == "api":
        try:
            resolve(value)
        except Resolver404:
            return Target("api", _("API"), None, False)
        return Target("api", _("API"), value, True)
    if kind == "task":
        return Target("task", _("Tác vụ nền"), None, _task_registered(value))
    return Target("", "", None, False)


def _agency_names() -> dict[str, str]:
    return {agency.code: agency.name for agency in agency_selectors.agency_list()}


def _center_hours() -> list[dict[str, Any]]:
    """R11: the working hours of the agencies the act makes the operating unit (24/7 or office hours)."""
    rows = []
    for agency in agency_selectors.agency_list(role=ActRole.OPERATING):
        calendar = worktime_selectors.calendar_for(agency=agency)
        rows.append({"agency": agency, "around_the_clock": calendar.around_the_clock, "periods": calendar.periods})
    return rows


def regulation_overview(*, profile: str) -> dict[str, Any]:
    """Everything the page shows, read once (a dozen queries whatever the act's size)."""
    names = _agency_names()
    duties: list[dict[str, Any]] = [
        {"duty": duty, "target": duty_target(duty.carried_out_by), "responsible": names.get(duty.responsible, "")}
        for duty in regulation_selectors.duties(profile=profile)
    ]
    domains = list(regulation_selectors.monitored_domains(kind=None, profile=profile))
    return {
        "act": regulation_selectors.act_current(profile=profile),
        "territory": web_selectors.territory_summary(profile=profile),
        "duties": duties,
        "covered": sum(1 for row in duties if row["target"].built),
        "domain_groups": [(label, [d for d in domains if d.kind == kind]) for kind, label in DomainKind.choices],
        "has_domains": bool(domains),
        "reports": list(regulation_selectors.report_calendar(profile=profile)),
        "cadence": list(regulation_selectors.template_cadence_entries(profile=profile)),
        "meetings": list(regulation_selectors.review_meetings(profile=profile)),
        "allowances": [
            (row, f"{row.amount_vnd:,}".replace(",", ".")) for row in regulation_selectors.allowances(profile=profile)
        ],
        "staffing": list(regulation_selectors.staffing(profile=profile)),
        "hours": _center_hours(),
    }


@require_safe
def regulation_page(request: AuthedRequest) -> HttpResponse:
    """R11: the deployment's act as a checklist of duties and what carries each out (IOC staff and leaders)."""
    return render(request, "web/regulation.html", regulation_overview(profile=settings.IOC_PROFILE))
