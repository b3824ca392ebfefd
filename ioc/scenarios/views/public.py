"""Public warnings for everyone (R5.2, R5.5): the list in force, one warning, its CAP 1.2 document and the Atom
index of the latest messages. Public fields only: no person's data is ever part of a warning."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ioc.scenarios import cap, selectors
from ioc.scenarios.models import PublicWarning


def public_list(request: HttpRequest) -> HttpResponse:
    """R5.2: the warnings in force."""
    return render(request, "scenarios/public/list.html", {"warnings": selectors.warnings_live()[:50]})


def _warning(identifier: str) -> PublicWarning:
    warning = selectors.warning_public_get(identifier=identifier)
    if warning is None:
        raise Http404
    return warning


def public_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    """R5.2: one warning (an update or a cancellation names the original)."""
    warning = _warning(identifier)
    followups = warning.followups.filter(sent_at__isnull=False).order_by("sent_at")
    return render(request, "scenarios/public/detail.html", {"warning": warning, "followups": followups})


def public_cap(request: HttpRequest, identifier: str) -> HttpResponse:
    """R5.5: the CAP 1.2 document of a sent message."""
    warning = _warning(identifier)
    web = request.build_absolute_uri(reverse("public_warnings:detail", args=[warning.identifier]))
    return HttpResponse(cap.cap_document(warning, web=web), content_type="application/cap+xml; charset=utf-8")


def public_atom(request: HttpRequest) -> HttpResponse:
    """R5.5: the Atom index, one entry per CAP message, newest first."""
    document = cap.atom_index(
        selectors.warnings_feed(),
        self_url=request.build_absolute_uri(reverse("public_warnings:atom")),
        site_url=request.build_absolute_uri(reverse("public_warnings:list")),
        cap_url=lambda w: request.build_absolute_uri(reverse("public_warnings:cap", args=[w.identifier])),
        page_url=lambda w: request.build_absolute_uri(reverse("public_warnings:detail", args=[w.identifier])),
    )
    return HttpResponse(document, content_type="application/atom+xml; charset=utf-8")
