"""Reads of agencies (R1.1, R7.1). The catalog of agencies is not secret: every staff account may list it."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from ioc.agencies.models import Agency, AgencyActRole, InformationSystem
from ioc.common.refcache import RefCache
from ioc.common.text import fold


def agency_list(*, search: str = "", role: str = "", include_inactive: bool = False) -> QuerySet[Agency]:
    """R1.1: agencies with their act roles and their systems' count, in name order."""
    qs = (
        Agency.objects.select_related("parent", "unit")
        .prefetch_related(Prefetch("act_roles", queryset=AgencyActRole.objects.order_by("role")))
        .annotate(system_count=Count("systems", filter=Q(systems__is_active=True), distinct=True))
        .order_by("search_folded", "code")
    )
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if search:
        qs = qs.filter(search_folded__contains=fold(search))
    if role:
        qs = qs.filter(act_roles__role=role)
    return qs


def agency_choice_list() -> QuerySet[Agency]:
    """The active agencies as a form's choices (id and name, in the order of `agency_list`), without what the
    agencies' own list shows (act roles, systems counted): issue 20 "Speed", the operator's queue filter."""
    return Agency.objects.filter(is_active=True).only("pk", "name").order_by("search_folded", "code")


def agency_get(*, code: str) -> Agency | None:
    return Agency.objects.select_related("parent", "unit").filter(code=code).first()


def agency_by_id(*, agency_id: int) -> Agency | None:
    return Agency.objects.select_related("parent", "unit").filter(pk=agency_id).first()


def information_system_list(*, agency: Agency | None = None) -> QuerySet[InformationSystem]:
    qs = InformationSystem.objects.select_related("agency", "service_user").order_by("agency__name", "name")
    return qs.filter(agency=agency) if agency is not None else qs


# The information system a service account acts for, kept per process (every Open311 POST asks).
SYSTEMS_BY_USER: RefCache[InformationSystem | None] = RefCache("agencies.information_systems")


def information_system_of(*, user_id: int) -> InformationSystem | None:
    """R1.2: the information system whose service account `user_id` is, or None (shared between threads: read it,
    never change it). A change is seen within seconds (`ioc.common.refcache`)."""
    return SYSTEMS_BY_USER.get(user_id, lambda: InformationSystem.objects.filter(service_user_id=user_id).first())


def information_system_get(*, code: str) -> InformationSystem | None:
    return InformationSystem.objects.select_related("agency", "service_user").filter(code=code).first()


def information_system_by_id(*, system_id: int) -> InformationSystem | None:
    return InformationSystem.objects.select_related("agency", "service_user").filter(pk=system_id).first()
