"""Operators' pages of citizen reports under /phan-anh/quan-ly/ (R3.1, R3.3, R3.5, R7.5).

Thin: parse with a form, call one service or selector, render. The queue, a report's page and its actions,
the hotline and social-media forms, the e-mail intake queue, the statistics page and its exports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ioc.citizen_reports import exports, selectors, services
from ioc.citizen_reports.choices import (
    DESCRIPTION_MAX,
    ESCALATABLE_STATUSES,
    LOCATABLE_STATUSES,
    Channel,
    ReportStatus,
)
from ioc.citizen_reports.forms.staff import (
    EMERGENCY_PREFIX,
    GROUP_BY_LABELS,
    DuplicateForm,
    EmergencyCallForm,
    EscalateForm,
    ForwardForm,
    HotlineForm,
    IntakeConvertForm,
    IntakeDiscardForm,
    IntakeReportForm,
    LocateForm,
    NoteForm,
    PhotoPublicForm,
    PublishForm,
    QueueFilterForm,
    ReasonForm,
    SocialForm,
    SpamForm,
    StatisticsFilterForm,
)
from ioc.citizen_reports.models import IntakeItem, Report
from ioc.citizen_reports.permissions import is_approver, is_ioc_staff
from ioc.citizen_reports.services import intake
from ioc.citizen_reports.statistics import citizen_reports_statistics
from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.geo import selectors as geo_selectors

S = ReportStatus
PAGE_SIZE = 50
DETAIL = "citizen_reports/staff/report_detail.html"
# Statuses in which the IOC may still look for duplicates.
DUPLICABLE = frozenset({S.RECEIVED, S.VERIFIED})


def _base_context(request: HttpRequest, tab: str) -> dict[str, Any]:
    return {"tab": tab, "can_handle": is_ioc_staff(request.user)}


# --- the queue (R3.3) ------------------------------------------------------------------------------------------


def queue(request: HttpRequest) -> HttpResponse:
    """R3.3: the reports waiting for the IOC, by tab (received, to locate, to approve, to forward — including
    those returned by an agency —, resolved awaiting publication), with filters and the count of each tab.
    The area's entry page for every staff role: people outside the IOC go on to the statistics."""
    if not is_ioc_staff(request.user):
        return redirect("citizen_reports:staff_statistics")
    conditions = selectors.queue_buckets(user=request.user)
    form = QueueFilterForm(request.GET, buckets=list(conditions))
    valid = form.is_valid()
    bucket = (form.cleaned_data.get("bucket") or "all") if valid else "all"
    scoped = selectors.report_list_for(user=request.user, filters=form.filters() if valid else {})
    counts = selectors.queue_counts(reports=scoped, buckets=conditions)
    reports = scoped.filter(conditions[bucket]).order_by("received_at", "pk") if valid else scoped.none()
    reports = reports.values_list(*QUEUE_ROW_FIELDS)  # what the rows show, as tuples: no model instances
    page = _CountedPaginator(reports, PAGE_SIZE, count=counts[bucket] if valid else 0).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **_base_context(request, "queue"),
        "form": form,
        "page": page,
        "rows": _queue_rows(page.object_list),
        "bucket": bucket,
        "tabs": [(name, QueueFilterForm.BUCKET_LABELS[name], counts[name]) for name in conditions],
        "query": query.urlencode(),
        "filters_query": _without(request, "bucket", "page"),
    }
    return render(request, "citizen_reports/staff/queue.html", context, status=200 if valid else 400)


# The queue's columns (`_queue_rows`), read as plain values.
QUEUE_ROW_FIELDS = (
    "pk",
    "tracking_code",
    "received_at",
    "category__name",
    "description",
    "unit__name",
    "needs_location",
    "channel",
    "status",
)
_QUEUE_ROW = (
    '<tr data-report="{}"><td><a href="{}" class="fw-bold">{}</a></td><td class="text-nowrap">{}</td><td>{}</td>'
    '<td>{}</td><td>{}</td><td>{}</td><td><span class="badge bg-blue-lt">{}</span></td></tr>'
)


