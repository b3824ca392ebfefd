"""R7.1, R4.2 (issue 20): the operator's single work queue as a page and an htmx fragment, and the
acknowledgement of a severe alert from the queue (it stops sounding and is no longer highlighted).

The home's operator panel draws the first page; the filter form and the pager fetch `/hang-doi/` with htmx
(`static/web/work-queue.js` sounds new severe alerts); without JavaScript the same links open the full page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from ioc.accounts.choices import Role
from ioc.agencies import selectors as agency_selectors
from ioc.agencies.models import Agency
from ioc.common.authed import AuthedRequest
from ioc.common.forms import PlainSelect, tabler_style
from ioc.geo import selectors as geo_selectors
from ioc.geo.models import AdminUnit
from ioc.incidents import selectors as incident_selectors
from ioc.incidents import services as incident_services
from ioc.web import search, selectors

QUEUE_ROLES = frozenset({Role.IOC_OPERATOR, Role.IOC_LEADER})


class QueueFilterForm(forms.Form):
    """Only parses: kind (a source app), agency, commune of the territory, page. A bad value is a form error."""

    kind = forms.ChoiceField(label=_("Loại việc"), required=False, widget=PlainSelect)
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("Tất cả"),
        widget=PlainSelect,
    )
    commune = forms.ModelChoiceField(
        label=_("Xã, phường"),
        queryset=AdminUnit.objects.none(),
        required=False,
        empty_label=_("Tất cả"),
        widget=PlainSelect,
    )
    page = forms.IntegerField(label=_("Trang"), required=False, min_value=1, max_value=10_000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("Tất cả")), *selectors.work_queue_kinds()]
        agency = self.fields["agency"]
        commune = self.fields["commune"]
        assert isinstance(agency, forms.ModelChoiceField) and isinstance(commune, forms.ModelChoiceField)
        agency.queryset = agency_selectors.agency_choice_list()  # names only: no roles, no systems counted
        territory = selectors.territory_of(profile=settings.IOC_PROFILE)
        if territory is not None:
            communes = geo_selectors.territory_communes(territory=territory)
            commune.queryset = communes.only("pk", "name", "code", "full_name")  # the label is the full name
        tabler_style(self)

    def queue_filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data.get("kind") or "",
            "agency_id": data["agency"].pk if data.get("agency") else None,
            "commune_id": data["commune"].pk if data.get("commune") else None,
            "page": data.get("page") or 1,
        }


def queue_context(*, user: Any, params: Any = None) -> tuple[dict[str, Any], bool]:
    """The queue's template context for `params` (a GET mapping; None: the first page, no filter) and whether
    the filters were valid. Invalid filters show the form's errors and the unfiltered first page."""
    form = QueueFilterForm(params if params else None)
    valid = form.is_valid() if params else True
    filters = form.queue_filters() if params and valid else {}
    queue = selectors.work_queue(user=user, **filters)
    return {"queue": queue, "queue_form": form, "filters": filters}, valid


@require_safe
def work_queue(request: AuthedRequest) -> HttpResponse:
    """R7.1: the queue, filtered and paged; an htmx request gets only the fragment. Bad filters answer 400."""
    context, valid = queue_context(user=request.user, params=request.GET)
    status = 200 if valid else 400
    if getattr(request, "htmx", False):
        return render(request, "web/queue/fragment.html", context, status=status)
    return render(request, "web/queue/page.html", context, status=status)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), min_length=2, max_length=100, strip=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)


@require_safe
def queue_search(request: AuthedRequest) -> HttpResponse:
    """R7.1: reports, incidents, units and agencies by code or text; a phone number (operators only) finds the
    reports it sent. Bad input answers 400 naming `q`; a phone search by anyone else answers 403."""
    form = SearchForm(request.GET or None)
    results, status = None, 200
    if form.is_bound and form.is_valid():
        try:
            results = search.search(user=request.user, query=form.cleaned_data["q"])
        except PermissionDenied as exc:
            form.add_error("q", str(exc))
            status = 403
        except ValidationError as exc:
            form.add_error("q", " ".join(exc.messages))
            status = 400
    elif form.is_bound:
        status = 400
    labels = SEARCH_GROUPS
    return render(request, "web/queue/search.html", {"form": form, "results": results, "labels": labels}, status=status)


SEARCH_GROUPS = {
    "reports": _("Phản ánh"),
    "incidents": _("Sự cố"),
    "units": _("Xã, phường"),
    "agencies": _("Cơ quan"),
}


@require_POST
def queue_acknowledge(request: AuthedRequest, pk: int) -> HttpResponse:
    """R4.2: the operator has seen a severe alert (`incidents.services.alert_acknowledge`, audited)."""
    alert = incident_selectors.alert_get_for(user=request.user, pk=pk)
    try:
        incident_services.alert_acknowledge(alert=alert, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
    return redirect("web:home")
