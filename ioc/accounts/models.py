"""Accounts, scoped roles, written account requests, tokens and display screens (R7.1, R7.2, R7.4)."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.accounts.choices import RequestKind, RequestStatus, Role


class IocUserManager(UserManager["User"]):
    """Accounts are created only through an account request (R7.2), never `createsuperuser`."""

    def create_superuser(self, *args: object, **kwargs: object) -> User:  # type: ignore[override]
        raise NotImplementedError(
            "createsuperuser is disabled: use `manage.py bootstrap_admin --document-no … --document-date …` (R7.2)"
        )


class User(AbstractUser):
    """R7.1: a person, a display screen or an information system's service account."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency", models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("cơ quan")
    )
    is_service_account = models.BooleanField(_("tài khoản hệ thống"), default=False)
    is_removed = models.BooleanField(_("đã xóa bỏ"), default=False)
    password_changed_at = models.DateTimeField(null=True, blank=True)

    objects = IocUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        """Active role codes (cached per request-bound instance)."""
        if not self.pk or not self.is_active:
            return frozenset()
        return frozenset(self.role_assignments.filter(revoked_at__isnull=True).values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes & set(roles))


class RoleAssignment(models.Model):
    """R7.1: a role, optionally limited to an agency and an administrative subtree, granted by a request."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("vai trò"), max_length=24, choices=Role.choices)
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, null=True, blank=True, related_name="+")
    unit = models.ForeignKey("geo.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+")
    granted_by = models.ForeignKey("AccountRequest", models.PROTECT, related_name="granted_roles")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_by = models.ForeignKey(
        "AccountRequest", models.PROTECT, null=True, blank=True, related_name="revoked_roles"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(revoked_at__isnull=True),
                name="accounts_role_active_unique",
                violation_error_message=_("Tài khoản đã có vai trò này."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


def _scan_path(instance: AccountRequest, filename: str) -> str:
    return f"account_requests/{timezone.now():%Y/%m}/{instance.document_no.replace('/', '_')}-{filename[-60:]}"


class AccountRequest(models.Model):
    """R7.2: the official written request behind every account change (number, date, issuer, approver)."""

    kind = models.CharField(_("loại yêu cầu"), max_length=16, choices=RequestKind.choices)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    document_no = models.CharField(_("số văn bản"), max_length=60)
    document_date = models.DateField(_("ngày văn bản"))
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200)
    scan = models.FileField(_("bản quét"), upload_to=_scan_path, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="account_requests"
    )
    payload = models.JSONField(_("nội dung"), default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        verbose_name = _("văn bản đề nghị về tài khoản")
        verbose_name_plural = _("văn bản đề nghị về tài khoản")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.document_no} ({self.document_date:%d/%m/%Y}) — {self.get_kind_display()}"


class ApiToken(models.Model):
    """DESIGN "Tokens": shown once, stored as prefix + HMAC, scoped, expiring, revocable by request."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    label = models.CharField(_("nhãn"), max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(AccountRequest, models.PROTECT, related_name="issued_tokens")
    revoked_by = models.ForeignKey(AccountRequest, models.PROTECT, null=True, blank=True, related_name="revoked_tokens")

    class Meta:
        verbose_name = _("mã truy cập")
        verbose_name_plural = _("mã truy cập")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class DisplayScreen(models.Model):
    """R7.4: a registered wall screen; a display account is bound to one and keeps a 7-day session."""

    code = models.SlugField(_("mã màn hình"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    location = models.CharField(_("vị trí"), max_length=200, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.PROTECT, related_name="display_screen")

    class Meta:
        verbose_name = _("màn hình hiển thị")
        verbose_name_plural = _("màn hình hiển thị")

    def __str__(self) -> str:
        return self.name


class BackupCodeBatch(models.Model):
    """R7.4: when the 10 single-use backup codes of an account were last issued (codes live in django-otp)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="backup_batch")
    issued_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} {self.issued_at:%Y-%m-%d}"