def _queue_rows(rows: Iterable[tuple[Any, ...]]) -> list[SafeString]:
    """The page's rows (`QUEUE_ROW_FIELDS`) as HTML, written here rather than in the template (as
    `ioc.common.forms.PlainSelect` writes a long <select>): the template's per-row work — `{% url %}`,
    `get_<field>_display` rebuilding and translating the choices for every report, ten variable look-ups, the date
    and truncation filters — and four model instances a row were most of the page's time (issue 16 item 6: 97 ms
    of CPU a request with 46,846 reports). Every value is escaped by `format_html`; times in the active time zone
    (Asia/Ho_Chi_Minh), as the `date` filter shows them."""
    channels = {str(value): str(label) for value, label in Channel.choices}
    statuses = {str(value): str(label) for value, label in ReportStatus.choices}
    detail = reverse("citizen_reports:staff_report_detail", kwargs={"pk": 0})
    prefix = detail.removesuffix("0/")
    assert prefix != detail, detail  # the report's page ends with its id
    to_locate = format_html('<span class="badge bg-orange-lt">{}</span>', _("cần xác định vị trí"))
    html = []
    for pk, code, received_at, category, description, unit, needs_location, channel, status in rows:
        html.append(
            format_html(
                _QUEUE_ROW,
                pk,
                f"{prefix}{pk}/",
                code,
                timezone.localtime(received_at).strftime("%d/%m/%Y %H:%M"),
                category,
                # 90 characters as the `truncatechars` filter cuts them; it reads only the start of the text
                Truncator(description[:400]).chars(90),
                unit or (to_locate if needs_location else "—"),
                channels.get(channel, channel),
                statuses.get(status, status),
            )
        )
    return html


class _CountedPaginator(Paginator[Any]):
    """The queue's pager with its count known: the tab's count (`queue_counts`, one grouped query) is the number of
    reports the tab lists, so the pager asks no second COUNT(*) over the waiting reports (issue 16 item 6)."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


# --- a report's page (R3.3, R7.5) ------------------------------------------------------------------------------


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """R3.3: the report, its timeline, photos and map point; IOC staff get the actions its status allows.
    Agency officers reach the reports their agency holds (404 otherwise)."""
    report = selectors.report_get_for(user=request.user, pk=pk)
    return _render_detail(request, report)


def report_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """R7.5: the reporter's contact, only on an explicit request; `report_contact_for` audits the read."""
    if request.method != "POST":
        return redirect("citizen_reports:staff_report_detail", pk=pk)
    report = selectors.report_get_for(user=request.user, pk=pk)
    contact = selectors.report_contact_for(user=request.user, report=report)
    if contact is None:
        messages.info(
            request,
            _(
                "Không có thông tin liên hệ, hoặc bạn không được xem (người phản ánh chưa đồng ý chia sẻ) / "
                "No contact, or you may not see it (the reporter did not consent to sharing)"
            ),
        )
        return redirect("citizen_reports:staff_report_detail", pk=report.pk)
    return _render_detail(request, report, contact=contact)


