"""The sharing demo (R1.6, R11): any profile — agencies with officers are read from the database.

One dataset shared on request (traffic hot spots by commune) of an agency with officers; another agency's officer
asks for it and is granted part of it, then asks for more and is refused in writing with reasons and legal basis;
the same officer asks for a default-shared dataset of the data hub and waits (pending, due in 2 working days).
All through the services, in the last 14 days. Idempotent: nothing happens once the demo dataset has requests.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction

from ioc.accounts.selectors import system_account
from ioc.agencies.models import Agency
from ioc.assignments.selectors import agency_people
from ioc.common.roles import Role
from ioc.datahub import services as datahub
from ioc.datahub.choices import Channel, DatasetStatus, Frequency, Sensitivity, SharingMode
from ioc.datahub.models import Dataset
from ioc.geo import selectors as geo_selectors
from ioc.sharing import services
from ioc.sharing.models import AccessRequest

CODE = "diem-nong-giao-thong"
OFFICERS = (Role.AGENCY_OFFICER, Role.AGENCY_HEAD)
SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "ma_diem", "title": "Mã điểm", "type": "string", "constraints": {"required": True}},
        {"name": "ten_diem", "title": "Tên điểm", "type": "string"},
        {"name": "ma_xa", "title": "Mã xã", "type": "string", "ioc:role": "unit"},
        {"name": "so_vu", "title": "Số vụ va chạm trong năm", "type": "integer", "ioc:filterable": True},
        {
            "name": "muc_do",
            "title": "Mức độ",
            "type": "string",
            "ioc:filterable": True,
            "constraints": {"enum": ["cao", "trung_binh", "thap"]},
        },
        {"name": "ghi_chu_nghiep_vu", "title": "Ghi chú nghiệp vụ", "type": "string"},
    ],
    "primaryKey": ["ma_diem"],
}
LEGAL_BASIS = "Nghị định 47/2020/NĐ-CP về quản lý, kết nối và chia sẻ dữ liệu số của cơ quan nhà nước"


def _staffed_agencies() -> list[tuple[Agency, Any]]:
    """Agencies with an officer or head (the first one of each), by code."""
    found = []
    for agency in Agency.objects.filter(is_active=True).order_by("code"):
        people = agency_people(agency=agency, roles=OFFICERS)
        if people:
            found.append((agency, people[0]))
    return found


def _hot_spots(communes: list[Any], rng: random.Random) -> list[dict[str, Any]]:
    levels = ["cao", "trung_binh", "thap"]
    return [
        {
            "ma_diem": f"DN{i:03d}",
            "ten_diem": f"Nút giao {unit.name}",
            "ma_xa": unit.code,
            "so_vu": rng.randint(1, 40),
            "muc_do": rng.choice(levels),
            "ghi_chu_nghiep_vu": "Theo dõi giờ cao điểm",
        }
        for i, unit in enumerate(communes[:12], start=1)
    ]


def _dataset(owner: Agency, officer: Any, communes: list[Any], rng: random.Random) -> Dataset:
    actor = system_account()
    dataset = datahub.dataset_create(
        actor=actor,
        code=CODE,
        name="Điểm nóng về trật tự an toàn giao thông",
        owner=owner,
        schema=SCHEMA,
        frequency=Frequency.QUARTERLY,
        sharing_mode=SharingMode.ON_REQUEST,
        description="Dữ liệu mẫu (demo)",
    )
    dataset = datahub.dataset_publish(actor=actor, dataset=dataset)
    datahub.submission_ingest(
        actor=officer, dataset=dataset, agency=owner, channel=Channel.FORM, rows=_hot_spots(communes, rng)
    )
    return dataset


def generate(*, profile: Any, rng: random.Random, until: dt.datetime) -> dict[str, int]:
    """R1.6: a grant, a written refusal and a pending request (see the module's docstring)."""
    if AccessRequest.objects.filter(dataset__code=CODE).exists():
        return {"already_loaded": 1}
    staffed = _staffed_agencies()
    territory = geo_selectors.territory_get(profile=profile.key)
    communes = list(territory.communes.order_by("code")) if territory is not None else []
    if len(staffed) < 2 or not communes:
        return {"requests": 0}
    (owner, owner_officer), (consumer, reader) = staffed[0], staffed[1]
    start = until - dt.timedelta(days=10)
    with transaction.atomic():
        dataset = Dataset.objects.filter(code=CODE).first() or _dataset(owner, owner_officer, communes, rng)
        asked = services.access_request_submit(
            actor=reader,
            dataset=dataset,
            fields=["ma_diem", "ten_diem", "ma_xa", "so_vu", "muc_do"],
            purpose="Bố trí lực lượng, phân luồng giao thông giờ cao điểm",
            legal_basis=LEGAL_BASIS,
            now=start,
        )
        services.access_request_approve(
            actor=owner_officer,
            request=asked,
            fields=["ma_diem", "ten_diem", "ma_xa", "so_vu"],
            expires_at=until + dt.timedelta(days=180),
            now=start + dt.timedelta(days=1),
        )
        more = services.access_request_submit(
            actor=reader,
            dataset=dataset,
            fields=["ma_diem", "ghi_chu_nghiep_vu"],
            purpose="Tổng hợp báo cáo",
            legal_basis=LEGAL_BASIS,
            now=start + dt.timedelta(days=3),
        )
        services.access_request_refuse(
            actor=owner_officer,
            request=more,
            reasons="Ghi chú nghiệp vụ là thông tin phục vụ công tác bảo đảm an ninh, không thuộc phạm vi chia sẻ.",
            legal_basis="Khoản 2 Điều 11 " + LEGAL_BASIS,
            now=start + dt.timedelta(days=5),
        )
        waiting = _pending(reader, consumer, until)
    return {"requests": 2 + waiting, "grants": 1, "refusals": 1}


def _pending(reader: Any, consumer: Agency, until: dt.datetime) -> int:
    """A request for a default-shared dataset of the data hub (another agency's), waiting for its owner."""
    dataset = (
        Dataset.objects.filter(
            status=DatasetStatus.PUBLISHED,
            sharing_mode=SharingMode.DEFAULT,
            sensitivity__in=(Sensitivity.PUBLIC, Sensitivity.INTERNAL),
        )
        .exclude(owner=consumer)
        .order_by("code")
        .first()
    )
    if dataset is None:
        return 0
    services.access_request_submit(
        actor=reader,
        dataset=dataset,
        fields=[f["name"] for f in dataset.fields][:4],
        purpose="Đối chiếu số liệu phục vụ điều hành",
        now=until - dt.timedelta(hours=6),
    )
    return 1
