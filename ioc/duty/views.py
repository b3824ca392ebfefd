"""R7.1 (issue 20): the duty desk's pages — recent handovers, writing one at the end of a duty, reading one and
acknowledging it. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.common.roles import actor_has_role
from ioc.common.workitems import work_items_collect
from ioc.duty import selectors, services
from ioc.duty.forms import HandoverForm


@require_safe
def index(request: AuthedRequest) -> HttpResponse:
    """R7.1: the recent handovers, newest first."""
    handovers = selectors.handover_list(user=request.user)[: selectors.RECENT]
    can_write = actor_has_role(request.user, services.DUTY_ROLES)
    return render(request, "duty/index.html", {"handovers": handovers, "can_write": can_write})


def write(request: AuthedRequest) -> HttpResponse:
    """R7.1: the end-of-duty note; the open work items are snapshotted as they stand now."""
    form = HandoverForm(request.POST or None)
    open_items = work_items_collect(user=request.user, now=timezone.now())
    if request.method == "POST" and form.is_valid():
        try:
            services.handover_write(actor=request.user, open_items=open_items, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu biên bản giao ca / Handover saved"))
            return redirect("duty:index")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "open_count": len(open_items), "open_items": open_items[: services.SNAPSHOT_MAX]}
    return render(request, "duty/write.html", context, status=status)


@require_safe
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    handover = selectors.handover_get_for(user=request.user, pk=pk)
    can_acknowledge = (
        handover.acknowledged_at is None
        and handover.author_id != request.user.pk
        and actor_has_role(request.user, services.DUTY_ROLES)
    )
    return render(request, "duty/detail.html", {"handover": handover, "can_acknowledge": can_acknowledge})


@require_POST
def acknowledge(request: AuthedRequest, pk: int) -> HttpResponse:
    """R7.1: the next shift has read the handover; a refusal (own note, already taken) is a message."""
    handover = selectors.handover_get_for(user=request.user, pk=pk)
    try:
        services.handover_acknowledge(handover=handover, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
        return redirect("duty:detail", pk=pk)
    messages.success(request, _("Đã nhận bàn giao ca / Handover acknowledged"))
    return redirect("web:home")
