"""Account requests (R7.2): the official written document behind every account change, and shared checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.choices import SYSTEM_USERNAME, RequestKind, RequestStatus, Role
from ioc.accounts.models import AccountRequest, RoleAssignment, User
from ioc.accounts.uploads import scan_clean
from ioc.audit.services import audit_record

Errors = dict[str, list[str]]
APPROVER_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.IOC_LEADER})
EARLIEST_DOCUMENT_DATE = dt.date(1945, 9, 2)


# --- account requests (R7.2) -------------------------------------------------------------------------------


@transaction.atomic
def account_request_record(
    *,
    kind: str,
    document_no: str,
    document_date: dt.date,
    issuing_body: str,
    approver: User | None,
    requested_by: User | None,
    subject: User | None = None,
    payload: Mapping[str, Any] | None = None,
    scan: Any = None,
) -> AccountRequest:
    """R7.2: record the official written request behind one account change (pending until applied)."""
    errors = _document_errors(kind, document_no, document_date, issuing_body)
    if kind != RequestKind.BOOTSTRAP:
        _add(errors, "approver", _approver_error(approver))
    stored_scan = None
    if scan:
        try:
            stored_scan = scan_clean(scan)
        except ValidationError as exc:
            _add(errors, "scan", *exc.messages)
    if errors:
        raise ValidationError(errors)
    request = AccountRequest(
        kind=kind,
        document_no=document_no.strip(),
        document_date=document_date,
        issuing_body=issuing_body.strip(),
        approver=approver,
        requested_by=requested_by,
        subject=subject,
        payload=dict(payload or {}),
    )
    if stored_scan is not None:
        request.scan = stored_scan
    request.save()
    audit_record(
        actor=requested_by or approver, action="account_request.record", obj=request, changes=_request_summary(request)
    )
    return request


def _document_errors(kind: str, document_no: str, document_date: Any, issuing_body: str) -> Errors:
    errors: Errors = {}
    if kind not in RequestKind.values:
        _add(errors, "kind", _("Loại yêu cầu không hợp lệ / Unknown request kind"))
    if not (document_no or "").strip():
        _add(errors, "document_no", _("Cần số văn bản / The document number is required"))
    elif len(document_no.strip()) > 60:
        _add(errors, "document_no", _("Số văn bản quá dài (tối đa 60 ký tự) / Document number too long (60 max)"))
    if not isinstance(document_date, dt.date):
        _add(errors, "document_date", _("Cần ngày văn bản / The document date is required"))
    elif not EARLIEST_DOCUMENT_DATE <= document_date <= timezone.localdate():
        _add(errors, "document_date", _("Ngày văn bản không hợp lệ / The document date is not plausible"))
    if not (issuing_body or "").strip():
        _add(errors, "issuing_body", _("Cần cơ quan ban hành / The issuing body is required"))
    elif len(issuing_body.strip()) > 200:
        _add(errors, "issuing_body", _("Tên cơ quan ban hành quá dài / Issuing body too long"))
    return errors


def _approver_error(approver: User | None) -> str:
    if approver is None:
        return _("Cần người phê duyệt / An approver is required")
    if approver.username == SYSTEM_USERNAME:
        return _("Tài khoản hệ thống không phê duyệt văn bản / The system account approves no request")
    if not approver.is_active or approver.is_removed or not _has_active_role(approver, *APPROVER_ROLES):
        return _(
            "Người phê duyệt phải là quản trị hệ thống hoặc lãnh đạo IOC / "
            "The approver must be a system administrator or an IOC leader"
        )
    return ""


def _request_summary(request: AccountRequest) -> dict[str, Any]:
    return {
        "kind": request.kind,
        "document_no": request.document_no,
        "document_date": request.document_date.isoformat(),
        "issuing_body": request.issuing_body,
        "approver": request.approver.username if request.approver else None,
        "scan": bool(request.scan),
    }


def _request_take(account_request: Any, kind: str, *, subject: User | None = None) -> AccountRequest:
    """The pending request of `kind` behind a change, locked; else a ValidationError naming `account_request`."""
    if not isinstance(account_request, AccountRequest) or account_request.pk is None:
        _refuse("account_request", _("Cần văn bản đề nghị hợp lệ / An account request is required"))
    fresh = AccountRequest.objects.select_for_update().filter(pk=account_request.pk).first()
    if fresh is None:
        _refuse("account_request", _("Không tìm thấy văn bản đề nghị / Account request not found"))
    if fresh.kind != kind:
        _refuse(
            "account_request",
            _("Văn bản đề nghị không đúng loại thay đổi này / The account request is for another kind of change"),
        )
    if fresh.status != RequestStatus.PENDING:
        _refuse("account_request", _("Văn bản đề nghị đã được xử lý / The account request was already decided"))
    if subject is not None and fresh.subject_id not in (None, subject.pk):
        _refuse("account_request", _("Văn bản đề nghị dành cho tài khoản khác / The request names another account"))
    return fresh


def _request_done(request: AccountRequest, *, subject: User | None, applied: Mapping[str, Any]) -> None:
    request.status = RequestStatus.APPLIED
    request.decided_at = timezone.now()
    request.subject = request.subject or subject
    request.payload = {**request.payload, "applied": dict(applied)}
    request.save(update_fields=["status", "decided_at", "subject", "payload"])


def _actor_check(actor: User) -> None:
    if not isinstance(actor, User) or not actor.is_active or not _has_active_role(actor, Role.SYSTEM_ADMIN):
        _refuse(
            "actor",
            _("Chỉ quản trị hệ thống được thực hiện thay đổi tài khoản / Only a system administrator may do this"),
        )


# --- small helpers -----------------------------------------------------------------------------------------


def _has_active_role(user: User, *roles: str) -> bool:
    return RoleAssignment.objects.filter(user=user, role__in=roles, revoked_at__isnull=True).exists()


def _roles_forget(user: User) -> None:
    user.__dict__.pop("role_codes", None)


def _add(errors: Errors, field: str, *messages: str) -> None:
    for message in messages:
        if message:
            errors.setdefault(field, []).append(message)


def _refuse(field: str, message: str) -> NoReturn:
    raise ValidationError({field: [message]})
