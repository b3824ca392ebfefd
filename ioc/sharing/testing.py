"""Builders for the sharing tests and the crawl's world (not used by the product): a published facilities
dataset owned by one agency, with rows in two communes, and requests through the services."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import shapely
from django.utils import timezone

from ioc.datahub import services as datahub_services
from ioc.datahub.choices import Channel, SharingMode
from ioc.geo.models import AdminUnit
from ioc.sharing import services
from ioc.sharing.models import AccessRequest, Grant

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency
    from ioc.datahub.models import Dataset


def facilities_schema() -> dict[str, Any]:
    """Health facilities with a point: `loai` and `so_giuong` are filterable (indexed), `ten_co_so` is not."""
    text, number = {"type": "string"}, {"type": "number"}
    return {
        "fields": [
            {"name": "ma_co_so", "title": "Mã cơ sở", "type": "string", "constraints": {"required": True}},
            {"name": "ten_co_so", "title": "Tên cơ sở", **text},
            {"name": "loai", "title": "Loại cơ sở", **text, "ioc:filterable": True},
            {"name": "ma_xa", "title": "Mã xã", **text, "ioc:role": "unit"},
            {"name": "so_giuong", "title": "Số giường", "type": "integer", "ioc:filterable": True},
            {"name": "cong_suat", "title": "Công suất (%)", **number},
            {"name": "vi_do", "title": "Vĩ độ", **number, "ioc:role": "lat"},
            {"name": "kinh_do", "title": "Kinh độ", **number, "ioc:role": "lon"},
        ],
        "primaryKey": ["ma_co_so"],
    }


def two_communes() -> list[AdminUnit]:
    """Two 2025 communes with a boundary, by code."""
    return list(AdminUnit.objects.filter(hierarchy="2025", level="commune").exclude(geometry="").order_by("code")[:2])


def facility_row(code: str, unit: AdminUnit, **changes: Any) -> dict[str, Any]:
    point = shapely.from_geojson(unit.geometry).representative_point()
    row: dict[str, Any] = {
        "ma_co_so": code,
        "ten_co_so": f"Cơ sở {code}",
        "loai": "tram_y_te",
        "ma_xa": unit.code,
        "so_giuong": 10,
        "cong_suat": 50.0,
        "vi_do": point.y,
        "kinh_do": point.x,
    }
    row.update(changes)
    return row


def shared_dataset(
    *,
    actor: User,
    owner: Agency,
    officer: User,
    code: str = "chia-se-co-so-y-te",
    mode: str = SharingMode.DEFAULT,
    rows: list[dict[str, Any]] | None = None,
) -> Dataset:
    """A published facilities dataset of `owner` (sharing `mode`) with `rows` sent by `officer`."""
    dataset = datahub_services.dataset_create(
        actor=actor,
        code=code,
        name="Cơ sở y tế (chia sẻ)",
        owner=owner,
        schema=facilities_schema(),
        frequency="monthly",
        sharing_mode=mode,
    )
    dataset = datahub_services.dataset_publish(actor=actor, dataset=dataset)
    if rows:
        result = datahub_services.submission_ingest(
            actor=officer, dataset=dataset, agency=owner, channel=Channel.PUSH, rows=rows
        )
        assert result.submission is not None and result.status == "accepted", result.summary
    return dataset


def granted(
    *,
    requester: User,
    owner_officer: User,
    dataset: Dataset,
    fields: list[str],
    days: int = 30,
    communes: list[AdminUnit] | None = None,
) -> Grant:
    """A request by `requester` approved by `owner_officer` (through the services)."""
    request = services.access_request_submit(
        actor=requester,
        dataset=dataset,
        fields=fields,
        purpose="Phục vụ điều hành",
        legal_basis="Nghị định 47/2020/NĐ-CP",
        communes=communes or [],
    )
    return services.access_request_approve(
        actor=owner_officer, request=request, expires_at=timezone.now() + dt.timedelta(days=days)
    )


def pending(*, requester: User, dataset: Dataset, fields: list[str]) -> AccessRequest:
    return services.access_request_submit(
        actor=requester,
        dataset=dataset,
        fields=fields,
        purpose="Phục vụ điều hành",
        legal_basis="Nghị định 47/2020/NĐ-CP",
    )


CRAWL_DATASET = "crawl-chia-se"


def sharing_crawl_fixtures(*, actor: User, owner: Agency, owner_officer: User, requester: User) -> None:
    """The crawl's sharing (ioc/web/testing/world.py): a dataset of `owner` shared on request, and three requests
    of the requester's agency — one pending, one approved into a grant, one refused in writing (the refused and
    approved ones on datasets of their own, since an agency has one pending request per dataset)."""
    units = two_communes()
    rows = [facility_row("CS01", units[0])]
    fields = ["ma_co_so", "ten_co_so", "so_giuong"]
    main = shared_dataset(
        actor=actor, owner=owner, officer=owner_officer, code=CRAWL_DATASET, mode=SharingMode.ON_REQUEST, rows=rows
    )
    pending(requester=requester, dataset=main, fields=fields)
    granted_set = shared_dataset(actor=actor, owner=owner, officer=owner_officer, code=f"{CRAWL_DATASET}-2", rows=rows)
    granted(requester=requester, owner_officer=owner_officer, dataset=granted_set, fields=fields)
    refused_set = shared_dataset(
        actor=actor, owner=owner, officer=owner_officer, code=f"{CRAWL_DATASET}-3", mode=SharingMode.ON_REQUEST
    )
    refused = pending(requester=requester, dataset=refused_set, fields=fields)
    services.access_request_refuse(
        actor=owner_officer,
        request=refused,
        reasons="Dữ liệu có thông tin cá nhân.",
        legal_basis="Nghị định 47/2020/NĐ-CP",
    )
