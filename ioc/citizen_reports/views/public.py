"""Citizens' pages (R3.1, R3.4): the phone form, tracking by code, the public list and map. No login.

Thin views: parse with a form, call one service or selector, render. Nothing here shows a reporter's name or
contact; free text (descriptions, notes, results) goes through `privacy.mask_contacts` before it is shown.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ioc.citizen_reports import selectors, services
from ioc.citizen_reports.choices import DESCRIPTION_MAX, HIDDEN_STATUSES, PHOTO_MAX_COUNT, Channel, ReportStatus
from ioc.citizen_reports.forms.public import (
    PublicFilterForm,
    RatingForm,
    ReopenForm,
    ReportForm,
    TrackingLookupForm,
    territory_current,
)
from ioc.citizen_reports.models import Report
from ioc.common.forms import add_service_errors
from ioc.common.middleware import client_address
from ioc.common.ratelimit import RateRule, address_identity, rate_limit_hits, rate_limit_rule
from ioc.geo.models import Territory

RECEIPT_SESSION_KEY = "citizen_reports_receipt"
PAGE_SIZE = 20
MAP_CACHE_SECONDS = 300
MAP_FEATURE_LIMIT = 5000
SUMMARY_CHARS = 280
# Per-address limits of the citizens' POSTs, used when ioc.common.ratelimit has no default of that name:
# (count, window seconds), generous for carriers' shared addresses; settings.RATE_LIMITS overrides (None = off).
# Tracking GETs are not limited (a 10-character code from 31 symbols cannot be guessed; counting reads would
# make each one a cache write).
OWN_LIMITS: dict[str, tuple[int, int] | None] = {
    "public.report.addr": (120, 600),
    "public.track_action.addr": (30, 600),
}
# Field names of service errors → the form field that shows them.
_FIELD_ALIASES = {
    "lon": "lat",
    "point": "lat",
    "location": "lat",
    "contact": "phone",
    "contact.phone": "phone",
    "contact.email": "email",
    "contact.name": "name",
    "contact.consent_processing": "consent_processing",
}
_TOKEN_FIELDS = frozenset({"private_token", "token", "t"})
# A refused token is said on top, never next to a field.
_SERVICE_FIELDS: dict[str, str | None] = {**_FIELD_ALIASES, **dict.fromkeys(_TOKEN_FIELDS, None)}


# --- helpers ------------------------------------------------------------------------------------------------


def _no_referrer(response: HttpResponseBase) -> HttpResponseBase:
    """Pages carrying the private token never leak it in a Referer header."""
    response["Referrer-Policy"] = "no-referrer"
    return response


def _rule(name: str, request: HttpRequest) -> RateRule | None:
    identity = address_identity(client_address(request))
    try:
        return rate_limit_rule(name, identity=identity)
    except KeyError:
        configured = getattr(settings, "RATE_LIMITS", {}).get(name, OWN_LIMITS[name])
        if configured is None:
            return None
        limit, window = configured
        return RateRule(key=f"{name}:{identity}", limit=int(limit), window_seconds=int(window))


def _limited(request: HttpRequest, name: str) -> HttpResponse | None:
    """Per-address rate limit in the shared cache (ioc.common.ratelimit); a 429 page when exceeded."""
    decision = rate_limit_hits([_rule(name, request)])
    if decision.allowed:
        return None
    response = render(
        request, "citizen_reports/public/too_many.html", {"retry_after": decision.retry_after}, status=429
    )
    response["Retry-After"] = str(max(int(decision.retry_after), 1))
    return response


def _is_token_error(exc: ValidationError) -> bool:
    return hasattr(exc, "error_dict") and bool(_TOKEN_FIELDS & set(exc.error_dict))


def _track_url(code: str) -> str:
    return reverse("citizen_reports:public_track_detail", kwargs={"code": code})


def _map_settings(territory: Territory | None) -> dict[str, str]:
    """The maps' base layer: GeoJSON of the territory's communes from /api/v1/geo/ (no tile server), and an
    optional tile URL (settings.IOC_MAP_TILE_URL)."""
    boundaries = ""
    if territory is not None:  # R11: the territory's communes, a whole province or not (Lộc Ninh: 7 of Đồng Nai)
        boundaries = reverse("geo_api:territory-boundaries")
    return {"boundaries_url": boundaries, "tile_url": str(getattr(settings, "IOC_MAP_TILE_URL", ""))}


def _masked(text: str, limit: int | None = None) -> str:
    masked = selectors.public_text(text)
    if limit is not None and len(masked) > limit:
        return masked[: limit - 1].rstrip() + "…"
    return masked


def _status_label(status: str) -> str:
    return str(ReportStatus(status).label) if status in ReportStatus.values else status


# --- the phone form (R3.1) ----------------------------------------------------------------------------------


def _receive_arguments(form: ReportForm, request: HttpRequest) -> dict[str, Any]:
    """The form's cleaned data as `report_receive` arguments (contact only when one was given)."""
    data = form.cleaned_data
    contact = None
    if form.has_contact():
        contact = services.ContactInput(
            name=data["name"].strip(),
            phone=data["phone"],
            email=data["email"].strip(),
            consent_processing=bool(data["consent_processing"]),
            consent_share_with_agency=bool(data["consent_share_with_agency"]),
        )
    user = request.user if request.user.is_authenticated else None
    return {
        "category": data["category"],
        "description": data["description"].strip(),
        "lat": data["lat"],
        "lon": data["lon"],
        "unit": data["unit"],
        "address": data["address"].strip(),
        "contact": contact,
        "photos": data["photos"] or [],
        "anonymous_to_public": bool(data["anonymous_to_public"]),
        "actor": user,
    }


