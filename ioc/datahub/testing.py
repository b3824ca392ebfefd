"""Schemas and builders for the data hub's tests and the crawl's world (not used by the product)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ioc.datahub import services
from ioc.datahub.choices import Frequency
from ioc.datahub.models import Dataset

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency

FACILITY_TYPES = ["benh_vien", "tram_y_te", "phong_kham"]


def facilities_schema() -> dict[str, Any]:
    """Health facilities: a point dataset (ioc:layer hospital) with a code list, a unit and a filterable field."""
    return {
        "fields": [
            {"name": "ma_co_so", "title": "Mã cơ sở", "type": "string", "constraints": {"required": True}},
            {"name": "ten_co_so", "title": "Tên cơ sở", "type": "string", "constraints": {"required": True}},
            {
                "name": "loai",
                "title": "Loại cơ sở",
                "type": "string",
                "constraints": {"required": True, "enum": FACILITY_TYPES},
                "ioc:filterable": True,
            },
            {"name": "ma_xa", "title": "Mã xã", "type": "string", "ioc:role": "unit"},
            {
                "name": "so_giuong",
                "title": "Số giường bệnh",
                "type": "integer",
                "constraints": {"minimum": 0},
                "ioc:role": "value",
                "ioc:filterable": True,
            },
            {"name": "cong_suat", "title": "Công suất sử dụng (%)", "type": "number"},
            {"name": "ngay_cap_nhat", "title": "Ngày cập nhật", "type": "date"},
            {"name": "vi_do", "title": "Vĩ độ", "type": "number", "ioc:role": "lat"},
            {"name": "kinh_do", "title": "Kinh độ", "type": "number", "ioc:role": "lon"},
        ],
        "primaryKey": ["ma_co_so"],
        "ioc:layer": "hospital",
    }


def revenue_schema() -> dict[str, Any]:
    """Budget revenue by commune and month: unit, period and value roles, no point."""
    return {
        "fields": [
            {
                "name": "ma_xa",
                "title": "Mã xã",
                "type": "string",
                "ioc:role": "unit",
                "constraints": {"required": True},
            },
            {
                "name": "ky",
                "title": "Kỳ báo cáo",
                "type": "string",
                "ioc:role": "period",
                "constraints": {"required": True},
            },
            {
                "name": "thu_ngan_sach",
                "title": "Thu ngân sách (triệu đồng)",
                "type": "number",
                "ioc:role": "value",
                "constraints": {"minimum": 0},
            },
        ],
        "primaryKey": ["ma_xa", "ky"],
    }


def dataset_make(
    *,
    actor: User,
    owner: Agency,
    code: str = "co-so-y-te",
    schema: dict[str, Any] | None = None,
    publish: bool = True,
    accept_valid_rows: bool = False,
    name: str = "Cơ sở y tế",
) -> Dataset:
    """A dataset through the services (published unless asked otherwise)."""
    dataset = services.dataset_create(
        actor=actor,
        code=code,
        name=name,
        owner=owner,
        schema=schema or facilities_schema(),
        frequency=Frequency.MONTHLY,
        accept_valid_rows=accept_valid_rows,
    )
    return services.dataset_publish(actor=actor, dataset=dataset) if publish else dataset


CRAWL_DATASET = "crawl-co-so-y-te"


def crawl_fixtures(*, actor: User, owner: Agency, officer: User) -> None:
    """The crawl's data hub (ioc/web/testing/world.py): a published point dataset with an accepted and a
    rejected upload (its error report and annotated sheet), the owner's obligation (R1.3), a paused pull
    connector (R1.2b) and a queued large import (R1.2), made through the services."""
    import shapely

    from ioc.datahub.choices import Channel, ObligationFrequency
    from ioc.datahub.workbooks import template_csv
    from ioc.geo.models import AdminUnit

    dataset = dataset_make(actor=actor, owner=owner, code=CRAWL_DATASET)
    unit = AdminUnit.objects.filter(hierarchy="2025", level="commune").exclude(geometry="").order_by("code").first()
    assert unit is not None
    point = shapely.from_geojson(unit.geometry).representative_point()
    row = {"ma_co_so": "CS01", "ten_co_so": "Trạm y tế", "loai": "tram_y_te", "ma_xa": unit.code, "so_giuong": 8}
    located = {**row, "vi_do": point.y, "kinh_do": point.x}
    services.submission_ingest(actor=officer, dataset=dataset, agency=owner, channel=Channel.PUSH, rows=[located])
    # an uploaded file with an unlisted code: kept, so its annotated error sheet can be downloaded (R1.4)
    services.submission_ingest(
        actor=officer,
        dataset=dataset,
        agency=owner,
        channel=Channel.UPLOAD,
        content=template_csv(dataset, rows=[{**row, "loai": "khac"}]),
        file_name="co-so-y-te.csv",
    )
    services.obligation_set(
        actor=actor, dataset=dataset, agency=owner, frequency=ObligationFrequency.WEEKLY, weekdays=[1, 4]
    )
    endpoint = services.ConnectorSettings(url="https://du-lieu.example.invalid/co-so", is_active=False)
    services.connector_set(actor=actor, dataset=dataset, values=endpoint)
    # a large import waiting for the worker (its page, R1.2); the same row again, so nothing changes once run
    services.ingest_job_create(actor=officer, dataset=dataset, agency=owner, channel=Channel.UPLOAD, rows=[located])
