"""Configuration of procedures under /quan-tri/thu-tuc/ (R5.3, "Quản trị"): the list and a new version, typed or
imported from a file in the `thu_tuc_hanh_chinh` template (downloaded from the import page)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.datahub import selectors as datahub_selectors
from ioc.dossiers import selectors, services
from ioc.dossiers.datasets import PROCEDURES_SCHEMA_CODE, procedure_schema
from ioc.dossiers.forms.config import ProcedureFileForm, ProcedureVersionForm
from ioc.dossiers.rules import RULES


def procedure_config(request: AuthedRequest) -> HttpResponse:
    """R5.3: procedures with their versions, the rules and their basis; a form for a new version."""
    form = ProcedureVersionForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                services.procedure_version_set(**form.cleaned_data, actor=request.user)
                messages.success(request, _("Đã lưu phiên bản thủ tục"))
                return redirect("dossiers_config:procedures")
            except ValidationError as exc:
                add_service_errors(form, exc)
        status = 400
    procedures = selectors.procedure_list().prefetch_related("versions__steps")
    context = {"form": form, "procedures": procedures, "rules": RULES}
    return render(request, "dossiers/config/procedures.html", context, status=status)


def procedure_import(request: AuthedRequest) -> HttpResponse:
    """R5.3: an officer's file of procedures, each good row stored, every refusal listed (row, field, reason)."""
    posted = request.method == "POST"
    form = ProcedureFileForm(request.POST if posted else None, request.FILES if posted else None)
    summary, status = None, 200
    if form.is_bound:
        if form.is_valid():
            upload = form.cleaned_data["file"]
            summary = services.procedure_import(content=upload.read(), file_name=upload.name, actor=request.user)
            status = 200 if summary["status"] == "accepted" else 400
        else:
            status = 400
    return render(request, "dossiers/config/procedure_import.html", {"form": form, "summary": summary}, status=status)


@require_GET
def procedure_template(request: AuthedRequest) -> HttpResponse:
    """R5.3: the data hub's `.xlsx` template of the `thu_tuc_hanh_chinh` schema."""
    content = datahub_selectors.schema_template_xlsx(
        code=PROCEDURES_SCHEMA_CODE, name=_("Thủ tục hành chính"), schema=procedure_schema()
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{PROCEDURES_SCHEMA_CODE}.xlsx"'
    return response