@require_http_methods(["GET", "POST"])
def public_report_create(request: HttpRequest) -> HttpResponse:
    """R3.1: the phone form. On success: one call to `report_receive(channel="web")`, then the receipt."""
    territory = territory_current()
    form = ReportForm(territory=territory)
    if request.method == "POST":
        limited = _limited(request, "public.report.addr")
        if limited is not None:
            return limited
        form = ReportForm(request.POST, request.FILES, territory=territory)
        if form.is_valid():
            try:
                received = services.report_receive(channel=Channel.WEB, **_receive_arguments(form, request))
            except ValidationError as exc:
                add_service_errors(form, exc, fields=_SERVICE_FIELDS)
            else:
                code = received.report.tracking_code
                request.session[RECEIPT_SESSION_KEY] = {"code": code, "token": received.private_token}
                return redirect("citizen_reports:public_report_sent", code=code)
    context = {
        "form": form,
        "map": _map_settings(territory),
        "description_max": DESCRIPTION_MAX,
        "photo_max": PHOTO_MAX_COUNT,
        "location_errors": [*form.errors.get("lat", []), *form.errors.get("lon", [])] if form.is_bound else [],
    }
    return render(request, "citizen_reports/public/form.html", context, status=400 if form.is_bound else 200)


@never_cache
@require_GET
def public_report_sent(request: HttpRequest, code: str) -> HttpResponseBase:
    """R3.4: the receipt: the tracking code and, in this browser session only, the private link to keep."""
    code = _report_or_404(code).tracking_code
    receipt = request.session.get(RECEIPT_SESSION_KEY) or {}
    private_link = ""
    if receipt.get("code") == code and receipt.get("token"):
        private_link = request.build_absolute_uri(_track_url(code) + "?" + urlencode({"t": receipt["token"]}))
    context = {"code": code, "private_link": private_link, "track_link": request.build_absolute_uri(_track_url(code))}
    return _no_referrer(render(request, "citizen_reports/public/sent.html", context))


# --- tracking (R3.4) ----------------------------------------------------------------------------------------


@require_GET
def public_track(request: HttpRequest) -> HttpResponse:
    """R3.4: a form for the tracking code; a valid code goes to its page."""
    form = TrackingLookupForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("citizen_reports:public_track_detail", code=form.cleaned_data["code"])
    return render(request, "citizen_reports/public/track.html", {"form": form}, status=400 if form.is_bound else 200)


def _report_or_404(code: str) -> Report:
    report = selectors.report_by_tracking_code(code=code)
    if report is None:
        raise Http404(_("Không tìm thấy phản ánh với mã này"))
    return report


def _timeline(report: Report) -> list[dict[str, Any]]:
    return [
        {"at": event.at, "label": _status_label(event.to_status), "note": _masked(event.note)}
        for event in selectors.report_public_events(report=report)
    ]


