"""Reference reads of the configuration pages (R3.2, R3.3; issue 8): categories and routing rules (no scope)."""

from __future__ import annotations

from django.db.models import QuerySet

from ioc.citizen_reports.models import Category, RoutingRule
from ioc.citizen_reports.selectors._base import UNIT_GEOMETRY
from ioc.common.refcache import RefCache


def category_list(*, active_only: bool = True) -> QuerySet[Category]:
    """R3.2: categories (reference data, no scope), by name."""
    qs = Category.objects.select_related("default_agency").order_by("name")
    return qs.filter(is_active=True) if active_only else qs


# Categories by code, kept per process (every Open311 POST asks): `services.config` calls `changed()`.
CATEGORIES: RefCache[Category | None] = RefCache("citizen_reports.categories")


def category_get(*, code: str, active_only: bool = True) -> Category | None:
    """R3.2: one category by its code, as this process last loaded it (a change is seen within seconds:
    `ioc.common.refcache`). Read it, never change it: it is shared between threads."""
    code = str(code or "").strip()

    def load() -> Category | None:
        qs = Category.objects.filter(code=code)
        found = list((qs.filter(is_active=True) if active_only else qs)[:1])
        return found[0] if found else None

    return CATEGORIES.get((code, active_only), load)


def routing_rule_list(*, category: Category | None = None) -> QuerySet[RoutingRule]:
    qs = (
        RoutingRule.objects.select_related("category", "unit", "agency")
        .defer(UNIT_GEOMETRY)
        .order_by("category__name", "unit__code")
    )
    return qs.filter(category=category) if category is not None else qs


# --- configuration pages (issue 8: categories and routing rules) ----------------------------------------------


def category_by_pk(*, pk: int) -> Category | None:
    """R3.2: one category by id, retired ones included (the configuration pages edit both)."""
    return Category.objects.select_related("default_agency").filter(pk=pk).first()


def routing_rule_get(*, pk: int) -> RoutingRule | None:
    """R3.3: one routing rule by id (the configuration page removes it)."""
    return routing_rule_list().filter(pk=pk).first()
