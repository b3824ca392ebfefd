"""The Table Schemas this app ships for the data hub (R1.1, R5.3; issue 23 items 2b and 6), as data:

- `dossier_events`: the one-stop shop's events as a pull connector brings them (one row per event, the fields of
  the push API's event, `payloads.FIELDS`; `documents` as names separated by ";"). A dataset whose code is
  `dossier_events` or starts with `dossier_events_` (one per agency's system) is read by `services.pull`, its
  rows received for the agency that owns it.
- `dich_vu_cong_766`: what Decision 766's criteria need and events do not carry (`score766`): per month, for an
  agency (`co_quan`, its code), a commune (the unit) or the whole territory (neither), percentages 0–100.
- `thu_tuc_hanh_chinh`: an officer's list of procedures (one row per procedure version), the shape of the file
  `services.procedure_import` reads and of the template the import page hands out (the data hub's `.xlsx`
  template: `datahub.selectors.schema_template_xlsx`). Steps as "mã | tên | số ngày" separated by ";", documents
  separated by ";" (the data hub turns a cell's line breaks into spaces).
"""

from __future__ import annotations

from typing import Any

from ioc.dossiers import score766
from ioc.dossiers.choices import CODE_MAX, TEXT_MAX, Channel, EventKind, ProcedureLevel

EVENTS_DATASET = "dossier_events"
PROCEDURES_SCHEMA_CODE = "thu_tuc_hanh_chinh"
# The level column holds the Vietnamese label an officer types or picks ("Cấp tỉnh"); the import maps it back.
LEVEL_BY_LABEL = {"Cấp tỉnh": ProcedureLevel.PROVINCE, "Cấp xã": ProcedureLevel.COMMUNE}

_TEXT = {"type": "string"}


def _text(name: str, title: str, limit: int = CODE_MAX, **extra: Any) -> dict[str, Any]:
    return {"name": name, "title": title, **_TEXT, "constraints": {"maxLength": limit, **extra}}


def dossier_events_schema() -> dict[str, Any]:
    """R5.3: the `dossier_events` dataset's Table Schema (primary key: the source's event id)."""
    return {
        "fields": [
            _text("event_id", "Mã sự kiện", required=True),
            _text("dossier", "Mã hồ sơ", required=True),
            _text("kind", "Loại sự kiện", required=True, enum=list(EventKind.values)),
            _text("occurred_at", "Thời điểm (ISO 8601)", 40, required=True),
            _text("procedure", "Mã thủ tục"),
            _text("channel", "Kênh tiếp nhận", enum=list(Channel.values)),
            _text("documents", "Thành phần hồ sơ (cách nhau bởi ;)", TEXT_MAX),
            _text("phone", "Số điện thoại", 40),
            _text("id_number", "Số định danh", 40),
            _text("unit", "Mã xã, phường", 40),
            _text("step", "Mã bước"),
            _text("account", "Tài khoản thực hiện", 150),
            _text("assignee", "Tài khoản được phân công", 150),
            _text("reason", "Lý do", TEXT_MAX),
            _text("new_due", "Ngày hẹn lại (ISO 8601)", 40),
            {"name": "amount", "title": "Số tiền", "type": "number", "constraints": {"minimum": 0}},
            {"name": "rating", "title": "Đánh giá", "type": "integer", "constraints": {"minimum": 1, "maximum": 5}},
            {"name": "digitised", "title": "Đã số hóa", "type": "boolean"},
        ],
        "primaryKey": ["event_id"],
    }


def service_766_schema() -> dict[str, Any]:
    """R5.3: the `dich_vu_cong_766` dataset's Table Schema: the dataset criteria of `score766` as percentages."""
    measures = [
        {"name": c.measure, "title": str(c.name), "type": "number", "constraints": {"minimum": 0, "maximum": 100}}
        for c in score766.CRITERIA
        if c.source == "dataset"
    ]
    return {
        "fields": [
            {"name": "thang", "title": "Tháng (202603)", "type": "string", "ioc:role": "period",
             "constraints": {"required": True}},
            {"name": "ma_xa", "title": "Mã xã, phường", "type": "string", "ioc:role": "unit"},
            _text("co_quan", "Mã cơ quan"),
            *measures,
        ],
        "primaryKey": ["thang", "ma_xa", "co_quan"],
    }  # fmt: skip


def procedure_schema() -> dict[str, Any]:
    """R5.3: the `thu_tuc_hanh_chinh` Table Schema (primary key: code and effective date, one version a row)."""
    return {
        "fields": [
            _text("ma_thu_tuc", "Mã thủ tục", required=True),
            _text("ten_thu_tuc", "Tên thủ tục", 400, required=True),
            _text("linh_vuc", "Lĩnh vực", 200, required=True),
            _text("cap_thuc_hien", "Cấp thực hiện", 20, enum=list(LEVEL_BY_LABEL)),
            {"name": "hieu_luc_tu", "title": "Hiệu lực từ ngày", "type": "date", "constraints": {"required": True}},
            {"name": "thoi_han_ngay", "title": "Thời hạn (ngày làm việc)", "type": "number",
             "constraints": {"required": True, "minimum": 0.01, "maximum": 3650}},
            {"name": "le_phi", "title": "Phí, lệ phí (đồng)", "type": "integer",
             "constraints": {"minimum": 0, "maximum": 10**14 - 1}},  # the model's 14 digits
            _text("cac_buoc", "Các bước (mã | tên | số ngày; …)", TEXT_MAX, required=True),
            _text("thanh_phan_ho_so", "Thành phần hồ sơ (cách nhau bởi ;)", TEXT_MAX),
        ],
        "primaryKey": ["ma_thu_tuc", "hieu_luc_tu"],
    }  # fmt: skip