def report_photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A photo of a report, served only to people who may see the report (files are never public URLs)."""
    photo = selectors.report_photo_get_for(user=request.user, pk=photo_pk)
    if photo.report_id != pk:
        raise Http404(_("Không tìm thấy ảnh / Photo not found"))
    response = FileResponse(
        photo.file.open("rb"), content_type="image/png" if str(photo.file.name).endswith(".png") else "image/jpeg"
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _territory_map() -> dict[str, Any]:
    """The territory's communes as the map's background (GeoJSON from the geo API, no tile server)."""
    territory = geo_selectors.territory_get(profile=settings.IOC_PROFILE)
    if territory is None:
        return {}
    return {"boundary_url": reverse("geo_api:territory-boundaries")}  # R11: its communes, a whole province or not


def _map_config(report: Report) -> dict[str, Any]:
    config: dict[str, Any] = {"lat": report.lat, "lon": report.lon}
    if report.unit is not None:
        config["boundary_url"] = reverse("geo_api:unit-boundary", kwargs={"ref": report.unit.code})
    else:
        config.update(_territory_map())
    return config


def _action_forms(request: HttpRequest, report: Report, bound: dict[str, Any]) -> dict[str, Any]:
    """The action forms for IOC staff, bound when the action just failed; None where the status forbids it."""
    status = report.status
    photos = [(p.pk, str(p.file.name).rsplit("/", 1)[-1]) for p in selectors.report_photos(report=report)]
    suggested = services.route(report) if status == S.VERIFIED else None

    def pick(name: str, allowed: bool, make: Callable[[], Any]) -> Any:
        return bound.get(name) or (make() if allowed else None)

    return {
        "verify": pick("verify", status == S.RECEIVED and not report.needs_location, NoteForm),
        "escalate": pick("escalate", status in ESCALATABLE_STATUSES, EscalateForm),
        "approve": pick("approve", status == S.AWAITING_APPROVAL and is_approver(request.user), NoteForm),
        "reject": pick("reject", status in (S.RECEIVED, S.AWAITING_APPROVAL, S.VERIFIED), ReasonForm),
        "spam": pick("spam", status == S.RECEIVED, SpamForm),
        "duplicate": pick("duplicate", status in DUPLICABLE, DuplicateForm),
        "locate": pick("locate", status in LOCATABLE_STATUSES, lambda: LocateForm(initial=_locate_initial(report))),
        "forward": pick(
            "forward",
            status == S.VERIFIED and not report.needs_location,
            lambda: ForwardForm(initial={"agency": suggested}),
        ),
        "publish": pick(
            "publish",
            status == S.RESOLVED,
            lambda: PublishForm(photos=photos, initial={"result": report.result}),
        ),
        "photo": bound.get("photo"),
        "suggested_agency": suggested,
    }


def _locate_initial(report: Report) -> dict[str, Any]:
    return {"lat": report.lat, "lon": report.lon, "unit": report.unit.code if report.unit else None}


def _render_detail(
    request: HttpRequest,
    report: Report,
    *,
    contact: Any = None,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    handler = is_ioc_staff(request.user)
    actions = _action_forms(request, report, bound or {}) if handler else {}
    show_candidates = handler and report.status in DUPLICABLE
    context = {
        **_base_context(request, "queue"),
        "report": report,
        "events": _labelled(selectors.report_events(report=report)),
        "photos": selectors.report_photos(report=report),
        "duplicates": selectors.report_duplicates(report=report),
        "candidates": selectors.report_duplicate_candidates(report=report) if show_candidates else [],
        "contact": contact,
        "actions": actions,
        "map": _map_config(report),
        "handler": handler,
    }
    return render(request, DETAIL, context, status=status)


def _labelled(events: Any) -> list[Any]:
    """Timeline events with the Vietnamese label of the state they reached (`to_label`)."""
    rows = list(events)
    for event in rows:
        event.to_label = S(event.to_status).label if event.to_status in S.values else event.to_status
    return rows


# --- a report's actions (R3.3) ----------------------------------------------------------------------------------

ACTION_FORMS: dict[str, type[Any]] = {
    "verify": NoteForm,
    "approve": NoteForm,
    "reject": ReasonForm,
    "spam": SpamForm,
    "duplicate": DuplicateForm,
    "locate": LocateForm,
    "forward": ForwardForm,
    "publish": PublishForm,
    "photo": PhotoPublicForm,
    "escalate": EscalateForm,
}
DONE_MESSAGES = {
    "verify": gettext_lazy("Đã xác minh phản ánh / Report verified"),
    "approve": gettext_lazy("Đã duyệt phản ánh / Report approved"),
    "reject": gettext_lazy("Đã không tiếp nhận phản ánh / Report rejected"),
    "spam": gettext_lazy("Đã đánh dấu tin rác / Marked as spam"),
    "duplicate": gettext_lazy("Đã đánh dấu trùng / Marked as duplicate"),
    "locate": gettext_lazy("Đã xác định vị trí / Location set"),
    "forward": gettext_lazy("Đã chuyển cơ quan xử lý / Forwarded"),
    "publish": gettext_lazy("Đã công khai kết quả / Result published"),
    "photo": gettext_lazy("Đã cập nhật ảnh công khai / Photo visibility updated"),
    "escalate": gettext_lazy("Đã chuyển thành sự cố / Escalated to an incident"),
}


def _do_verify(request: AuthedRequest, report: Report, data: dict[str, Any]) -> None:
    services.report_verify(report=report, actor=request.user, note=data["note"])


def _do_approve(request: AuthedRequest, report: Report, data: dict[str, Any]) -> None:
    services.report_approve(report=report, actor=request.user, note=data["note"])


def _do_reject(request: AuthedRequest, report: Report, data: dict[str, Any]) -> None:
    services.report_reject(report=report, actor=request.user, reason=data["reason"])


def _do_spam(request: AuthedRequest, report: Report, data: dict[str, Any]) -> None:
    services.report_mark_spam(report=report, actor=request.user, reason=data["reason"])


def _do_duplicate(request: AuthedRequest, report: Report, data: dict[str, Any]) -> None:
    original = _original(request, data)
    services.report_mark_duplicate(report=report, original=original, actor=request.user)


def _original(request: HttpRequest, data: dict[str, Any]) -> Report:
    if data.get("original"):
        try:
            return selectors.report_get_for(user=request.user, pk=data["original"])
        except Http404 as exc:
            raise ValidationError({"original": [_("Không tìm thấy phản ánh gốc / Original not found")]}) from exc
    code = str(data.get("tracking_code") or "")
    found = selectors.report_list_for(user=request.user, filters={"tracking_codes": [code]}).first()
    if found is None:
        raise ValidationError({"tracking_code": [_("Không có phản ánh với mã này / No report has this code")]})
    return found


def _do_locate(request: AuthedRequest, report: Report, data: dict[str, Any]) -> None:
    services.report_locate(report=report, actor=request.user, lat=data["lat"], lon=data["lon"], unit=data["unit"])


def _do_forward(request: AuthedRequest, report: Report, data: dict[str, Any]) -> None:
    services.report_forward(report=report, actor=request.user, agency=data["agency"], instructions=data["instructions"])


def _do_publish(request: AuthedRequest, report: Report, data: dict[str, Any]) -> None:
    services.report_publish(
        report=report, actor=request.user, result=data["result"], public_photo_ids=data["public_photo_ids"]
    )


def _do_photo(request: AuthedRequest, report: Report, data: dict[str, Any]) -> None:
    photo = selectors.report_photo_get_for(user=request.user, pk=data["photo"])
    if photo.report_id != report.pk:
        raise ValidationError({"photo": [_("Ảnh không thuộc phản ánh này / Photo not of this report")]})
    services.photo_set_public(photo=photo, actor=request.user, is_public=data["is_public"])


def _do_escalate(request: AuthedRequest, report: Report, data: dict[str, Any]) -> None:
    services.report_escalate(
        report=report, actor=request.user, kind=data["kind"], severity=data["severity"], note=data["note"]
    )


ACTIONS: dict[str, Callable[[AuthedRequest, Report, dict[str, Any]], None]] = {
    "verify": _do_verify,
    "approve": _do_approve,
    "reject": _do_reject,
    "spam": _do_spam,
    "duplicate": _do_duplicate,
    "locate": _do_locate,
    "forward": _do_forward,
    "publish": _do_publish,
    "photo": _do_photo,
    "escalate": _do_escalate,
}


def report_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """R3.3: one step on a report (POST). A refused step re-renders the page with the reason on the form (400),
    or 403 when the role may not take it (approval by a leader only)."""
    if action not in ACTIONS:
        raise Http404(_("Không có thao tác này / Unknown action"))
    if request.method != "POST":
        return redirect("citizen_reports:staff_report_detail", pk=pk)
    report = selectors.report_get_for(user=request.user, pk=pk)
    form = _bind(action, request, report)
    if form.is_valid():
        try:
            ACTIONS[action](request, report, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Không có quyền / Forbidden"))
            return _render_detail(request, _fresh(request, report), bound={action: form}, status=403)
        else:
            messages.success(request, DONE_MESSAGES[action])
            return redirect("citizen_reports:staff_report_detail", pk=report.pk)
    return _render_detail(request, _fresh(request, report), bound={action: form}, status=400)


def _bind(action: str, request: HttpRequest, report: Report) -> Any:
    if action == "publish":
        photos = [(p.pk, str(p.pk)) for p in selectors.report_photos(report=report)]
        return PublishForm(request.POST, photos=photos)
    return ACTION_FORMS[action](request.POST)


def _fresh(request: HttpRequest, report: Report) -> Report:
    return selectors.report_get_for(user=request.user, pk=report.pk)


# --- reports taken by an operator (R3.1) --------------------------------------------------------------------------


def _intake_page(
    request: AuthedRequest,
    form_class: type[IntakeReportForm],
    channel: str,
    tab: str,
    template: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            received = services.report_receive(channel=channel, actor=request.user, **form.receive_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã tiếp nhận phản ánh, mã tra cứu %(code)s / Report received, tracking code %(code)s")
                % {"code": received.report.tracking_code},
            )
            return redirect("citizen_reports:staff_report_detail", pk=received.report.pk)
    status = 400 if request.method == "POST" else 200
    context = {**_base_context(request, tab), "form": form, "map": _territory_map(), **(extra or {})}
    return render(request, template, context, status=status)


HOTLINE = "citizen_reports/staff/hotline.html"


def hotline(request: AuthedRequest) -> HttpResponse:
    """R3.1, R4.1: a hotline call. First question: an emergency? Then an alert from people in the IOC's alert
    inbox (the emergency branch, issue 12); otherwise a report with channel `hotline`, the operator as actor."""
    if request.method == "POST" and request.POST.get("branch") == EMERGENCY_PREFIX:
        return _hotline_emergency(request)
    emergency = EmergencyCallForm(prefix=EMERGENCY_PREFIX)
    return _intake_page(request, HotlineForm, Channel.HOTLINE, "hotline", HOTLINE, {"emergency_form": emergency})


def _hotline_emergency(request: AuthedRequest) -> HttpResponse:
    form = EmergencyCallForm(request.POST, prefix=EMERGENCY_PREFIX)
    if form.is_valid():
        try:
            services.hotline_emergency_raise(actor=request.user, **form.emergency_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi cảnh báo khẩn cấp / Emergency alert raised"))
            return redirect("incidents:index")
    context = {
        **_base_context(request, "hotline"),
        "form": HotlineForm(),
        "emergency_form": form,
        "map": _territory_map(),
    }
    return render(request, HOTLINE, context, status=400)


def social(request: AuthedRequest) -> HttpResponse:
    """R3.1: a report from a social-media post (channel `social`), the link to the post kept."""
    return _intake_page(request, SocialForm, Channel.SOCIAL, "social", "citizen_reports/staff/social.html")


# --- e-mail intake (R3.1) -----------------------------------------------------------------------------------------


def _intake_description(item: IntakeItem) -> str:
    """Subject and body as the report's description to start from (angle brackets are not HTML here)."""
    text = "\n\n".join(part for part in (item.subject.strip(), intake.intake_body(item).strip()) if part)
    return text.replace("<", "‹").replace(">", "›")[:DESCRIPTION_MAX]


