"""R1.6: an agency's access request, and the owner's answer: a scoped, time-limited grant, or a refusal in writing
with reasons and legal basis. Every write checks, writes, audits and tells the other side."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.audit.services import audit_record
from ioc.datahub.choices import DatasetStatus, Sensitivity, SharingMode
from ioc.sharing import notices
from ioc.sharing.choices import TRANSITIONS, RequestStatus
from ioc.sharing.models import AccessRequest, Grant
from ioc.sharing.services._base import (
    due_after,
    owner_check,
    owner_people,
    requester_agency,
    tell,
    terms_current,
)

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.datahub.models import Dataset
    from ioc.geo.models import AdminUnit

TEXT_MAX = 4000


def _text(errors: dict[str, list[str]], name: str, value: str, message: str) -> None:
    if not value.strip():
        errors[name] = [message]
    elif len(value) > TEXT_MAX:
        errors[name] = [_("Tối đa %(n)d ký tự.") % {"n": TEXT_MAX}]


def _fields_errors(dataset: Dataset, fields: Sequence[str]) -> list[str]:
    known = {f["name"] for f in dataset.fields}
    if not fields:
        return [_("Chọn ít nhất một trường.")]
    unknown = sorted(set(fields) - known)
    if unknown:
        return [_("Bộ dữ liệu không có trường: %(names)s.") % {"names": ", ".join(unknown)}]
    return []


def _communes_errors(communes: Sequence[AdminUnit]) -> list[str]:
    wrong = sorted(u.code for u in communes if u.hierarchy != "2025" or u.level != "commune")
    if wrong:
        return [_("Chỉ chọn xã, phường (đơn vị 2025): %(codes)s.") % {"codes": ", ".join(wrong)}]
    return []


def _dataset_errors(dataset: Dataset, agency_id: int) -> list[str]:
    if dataset.status != DatasetStatus.PUBLISHED:
        return [_("Bộ dữ liệu chưa được công bố.")]
    if dataset.sensitivity not in (Sensitivity.PUBLIC, Sensitivity.INTERNAL):
        return [_("Bộ dữ liệu hạn chế không được chia sẻ qua kho dữ liệu dùng chung.")]
    if dataset.owner_id == agency_id:
        return [_("Cơ quan đã là chủ quản của bộ dữ liệu này.")]
    pending = AccessRequest.objects.filter(dataset=dataset, agency_id=agency_id, status=RequestStatus.PENDING)
    if pending.exists():
        return [_("Cơ quan đã có một yêu cầu đang chờ xử lý cho bộ dữ liệu này.")]
    return []


def _submit_check(
    dataset: Dataset,
    agency_id: int,
    fields: Sequence[str],
    communes: Sequence[AdminUnit],
    purpose: str,
    legal_basis: str,
    wanted_until: dt.date | None,
) -> None:
    errors: dict[str, list[str]] = {}
    for name, problems in (
        ("dataset", _dataset_errors(dataset, agency_id)),
        ("fields", _fields_errors(dataset, fields)),
        ("communes", _communes_errors(communes)),
    ):
        if problems:
            errors[name] = problems
    _text(errors, "purpose", purpose, _("Nêu mục đích sử dụng dữ liệu."))
    if dataset.sharing_mode == SharingMode.ON_REQUEST or legal_basis:
        _text(errors, "legal_basis", legal_basis, _("Chia sẻ theo yêu cầu riêng phải nêu căn cứ pháp lý."))
    if wanted_until is not None and wanted_until <= timezone.localdate():
        errors["wanted_until"] = [_("Ngày đề nghị sử dụng đến phải sau hôm nay.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def access_request_submit(
    *,
    actor: User,
    dataset: Dataset,
    fields: Sequence[str],
    purpose: str,
    legal_basis: str = "",
    communes: Sequence[AdminUnit] = (),
    wanted_until: dt.date | None = None,
    now: dt.datetime | None = None,
) -> AccessRequest:
    """R1.6: an agency asks for a dataset's fields (and optionally some communes) with its purpose and, on
    request, its legal basis. Due within the terms' working days in the owner's calendar: set-up days for default
    sharing (2), answer days for sharing on request (5). The owner's officers are told."""
    agency = requester_agency(actor)
    _submit_check(dataset, agency.pk, fields, communes, purpose, legal_basis, wanted_until)
    terms, moment = terms_current(), now or timezone.now()
    default = dataset.sharing_mode == SharingMode.DEFAULT
    days = terms.setup_working_days if default else terms.response_working_days
    request = AccessRequest.objects.create(
        dataset=dataset,
        agency=agency,
        requested_by=actor,
        mode=dataset.sharing_mode,
        fields=list(dict.fromkeys(fields)),
        purpose=purpose.strip(),
        legal_basis=legal_basis.strip(),
        wanted_until=wanted_until,
        submitted_at=moment,
        due_at=due_after(moment, days, dataset.owner),
    )
    request.communes.set(communes)
    audit_record(
        actor=actor,
        action="access_request.submit",
        obj=request,
        changes={"dataset": dataset.code, "fields": request.fields, "communes": sorted(u.code for u in communes)},
    )
    tell(request, template=notices.SUBMITTED, recipients=owner_people(request), dedup=f"sharing.submitted:{request.pk}")
    return request