def _track_context(report: Report, *, token: str, forms: dict[str, Any]) -> dict[str, Any]:
    hidden = report.status in HIDDEN_STATUSES
    published = report.status == ReportStatus.PUBLISHED
    photos = list(selectors.report_public_photos(report=report)) if published else []
    token_valid = bool(token) and selectors.report_private_token_valid(report=report, token=token)
    return {
        "report": report,
        "status_label": _status_label(report.status),
        "hidden": hidden,
        "published": published,
        "description": "" if hidden else _masked(report.description),
        "result": _masked(report.result) if published else "",
        "rejection_reason": _masked(report.rejection_reason),
        "timeline": [] if hidden else _timeline(report),
        "photos": photos,
        "token": token,
        "token_valid": token_valid,
        "can_act": token_valid and published,
        "rating_form": forms.get("rating_form") or RatingForm(initial={"t": token}),
        "reopen_form": forms.get("reopen_form") or ReopenForm(initial={"t": token}),
        "action_url_rate": reverse("citizen_reports:public_rate", kwargs={"code": report.tracking_code}),
        "action_url_reopen": reverse("citizen_reports:public_reopen", kwargs={"code": report.tracking_code}),
    }


def _track_page(request: HttpRequest, report: Report, *, token: str, status: int = 200, **forms: Any) -> HttpResponse:
    context = _track_context(report, token=token, forms=forms)
    response = render(request, "citizen_reports/public/track_detail.html", context, status=status)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def public_track_detail(request: HttpRequest, code: str) -> HttpResponse:
    """R3.4: status, public timeline, agency, deadline, result and public photos; no personal data.
    With `?t=<private token>` the reporter may rate or reopen (the service checks the token)."""
    return _track_page(request, _report_or_404(code), token=request.GET.get("t", "")[:200])


def _citizen_action(
    request: HttpRequest,
    code: str,
    form: RatingForm | ReopenForm,
    act: Callable[[Report, dict[str, Any]], object],
    done: str,
) -> HttpResponseBase:
    """Rate or reopen: the service checks the private token; a wrong one writes nothing and says so (403)."""
    limited = _limited(request, "public.track_action.addr")
    if limited is not None:
        return limited
    report = _report_or_404(code)
    status = 400
    if form.is_valid():
        try:
            act(report, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, fields=_SERVICE_FIELDS)
            status = 403 if _is_token_error(exc) else 400
        else:
            messages.success(request, done)
            return _no_referrer(redirect(_track_url(code) + "?" + urlencode({"t": form.cleaned_data["t"]})))
    token = str(form.data.get("t", ""))[:200]
    key = "rating_form" if isinstance(form, RatingForm) else "reopen_form"
    return _track_page(request, report, token=token, status=status, **{key: form})


@require_POST
def public_rate(request: HttpRequest, code: str) -> HttpResponseBase:
    """R3.4: the reporter rates the published result 1–5 (private token required)."""

    def act(report: Report, data: dict[str, Any]) -> object:
        return services.report_rate(
            report=report, private_token=data["t"], rating=data["rating"], comment=data["comment"]
        )

    done = _("Cảm ơn bạn đã đánh giá")
    return _citizen_action(request, code, RatingForm(request.POST), act, done)


@require_POST
def public_reopen(request: HttpRequest, code: str) -> HttpResponseBase:
    """R3.4: the reporter reopens a published report with a reason (private token required)."""

    def act(report: Report, data: dict[str, Any]) -> object:
        return services.report_reopen(report=report, private_token=data["t"], reason=data["reason"])

    done = _("Phản ánh đã được mở lại")
    return _citizen_action(request, code, ReopenForm(request.POST), act, done)


# --- public list and map (R3.4) -----------------------------------------------------------------------------


def _filters(form: PublicFilterForm) -> dict[str, Any]:
    """Valid filters only; an invalid one is reported on the form and ignored."""
    if not form.is_bound:
        return {}
    form.is_valid()
    data = form.cleaned_data
    period = data.get("period")
    return {
        "category": data.get("category"),
        "unit": data.get("unit"),
        "start": period.start if period else None,
        "end": period.end if period else None,
    }


def _published(filters: dict[str, Any]) -> QuerySet[Report]:
    """Published reports only (the selector leaves out spam; the public list shows finished work)."""
    return selectors.public_reports(filters={**filters, "status": ReportStatus.PUBLISHED})


