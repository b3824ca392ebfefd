"""Pages of the shared data hub (R1.1, R1.2c, R1.4, R1.5): the catalog, a dataset (schema, quality, templates,
upload), the submissions and their error reports. Thin: parse, call one selector or service, render."""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ioc.accounts.selectors import agency_of_user
from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.common.roles import Role, actor_has_role
from ioc.common.spreadsheet import export_cell
from ioc.datahub import selectors, services
from ioc.datahub.annotate import sheet_download
from ioc.datahub.choices import Channel, Sensitivity, SheetState, SubmissionStatus
from ioc.datahub.forms import (
    ENTRY_ROWS_DEFAULT,
    ENTRY_ROWS_MAX,
    ConnectorForm,
    DatasetForm,
    EntryForm,
    ObligationForm,
    UploadForm,
    conflicts_on_fields,
    row_formset,
    typed_rows,
)
from ioc.datahub.models import Dataset
from ioc.datahub.quality import DEFINITIONS
from ioc.datahub.workbooks import template_csv, template_xlsx

PAGE_SIZE = 50
UPLOAD_ROLES = frozenset({Role.AGENCY_OFFICER, Role.AGENCY_HEAD})
PREFILL_MAX = 5000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _dataset(request: AuthedRequest, code: str) -> Dataset:
    dataset = selectors.dataset_get(user=request.user, code=code)
    if dataset is None:
        raise Http404
    return dataset


def index(request: AuthedRequest) -> HttpResponse:
    """R1.1: the catalog; an agency's own datasets first for its officers (`?cua-toi=1` keeps only them)."""
    agency = agency_of_user(user=request.user)
    mine = request.GET.get("cua-toi") == "1" and agency is not None
    datasets = list(selectors.dataset_list(user=request.user, owner_id=agency.pk if mine and agency else None))
    quality = selectors.datasets_quality(datasets=datasets)
    rows = [(d, quality[d.pk]) for d in datasets]
    return render(
        request,
        "datahub/index.html",
        {
            "rows": rows,
            "agency": agency,
            "mine": mine,
            "definitions": DEFINITIONS,
            "tab": "catalog",
            "can_catalog": actor_has_role(request.user, services.CATALOG_ROLES),
        },
    )


def owed(request: AuthedRequest) -> HttpResponse:
    """R1.3: "what we owe": the agency's obligations (all of them for the IOC) with the dues of the last and next
    two weeks, each on time, late, missing or upcoming."""
    statuses = selectors.obligations_owed(user=request.user)
    return render(request, "datahub/owed.html", {"statuses": statuses, "tab": "owed"})


def compliance(request: AuthedRequest) -> HttpResponse:
    """R1.3: the compliance board: agencies ranked by on-time rate over the last four weeks; R1.4: beside it, each
    agency's quality (đúng, đủ, sạch of what it sent in the same range)."""
    board = selectors.compliance_board(user=request.user)
    quality = selectors.agencies_quality(agency_ids=[row.agency_id for row in board])
    rows = [(row, quality.get(row.agency_id, {})) for row in board]
    context = {"rows": rows, "days": selectors.BOARD_DAYS, "definitions": DEFINITIONS, "tab": "compliance"}
    return render(request, "datahub/compliance.html", context)


