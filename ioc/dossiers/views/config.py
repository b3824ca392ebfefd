"""Configuration of procedures under /quan-tri/thu-tuc/ (R5.3, "Quản trị"): the list and a new version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.dossiers import selectors, services
from ioc.dossiers.forms.config import ProcedureVersionForm
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
