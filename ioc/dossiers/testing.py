"""Fixtures of dossiers for other apps' tests and the crawl's world (R5.3): a sample procedure and a few dossiers
with canary contacts (the lookup's phone `0900000…`), one of them with an open violation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ioc.accounts.models import User
from ioc.agencies.models import Agency
from ioc.dossiers import services
from ioc.dossiers.models import ProcedureVersion

SAMPLE_PROCEDURE = "1.000001"
CRAWL_DOSSIER = "CRAWL-HS-1"
CANARY_CONTACT = "0900000555"
SAMPLE_DOCUMENTS = ["Đơn đề nghị", "Bản sao CCCD"]


def sample_procedure(*, actor: User, code: str = SAMPLE_PROCEDURE, limit_days: str = "3") -> ProcedureVersion:
    """A three-step procedure of `limit_days` working days, in force since 2020."""
    return services.procedure_version_set(
        code=code,
        name="Cấp giấy phép thử nghiệm",
        field="Thử nghiệm",
        effective_from=dt.date(2020, 1, 1),
        limit_days=limit_days,
        documents=SAMPLE_DOCUMENTS,
        fee=50000,
        steps=[
            {"code": "tiep-nhan", "name": "Tiếp nhận", "allotted_days": "0.5"},
            {"code": "tham-dinh", "name": "Thẩm định", "allotted_days": "1.5"},
            {"code": "phe-duyet", "name": "Phê duyệt", "allotted_days": "1"},
        ],
        actor=actor,
    )


def _row(code: str, kind: str, moment: dt.datetime, n: int, **extra: Any) -> dict[str, Any]:
    return {"event_id": f"{code}-{n}", "dossier": code, "kind": kind, "occurred_at": moment.isoformat(), **extra}


def dossiers_crawl_fixtures(*, admin: User, system_user: User, agency: Agency) -> None:
    """The sample procedure and two dossiers of `agency` received yesterday through the intake service: one with a
    skipped step (an open violation), one finished on time; both with the canary contact."""
    sample_procedure(actor=admin)
    start = timezone.now() - dt.timedelta(days=1)
    receipt = {"procedure": SAMPLE_PROCEDURE, "channel": "online_full", "documents": SAMPLE_DOCUMENTS}
    rows = [
        _row(CRAWL_DOSSIER, "receipt", start, 1, phone=CANARY_CONTACT, **receipt),
        _row(CRAWL_DOSSIER, "step_done", start + dt.timedelta(minutes=30), 2, step="tiep-nhan"),
        _row(CRAWL_DOSSIER, "step_done", start + dt.timedelta(minutes=60), 3, step="phe-duyet"),
        _row("CRAWL-HS-2", "receipt", start, 1, phone=CANARY_CONTACT, **receipt),
    ]
    rows += [
        _row("CRAWL-HS-2", "step_done", start + dt.timedelta(minutes=10 * n), n + 1, step=step)
        for n, step in enumerate(("tiep-nhan", "tham-dinh", "phe-duyet"), start=1)
    ]
    summary = services.dossier_event_receive(agency=agency, rows=rows, actor=system_user)
    assert not summary["conflicts"], summary
