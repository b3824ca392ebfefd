"""R7.1 (issue 20): the operator's search box — reports, incidents, units and agencies by code and by text
(diacritics-insensitive, `ioc.common.text.fold`), and for IOC operators only, reports by the reporter's phone
(the blind index; every report found is an audited personal-data read).

Each source answers at most `PER_SOURCE` rows through its own selector; nothing here reads a table whole.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from ioc.agencies import selectors as agency_selectors
from ioc.citizen_reports import selectors as report_selectors
from ioc.common.text import fold
from ioc.geo import selectors as geo_selectors
from ioc.incidents import selectors as incident_selectors

PER_SOURCE = 10
# Incident titles carry no folded column: the newest INCIDENT_WINDOW incidents are folded here.
INCIDENT_WINDOW = 2000
# Issue 20 "Speed": the window's titles were folded again on every search (half of a search's CPU at 5,000
# incidents); a title's folded form depends on its text alone, so it is kept per process, bounded, keyed by the text
# (an edited title is a new key). Twice the window: the newest titles stay while older ones fall out.
_fold_title = functools.lru_cache(maxsize=2 * INCIDENT_WINDOW)(fold)
PHONE = re.compile(r"^\+?[\d\s.\-()]{9,20}$")
INCIDENT_REF = re.compile(r"^(?:SC-?)?0*(\d{1,9})$", re.IGNORECASE)


@dataclass(frozen=True)
class Hit:
    """One result: what it is, its code, its label and where it opens."""

    code: str
    label: str
    url: str
    detail: str = ""


@dataclass
class SearchResults:
    query: str
    by_phone: bool = False
    groups: dict[str, list[Hit]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(hits) for hits in self.groups.values())


def looks_like_phone(query: str) -> bool:
    return bool(PHONE.match(query.strip())) and sum(ch.isdigit() for ch in query) >= 9


def search(*, user: Any, query: str) -> SearchResults:
    """R7.1: everything the query finds for `user`; a phone-like query searches reporters' phones (operators
    only: `reports_by_reporter_phone` raises PermissionDenied for anyone else)."""
    text = query.strip()
    if looks_like_phone(text):
        reports = report_selectors.reports_by_reporter_phone(user=user, phone=text)
        return SearchResults(text, True, {"reports": [_report_hit(r) for r in reports]})
    groups = {
        "reports": _reports(user, text),
        "incidents": _incidents(user, text),
        "units": _units(text),
        "agencies": _agencies(text),
    }
    return SearchResults(text, False, {name: hits for name, hits in groups.items() if hits})


def _report_hit(report: Any) -> Hit:
    detail = " · ".join(str(v) for v in (report.category.name, report.unit or "", report.get_status_display()) if v)
    return Hit(report.tracking_code, report.description[:120], report_selectors.staff_url(report.pk), detail)


def _reports(user: Any, text: str) -> list[Hit]:
    """Newest entered first (by id), through the text index (`report_search`: it stops at PER_SOURCE matches)."""
    return [_report_hit(r) for r in report_selectors.report_search(user=user, text=text, limit=PER_SOURCE)]


def _incidents(user: Any, text: str) -> list[Hit]:
    qs = incident_selectors.incident_list(user=user)
    ref = INCIDENT_REF.match(text)
    if ref:
        found = list(qs.filter(pk=int(ref.group(1)))[:1])
    else:
        folded = fold(text)
        window = qs.values_list("pk", "title")[:INCIDENT_WINDOW]
        ids = [pk for pk, title in window if folded in _fold_title(title)][:PER_SOURCE]
        found = list(qs.filter(pk__in=ids))
    return [
        Hit(i.reference, i.title, reverse("incidents:incident_detail", args=[i.pk]), i.get_state_display())
        for i in found
    ]


def _units(text: str) -> list[Hit]:
    """2025 units; a unit opens the queue filtered to it."""
    queue = reverse("web:work_queue")
    units = geo_selectors.unit_list(q=text)[:PER_SOURCE]
    return [Hit(u.code, u.full_name or u.name, f"{queue}?commune={u.pk}", u.get_level_display()) for u in units]


def _agencies(text: str) -> list[Hit]:
    listing = reverse("agencies:list")
    found = agency_selectors.agency_list(search=text).prefetch_related(None)[:PER_SOURCE]  # no act roles shown
    return [Hit(a.code, a.name, f"{listing}?{urlencode({'q': a.code})}") for a in found]
