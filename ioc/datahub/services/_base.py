"""What the data hub's services share (public names in a private module: import them from here only
within `ioc.datahub.services`): limits, the submitter's check, reading and checking rows, the plan of new
versions and writing them (R1.2, R1.5)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Field
from django.utils.translation import gettext as _

from ioc.accounts import selectors as account_selectors
from ioc.common.periods import period_parse
from ioc.common.roles import Role, actor_has_role
from ioc.datahub.choices import (
    DatasetStatus,
    SubmissionStatus,
)
from ioc.datahub.models import Dataset, Record, Submission
from ioc.datahub.reading import ReadError, table_read
from ioc.datahub.validation import Checked, CleanRow, records_check, table_check

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency


DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
LOOKUP_CHUNK = 5000  # well below SQLite's 32,766 bound variables


def max_upload_bytes() -> int:
    """The largest file or request body the hub takes (setting DATAHUB_MAX_UPLOAD_BYTES, default 20 MB)."""
    return int(getattr(settings, "DATAHUB_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def submitter_check(actor: User, dataset: Dataset, agency: Agency, dry_run: bool) -> None:
    """R1.2: an account of the submitting agency (officer, head or its information system) or the system
    account; a draft dataset takes only dry runs."""
    scope = account_selectors.user_scope(user=actor)
    if agency.pk not in scope.agency_ids and not actor_has_role(actor, {Role.SYSTEM_ADMIN}):
        raise PermissionDenied(_("Tài khoản không thuộc cơ quan gửi dữ liệu."))
    if dataset.status != DatasetStatus.PUBLISHED and not dry_run:
        raise ValidationError({"dataset": [_("Bộ dữ liệu chưa được công bố: chỉ được kiểm tra thử (dry_run).")]})


def checked_rows(
    dataset: Dataset, rows: list[Any] | None, content: bytes | None, file_name: str, period: str
) -> Checked:
    if (rows is None) == (content is None):
        raise ValidationError({"rows": [_("Gửi danh sách dòng hoặc một tệp, không cả hai.")]})
    if content is not None:
        if len(content) > max_upload_bytes():
            raise ValidationError(
                {"file": [_("Tệp quá lớn (tối đa %(mb)d MB).") % {"mb": max_upload_bytes() // 2**20}]}
            )
        try:
            table = table_read(content=content, file_name=file_name)
        except ReadError as exc:
            result = Checked(header_failed=True)
            result.add(0, "file", file_name, str(exc))
            return result
        return not_empty(table_check(dataset.schema, table, default_period=period))
    return not_empty(records_check(dataset.schema, rows or [], default_period=period))


def not_empty(checked: Checked) -> Checked:
    if not checked.total and not checked.conflicts:
        checked.add(0, "", "", _("Không có dòng dữ liệu nào."))
        checked.header_failed = True
    return checked


def period_code(period: str) -> str:
    if not period:
        return ""
    try:
        return period_parse(period).code
    except ValidationError as exc:
        raise ValidationError({"period": exc.messages}) from exc


@dataclass
class Plan:
    new: list[CleanRow] = field(default_factory=list)
    changed: list[tuple[CleanRow, int, int]] = field(default_factory=list)  # row, old record id, old version
    unchanged: list[CleanRow] = field(default_factory=list)


def plan_rows(dataset: Dataset, rows: list[CleanRow]) -> Plan:
    """Compare with the current versions: new keys, corrections (a new version) and rows sent again unchanged."""
    plan = Plan()
    current: dict[str, tuple[int, int, dict[str, Any], int | None, str]] = {}
    hashes = [r.pk_hash for r in rows]
    for start in range(0, len(hashes), LOOKUP_CHUNK):
        chunk = hashes[start : start + LOOKUP_CHUNK]
        for pk, pk_hash, version, data, unit_id, period in Record.objects.filter(
            dataset=dataset, is_current=True, pk_hash__in=chunk
        ).values_list("pk", "pk_hash", "version", "data", "unit_id", "period"):
            current[pk_hash] = (pk, version, data, unit_id, period)
    for row in rows:
        found = current.get(row.pk_hash)
        if found is None:
            plan.new.append(row)
        elif (found[2], found[3], found[4]) == (row.data, row.unit_id, row.period):
            plan.unchanged.append(row)
        else:
            plan.changed.append((row, found[0], found[1]))
    return plan


def expected_units(dataset: Dataset, agency: Agency) -> set[int] | None:
    last = (
        Submission.objects.filter(
            dataset=dataset, agency=agency, status__in=[SubmissionStatus.ACCEPTED, SubmissionStatus.PARTIAL]
        )
        .order_by("-received_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if last is None:
        return None
    return set(Record.objects.filter(submission_id=last).exclude(unit=None).values_list("unit_id", flat=True))


def status_of(conflicts: list[Any], *, accept: bool) -> str:
    """Rejected whole unless accepted; accepted with conflicts is partial."""
    if not accept:
        return SubmissionStatus.REJECTED
    return SubmissionStatus.PARTIAL if conflicts else SubmissionStatus.ACCEPTED


def records_write(dataset: Dataset, submission: Submission, plan: Plan) -> None:
    """R1.5: new keys as version 1; a correction retires the current version and adds the next one."""
    old_ids = [old_id for _row, old_id, _version in plan.changed]
    for start in range(0, len(old_ids), LOOKUP_CHUNK):
        Record.objects.filter(pk__in=old_ids[start : start + LOOKUP_CHUNK]).update(is_current=False)
    versions = [(row, 1) for row in plan.new] + [(row, version + 1) for row, _old, version in plan.changed]
    data_field = Record._meta.get_field("data")
    values = [
        (
            dataset.pk,
            row.pk_hash,
            version,
            True,
            submission.pk,
            row.unit_id,
            row.period or submission.period,
            row.lat,
            row.lon,
            row.commune_id,
            row.grid_cell,
            data_field.get_db_prep_save(row.data, connection),
        )
        for row, version in versions
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(values), INSERT_BATCH):
            cursor.executemany(RECORD_INSERT, values[start : start + INSERT_BATCH])


# The rows of a submission are written with one prepared INSERT run over batches (executemany): the ORM's
# bulk_create spent most of an ingest preparing values field by field. Columns by name from `_meta`, so a renamed
# field fails here at import; `test_core_ingest` reads the rows back through the ORM.
RECORD_COLUMNS = (
    "dataset_id",
    "pk_hash",
    "version",
    "is_current",
    "submission_id",
    "unit_id",
    "period",
    "lat",
    "lon",
    "commune_id",
    "grid_cell",
    "data",
)


def _column(name: str) -> str:
    found = Record._meta.get_field(name.removesuffix("_id"))
    assert isinstance(found, Field) and found.column
    return connection.ops.quote_name(found.column)


RECORD_INSERT = "INSERT INTO {table} ({columns}) VALUES ({marks})".format(  # noqa: S608 - names from _meta
    table=connection.ops.quote_name(Record._meta.db_table),
    columns=", ".join(_column(c) for c in RECORD_COLUMNS),
    marks=", ".join(["%s"] * len(RECORD_COLUMNS)),
)
INSERT_BATCH = 2000
