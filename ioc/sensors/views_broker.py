"""The system administrator's page of MQTT logins (R5.5, SensorThings MQTT extension): each information system's
broker credential issued (its password shown once, on the answer to the POST, never again) or revoked, and the
broker's password file and ACL written (`broker_acl_sync`, what `./manage.py mqtt_sync_acl` does). Thin: parse,
call one service, render; a refusal is a message with status 400."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ioc.agencies import selectors as agency_selectors
from ioc.agencies.models import InformationSystem
from ioc.common.authed import AuthedRequest
from ioc.sensors import services
from ioc.sensors.models import BrokerCredential

PASSWORD_FILE = "/etc/mosquitto/ioc.passwd"
ACL_FILE = "/etc/mosquitto/ioc.acl"


def _page(request: AuthedRequest, *, status: int = 200, issued: tuple[str, str] | None = None) -> HttpResponse:
    credentials = {c.system_id: c for c in BrokerCredential.objects.select_related("issued_by")}
    systems = [(s, credentials.get(s.pk)) for s in agency_selectors.information_system_list()]
    context = {"systems": systems, "issued": issued, "tab": "broker", "acl_file": _paths()[1]}
    return render(request, "sensors/broker.html", context, status=status)


def _paths() -> tuple[Path, Path]:
    return (
        Path(getattr(settings, "MQTT_PASSWORD_FILE", PASSWORD_FILE)),
        Path(getattr(settings, "MQTT_ACL_FILE", ACL_FILE)),
    )


def _system(request: AuthedRequest) -> InformationSystem | None:
    text = request.POST.get("system", "")
    if not text.isdigit():
        return None
    return agency_selectors.information_system_list().filter(pk=int(text)).first()


def broker_logins(request: AuthedRequest) -> HttpResponse:
    """R5.5: GET lists the systems and their logins; POST `action` = issue | revoke (with `system`) | sync."""
    if request.method != "POST":
        return _page(request)
    action = request.POST.get("action", "")
    try:
        if action == "sync":
            logins, topics = services.broker_acl_sync(
                actor=request.user, password_file=_paths()[0], acl_file=_paths()[1]
            )
            messages.success(
                request,
                _("Đã ghi ACL: %(n)d tài khoản, %(t)d chủ đề / ACL written: %(n)d logins, %(t)d topics")
                % {"n": logins, "t": topics},
            )
            return redirect("sensors:broker_logins")
        system = _system(request)
        if system is None or action not in ("issue", "revoke"):
            messages.error(request, _("system, action: không hợp lệ / invalid system or action"))
            return _page(request, status=400)
        if action == "revoke":
            services.broker_credential_revoke(actor=request.user, system=system)
            messages.success(request, _("Đã thu hồi / Revoked"))
            return redirect("sensors:broker_logins")
        _credential, password = services.broker_credential_issue(actor=request.user, system=system)
    except (ValidationError, OSError) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        return _page(request, status=400)
    return _page(request, issued=(system.code, password))  # shown once: this answer only, never stored
