"""Pages of federation under /lien-thong/ (R9.1–R9.3): link status (last success, lag, backlog), messages out and
in with their state, dead letters with replay, conflicts to resolve, directives to a child center.
Thin: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.federation import selectors, services
from ioc.federation.choices import ConflictState, InState, OutState
from ioc.federation.forms import DirectiveForm, ResolveForm, SubmitForm
from ioc.reporting import selectors as reporting_selectors

PAGE_SIZE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_safe
def index(request: AuthedRequest) -> HttpResponse:
    """R9.3: every link with its last success, lag and backlog; the latest records received from children."""
    context = {
        "statuses": selectors.link_statuses(),
        "records": selectors.record_list()[:20],
        "dead_count": selectors.dead_letter_list().count(),
        "conflict_count": selectors.conflict_list().count(),
    }
    return render(request, "federation/index.html", context)


def _state(request: AuthedRequest, allowed: list[str]) -> str:
    state = request.GET.get("state", "")
    return state if state in allowed else ""


@require_safe
def outbox(request: AuthedRequest) -> HttpResponse:
    """R9.3: messages sent (or waiting) with their state, attempts and last error."""
    state = _state(request, OutState.values)
    page = Paginator(selectors.outbox_list(state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "federation/outbox.html", {"page": page, "state": state, "states": OutState.choices})


@require_safe
def inbox(request: AuthedRequest) -> HttpResponse:
    """R9.3: messages received, applied once, superseded by a later version, or in conflict."""
    state = _state(request, InState.values)
    page = Paginator(selectors.inbox_list(state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "federation/inbox.html", {"page": page, "state": state, "states": InState.choices})


@require_safe
def dead_letters(request: AuthedRequest) -> HttpResponse:
    """R9.3: messages the sender gave up on, with the reason; an operator replays them."""
    page = Paginator(selectors.dead_letter_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "federation/dead_letters.html", {"page": page})


@require_POST
def dead_letter_replay(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = selectors.dead_letter_get(pk=pk)
    if letter is None:
        raise Http404(_("Không tìm thấy thư / No such message"))
    try:
        services.dead_letter_replay(actor=request.user, dead_letter=letter)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã xếp thư vào hàng gửi lại / The message is queued again"))
    return redirect("federation:dead_letters")


@require_safe
def conflicts(request: AuthedRequest) -> HttpResponse:
    """R9.1: received values that differ from this center's own, to resolve."""
    page = Paginator(selectors.conflict_list(open_only=False), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "federation/conflicts.html", {"page": page})


def conflict(request: AuthedRequest, pk: int) -> HttpResponse:
    """R9.1: one conflict: keep this center's value or take the received one."""
    found = selectors.conflict_get(pk=pk)
    if found is None:
        raise Http404(_("Không tìm thấy xung đột / No such conflict"))
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_resolve(actor=request.user, conflict=found, resolution=form.cleaned_data["resolution"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã xử lý xung đột / Conflict resolved"))
            return redirect("federation:conflicts")
    status = 400 if request.method == "POST" else 200
    context = {"conflict": found, "form": form, "is_open": found.state == ConflictState.OPEN}
    return render(request, "federation/conflict.html", context, status=status)


def directive(request: AuthedRequest) -> HttpResponse:
    """R9.1: a directive to a child center; it lands there as an assignment."""
    links = selectors.directive_links()
    form = DirectiveForm(request.POST or None, links=links)
    if request.method == "POST" and form.is_valid():
        try:
            services.directive_send(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã gửi chỉ đạo / Directive sent"))
            return redirect("federation:outbox")
    status = 400 if request.method == "POST" else 200
    return render(request, "federation/directive.html", {"form": form, "has_links": links.exists()}, status=status)


def report_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    """R8.2, R9.1: submit an issued report to the parent center; where and when it was sent before."""
    report = reporting_selectors.report_get_for(user=request.user, pk=pk)
    links = selectors.parent_links()
    form = SubmitForm(request.POST or None, links=links)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_submit(actor=request.user, report=report, link=form.cleaned_data["link"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã xếp báo cáo vào hàng gửi cấp trên / The report is queued for the parent"))
            return redirect("federation:report_submit", pk=pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "report": report,
        "form": form,
        "has_links": bool(links),
        "submissions": list(selectors.report_submissions(report_id=report.pk)[:PAGE_SIZE]),
    }
    return render(request, "federation/report_submit.html", context, status=status)


@require_safe
def subordinate_reports(request: AuthedRequest) -> HttpResponse:
    """R8, R9.1: the archive of the reports child centers submitted (current versions; all with `?all=1`)."""
    q = request.GET.get("q", "")[:100]
    every = request.GET.get("all") == "1"
    rows = selectors.subordinate_report_list(user=request.user, q=q, all_versions=every)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "federation/subordinate_reports.html", {"page": page, "q": q, "all": every})


@require_safe
def subordinate_report_download(request: AuthedRequest, pk: int) -> HttpResponse:
    """The .docx a child center submitted, as received (its SHA-256 checked on receipt)."""
    found = selectors.subordinate_report_get(user=request.user, pk=pk)
    if found is None:
        raise Http404(_("Không tìm thấy báo cáo / No such report"))
    response = HttpResponse(bytes(found.document), content_type=DOCX)
    name = f"bao-cao-{found.link.code}-{found.period}-v{found.version}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
