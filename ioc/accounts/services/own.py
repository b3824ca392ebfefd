"""A person's own account: password change, TOTP enrolment, second-factor check (R7.4)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ioc.accounts.models import BackupCodeBatch, User
from ioc.accounts.otp import BACKUP_CODE_COUNT
from ioc.accounts.services.accounts import _password_errors
from ioc.accounts.services.requests import _refuse
from ioc.audit.services import audit_record

# --- the person's own account: password and second factor (R7.4) ------------------------------------------


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """R7.4: a person changes their own password (the old one is checked; the new one meets the policy)."""
    if not user.check_password(old_password or ""):
        _refuse("old_password", _("Mật khẩu hiện tại không đúng / The current password is wrong"))
    if reasons := _password_errors(new_password, user):
        raise ValidationError({"new_password": reasons})
    if old_password == new_password:
        _refuse("new_password", _("Mật khẩu mới phải khác mật khẩu cũ / The new password must differ"))
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    audit_record(actor=user, action="account.password_change", obj=user)
    return user


@transaction.atomic
def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """R7.4: the unconfirmed TOTP device a person enrols (reused until confirmed); refused once one is confirmed."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        _refuse("code", _("Tài khoản đã có thiết bị xác thực / A device is already enrolled"))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="IOC", confirmed=False)
        audit_record(actor=user, action="account.totp_enrolment_start", obj=user)
    return device


@transaction.atomic
def totp_enrolment_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """R7.4: confirm the device with a code; returns the 10 new single-use backup codes (shown once), or None.

    A wrong code returns None instead of raising, so the device's throttling counter is kept.
    """
    if device.user_id != user.pk or device.confirmed:
        _refuse("code", _("Thiết bị không hợp lệ / Not a device awaiting confirmation"))
    if not device.verify_token(_code_clean(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _backup_codes_issue(user)
    audit_record(actor=user, action="account.totp_enrol", obj=user, changes={"backup_codes": len(codes)})
    return codes


def _backup_codes_issue(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    codes = [StaticToken.random_token() for _unused in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    BackupCodeBatch.objects.update_or_create(user=user, defaults={"issued_at": timezone.now()})
    return codes


@transaction.atomic
def second_factor_verify(*, user: User, code: str) -> TOTPDevice | StaticDevice | None:
    """R7.4: the confirmed device that accepts `code` (TOTP, or a backup code used up here), else None.

    Failures are recorded, never raised, so the devices' throttling counters persist.
    """
    code = _code_clean(code)
    device: TOTPDevice | StaticDevice | None = None
    if code.isdigit():
        device = next((d for d in _devices(TOTPDevice, user) if d.verify_token(code)), None)
    elif code:
        device = next((d for d in _devices(StaticDevice, user) if d.verify_token(code.lower())), None)
    kind = "backup" if isinstance(device, StaticDevice) else "totp"
    action = "account.second_factor" if device is not None else "account.second_factor_failed"
    audit_record(actor=user, action=action, obj=user, changes={"device": kind if device else None})
    return device


def _devices(model: type[Any], user: User) -> list[Any]:
    return list(model.objects.select_for_update().filter(user=user, confirmed=True))


def _code_clean(code: str) -> str:
    return "".join((code or "").split()).replace("-", "")