def intake_list(request: HttpRequest) -> HttpResponse:
    """R3.1: the e-mails waiting for an operator: turn each into a report or discard it with a reason."""
    page = Paginator(selectors.intake_items_new(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "citizen_reports/staff/intake_list.html", {**_base_context(request, "intake"), "page": page})


def intake_item(request: AuthedRequest, pk: int) -> HttpResponse:
    """R3.1: one e-mail: convert (category, place, description prefilled with subject and body) or discard."""
    item = selectors.intake_items_new(user=request.user).filter(pk=pk).first()
    if item is None:
        raise Http404(_("Không tìm thấy thư hoặc thư đã được xử lý / Message not found or already handled"))
    convert = IntakeConvertForm(initial={"description": _intake_description(item)})
    discard = IntakeDiscardForm()
    status = 200
    if request.method == "POST" and request.POST.get("do") == "discard":
        discard = IntakeDiscardForm(request.POST)
        if discard.is_valid():
            try:
                intake.intake_item_discard(item=item, actor=request.user, reason=discard.cleaned_data["reason"])
            except ValidationError as exc:
                add_service_errors(discard, exc)
            else:
                messages.success(request, _("Đã loại thư / Message discarded"))
                return redirect("citizen_reports:staff_intake")
        status = 400
    elif request.method == "POST":
        convert = IntakeConvertForm(request.POST)
        if convert.is_valid():
            try:
                report = intake.intake_item_convert(item=item, actor=request.user, **convert.convert_kwargs())
            except ValidationError as exc:
                add_service_errors(convert, exc)
            else:
                messages.success(
                    request,
                    _("Đã tạo phản ánh %(code)s từ thư / Report %(code)s created from the message")
                    % {"code": report.tracking_code},
                )
                return redirect("citizen_reports:staff_report_detail", pk=report.pk)
        status = 400
    context = {
        **_base_context(request, "intake"),
        "item": item,
        "body": intake.intake_body(item),
        "notes": intake.intake_notes(item),
        "convert": convert,
        "discard": discard,
        "map": _territory_map(),
    }
    return render(request, "citizen_reports/staff/intake_item.html", context, status=status)


# --- statistics (R3.5) --------------------------------------------------------------------------------------------


def statistics_page(request: HttpRequest) -> HttpResponse:
    """R3.5: the table (server-rendered) and two charts fed by the JSON API with the same filters."""
    form = StatisticsFilterForm(request.GET)
    context: dict[str, Any] = {**_base_context(request, "statistics"), "form": form, "stats": None}
    if not form.is_valid():
        return render(request, "citizen_reports/staff/statistics.html", context, status=400)
    params = form.params()
    query = urlencode({"start": params["start"], "end": params["end"], "group_by": params["group_by"]})
    context.update(
        stats=citizen_reports_statistics(user=request.user, **params),
        query=query,
        api_url=reverse("citizen_reports_api:statistics") + "?" + query,
        group_label=GROUP_BY_LABELS[params["group_by"]],
    )
    return render(request, "citizen_reports/staff/statistics.html", context)


def statistics_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """R3.5: the same figures as CSV (UTF-8 with BOM) or XLSX, Vietnamese headers; bad filters → 400."""
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Định dạng không hỗ trợ / Unsupported format"))
    form = StatisticsFilterForm(request.GET)
    if not form.is_valid():
        lines = [f"{field}: {'; '.join(reasons)}" for field, reasons in form.error_fields().items()]
        return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")
    stats = citizen_reports_statistics(user=request.user, **form.params())
    if fmt == "xlsx":
        body = exports.statistics_xlsx(stats)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, content_type = exports.statistics_csv(stats), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(stats, fmt)}"'
    return response
