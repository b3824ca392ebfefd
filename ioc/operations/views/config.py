"""R10.4: the allowance rules under "Quản trị" — which of the act's allowances each work place receives and how a
partial month is paid (the IOC leader and the managing body set them; others read)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ioc.common.authed import AuthedRequest
from ioc.operations import selectors, services
from ioc.operations.choices import Proration, WorkPlace
from ioc.operations.forms import RulesForm
from ioc.operations.views._base import run
from ioc.regulation import selectors as regulation


def rules(request: AuthedRequest) -> HttpResponse:
    current = {rule.work_place: rule for rule in selectors.allowance_rules()}
    initial = {
        "proration": next((rule.proration for rule in current.values()), Proration.NONE),
        **{place: rule.allowance_id for place, rule in current.items()},
    }
    form = RulesForm(request.POST or None, initial=initial, allowances=regulation.allowances())
    can_manage = selectors.can_manage_staff(user=request.user)
    if request.method == "POST" and can_manage:
        call = lambda data: services.allowance_rules_set(  # noqa: E731
            actor=request.user,
            proration=data["proration"],
            allowances={place: data[place] for place in WorkPlace.values},
        )
        if run(request, form, call, _("Đã lưu quy tắc hỗ trợ")):
            return redirect("operations_config:rules")
    context = {"form": form, "can_manage": can_manage, "rules": current, "allowances": regulation.allowances()}
    return render(request, "operations/config/rules.html", context, status=400 if form.errors else 200)
