"""The catalog's writes (R1.1, R1.7): a dataset with a checked Table Schema, its publication."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.audit.services import audit_record
from ioc.common.roles import Role, actor_require_role
from ioc.datahub import indexes
from ioc.datahub.choices import (
    DatasetStatus,
    Sensitivity,
    SharingMode,
)
from ioc.datahub.models import Dataset
from ioc.datahub.schema import schema_errors

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency, InformationSystem


CATALOG_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.IOC_OPERATOR, Role.IOC_LEADER})


def _dataset_check(*, code: str, schema: Any, sensitivity: str, existing: Dataset | None = None) -> None:
    errors: dict[str, list[str]] = {}
    if sensitivity == Sensitivity.STATE_SECRET:
        errors["sensitivity"] = [_("Không tiếp nhận dữ liệu bí mật nhà nước vào kho dữ liệu dùng chung (R1.7).")]
    elif sensitivity not in Sensitivity.values:
        errors["sensitivity"] = [_("Mức độ nhạy cảm không hợp lệ.")]
    problems = schema_errors(schema)
    if problems:
        errors["schema"] = problems
    if existing is None and Dataset.objects.filter(code=code).exists():
        errors["code"] = [_("Mã bộ dữ liệu đã tồn tại.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def dataset_create(
    *,
    actor: User,
    code: str,
    name: str,
    owner: Agency,
    schema: dict[str, Any],
    frequency: str,
    sharing_mode: str = SharingMode.DEFAULT,
    sensitivity: str = Sensitivity.INTERNAL,
    system: InformationSystem | None = None,
    description: str = "",
    accept_valid_rows: bool = False,
) -> Dataset:
    """R1.1: a draft dataset with a valid Table Schema; R1.7: a state secret is refused by classification."""
    actor_require_role(actor, CATALOG_ROLES, _("Chỉ quản trị hệ thống và cán bộ IOC được lập danh mục dữ liệu."))
    _dataset_check(code=code, schema=schema, sensitivity=sensitivity)
    if system is not None and system.agency_id != owner.pk:
        raise ValidationError({"system": [_("Hệ thống cung cấp phải thuộc cơ quan chủ quản.")]})
    dataset = Dataset(
        code=code,
        name=name,
        owner=owner,
        system=system,
        schema=schema,
        frequency=frequency,
        sharing_mode=sharing_mode,
        sensitivity=sensitivity,
        description=description,
        accept_valid_rows=accept_valid_rows,
        layer=str(schema.get("ioc:layer", "")),
    )
    dataset.full_clean()
    try:
        with transaction.atomic():  # a twin created meanwhile by another request: the code's error, not a 500
            dataset.save()
    except IntegrityError:
        raise ValidationError({"code": [_("Mã bộ dữ liệu đã tồn tại.")]}) from None
    audit_record(actor=actor, action="dataset.create", obj=dataset, changes={"code": code, "owner": owner.code})
    return dataset


EDITABLE = ("name", "description", "owner", "system", "schema", "frequency", "sharing_mode", "sensitivity")


@transaction.atomic
def dataset_update(*, actor: User, dataset: Dataset, accept_valid_rows: bool = False, **fields: Any) -> Dataset:
    """R1.1: change a draft's description and structure; once published its schema is fixed (rows were checked
    against it, its indexes built), so a published dataset is refused: a new structure is a new dataset."""
    actor_require_role(actor, CATALOG_ROLES, _("Chỉ quản trị hệ thống và cán bộ IOC được lập danh mục dữ liệu."))
    locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if locked.status != DatasetStatus.DRAFT:
        raise ValidationError(
            {"status": [_("Bộ dữ liệu đã công bố: cấu trúc không sửa được nữa. / Published: the structure is fixed.")]}
        )
    values = {name: fields.get(name, getattr(locked, name)) for name in EDITABLE}
    _dataset_check(code=locked.code, schema=values["schema"], sensitivity=values["sensitivity"], existing=locked)
    system = values["system"]
    if system is not None and system.agency_id != values["owner"].pk:
        raise ValidationError({"system": [_("Hệ thống cung cấp phải thuộc cơ quan chủ quản.")]})
    values["accept_valid_rows"] = accept_valid_rows
    changed = sorted(name for name in values if values[name] != getattr(locked, name))
    before = {name: _audited(getattr(locked, name)) for name in changed}
    for name, value in values.items():
        setattr(locked, name, value)
    locked.layer = str(values["schema"].get("ioc:layer", ""))
    locked.full_clean()
    locked.save()
    after = {name: _audited(getattr(locked, name)) for name in changed}
    audit_record(
        actor=actor, action="dataset.update", obj=locked, changes={"fields": changed, "before": before, "after": after}
    )
    return locked


def _audited(value: Any) -> Any:
    """A field's value as the audit entry keeps it: a related row by its id, a schema as it is (JSON)."""
    return getattr(value, "pk", value)


@transaction.atomic
def dataset_publish(*, actor: User, dataset: Dataset) -> Dataset:
    """R1.1: publish a draft: its schema is fixed and its `ioc:filterable` fields get expression indexes."""
    actor_require_role(actor, CATALOG_ROLES, _("Chỉ quản trị hệ thống và cán bộ IOC được công bố bộ dữ liệu."))
    locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if locked.status != DatasetStatus.DRAFT:
        raise ValidationError({"status": [_("Bộ dữ liệu đã được công bố.")]})
    problems = schema_errors(locked.schema)
    if problems:
        raise ValidationError({"schema": problems})
    locked.status = DatasetStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at"])
    names = indexes.indexes_ensure(locked)
    audit_record(actor=actor, action="dataset.publish", obj=locked, changes={"indexes": names})
    return locked
