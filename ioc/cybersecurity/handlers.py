"""R5.6: the IOC's own lockouts and refused tokens are security events too (issue 21 item 3): django-axes'
`user_locked_out` signal becomes an `ioc:lockout` event, accounts' `token_refused` an `ioc:token_refused` event, each
of the sender's address as host, through the same store and rules.
And the vulnerabilities' side of `assignments` (DESIGN "Agency work"): the "cybersecurity" SubjectHandler."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.accounts.selectors import system_account_or_none
from ioc.common.choices import Severity
from ioc.cybersecurity.choices import PROCESS, EventFormat
from ioc.cybersecurity.parsers import Draft
from ioc.cybersecurity.services import events_store, exposure_follow

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.assignments.choices import UpdateKind
    from ioc.assignments.models import Assignment

logger = logging.getLogger(__name__)


def _ioc_event(rule: str, address: str, severity: int, message: str) -> None:
    """Store one event of the IOC itself; a failure here never breaks the page or the API answer (it is logged)."""
    actor = system_account_or_none()
    if actor is None:
        return
    draft = Draft(timezone.now(), EventFormat.IOC, "ioc", (address or "")[:255], rule, severity, message)
    try:
        events_store(actor=actor, drafts=[draft])
    except DatabaseError:
        logger.exception("cybersecurity: the %s event was not stored", rule)


def on_locked_out(sender: Any, *, username: str = "", ip_address: str = "", **kwargs: Any) -> None:
    _ioc_event(
        "ioc:lockout",
        ip_address,
        Severity.MEDIUM,
        f"Khóa đăng nhập sau nhiều lần sai / Locked out: {str(username)[:150]}",
    )


def on_token_refused(sender: Any, *, address: str = "", reason: str = "", prefix: str = "", **kwargs: Any) -> None:
    token = f" [{prefix}]" if prefix else ""
    path = str(kwargs.get("path", ""))[:200]
    message = f"Mã truy cập bị từ chối / Token refused{token}: {reason[:200]} — {path}"
    _ioc_event("ioc:token_refused", address, Severity.LOW, message)


class VulnerabilitySubjectHandler:
    """R5.6, R4.5: each step of an agency's patch work moves its exposure; a fix needs text, a photo is optional
    (a patch is shown by the agency's report, not a picture)."""

    label = _("An toàn thông tin")  # the process's name in the officer's inbox

    def on_transition(self, *, assignment: Assignment, kind: UpdateKind, actor: User | None, text: str) -> None:
        exposure_follow(assignment=assignment, kind=str(kind), actor=actor)

    def evidence_photo_required(self, *, assignment: Assignment) -> bool:
        return False


HANDLER = VulnerabilitySubjectHandler()


def register() -> None:
    from axes.signals import user_locked_out

    from ioc.accounts.services import token_refused
    from ioc.assignments.services import register_subject_handler

    user_locked_out.connect(on_locked_out, dispatch_uid="cybersecurity.lockout")
    token_refused.connect(on_token_refused, dispatch_uid="cybersecurity.token_refused")
    register_subject_handler(PROCESS, HANDLER)
