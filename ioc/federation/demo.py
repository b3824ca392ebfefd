"""Federation's demo generator (R11; issue 18 item 6): a district center (`level == "district"`, e.g. loc-ninh) gets
a link to its provincial center at `FEDERATION_DEMO_PARENT_URL` (default http://127.0.0.1:8001, the parent started
by `python -m ioc.federation.loopback parent`, README "Two centers: federation"), agreeing on the daily summaries,
the escalated incidents, the values of the indicators it reports per commune, and directives coming down; the first
messages are collected into its outbox at once. A province gets its national link, configured but switched off (no
real government endpoint is ever called from the demo).

The keys are set on a recorded written request (R7.2) approved by the profile's administrator; the demo's shared
secret is the loopback harness's, public and for the demo only. Idempotent: a profile with links is left as is.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from ioc.accounts.choices import SYSTEM_USERNAME, RequestKind, Role
from ioc.accounts.models import RoleAssignment, User
from ioc.accounts.selectors import system_account
from ioc.accounts.services import account_request_record
from ioc.federation import services
from ioc.federation.choices import DOWN_FLOWS, UP_FLOWS, Flow, LinkRole
from ioc.federation.loopback import SECRET
from ioc.federation.models import Link
from ioc.indicators.choices import Source
from ioc.indicators.models import Indicator

PARENT_URL = "http://127.0.0.1:8001"
NATIONAL_URL = "https://lien-thong.example.invalid"


def _approver() -> User | None:
    holders = RoleAssignment.objects.filter(role=Role.SYSTEM_ADMIN, revoked_at__isnull=True).values("user_id")
    return User.objects.filter(pk__in=holders, is_active=True).exclude(username=SYSTEM_USERNAME).first()


def _indicators() -> list[str]:
    """The catalogue's entered indicators reported per commune (the ones a province rolls up)."""
    found = Indicator.objects.filter(is_active=True, source=Source.MANUAL).order_by("code")
    return [i.code for i in found if "commune" in i.levels][:6]


def _keys(link: Link, approver: User, key_id: str) -> None:
    request = account_request_record(
        kind=RequestKind.ISSUE_TOKEN,
        document_no="18/QĐ-LT (dữ liệu mẫu)",
        document_date=timezone.localdate() - dt.timedelta(days=7),
        issuing_body="UBND tỉnh (kết nối liên thông, dữ liệu mẫu)",
        approver=approver,
        requested_by=approver,
        payload={"federation_link": link.code},
    )
    services.link_keys_set(actor=system_account(), link=link, account_request=request, key_id=key_id, secret=SECRET)


def generate(*, profile: Any, rng: random.Random, until: dt.datetime) -> dict[str, int]:
    """R9.1: the district's parent link (with its first messages), or the province's national link (off)."""
    approver = _approver()
    if Link.objects.exists() or approver is None:
        return {}
    actor = system_account()
    with transaction.atomic():
        if getattr(profile, "level", "province") == "district":
            link = services.link_create(
                actor=actor,
                code="ioc-tinh",
                name="Trung tâm IOC tỉnh",
                role=LinkRole.PARENT,
                base_url=os.environ.get("FEDERATION_DEMO_PARENT_URL", PARENT_URL),
                flows=sorted(UP_FLOWS | DOWN_FLOWS),
                indicator_codes=_indicators(),
            )
            _keys(link, approver, f"{profile.key}-tinh")
            return {"links": 1, "messages": len(services.link_collect(link=link))}
        link = services.link_create(
            actor=actor,
            code="quoc-gia",
            name="Hệ thống thông tin báo cáo quốc gia",
            role=LinkRole.NATIONAL,
            base_url=NATIONAL_URL,
            flows=[Flow.NATIONAL_EXPORT],
            indicator_codes=_indicators(),
        )
        _keys(link, approver, f"{profile.key}-quoc-gia")
        services.link_update(
            actor=actor,
            link=link,
            name=link.name,
            base_url=link.base_url,
            flows=link.flows,
            indicator_codes=link.indicator_codes,
            is_active=False,
        )
        return {"links": 1, "messages": 0}
