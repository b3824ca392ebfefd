"""The service account of an information system, from the administrator's page (R7.2, DESIGN "Tokens")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from ioc.accounts.choices import RequestKind
from ioc.accounts.models import User
from ioc.accounts.services.requests import _actor_check, account_request_record
from ioc.accounts.services.systems import service_account_create
from ioc.agencies.models import InformationSystem


@transaction.atomic
def service_account_submit(
    *,
    actor: User,
    system: InformationSystem,
    document_no: str,
    document_date: dt.date,
    issuing_body: str,
    approver: User | None,
    scan: Any = None,
) -> User:
    """R7.2: record the written request and create the system's service account in one transaction (all or
    nothing); without a document the request is refused and nothing is written."""
    _actor_check(actor)
    request = account_request_record(
        kind=RequestKind.CREATE,
        document_no=document_no,
        document_date=document_date,
        issuing_body=issuing_body,
        approver=approver,
        requested_by=actor,
        payload={"system": system.code},
        scan=scan,
    )
    try:
        return service_account_create(account_request=request, actor=actor, system=system)
    except BaseException:
        if request.scan and request.scan.name:  # the transaction rolls back; the stored file must go too
            request.scan.storage.delete(request.scan.name)
        raise