def obligation_edit(request: AuthedRequest, dataset: str) -> HttpResponse:
    """R1.3: the IOC sets who owes the dataset and on which cadence (GET: the form and the current obligations)."""
    found = _dataset(request, dataset)
    form = ObligationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.obligation_set(actor=request.user, dataset=found, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu nghĩa vụ gửi dữ liệu / Obligation saved"))
            return redirect("datahub:obligation_edit", dataset=found.code)
    obligations = selectors.obligation_list(user=request.user, active_only=False).filter(dataset=found)
    context = {"dataset": found, "form": form, "obligations": obligations, "tab": "owed"}
    return render(request, "datahub/obligation_edit.html", context, status=400 if form.errors else 200)


def dataset_create(request: AuthedRequest) -> HttpResponse:
    """R1.1: an administrator or the IOC describes a new dataset and its structure (a draft until published)."""
    form = DatasetForm(request.POST or None)
    save = functools.partial(services.dataset_create, actor=request.user)
    done = _("Đã lập bộ dữ liệu (bản nháp) / Draft dataset created")
    return _dataset_form(request, form, save, done, {})


def dataset_edit(request: AuthedRequest, dataset: str) -> HttpResponse:
    """R1.1: change a draft's description and structure (a published dataset's structure is fixed: 400)."""
    found = _dataset(request, dataset)
    names = ("name", "description", "owner", "system", "frequency", "sharing_mode", "sensitivity", "accept_valid_rows")
    initial = {name: getattr(found, name) for name in names}
    initial["schema"] = json.dumps(found.schema, ensure_ascii=False, indent=2)
    form = DatasetForm(request.POST or None, initial=initial, editing=True)
    save = functools.partial(services.dataset_update, actor=request.user, dataset=found)
    return _dataset_form(request, form, save, _("Đã lưu cấu trúc / Structure saved"), {"dataset": found})


def _dataset_form(
    request: AuthedRequest, form: DatasetForm, save: Callable[..., Dataset], done: str, context: dict[str, Any]
) -> HttpResponse:
    """A valid POST goes to `save` (a catalog service); its refusals land on the form's fields (400)."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("datahub:dataset_detail", dataset=saved.code)
    context = {**context, "form": form, "tab": "catalog"}
    return render(request, "datahub/dataset_form.html", context, status=400 if form.errors else 200)


@require_POST
def dataset_publish(request: AuthedRequest, dataset: str) -> HttpResponse:
    """R1.1: publish a draft (its structure fixed, its filterable fields indexed)."""
    found = _dataset(request, dataset)
    try:
        services.dataset_publish(actor=request.user, dataset=found)
    except ValidationError as exc:
        for reason in exc.messages:
            messages.error(request, reason)
        return redirect("datahub:dataset_detail", dataset=found.code)
    messages.success(request, _("Đã công bố bộ dữ liệu / Dataset published"))
    return redirect("datahub:dataset_detail", dataset=found.code)


def dataset_detail(request: AuthedRequest, dataset: str) -> HttpResponse:
    """R1.1, R1.4: a dataset's structure, quality (with the definitions), templates, upload form, submissions."""
    found = _dataset(request, dataset)
    submissions = selectors.submission_list_for(user=request.user, dataset=found)[:20]
    return render(request, "datahub/dataset_detail.html", _dataset_context(request, found, list(submissions)))


def _dataset_context(
    request: AuthedRequest, dataset: Dataset, submissions: list[Any], form: Any = None
) -> dict[str, Any]:
    return {
        "dataset": dataset,
        "quality": selectors.dataset_quality(dataset=dataset),
        "definitions": DEFINITIONS,
        "submissions": submissions,
        "form": form or UploadForm(),
        "can_upload": actor_has_role(request.user, UPLOAD_ROLES) and agency_of_user(user=request.user) is not None,
        "key": set(dataset.primary_key),
        "can_oblige": actor_has_role(request.user, services.CATALOG_ROLES),
    }


def template_download(request: AuthedRequest, dataset: str, fmt: str) -> HttpResponse:
    """R1.2c: the template, pre-filled with the agency's last accepted values, or on the first download of a
    dataset kept by unit with the units expected (`selectors.template_rows`)."""
    found = _dataset(request, dataset)
    agency = agency_of_user(user=request.user)
    rows = (
        selectors.template_rows(dataset=found, agency_id=agency.pk if agency else None, limit=PREFILL_MAX)
        if _may_read_rows(request, found)
        else []
    )
    if fmt == "xlsx":
        response = HttpResponse(template_xlsx(found, rows), content_type=XLSX_TYPE)
    elif fmt == "csv":
        response = HttpResponse(template_csv(found, rows), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="mau-{found.code}.{fmt}"'
    return response


def _may_read_rows(request: AuthedRequest, dataset: Dataset) -> bool:
    agency = agency_of_user(user=request.user)
    return dataset.sensitivity != Sensitivity.RESTRICTED or (agency is not None and agency.pk == dataset.owner_id)


@require_POST
def upload(request: AuthedRequest, dataset: str) -> HttpResponse:
    """R1.2c: a filled template uploaded by an agency's officer, through the one ingest service."""
    found = _dataset(request, dataset)
    agency = agency_of_user(user=request.user)
    if agency is None:
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload_file = form.cleaned_data["file"]
        content, file_name = upload_file.read(), upload_file.name or ""
        large = not form.cleaned_data["dry_run"] and services.is_large(content=content, file_name=file_name)
        period = form.cleaned_data["period"]
        try:
            if large:  # R1.2: over 5,000 rows the worker imports it; the page follows the job
                job = services.ingest_job_create(
                    actor=request.user,
                    dataset=found,
                    agency=agency,
                    channel=Channel.UPLOAD,
                    content=content,
                    file_name=file_name,
                    period=period,
                )
            else:
                result = services.submission_ingest(
                    actor=request.user,
                    dataset=found,
                    agency=agency,
                    channel=Channel.UPLOAD,
                    content=content,
                    file_name=file_name,
                    period=period,
                    dry_run=form.cleaned_data["dry_run"],
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if large:
                messages.info(request, _("Tệp lớn: đang nhập ở nền / A large file: imported in the background"))
                return redirect("datahub:job_detail", pk=job.pk)
            return _after_upload(request, found, result)
    submissions = list(selectors.submission_list_for(user=request.user, dataset=found)[:20])
    return render(
        request, "datahub/dataset_detail.html", _dataset_context(request, found, submissions, form), status=400
    )


def entry(request: AuthedRequest, dataset: str) -> HttpResponse:
    """R1.2c: the web form generated from the dataset's schema; the typed rows go through `submission_ingest`
    (checked first: mistakes come back on their fields and store nothing)."""
    found = _dataset(request, dataset)
    agency = agency_of_user(user=request.user)
    if agency is None:
        raise PermissionDenied
    form = EntryForm(request.POST or None)
    formset = row_formset(found.schema, data=request.POST or None, rows=_entry_rows(request))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows, sources = typed_rows(formset)
        if not rows:
            form.add_error(None, _("Nhập ít nhất một dòng dữ liệu."))
        else:
            try:
                result = services.submission_enter(
                    actor=request.user, dataset=found, agency=agency, rows=rows, period=form.cleaned_data["period"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if result.submission is not None:
                    return redirect("datahub:submission_detail", pk=result.submission.pk)
                conflicts_on_fields(form, sources, result.summary["conflicts"], found.schema)
    invalid = request.method == "POST"
    context = {"dataset": found, "form": form, "formset": formset, "tab": "catalog"}
    return render(request, "datahub/entry.html", context, status=400 if invalid else 200)


def _entry_rows(request: AuthedRequest) -> int:
    try:
        wanted = int(request.GET.get("dong", ENTRY_ROWS_DEFAULT))
    except ValueError:
        wanted = ENTRY_ROWS_DEFAULT
    return max(1, min(wanted, ENTRY_ROWS_MAX))


def _after_upload(request: AuthedRequest, dataset: Dataset, result: services.IngestResult) -> HttpResponse:
    if result.submission is not None:
        return redirect("datahub:submission_detail", pk=result.submission.pk)
    return render(
        request,
        "datahub/dry_run.html",
        {"dataset": dataset, "summary": result.summary, "quality": result.quality, "definitions": DEFINITIONS},
    )


def submission_list(request: AuthedRequest) -> HttpResponse:
    """R1.5: the submissions the user may see (uploads and pushes), newest first, by status."""
    status = request.GET.get("trang-thai", "")
    if status not in SubmissionStatus.values:
        status = ""
    page = Paginator(selectors.submission_list_for(user=request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "datahub/submissions.html",
        {"page": page, "status": status, "statuses": SubmissionStatus.choices, "tab": "submissions"},
    )


def job_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """R1.2: a large import's progress — queued, running, done (its submission and error report) or failed with
    the reason; the page reloads itself while the worker has it."""
    job = selectors.ingest_job_get(user=request.user, pk=pk)
    if job is None:
        raise Http404
    return render(request, "datahub/job_detail.html", {"job": job, "tab": "submissions"})


def submission_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """R1.4, R1.5: one submission: lineage, counts, quality and the error report (row, field, reason)."""
    submission = selectors.submission_get(user=request.user, pk=pk)
    if submission is None:
        raise Http404
    errors = Paginator(submission.errors, 200).get_page(request.GET.get("page"))
    sheet = selectors.error_sheet_state(submission=submission)
    return render(
        request,
        "datahub/submission_detail.html",
        {"submission": submission, "errors": errors, "definitions": DEFINITIONS, "sheet": sheet},
    )


def submission_sheet(request: AuthedRequest, pk: int) -> HttpResponse:
    """R1.4 "bảng lỗi": the officer's own file with its bad cells marked — made on the first download (by the
    worker for a large file: this page follows it and reloads itself), then served as made."""
    submission = selectors.submission_get(user=request.user, pk=pk)
    if submission is None:
        raise Http404
    kept = services.error_sheet_request(actor=request.user, submission=submission)
    if kept is None:
        raise Http404
    if kept.state == SheetState.DONE:
        sheet = sheet_download(kept.file_name, bytes(kept.content[:4]))
        response = HttpResponse(bytes(kept.sheet), content_type=sheet.content_type)
        response["Content-Disposition"] = f'attachment; filename="{sheet.file_name}"'
        return response
    return render(request, "datahub/error_sheet.html", {"submission": submission, "kept": kept})


def submission_errors_csv(request: AuthedRequest, pk: int) -> HttpResponse:
    """R1.4: the error report as CSV (UTF-8 with BOM; formula-like values escaped)."""
    submission = selectors.submission_get(user=request.user, pk=pk)
    if submission is None:
        raise Http404
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("Dòng"), _("Trường"), _("Giá trị"), _("Lý do")])
    for conflict in submission.errors:
        writer.writerow([export_cell(conflict.get(k, "")) for k in ("row", "field", "value", "reason")])
    response = HttpResponse(("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="loi-lan-gui-{submission.pk}.csv"'
    return response


# --- pull connectors (R1.2b): administrators -------------------------------------------------------------
def connectors(request: AuthedRequest) -> HttpResponse:
    """R1.2b: every pull connector with its schedule and last run; the published datasets without one."""
    found = list(selectors.connector_list(user=request.user))
    last = selectors.connectors_last_runs(connectors=found)
    linked = {c.dataset_id for c in found}
    free = [d for d in selectors.dataset_list(user=request.user, published_only=True) if d.pk not in linked]
    rows = [(c, last.get(c.pk)) for c in found]
    return render(request, "datahub/connectors.html", {"rows": rows, "free": free, "tab": "connectors"})


def connector_edit(request: AuthedRequest, dataset: str) -> HttpResponse:
    """R1.2b: set a dataset's pull connector (the auth value is never shown back) and see its runs."""
    found = _dataset(request, dataset)
    connector = selectors.connector_for(user=request.user, dataset=found)
    initial = {"is_active": True, "interval_minutes": 60, "timeout_seconds": 15}
    if connector is not None:
        initial = {name: getattr(connector, name) for name in CONNECTOR_FIELDS}
    form = ConnectorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.connector_set(actor=request.user, dataset=found, values=form.settings())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu kết nối kéo dữ liệu / Connector saved"))
            return redirect("datahub:connector_edit", dataset=found.code)
    runs = selectors.connector_runs(connector=connector) if connector is not None else []
    context = {"dataset": found, "connector": connector, "form": form, "runs": runs, "tab": "connectors"}
    return render(request, "datahub/connector_edit.html", context, status=400 if form.errors else 200)


CONNECTOR_FIELDS = (
    "url",
    "method",
    "fmt",
    "json_path",
    "auth_header",
    "interval_minutes",
    "timeout_seconds",
    "is_active",
)


@require_POST
def connector_run(request: AuthedRequest, dataset: str) -> HttpResponse:
    """R1.2b: run the connector now (the worker takes it)."""
    connector = selectors.connector_for(user=request.user, dataset=_dataset(request, dataset))
    if connector is None:
        raise Http404
    services.connector_run_now(actor=request.user, connector=connector)
    messages.success(request, _("Đã yêu cầu chạy kết nối / Run requested"))
    return redirect("datahub:connector_edit", dataset=dataset)
