"""R8.1–R8.3: the reports' pages under /bao-cao/ — archive, generate, read, edit, refresh, issue, correct,
download, and the act's calendar. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.common.roles import actor_has_role
from ioc.reporting import selectors, services
from ioc.reporting.choices import ReportState
from ioc.reporting.content import render_text
from ioc.reporting.documents import build_docx
from ioc.reporting.forms import EditForm, GenerateForm, IssueForm
from ioc.reporting.pdf import docx_to_pdf, soffice_path
from ioc.reporting.permissions import AUTHOR_ROLES
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
    }
    return render(request, "reporting/index.html", context)


def generate(request: AuthedRequest) -> HttpResponse:
    """R8.1: a draft from a template for a period and scope; the figures come from the domain apps' selectors."""
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
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lập dự thảo báo cáo"))
            return redirect("reporting:detail", pk=report.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reporting/generate.html", {"form": form}, status=status)


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