def _list_items(reports: Iterable[Report]) -> list[dict[str, Any]]:
    return [
        {
            "code": report.tracking_code,
            "url": _track_url(report.tracking_code),
            "category": report.category.name,
            "unit": report.unit.name if report.unit else "",
            "address": _masked(report.address),
            "received_at": report.received_at,
            "published_at": report.published_at,
            "agency": report.agency.name if report.agency else "",
            "description": _masked(report.description, SUMMARY_CHARS),
            "result": _masked(report.result, SUMMARY_CHARS),
            "photos": [photo.pk for photo in getattr(report, "public_photos", [])],
            "status_label": _status_label(report.status),
        }
        for report in reports
    ]


def _filter_query(request: HttpRequest, form: PublicFilterForm) -> str:
    """The valid filters of the request as a query string (for the map's data URL and pagination links)."""
    valid = {name: str(request.GET.get(name, "")) for name in form.fields if name not in form.errors}
    return urlencode({name: value for name, value in valid.items() if value})


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """R3.4: published reports, newest first, filtered by category, commune and period."""
    territory = territory_current()
    form = PublicFilterForm(request.GET or None, territory=territory)
    photos = Prefetch("photos", queryset=selectors.public_photo_queryset(), to_attr="public_photos")
    reports = _published(_filters(form)).prefetch_related(photos)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "items": _list_items(page.object_list),
        "query": _filter_query(request, form),
    }
    return render(request, "citizen_reports/public/list.html", context, status=400 if form.errors else 200)


@require_GET
def public_map(request: HttpRequest) -> HttpResponse:
    """R3.4: the map of published reports (markercluster) over the territory's commune boundaries."""
    territory = territory_current()
    form = PublicFilterForm(request.GET or None, territory=territory)
    filters = _filters(form)
    query = _filter_query(request, form)
    context = {
        "form": form,
        "filters": filters,
        "data_url": reverse("citizen_reports:public_map_data") + ("?" + query if query else ""),
        "list_url": reverse("citizen_reports:public_list") + ("?" + query if query else ""),
        "map": _map_settings(territory),
    }
    return render(request, "citizen_reports/public/map.html", context, status=400 if form.errors else 200)


def _feature(row: Mapping[str, Any]) -> dict[str, Any] | None:
    lat, lon, approximate = row["lat"], row["lon"], False
    if lat is None or lon is None:
        lat, lon, approximate = row["unit__lat"], row["unit__lon"], True
    if lat is None or lon is None:
        return None
    code = row["tracking_code"]
    published = row["published_at"]
    return {
        "type": "Feature",
        "id": code,
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
        "properties": {
            "code": code,
            "category": row["category__name"],
            "unit": row["unit__name"] or "",
            "status": _status_label(row["status"]),
            "published": published.date().isoformat() if published else "",
            "approximate": approximate,
            "url": _track_url(code),
        },
    }


def _map_features(filters: dict[str, Any]) -> dict[str, Any]:
    rows = _published(filters).values(
        "tracking_code",
        "lat",
        "lon",
        "unit__lat",
        "unit__lon",
        "unit__name",
        "category__name",
        "status",
        "published_at",
    )[: MAP_FEATURE_LIMIT + 1]
    features = [feature for feature in map(_feature, rows) if feature is not None]
    truncated = len(features) > MAP_FEATURE_LIMIT
    return {"type": "FeatureCollection", "features": features[:MAP_FEATURE_LIMIT], "truncated": truncated}


@require_GET
def public_map_data(request: HttpRequest) -> HttpResponse:
    """R3.4: published reports as GeoJSON (public, cacheable: ETag + max-age). Filters as the list's."""
    form = PublicFilterForm(request.GET or None, territory=territory_current())
    if form.is_bound and not form.is_valid():
        fields = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        error = {"code": "invalid", "message": _("Bộ lọc không hợp lệ"), "fields": fields}
        return HttpResponse(
            json.dumps({"error": error}, ensure_ascii=False), status=400, content_type="application/json"
        )
    payload = json.dumps(_map_features(_filters(form)), ensure_ascii=False, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(payload).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(payload, content_type="application/geo+json; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAP_CACHE_SECONDS}"
    return response


@require_GET
def public_photo(request: HttpRequest, pk: int) -> FileResponse:
    """R3.4: a photo an operator marked public, of a published report; 404 otherwise."""
    photo = selectors.public_photo_get(pk=pk)
    if photo is None:
        raise Http404(_("Không tìm thấy ảnh"))
    content_type = mimetypes.guess_type(photo.file.name or "")[0] or "application/octet-stream"
    response = FileResponse(photo.file.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response
