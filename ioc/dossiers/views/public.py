"""Citizens' lookup page under /ho-so/tra-cuu/ (R5.3, 004:6.4): public, phone-sized, POST (the number never
goes into a URL), rate-limited, one answer for a wrong code and a wrong number."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ioc.dossiers import selectors
from ioc.dossiers.forms.public import LookupForm
from ioc.dossiers.lookup import LOOKUP_NOT_FOUND, lookup_rate_hit

TEMPLATE = "dossiers/public/lookup.html"


def public_lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST if request.method == "POST" else None)
    if not form.is_bound:
        return render(request, TEMPLATE, {"form": form})
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400)
    decision = lookup_rate_hit(request=request, code=form.cleaned_data["code"])
    if not decision.allowed:
        context = {"form": form, "retry_after": decision.retry_after}
        response = render(request, TEMPLATE, context, status=429)
        response["Retry-After"] = str(decision.retry_after)
        return response
    found = selectors.dossier_lookup(**form.cleaned_data)
    if found is None:
        return render(request, TEMPLATE, {"form": form, "not_found": LOOKUP_NOT_FOUND}, status=404)
    return render(request, TEMPLATE, {"form": LookupForm(), "dossier": found})
