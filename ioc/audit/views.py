"""The operators' audit page /nhat-ky/ (R7.3). Thin: parse the filters, call the selectors, render."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ioc.audit import selectors
from ioc.audit.forms import AuditFilterForm

PAGE_SIZE = 50


def entry_list(request: HttpRequest) -> HttpResponse:
    """R7.3: filtered, paginated entries with the chain status; bad filters answer 400 with the form errors."""
    form = AuditFilterForm(request.GET)
    valid = form.is_valid()
    filters = form.filters() if valid else selectors.AuditFilters()
    entries = selectors.audit_entry_list(user=request.user, filters=filters)
    page = Paginator(entries if valid else entries.none(), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "status": selectors.audit_chain_status(),
    }
    return render(request, "audit/entry_list.html", context, status=200 if valid else 400)
