"""Procedures imported from an officer's file (R5.3; issue 23 item 1, "imported through a data-hub template"): a
CSV or workbook in the shape of `datasets.procedure_schema`, read and checked by the data hub as any upload is
(header, cells, duplicate keys), then each good row written through `procedure_version_set`, the one write path
of a procedure version.

Per row, as the data hub stores an upload: the rows that pass are stored, each in its own savepoint, and every
refused row is reported with its row, field and reason (`import_summary`); a file that is not the template (an
unreadable file, a wrong header) stores nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.common.imports import ImportConflict, ImportSummary, import_summary
from ioc.common.roles import actor_require_role
from ioc.datahub import selectors as datahub_selectors
from ioc.dossiers.datasets import LEVEL_BY_LABEL, procedure_schema
from ioc.dossiers.services.procedures import CONFIG_ROLES, procedure_version_set

# The service's field → the file's column, so a refusal names the column the officer typed.
COLUMN_OF = {
    "code": "ma_thu_tuc",
    "name": "ten_thu_tuc",
    "field": "linh_vuc",
    "level": "cap_thuc_hien",
    "effective_from": "hieu_luc_tu",
    "limit_days": "thoi_han_ngay",
    "fee": "le_phi",
    "steps": "cac_buoc",
    "documents": "thanh_phan_ho_so",
}
# A spreadsheet cell's line breaks become spaces when the data hub cleans it, so items are split on ";" only.
_SEPARATORS = re.compile(r";")


def step_from_item(item: str) -> dict[str, str] | None:
    """One step written "mã | tên | số ngày" (a decimal comma allowed), None when it is not three parts: the
    configuration form's lines and the import's ";"-separated items share it."""
    parts = [part.strip() for part in item.split("|")]
    if len(parts) != 3:
        return None
    return {"code": parts[0], "name": parts[1], "allotted_days": parts[2].replace(",", ".")}


def steps_parse(text: str) -> list[dict[str, str]]:
    """ "mã | tên | số ngày" items separated by ";"; ValidationError naming the item otherwise."""
    steps = []
    for n, item in enumerate((i for i in _SEPARATORS.split(text) if i.strip()), start=1):
        step = step_from_item(item)
        if step is None:
            raise ValidationError(_("Bước %(n)s cần “mã | tên | số ngày”") % {"n": n})
        steps.append(step)
    return steps


def _conflict(row: int, column: str, value: Any, reason: str) -> ImportConflict:
    return ImportConflict(row=row, field=column, value="" if value is None else str(value)[:200], reason=reason)


def _row_store(row: int, data: dict[str, Any], actor: User) -> list[ImportConflict]:
    """One checked row through the write service, in a savepoint; its refusals (none when stored)."""
    try:
        steps = steps_parse(data["cac_buoc"])
    except ValidationError as exc:
        return [_conflict(row, "cac_buoc", data["cac_buoc"], exc.messages[0])]
    try:
        with transaction.atomic():
            procedure_version_set(
                code=data["ma_thu_tuc"],
                name=data["ten_thu_tuc"],
                field=data["linh_vuc"],
                level=LEVEL_BY_LABEL.get(data.get("cap_thuc_hien") or "", ""),
                effective_from=dt.date.fromisoformat(data["hieu_luc_tu"]),
                limit_days=data["thoi_han_ngay"],
                fee=data.get("le_phi") or 0,
                steps=steps,
                documents=[d.strip() for d in _SEPARATORS.split(data.get("thanh_phan_ho_so") or "") if d.strip()],
                actor=actor,
            )
    except ValidationError as exc:
        by_field = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        return [
            _conflict(row, COLUMN_OF.get(name, name), data.get(COLUMN_OF.get(name, name)), message)
            for name, messages in by_field.items()
            for message in messages
        ]
    return []


def procedure_import(*, content: bytes, file_name: str = "", actor: User) -> ImportSummary:
    """R5.3: the procedure versions of an officer's file, each good row stored through `procedure_version_set`;
    every refusal with row, field and reason. Administrators and IOC leaders only."""
    refused = _("Chỉ quản trị, lãnh đạo IOC cấu hình thủ tục / Administrators and IOC leaders only")
    actor_require_role(actor, CONFIG_ROLES, refused)
    checked = datahub_selectors.schema_file_check(schema=procedure_schema(), content=content, file_name=file_name)
    conflicts: list[ImportConflict] = list(checked.conflicts)
    if checked.header_failed:
        return import_summary(conflicts=conflicts)
    imported = 0
    for clean in checked.rows:
        refusals = _row_store(clean.row, clean.data, actor)
        conflicts += refusals
        imported += not refusals
    conflicts.sort(key=lambda c: c["row"])
    return import_summary(imported=imported, conflicts=conflicts)
