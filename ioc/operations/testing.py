"""Fixtures for tests and the crawl's fixture world (R10.4): the act's two allowances mapped to the work places, a
managing body, and a small staff built through the services."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings

from ioc.agencies.choices import ActRole
from ioc.agencies.models import Agency, AgencyActRole
from ioc.agencies.services import agency_act_role_add
from ioc.operations import services
from ioc.operations.choices import Proration, WorkPlace
from ioc.operations.models import AllowanceRule, Staff
from ioc.regulation import selectors as regulation
from ioc.regulation import services as regulation_services

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.regulation.models import Act

CENTER_VND = 1_000_000
ELSEWHERE_VND = 500_000


def managing_body_make(*, actor: User, agency: Agency) -> None:
    """Name `agency` the act's managing body (its officers approve sheets and changes)."""
    if not AgencyActRole.objects.filter(agency=agency, role=ActRole.MANAGING).exists():
        agency_act_role_add(actor=actor, agency=agency, role=ActRole.MANAGING, source="demo")


ACT_TEXT = """QUY CHẾ
Điều 1. Phạm vi điều chỉnh
Quy chế quản lý, vận hành Trung tâm IOC.
Điều 2. Nhân sự
Nhân sự của Trung tâm làm việc kiêm nhiệm.
Điều 3. Chế độ hỗ trợ
1. Người trực tiếp làm việc tại Trung tâm.
2. Người thực hiện nhiệm vụ của Trung tâm nhưng không trực tiếp làm việc tại Trung tâm.
"""


def _act(actor: User) -> Act:
    """A small act of the deployment's profile with an article on allowances (tests and the crawl's world)."""
    return regulation_services.act_set(
        actor=actor,
        profile=settings.IOC_PROFILE,
        seed="999",
        number="02/QĐ-UBND",
        date=dt.date(2025, 7, 1),
        issuing_body="Ủy ban nhân dân tỉnh",
        title="Quy chế vận hành Trung tâm IOC (thử nghiệm)",
        level="province",
        text=ACT_TEXT,
    )


def allowance_rules_make(*, actor: User, leader: User, proration: str = Proration.BY_DAYS) -> list[AllowanceRule]:
    """The sample act with 1.000.000 đồng at the center and 500.000 elsewhere (as 003:9), and the rules."""
    act = regulation.act_current() or _act(actor)
    seed = act.seed
    items = [
        {"code": "truc-tiep", "beneficiary": "Tại Trung tâm", "amount_vnd": CENTER_VND, "source": f"{seed}:3.2"},
        {"code": "gian-tiep", "beneficiary": "Ngoài Trung tâm", "amount_vnd": ELSEWHERE_VND, "source": f"{seed}:3.2"},
    ]
    center, elsewhere = regulation_services.allowances_set(actor=actor, act=act, items=items)
    return services.allowance_rules_set(
        actor=leader, proration=proration, allowances={WorkPlace.CENTER: center, WorkPlace.ELSEWHERE: elsewhere}
    )


def staff_make(
    *, leader: User, agency: Agency, name: str, place: str = WorkPlace.CENTER, start: dt.date, **extra: Any
) -> Staff:
    return services.staff_create(
        actor=leader,
        full_name=name,
        home_agency=agency,
        position=extra.pop("position", "Chuyên viên"),
        work_place=place,
        starts_on=start,
        **extra,
    )
