"""Agency pages for staff (R1.1, R7.1): the list with act roles, citations and systems."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ioc.agencies import selectors
from ioc.agencies.choices import ActRole

PAGE_SIZE = 50


def agency_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    if role not in ActRole.values:
        role = ""
    page = Paginator(selectors.agency_list(search=search, role=role), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "agencies/agency_list.html",
        {"page": page, "search": search, "role": role, "roles": ActRole.choices},
    )
