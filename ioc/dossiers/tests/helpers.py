"""Fixtures of the dossiers tests: a procedure, an information system of agency B, event rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ioc.accounts import services as account_services
from ioc.accounts.choices import RequestKind
from ioc.accounts.models import User
from ioc.accounts.testing import DOCUMENT
from ioc.agencies.models import Agency, InformationSystem
from ioc.dossiers.models import ProcedureVersion
from ioc.dossiers.testing import SAMPLE_DOCUMENTS, sample_procedure
from ioc.worktime.selectors import LOCAL_TZ

PROCEDURE = "1.000001"
DOCS = SAMPLE_DOCUMENTS
PHONE = "0900000123"


def procedure_create(actor: User, *, code: str = PROCEDURE, limit_days: str = "3") -> ProcedureVersion:
    return sample_procedure(actor=actor, code=code, limit_days=limit_days)


def system_token_for(admin: User, agency: Agency, code: str) -> str:
    """An information system of `agency` with a `dossiers.events` token, made through the account services."""
    system = InformationSystem.objects.create(agency=agency, code=code, name=f"Một cửa {code}")

    def request(kind: str, subject: User | None = None) -> Any:
        return account_services.account_request_record(
            kind=kind, **DOCUMENT, approver=admin, requested_by=admin, subject=subject
        )

    created = request(RequestKind.CREATE)
    user = account_services.service_account_create(account_request=created, actor=admin, system=system)
    _token, secret = account_services.token_issue(
        account_request=request(RequestKind.ISSUE_TOKEN, user),
        actor=admin,
        user=user,
        scopes=["dossiers.events"],
        expires_at=timezone.now() + dt.timedelta(days=30),
        label=code,
    )
    return str(secret)


def local(day: str, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), LOCAL_TZ)


def receipt(code: str, moment: dt.datetime, *, event_id: str = "", **extra: Any) -> dict[str, Any]:
    row = {
        "event_id": event_id or f"{code}-r",
        "dossier": code,
        "kind": "receipt",
        "occurred_at": moment.isoformat(),
        "procedure": PROCEDURE,
        "channel": "online_full",
        "documents": DOCS,
        "phone": PHONE,
    }
    return {**row, **extra}


def event(code: str, kind: str, moment: dt.datetime, event_id: str, **extra: Any) -> dict[str, Any]:
    return {"event_id": event_id, "dossier": code, "kind": kind, "occurred_at": moment.isoformat(), **extra}
