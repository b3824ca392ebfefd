"""R10.4: reads of the allowance rules and sheets in the user's scope (the IOC leader, the managing body and the
operators see all; an agency's members see their agency's sheets), and the yearly estimate for the budget plan."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from ioc.accounts.selectors import scope_filter, user_scope
from ioc.agencies.models import Agency
from ioc.operations import permissions
from ioc.operations.allowance_calc import Span, line_amount
from ioc.operations.choices import Proration, WorkPlace
from ioc.operations.models import AllowanceLine, AllowanceRule, AllowanceSheet, Posting


def allowance_rules() -> list[AllowanceRule]:
    """R10.4: the rule of each work place (the missing ones are "chưa quy định")."""
    return list(AllowanceRule.objects.select_related("allowance", "allowance__article").order_by("work_place"))


def _scoped(user: Any) -> QuerySet[AllowanceSheet]:
    qs = AllowanceSheet.objects.select_related("paying_agency", "approved_by", "prepared_by")
    if permissions.sees_everything(user):
        return qs
    return scope_filter(qs, scope=user_scope(user=user), agency_field="paying_agency")


def sheet_list(*, user: Any, month: dt.date | None = None) -> QuerySet[AllowanceSheet]:
    qs = _scoped(user)
    return qs.filter(month=month.replace(day=1)) if month is not None else qs


def sheet_get_for(*, user: Any, pk: int) -> AllowanceSheet:
    found = _scoped(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def sheet_lines(*, sheet: AllowanceSheet) -> QuerySet[AllowanceLine]:
    return AllowanceLine.objects.filter(sheet=sheet).order_by("full_name", "pk")


def can_approve(*, user: Any) -> bool:
    return permissions.is_managing_member(user)


@dataclass(frozen=True)
class Estimate:
    """R10.4 (003:11.5): a paying agency's allowances by month of a year, from the postings known today."""

    agency: Agency
    months: list[int]
    unset_people: int

    @property
    def total(self) -> int:
        return sum(self.months)


def _rate(rule: AllowanceRule | None) -> int | None:
    return rule.allowance.amount_vnd if rule is not None and rule.allowance is not None else None


def allowance_estimate(*, user: Any, year: int) -> list[Estimate]:
    """R10.4: the yearly estimate for the budget plan, per paying agency in the user's scope (open postings are
    assumed to run to the year's end; "chưa quy định" rates count nothing and are counted apart)."""
    rules = {r.work_place: r for r in AllowanceRule.objects.select_related("allowance")}
    rates = {p: _rate(rules.get(p)) for p in WorkPlace.values}
    proration = next((r.proration for r in rules.values()), Proration.NONE)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    postings = Posting.objects.filter(starts_on__lte=last).exclude(ends_on__lt=first)
    if not permissions.sees_everything(user):
        scope = user_scope(user=user)
        postings = scope_filter(postings, scope=scope, agency_field="staff__home_agency")
    spans: dict[tuple[int, int], list[Span]] = defaultdict(list)
    for staff_id, agency_id, place, starts, ends in postings.values_list(
        "staff_id", "staff__home_agency_id", "work_place", "starts_on", "ends_on"
    ):
        spans[(agency_id, staff_id)].append((place, starts, ends))
    totals: dict[int, list[int]] = defaultdict(lambda: [0] * 12)
    unset: dict[int, set[int]] = defaultdict(set)
    for (agency_id, staff_id), person in spans.items():
        for month in range(12):
            computed = line_amount(person, dt.date(year, month + 1, 1), rates, proration)
            if computed is None:
                continue
            if computed.amount_vnd is None:
                unset[agency_id].add(staff_id)
            totals[agency_id][month] += computed.amount_vnd or 0
    agencies = Agency.objects.in_bulk(list(totals))
    rows = [Estimate(agencies[a], totals[a], len(unset[a])) for a in totals]
    return sorted(rows, key=lambda row: row.agency.name)
