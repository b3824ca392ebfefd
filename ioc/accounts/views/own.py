"""Account pages: sign-in, second factor, sign-out, own password (R7.4). Thin: parse, call a service, render."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_static.models import StaticDevice

from ioc.accounts import selectors, services
from ioc.accounts.forms.own import CodeForm, LoginForm, PasswordChangeForm
from ioc.accounts.middleware import SESSION_EXPIRED, otp_pending
from ioc.accounts.models import User
from ioc.accounts.otp import totp_qr_svg, totp_secret_grouped
from ioc.common.forms import add_service_errors
from ioc.common.middleware import client_address
from ioc.common.ratelimit import address_identity, rate_limit_hits, rate_limit_rule


def _next_url(request: HttpRequest) -> str:
    """The safe `next` target of this request, else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, target: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': target})}"


class LoginView(auth_views.LoginView):
    """R7.4: username and password; a staff account then enrols or verifies TOTP."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """R7.4: sign-in attempts are also limited per client address (ioc.common.ratelimit), which stops password
        spraying across many accounts that the per-username lockout does not see; a 429 page past the limit."""
        rule = rate_limit_rule("accounts.login.addr", identity=address_identity(client_address(request)))
        decision = rate_limit_hits([rule])
        if not decision.allowed:
            minutes = max(1, math.ceil(decision.retry_after / 60))
            response = render(request, "accounts/locked.html", {"minutes": minutes}, status=429)
            response["Retry-After"] = str(decision.retry_after)
            return response
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["session_expired"] = self.request.session.pop(SESSION_EXPIRED, False)
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        auth_login(self.request, user)
        target = _next_url(self.request)
        if not selectors.needs_second_factor(user=user):
            return HttpResponseRedirect(target)
        if selectors.totp_device_confirmed(user=user) is None:
            return HttpResponseRedirect(_with_next("accounts:totp_enrol", target))
        return HttpResponseRedirect(_with_next("accounts:second_factor", target))


login_view = LoginView.as_view()


@never_cache
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out on POST; a GET shows the confirmation (sign-out never happens from a link)."""
    if request.method == "POST":
        logout(request)
        return redirect(settings.LOGOUT_REDIRECT_URL)
    return render(request, "accounts/logout.html")


@never_cache
@sensitive_post_parameters("code")
def second_factor(request: HttpRequest) -> HttpResponseBase:
    """R7.4: later sign-ins ask for the TOTP code or one backup code."""
    user = request.user
    assert isinstance(user, User)
    target = _next_url(request)
    if not otp_pending(user):
        return HttpResponseRedirect(target)
    if selectors.totp_device_confirmed(user=user) is None:
        return HttpResponseRedirect(_with_next("accounts:totp_enrol", target))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.second_factor_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = selectors.backup_codes_left(user=user)
                messages.warning(
                    request,
                    _("Đã dùng một mã dự phòng; còn %(n)d mã / A backup code was used; %(n)d left") % {"n": left},
                )
            return HttpResponseRedirect(target)
        form.add_error("code", _("Mã không đúng, đã dùng hoặc thử quá nhanh / Wrong or used code, or too many tries"))
    return render(request, "accounts/second_factor.html", {"form": form, "next": target})


@never_cache
@sensitive_post_parameters("code")
def totp_enrol(request: HttpRequest) -> HttpResponseBase:
    """R7.4: first sign-in of a staff account: QR code and secret, confirm with a code, then 10 backup codes."""
    user = request.user
    assert isinstance(user, User)
    target = _next_url(request)
    if selectors.totp_device_confirmed(user=user) is not None:
        return HttpResponseRedirect(_with_next("accounts:second_factor", target) if otp_pending(user) else target)
    form = CodeForm(request.POST or None)
    device = selectors.totp_device_pending(user=user)
    if request.method == "POST" and device is not None and form.is_valid():
        codes = services.totp_enrolment_confirm(user=user, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            django_otp.login(request, device)
            return render(request, "accounts/backup_codes.html", {"codes": codes, "next": target})
        form.add_error("code", _("Mã không đúng; kiểm tra giờ của điện thoại / Wrong code; check the phone's clock"))
    if device is None:
        device = services.totp_enrolment_start(user=user)
    context = {
        "form": form,
        "next": target,
        "qr_svg": mark_safe(totp_qr_svg(device)),  # noqa: S308 - generated by segno from our own data
        "secret": totp_secret_grouped(device),
    }
    return render(request, "accounts/totp_enrol.html", context)


@never_cache
@sensitive_post_parameters("old_password", "new_password", "new_password_again")
def password_change(request: HttpRequest) -> HttpResponse:
    """R7.4: change one's own password (the strength policy applies)."""
    user = request.user
    assert isinstance(user, User)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Đã đổi mật khẩu / Password changed"))
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/password_change.html", {"form": form})


def lockout_response(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this when an account or address is locked out after repeated failures."""
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    return render(request, "accounts/locked.html", {"minutes": minutes}, status=429)
