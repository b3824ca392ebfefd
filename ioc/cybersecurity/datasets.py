"""R5.6, R1.1 (act 004:6.7 "theo dõi tình hình phòng, chống và nguy cơ lây nhiễm mã độc"): the data-hub dataset of
endpoint malware reports, one row per agency and month (machines infected, cleaned, unprotected), as a Frictionless
Table Schema with `ioc:role` fields, and the indicators it feeds (the "information security" set, sector
`an-toan-thong-tin`, `source=dataset`). Pure data: the services create them."""

from __future__ import annotations

from typing import Any

MALWARE_DATASET = "ma_doc_may_tram"
MALWARE_NAME = "Báo cáo phòng, chống mã độc trên máy trạm theo cơ quan"
AGENCY_FIELD = "ma_co_quan"
PERIOD_FIELD = "ky"
# (field, title, what the trend page calls it)
COUNTS: tuple[tuple[str, str], ...] = (
    ("may_nhiem", "Số máy nhiễm mã độc"),
    ("may_da_xu_ly", "Số máy đã xử lý mã độc"),
    ("may_chua_bao_ve", "Số máy chưa cài phần mềm phòng, chống mã độc"),
)
COUNT_FIELDS = tuple(name for name, _title in COUNTS)


def malware_schema() -> dict[str, Any]:
    """The dataset's Table Schema: the agency's code (filterable: the trend reads one agency), the month (DHIS2
    period id, `ioc:role` period) and three counts (`ioc:role` value, ≥ 0); one row per agency and month."""
    counts = [
        {
            "name": name,
            "title": title,
            "type": "integer",
            "constraints": {"required": True, "minimum": 0},
            "ioc:role": "value",
        }
        for name, title in COUNTS
    ]
    return {
        "fields": [
            {
                "name": AGENCY_FIELD,
                "title": "Mã cơ quan",
                "type": "string",
                "constraints": {"required": True, "maxLength": 50},
                "ioc:filterable": True,
            },
            {
                "name": PERIOD_FIELD,
                "title": "Kỳ báo cáo (tháng)",
                "type": "string",
                "constraints": {"required": True, "pattern": "[0-9]{6}"},
                "ioc:role": "period",
            },
            *counts,
        ],
        "primaryKey": [AGENCY_FIELD, PERIOD_FIELD],
    }


# Indicators fed by the dataset (R2.1 `source=dataset`, summed over the agencies for the territory each month).
MALWARE_INDICATORS: tuple[dict[str, Any], ...] = (
    {
        "code": "may_nhiem_ma_doc",
        "name": "Số máy tính nhiễm mã độc",
        "name_en": "Computers infected with malware",
        "unit_label": "máy",
        "field": "may_nhiem",
        "definition": "Tổng số máy trạm của các cơ quan nhà nước phát hiện nhiễm mã độc trong tháng "
        "(báo cáo phòng, chống mã độc của các cơ quan).",
        "direction": "lower",
    },
    {
        "code": "may_xu_ly_ma_doc",
        "name": "Số máy tính đã xử lý mã độc",
        "name_en": "Computers cleaned of malware",
        "unit_label": "máy",
        "field": "may_da_xu_ly",
        "definition": "Tổng số máy trạm nhiễm mã độc đã được xử lý trong tháng.",
        "direction": "higher",
    },
    {
        "code": "may_chua_bao_ve",
        "name": "Số máy tính chưa được bảo vệ chống mã độc",
        "name_en": "Computers without anti-malware protection",
        "unit_label": "máy",
        "field": "may_chua_bao_ve",
        "definition": "Tổng số máy trạm chưa cài đặt phần mềm phòng, chống mã độc tập trung cuối tháng.",
        "direction": "lower",
    },
)
