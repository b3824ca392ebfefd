"""Reports submitted upward (R8.2, R9.1): an issued report of the territory goes to the parent center through the
outbox, as one message carrying its .docx (base64) and metadata, signed and delivered like every other; the
obligation of its period records where and when it was sent. A correction (a new version of the report) goes under
the same object, so the parent's archive keeps the newest version as current (R9.3: never backwards).
The receiving side is `flows.prepare_report` / `flows.apply_report` (the archive of subordinate reports).
"""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ioc.audit.services import audit_record
from ioc.federation.choices import Flow
from ioc.federation.models import Link, ReportSubmission
from ioc.federation.selectors import parent_links
from ioc.federation.services._base import max_message_bytes, require_operator
from ioc.federation.services.outbox import messages_enqueue
from ioc.reporting.services import obligation_sent_record

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.reporting.models import Report

ENVELOPE_BYTES = 4096  # the batch wrapper and the metadata around the document


def report_object_key(report: Report) -> str:
    """One object per report lineage (template, period): every version of it travels under the same key."""
    return f"report:{report.template.code}:{report.period}"


def report_payload(report: Report) -> dict[str, Any]:
    document = bytes(report.document or b"")
    return {
        "report_key": f"{report.template.code}:{report.period}",
        "template": report.template.code,
        "template_name": report.template.name,
        "period": report.period,
        "title": report.title,
        "number": report.number,
        "issued_on": report.issued_on.isoformat() if report.issued_on else "",
        "version": report.version,
        "sha256": hashlib.sha256(document).hexdigest(),
        "docx": base64.b64encode(document).decode("ascii"),
    }


def _submit_errors(report: Report, link: Link | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not report.is_issued or not report.document:
        errors["report"] = [_("Chỉ gửi báo cáo đã ban hành / Only an issued report is submitted")]
    elif report.scope_kind != "territory":
        errors["report"] = [_("Chỉ gửi báo cáo toàn địa bàn / Only a report of the whole territory is submitted")]
    if link is None or link not in parent_links():
        errors["link"] = [
            _("Chưa có liên kết cấp trên nhận báo cáo / No active parent link takes reports (agree the flow)")
        ]
    return errors


@transaction.atomic
def report_submit(*, actor: User, report: Report, link: Link | None = None) -> ReportSubmission:
    """R8.2, R9.1: send an issued report to the parent center (the only parent link taking reports unless `link`
    is given): an outbox row written with the submission in one transaction; the obligation records it."""
    require_operator(actor)
    links = parent_links()
    link = link or (links[0] if len(links) == 1 else None)
    errors = _submit_errors(report, link)
    if errors:
        raise ValidationError(errors)
    assert link is not None
    payload = report_payload(report)
    size = len(payload["docx"]) + ENVELOPE_BYTES
    if size > max_message_bytes():
        message = _("Văn bản quá lớn để gửi (%(n)s byte) / The document is too large to send")
        raise ValidationError({"report": [message % {"n": size}]})
    rows = messages_enqueue(
        link=link, flow=Flow.REPORT_SUBMITTED, items=[(report_object_key(report), payload)], solo=True
    )
    if not rows:
        raise ValidationError({"report": [_("Phiên bản này đã được gửi / This version was already sent")]})
    submission = ReportSubmission.objects.create(report=report, link=link, message=rows[0], submitted_by=actor)
    obligation_sent_record(report=report, sent_to=link.name, at=submission.submitted_at)
    changes = {"link": link.code, "number": report.number, "version": report.version, "sha256": payload["sha256"]}
    audit_record(actor=actor, action="federation_report.submit", obj=submission, changes=changes)
    return submission
