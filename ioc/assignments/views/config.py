"""The escalation-chain pages of the "Quản trị" section (R3.3, R4.5): list, create, edit, retire.

Thin: parse with `config_forms.ChainForm`, call `escalation_chain_set` / `escalation_chain_remove`, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ioc.accounts.models import User
from ioc.assignments import selectors, services
from ioc.assignments.forms.config import ChainForm, chain_initial
from ioc.assignments.models import EscalationChain
from ioc.common.forms import add_service_errors


def _chain(pk: int) -> EscalationChain:
    chain = selectors.escalation_chain_get(pk=pk)
    if chain is None:
        raise Http404(_("Không tìm thấy chuỗi / No such chain"))
    return chain


def _processes(chain: EscalationChain | None = None) -> list[str]:
    known = set(services.subject_processes())
    return sorted(known | {chain.process}) if chain is not None else sorted(known)


def chain_list(request: HttpRequest) -> HttpResponse:
    """R3.3, R4.5: every chain with its steps, by process and category."""
    return render(request, "assignments/config/chain_list.html", {"chains": selectors.escalation_chain_list()})


def chain_create(request: HttpRequest) -> HttpResponse:
    """R3.3, R4.5: a new chain for a process and a category (or the process default)."""
    form = ChainForm(request.POST or None, processes=_processes())
    return _save(request, form, None)


def chain_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """R3.3, R4.5: change a chain's name and steps (its process and category stay)."""
    chain = _chain(pk)
    form = ChainForm(request.POST or None, initial=chain_initial(chain), processes=_processes(chain), editing=True)
    return _save(request, form, chain)


def _save(request: HttpRequest, form: ChainForm, chain: EscalationChain | None) -> HttpResponse:
    actor = request.user
    assert isinstance(actor, User)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.escalation_chain_set(
                actor=actor,
                process=data["process"],
                category_code=data["category_code"] or "",
                name=data["name"],
                steps=form.steps(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu chuỗi báo cáo cấp trên / Escalation chain saved"))
            return redirect("assignments_config:chain_edit", pk=saved.pk)
    context = {"form": form, "chain": chain}
    return render(request, "assignments/config/chain_form.html", context, status=400 if form.errors else 200)


@require_POST
def chain_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """R3.3, R4.5: retire a chain that no work has followed yet."""
    actor = request.user
    assert isinstance(actor, User)
    try:
        services.escalation_chain_remove(actor=actor, chain=_chain(pk))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("assignments_config:chain_edit", pk=pk)
    messages.success(request, _("Đã bỏ chuỗi báo cáo cấp trên / Escalation chain retired"))
    return redirect("assignments_config:chain_list")