def _decision_check(actor: User, request: AccessRequest, target: str) -> None:
    owner_check(actor, request.dataset)
    if target not in TRANSITIONS[request.status]:
        raise ValidationError({"status": [_("Yêu cầu đã được xử lý, không thể xử lý lại.")]})


def _scope_errors(
    request: AccessRequest,
    fields: Sequence[str],
    communes: Sequence[AdminUnit],
    expires_at: dt.datetime,
    now: dt.datetime,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    wider = sorted(set(fields) - set(request.fields))
    if not fields:
        errors["fields"] = [_("Chọn ít nhất một trường.")]
    elif wider:
        errors["fields"] = [_("Không cấp trường ngoài đề nghị: %(names)s.") % {"names": ", ".join(wider)}]
    asked = {u.pk for u in request.communes.all()}
    outside = sorted(u.code for u in communes if asked and u.pk not in asked)
    problems = _communes_errors(communes) or (
        [_("Không cấp xã, phường ngoài đề nghị: %(codes)s.") % {"codes": ", ".join(outside)}] if outside else []
    )
    if problems:
        errors["communes"] = problems
    latest = now + dt.timedelta(days=terms_current().max_grant_days)
    if expires_at <= now:
        errors["expires_at"] = [_("Thời hạn phải sau thời điểm hiện tại.")]
    elif expires_at > latest:
        errors["expires_at"] = [_("Thời hạn tối đa %(n)d ngày.") % {"n": terms_current().max_grant_days}]
    return errors


@transaction.atomic
def access_request_approve(
    *,
    actor: User,
    request: AccessRequest,
    expires_at: dt.datetime,
    fields: Sequence[str] | None = None,
    communes: Sequence[AdminUnit] | None = None,
    now: dt.datetime | None = None,
) -> Grant:
    """R1.6: the owner grants access — the requested fields or fewer, the requested communes or fewer (none asked:
    any), until `expires_at` (at most the terms' maximum). The requester is told."""
    moment = now or timezone.now()
    _decision_check(actor, request, RequestStatus.APPROVED)
    chosen_fields = list(dict.fromkeys(fields if fields is not None else request.fields))
    chosen_communes = list(communes if communes is not None else request.communes.all())
    errors = _scope_errors(request, chosen_fields, chosen_communes, expires_at, moment)
    if errors:
        raise ValidationError(errors)
    grant = Grant.objects.create(
        request=request,
        dataset=request.dataset,
        agency=request.agency,
        fields=chosen_fields,
        starts_at=moment,
        expires_at=expires_at,
        granted_by=actor,
    )
    grant.communes.set(chosen_communes)
    _decide(request, actor, RequestStatus.APPROVED, moment)
    audit_record(
        actor=actor,
        action="access_request.approve",
        obj=request,
        changes={
            "grant": grant.pk,
            "fields": chosen_fields,
            "communes": sorted(u.code for u in chosen_communes),
            "expires_at": expires_at.isoformat(),
        },
    )
    _tell_requester(request, _("đã được cấp quyền truy cập"))
    return grant


@transaction.atomic
def access_request_refuse(
    *, actor: User, request: AccessRequest, reasons: str, legal_basis: str, now: dt.datetime | None = None
) -> AccessRequest:
    """R1.6: the owner refuses in writing, with its reasons and legal basis (both required). Data shared by
    default is set up, not refused (Decree 47/2020): only a request for data shared on request is refused."""
    _decision_check(actor, request, RequestStatus.REFUSED)
    errors: dict[str, list[str]] = {}
    if request.mode == SharingMode.DEFAULT:
        errors["status"] = [_("Dữ liệu chia sẻ mặc định: cơ quan chủ quản thiết lập quyền truy cập, không từ chối.")]
    _text(errors, "reasons", reasons, _("Nêu lý do từ chối."))
    _text(errors, "legal_basis", legal_basis, _("Nêu căn cứ pháp lý của việc từ chối."))
    if errors:
        raise ValidationError(errors)
    request.refusal_reasons = reasons.strip()
    request.refusal_legal_basis = legal_basis.strip()
    _decide(request, actor, RequestStatus.REFUSED, now or timezone.now())
    audit_record(
        actor=actor,
        action="access_request.refuse",
        obj=request,
        changes={"reasons": request.refusal_reasons, "legal_basis": request.refusal_legal_basis},
    )
    _tell_requester(request, _("bị từ chối"))
    return request


def _decide(request: AccessRequest, actor: User, status: str, moment: dt.datetime) -> None:
    request.status = status
    request.decided_at = moment
    request.decided_by = actor
    request.save(update_fields=["status", "decided_at", "decided_by", "refusal_reasons", "refusal_legal_basis"])


def _tell_requester(request: AccessRequest, decision: str) -> None:
    tell(
        request,
        template=notices.DECIDED,
        recipients=[request.requested_by],
        dedup=f"sharing.decided:{request.pk}",
        decision=decision,
    )
