"""R5.6: the pages of the information-security watch under /an-toan-thong-tin/: assets with status and uptime, one
asset's checks, expiring certificates, the event explorer, and the configuration under "Quản trị". Thin: parse,
call one service or selector, render."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ioc.accounts.selectors import user_scope
from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.common.roles import actor_has_role
from ioc.cybersecurity import selectors, services
from ioc.cybersecurity.choices import CONFIG_ROLES, SCREENSHOT_ROLES, VULN_ROLES
from ioc.cybersecurity.forms import (
    AssetForm,
    EventFilterForm,
    EventRuleForm,
    EventSourceForm,
    MalwareReportForm,
    VulnerabilityForm,
)
from ioc.cybersecurity.models import Asset

UPTIME_DAYS = 7


@require_safe
def index(request: AuthedRequest) -> HttpResponse:
    """R5.6: the watched assets with their status and 7-day uptime."""
    assets = list(selectors.asset_list(user=request.user))
    since = timezone.now() - dt.timedelta(days=UPTIME_DAYS)
    uptime = selectors.uptime_by_asset(asset_ids=[a.pk for a in assets], since=since)
    rows = [(a, uptime[a.pk]) for a in assets]
    overview = selectors.cybersecurity_overview(user=request.user)
    return render(request, "cybersecurity/index.html", {"rows": rows, "overview": overview, "days": UPTIME_DAYS})


def _asset_or_404(request: AuthedRequest, pk: int) -> Asset:
    asset = selectors.asset_get(user=request.user, pk=pk)
    if asset is None:
        raise Http404(_("Không tìm thấy tài sản / No such asset"))
    return asset


@require_safe
def asset_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    asset = _asset_or_404(request, pk)
    context = {
        "asset": asset,
        "results": selectors.asset_results(asset=asset),
        "can_configure": actor_has_role(request.user, CONFIG_ROLES),
        "can_see_screenshots": actor_has_role(request.user, SCREENSHOT_ROLES),
    }
    return render(request, "cybersecurity/detail.html", context)


@require_safe
def result_screenshot(request: AuthedRequest, pk: int, result_pk: int) -> FileResponse:
    """R5.6: the PNG of a defaced page, only to the watch's operators who may see the asset (404 otherwise)."""
    result = selectors.result_screenshot(user=request.user, asset_pk=pk, pk=result_pk)
    if result is None:
        raise Http404(_("Không có ảnh chụp / No such screenshot"))
    try:
        handle = result.screenshot.open("rb")
    except FileNotFoundError as exc:  # the row outlived its file (a restore without the media, a manual clean-up)
        raise Http404(_("Không có ảnh chụp / No such screenshot")) from exc
    response = FileResponse(handle, content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def asset_rebaseline(request: AuthedRequest, pk: int) -> HttpResponse:
    """R5.6: the page's change was legitimate; the next check takes a new baseline."""
    services.asset_rebaseline(actor=request.user, asset=_asset_or_404(request, pk))
    messages.success(request, _("Sẽ lấy lại mẫu ở lần kiểm tra tới / A new baseline at the next check"))
    return redirect("cybersecurity:asset_detail", pk=pk)


@require_safe
def certificates(request: AuthedRequest) -> HttpResponse:
    """R5.6: certificates expiring within 30 days (or expired), soonest first."""
    assets = selectors.expiring_certificates(user=request.user)
    return render(request, "cybersecurity/certificates.html", {"assets": assets, "now": timezone.now()})


@require_safe
def events(request: AuthedRequest) -> HttpResponse:
    """R5.6: the event explorer; a bad filter is named on the form and answers 400."""
    form = EventFilterForm(request.GET or None)
    status = 400 if form.is_bound and not form.is_valid() else 200
    rows = selectors.event_list(user=request.user, query=form.query() if form.is_bound else selectors.EventQuery())
    counts = selectors.event_counts(user=request.user, days=30)
    return render(request, "cybersecurity/events.html", {"form": form, "rows": rows, "counts": counts}, status=status)


def malware(request: AuthedRequest) -> HttpResponse:
    """R5.6 (004:6.7): machines infected per agency and month (ECharts) and the month's report form; a report
    goes into the data hub's malware dataset. Bad input is named on the form (400, nothing written)."""
    scope = user_scope(user=request.user)
    form = MalwareReportForm(request.POST or None, agency_ids=None if scope.everything else scope.agency_ids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.malware_report_submit(
                actor=request.user,
                agency=data["agency"],
                month=data["month"],
                infected=data["infected"],
                cleaned=data["cleaned"],
                unprotected=data["unprotected"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("agency", str(exc))
        else:
            messages.success(request, _("Đã ghi nhận báo cáo / Report recorded"))
            return redirect("cybersecurity:malware")
    status = 400 if request.method == "POST" else 200
    trend = selectors.malware_trend(user=request.user, until=timezone.localdate())
    return render(request, "cybersecurity/malware.html", {"form": form, "trend": trend}, status=status)


@require_safe
def vulnerabilities(request: AuthedRequest) -> HttpResponse:
    """R5.6: the vulnerability notices touching the user's agencies, with open, overdue and fixed assets."""
    rows = selectors.vulnerability_list(user=request.user)
    context = {"rows": rows, "can_record": actor_has_role(request.user, VULN_ROLES)}
    return render(request, "cybersecurity/vulnerabilities.html", context)


@require_safe
def vulnerability_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """R5.6: one notice and its affected assets the user may see (404 when none), each with its work's state."""
    found = selectors.vulnerability_get(user=request.user, pk=pk)
    if found is None:
        raise Http404(_("Không tìm thấy lỗ hổng / No such vulnerability"))
    vulnerability, exposures = found
    context = {"vulnerability": vulnerability, "exposures": exposures, "now": timezone.now()}
    return render(request, "cybersecurity/vulnerability.html", context)


def vulnerability_create(request: AuthedRequest) -> HttpResponse:
    """R5.6: record a notice and forward each affected asset to its agency (the IOC's staff)."""
    form = VulnerabilityForm(request.POST or None, assets=selectors.asset_list(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            vulnerability = services.vulnerability_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã chuyển các cơ quan khắc phục / Forwarded to the agencies"))
            return redirect("cybersecurity:vulnerability_detail", pk=vulnerability.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cybersecurity/vulnerability_form.html", {"form": form}, status=status)


@require_safe
def config(request: AuthedRequest) -> HttpResponse:
    """R5.6: the configuration: every asset (retired apart), event sources, event rules, refusals per reason."""
    assets = list(selectors.asset_list(user=request.user, include_retired=True))
    context = {
        "active": [a for a in assets if a.is_active],
        "retired": [a for a in assets if not a.is_active],
        "sources": selectors.event_sources(),
        "rules": selectors.event_rules(),
        "rejections": selectors.rejections(),
    }
    return render(request, "cybersecurity/config/index.html", context)


def asset_create(request: AuthedRequest) -> HttpResponse:
    form = AssetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            asset = services.asset_create(actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm tài sản / Asset added"))
            return redirect("cybersecurity:asset_detail", pk=asset.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cybersecurity/config/form.html", {"form": form}, status=status)


def asset_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    asset = _asset_or_404(request, pk)
    initial = {
        "name": asset.name,
        "kind": asset.kind,
        "agency": asset.agency,
        "level": asset.level,
        "url": asset.url,
        "interval_minutes": asset.interval_minutes,
        "is_active": asset.is_active,
        "dns_expected": "\n".join(asset.dns_expected),
        "deface_selectors": "\n".join(asset.deface_selectors),
        "forbidden_words": "\n".join(asset.forbidden_words),
        "forbidden_images": "\n".join(asset.forbidden_images),
    }
    form = AssetForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.asset_update(actor=request.user, asset=asset, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu / Saved"))
            return redirect("cybersecurity:asset_detail", pk=asset.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cybersecurity/config/form.html", {"form": form, "asset": asset}, status=status)


def _config_form(
    request: AuthedRequest, form: forms.Form, save: Callable[..., object], title: str, done: str
) -> HttpResponse:
    """A configuration form: on a valid POST call `save(**cleaned_data)` (a service); its refusals land on the
    fields."""
    if request.method == "POST" and form.is_valid():
        try:
            save(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("cybersecurity:config")
    status = 400 if request.method == "POST" else 200
    return render(request, "cybersecurity/config/item_form.html", {"form": form, "title": title}, status=status)


def source_create(request: AuthedRequest) -> HttpResponse:
    """R5.6: register a sender of syslog events."""
    form = EventSourceForm(request.POST or None)
    save = functools.partial(services.event_source_set, actor=request.user, expect_new=True)
    return _config_form(request, form, save, _("Thêm nguồn sự kiện"), _("Đã thêm nguồn / Source added"))


def source_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(selectors.event_sources(), pk=pk)
    initial = {"name": source.name, "agency": source.agency, "is_active": source.is_active}
    form = EventSourceForm(request.POST or None, initial=initial, editing=True)
    save = functools.partial(services.event_source_set, actor=request.user, address=source.address)
    return _config_form(request, form, save, f"{source.name} ({source.address})", _("Đã lưu / Saved"))


def rule_create(request: AuthedRequest) -> HttpResponse:
    """R4.1, R5.6: add an event rule."""
    form = EventRuleForm(request.POST or None)
    save = functools.partial(services.event_rule_set, actor=request.user, expect_new=True)
    return _config_form(request, form, save, _("Thêm luật cảnh báo sự kiện"), _("Đã thêm luật / Rule added"))


def rule_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(selectors.event_rules(), pk=pk)
    fields = ("name", "rule_prefix", "min_severity", "threshold", "window_minutes", "is_active")
    form = EventRuleForm(request.POST or None, initial={f: getattr(rule, f) for f in fields}, editing=True)
    save = functools.partial(services.event_rule_set, actor=request.user, code=rule.code)
    return _config_form(request, form, save, f"{rule.name} ({rule.code})", _("Đã lưu / Saved"))
