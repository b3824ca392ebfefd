"""R8.1–R8.3: the reports' pages under /bao-cao/ — archive, generate, read, edit, refresh, issue, correct,
download, the act's calendar, meetings, and the share of meeting reports made from the IOC's data (R8.3).
Thin: parse, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.common.periods import LOCAL_TZ
from ioc.common.roles import actor_has_role
from ioc.reporting import selectors, services
from ioc.reporting.choices import ReportState, ScopeKind
from ioc.reporting.content import render_text
from ioc.reporting.documents import build_docx
from ioc.reporting.forms import (
    AREA_TEXT_MAX,
    DecisionForm,
    EditForm,
    FollowUpForm,
    GenerateForm,
    IssueForm,
    MeetingScheduleForm,
    MinutesForm,
    OutsideReportForm,
    WithdrawForm,
)
from ioc.reporting.pdf import docx_to_pdf, soffice_path
from ioc.reporting.permissions import AUTHOR_ROLES, MEETING_ROLES
from ioc.reporting.workbooks import build_xlsx

PAGE_SIZE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
def index(request: AuthedRequest) -> HttpResponse:
    """The archive: reports the user may read, searchable without diacritics, drafts and issued."""
    q = request.GET.get("q", "")[:100]
    state = request.GET.get("state", "")
    state = state if state in ReportState.values else ""
    reports = list(selectors.report_list_for(user=request.user, q=q, state=state)[:PAGE_SIZE])
    context = {
        "reports": reports,
        "q": q,
        "state": state,
        "states": ReportState.choices,
        "can_write": actor_has_role(request.user, AUTHOR_ROLES),
        "can_share": selectors.can_read_share(request.user),
    }
    return render(request, "reporting/index.html", context)


def generate(request: AuthedRequest) -> HttpResponse:
    """R8.1: a draft from a template for a period and scope; the figures come from the domain apps' selectors."""
    if request.method == "POST" and request.POST.get("from_map"):
        return _generate_from_map(request)
    form = GenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_generate(
                actor=request.user,
                template=data["template"],
                period=data["period"],
                scope_kind=data["scope_kind"],
                agency=data["agency"],
                unit=data["unit"],
                area=data["area"],
                focus_kind=data["focus_kind"],
                focus_code=data["focus_code"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lập dự thảo báo cáo"))
            return redirect("reporting:detail", pk=report.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reporting/generate.html", {"form": form}, status=status)


def _generate_from_map(request: AuthedRequest) -> HttpResponse:
    """Issue 17: the map's "Lập báo cáo cho vùng này" posts its selection here; the form opens with the area
    filled in (nothing is written until the officer picks the template and period and submits)."""
    initial = {"scope_kind": ScopeKind.AREA, "area": request.POST.get("area", "")[: AREA_TEXT_MAX + 1]}
    form = GenerateForm(initial=initial)
    return render(request, "reporting/generate.html", {"form": form, "from_map": True})


def _sections(report: Any) -> list[dict[str, Any]]:
    """The report's sections for the page: text with its figures' values, tables as rows."""
    shown = []
    for section in report.content:
        blocks = []
        for block in section["blocks"]:
            code = block.get("table")
            if code and code in report.figures:
                blocks.append({"table": report.figures[code]})
            elif "text" in block:
                blocks.append({"text": render_text(block["text"], report.figures), "editable": "editable" in block})
        shown.append({"title": section["title"], "blocks": blocks})
    return shown


@require_safe
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for(user=request.user, pk=pk)
    context = {
        "report": report,
        "sections": _sections(report),
        "versions": selectors.report_versions(report=report),
        "can_write": actor_has_role(request.user, AUTHOR_ROLES),
        "issue_form": IssueForm(),
        "can_submit": actor_has_role(request.user, MEETING_ROLES),  # federation's report_submit: the IOC's staff
        "pdf": soffice_path() is not None,
    }
    return render(request, "reporting/detail.html", context)


def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """R8.3: the editor adjusts a draft's text; placeholders ({{ code }}) stay linked to their figures."""
    report = selectors.report_get_for(user=request.user, pk=pk)
    if report.is_issued:
        messages.error(request, _("Báo cáo đã ban hành không sửa được; hãy lập bản đính chính."))
        return redirect("reporting:detail", pk=pk)
    form = EditForm(request.POST or None, report=report)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report_edit(
                actor=request.user,
                report=report,
                title=data["title"],
                texts=form.texts(),
                recipients=data["recipients"],
                signer_title=data["signer_title"],
                signer_name=data["signer_name"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu dự thảo"))
            return redirect("reporting:detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    figures = sorted((code, f["label"]) for code, f in report.figures.items() if f["kind"] == "value")
    context = {"report": report, "form": form, "figures": figures}
    return render(request, "reporting/edit.html", context, status=status)


def _act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    report = selectors.report_get_for(user=request.user, pk=pk)
    try:
        if action == "refresh":
            services.report_refresh(actor=request.user, report=report)
            messages.success(request, _("Đã cập nhật số liệu"))
        elif action == "issue":
            form = IssueForm(request.POST)
            number = form.data.get("number", "") if form.is_valid() else ""
            report = services.report_issue(actor=request.user, report=report, number=str(number))
            messages.success(request, _("Đã ban hành báo cáo số %(number)s") % {"number": report.number})
        else:
            report = services.report_correct(actor=request.user, report=report)
            messages.success(request, _("Đã lập bản đính chính (phiên bản mới)"))
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
    return redirect("reporting:detail", pk=report.pk)


@require_POST
def refresh(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "refresh")


@require_POST
def issue(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "issue")


@require_POST
def correct(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "correct")


@require_safe
def download(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    """The issued report's frozen .docx / .xlsx (a draft's built now), or its PDF where LibreOffice is."""
    report = selectors.report_get_for(user=request.user, pk=pk)
    name = f"bao-cao-{report.period}-v{report.version}"
    if fmt == "docx":
        body, kind = bytes(report.document) if report.document else build_docx(report), DOCX
    elif fmt == "xlsx":
        body, kind = bytes(report.workbook) if report.workbook else build_xlsx(report), XLSX
    elif fmt == "pdf":
        pdf = docx_to_pdf(bytes(report.document) if report.document else build_docx(report))
        if pdf is None:
            raise Http404("PDF chưa sẵn sàng (chưa cài LibreOffice)")
        body, kind = pdf, "application/pdf"
    else:
        raise Http404("Định dạng không hỗ trợ")
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_safe
def calendar(request: AuthedRequest) -> HttpResponse:
    """R8.2: the act's reports by period with their due days (moved off days off, the rule stated)."""
    obligations = list(selectors.obligation_list(user=request.user)[:200])
    return render(request, "reporting/calendar.html", {"obligations": obligations})


# --- review meetings (R8.4) under /bao-cao/hop/ ---------------------------------------------------------------


@require_safe
def meetings(request: AuthedRequest) -> HttpResponse:
    """R8.4: the review meetings, latest first, with their state and briefing."""
    rows = list(selectors.meeting_list(user=request.user)[:PAGE_SIZE])
    context = {"meetings": rows, "can_write": actor_has_role(request.user, MEETING_ROLES)}
    return render(request, "reporting/meetings.html", context)


def meeting_schedule(request: AuthedRequest) -> HttpResponse:
    """R8.4: a sitting of one of the act's review meetings for a period."""
    form = MeetingScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lên lịch cuộc họp"))
            return redirect("reporting:meeting", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": _("Lên lịch họp kiểm điểm"), "submit": _("Lên lịch")}
    return render(request, "reporting/meeting_form.html", context, status=status)


def _meeting_page(request: AuthedRequest, meeting: Any, decision_form: Any = None, status: int = 200) -> HttpResponse:
    context = {
        "meeting": meeting,
        "decisions": list(selectors.meeting_decisions(meeting=meeting)),
        "follow_ups": list(selectors.decisions_to_follow_up(meeting=meeting)),
        "decision_form": decision_form or DecisionForm(),
        "follow_up_form": FollowUpForm(),
        "can_write": actor_has_role(request.user, MEETING_ROLES) and not meeting.is_closed,
    }
    return render(request, "reporting/meeting.html", context, status=status)


@require_safe
def meeting(request: AuthedRequest, pk: int) -> HttpResponse:
    """R8.4: one meeting: agenda, briefing, minutes, decisions and the earlier decisions to follow up."""
    return _meeting_page(request, selectors.meeting_get_for(user=request.user, pk=pk))


def meeting_minutes(request: AuthedRequest, pk: int) -> HttpResponse:
    """R8.4: the agenda, day and minutes; refused once the meeting is closed."""
    found = selectors.meeting_get_for(user=request.user, pk=pk)
    if found.is_closed:
        messages.error(request, _("Cuộc họp đã kết thúc: biên bản không sửa được nữa."))
        return redirect("reporting:meeting", pk=pk)
    initial = {"held_on": found.held_on, "agenda": found.agenda, "minutes": found.minutes}
    form = MinutesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=found, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu biên bản"))
            return redirect("reporting:meeting", pk=pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": _("Biên bản họp"), "submit": _("Lưu"), "meeting": found}
    return render(request, "reporting/meeting_form.html", context, status=status)


@require_POST
def meeting_decision(request: AuthedRequest, pk: int) -> HttpResponse:
    """R8.4: a decision assigned to an agency (it lands in the agency's inbox as an assignment)."""
    found = selectors.meeting_get_for(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_decision_add(actor=request.user, meeting=found, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã giao kết luận cho cơ quan"))
            return redirect("reporting:meeting", pk=pk)
    return _meeting_page(request, found, decision_form=form, status=400)


@require_POST
def meeting_follow_up(request: AuthedRequest, pk: int, decision: int) -> HttpResponse:
    """R8.4: this meeting reviews an earlier meeting's decision."""
    found = selectors.meeting_get_for(user=request.user, pk=pk)
    row = selectors.decisions_to_follow_up(meeting=found).filter(pk=decision).first()
    if row is None:
        raise Http404("Không có kết luận này để kiểm điểm")
    form = FollowUpForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"note": [_("Ghi kết quả kiểm điểm (tối đa 2000 ký tự).")]})
        services.meeting_decision_follow_up(actor=request.user, decision=row, meeting=found, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
        return _meeting_page(request, found, status=400)
    messages.success(request, _("Đã ghi kết quả kiểm điểm"))
    return redirect("reporting:meeting", pk=pk)


def _meeting_act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    found = selectors.meeting_get_for(user=request.user, pk=pk)
    try:
        if action == "briefing":
            services.meeting_briefing_generate(actor=request.user, meeting=found)
            messages.success(request, _("Đã lập báo cáo phục vụ họp"))
        else:
            services.meeting_close(actor=request.user, meeting=found)
            messages.success(request, _("Đã kết thúc cuộc họp"))
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
    return redirect("reporting:meeting", pk=pk)


@require_POST
def meeting_briefing(request: AuthedRequest, pk: int) -> HttpResponse:
    return _meeting_act(request, pk, "briefing")


@require_POST
def meeting_close(request: AuthedRequest, pk: int) -> HttpResponse:
    return _meeting_act(request, pk, "close")


def _year(request: AuthedRequest) -> int | None:
    raw = request.GET.get("nam", "")
    if not raw:
        return timezone.now().astimezone(LOCAL_TZ).year
    return int(raw) if raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100 else None


def share(request: AuthedRequest) -> HttpResponse:
    """R8.3 (002:3.3): per month of a year, the meeting reports produced from the IOC's data against all of them,
    the ones recorded as made outside the IOC, and (IOC staff) the form to record one."""
    year = _year(request)
    if year is None:
        messages.error(request, _("Năm không hợp lệ (2000–2100) / Invalid year"))
        year, status = timezone.now().astimezone(LOCAL_TZ).year, 400
    else:
        status = 200
    can_write = actor_has_role(request.user, MEETING_ROLES)
    form = OutsideReportForm(request.POST or None)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("Chỉ cán bộ, lãnh đạo IOC ghi nhận báo cáo / Only IOC staff record these reports"))
        if form.is_valid():
            try:
                services.outside_report_record(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã ghi nhận báo cáo lập ngoài IOC"))
                return redirect(f"{request.path}?nam={form.cleaned_data['issued_on'].year}")
        status = 400
    context = {
        "year": year,
        "rows": selectors.meeting_share_year(year=year),
        "outside": list(selectors.outside_report_list(year=year)),
        "form": form,
        "withdraw_form": WithdrawForm(),
        "can_write": can_write,
    }
    return render(request, "reporting/share.html", context, status=status)


@require_POST
def share_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    """R8.3: withdraw an outside report recorded by mistake (kept, no longer counted)."""
    row = selectors.outside_report_get(pk=pk)
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"reason": [_("Ghi lý do rút (tối đa 2000 ký tự).")]})
        services.outside_report_withdraw(actor=request.user, report=row, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
        return redirect(f"{reverse('reporting:share')}?nam={row.issued_on.year}")
    messages.success(request, _("Đã rút mục này"))
    return redirect(f"{reverse('reporting:share')}?nam={row.issued_on.year}")
