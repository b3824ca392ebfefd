"""Writes of the geo app (R6.1, R11): the reference-data load and the territory of a profile."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from ioc.audit.services import audit_record, audit_record_bulk
from ioc.geo import index, refdata, selectors
from ioc.geo.choices import Hierarchy, Level
from ioc.geo.errors import GeoInputError, UnitNotFoundError
from ioc.geo.models import AdminUnit, Succession, Territory

if TYPE_CHECKING:  # a type only (accounts sits above geo)
    from ioc.accounts.models import User

BATCH_SIZE = 1000
_ACTION = "geo.units_load"


def _audit_batch(actor: User, object_type: str, operation: str, rows: Sequence[Any], **changes: str) -> None:
    """R7.3: bulk writes record one entry per batch with its row count and a SHA-256 digest of the rows."""
    audit_record_bulk(
        actor=actor, action=_ACTION, object_type=object_type, rows=rows, changes={"operation": operation, **changes}
    )


def _batches(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i : i + BATCH_SIZE] for i in range(0, len(items), BATCH_SIZE)]


def _target(row: dict[str, Any], fields: tuple[str, ...], parent_id: int | None) -> dict[str, Any]:
    return {"parent_id": parent_id, **{name: row[name] for name in fields}}


def _write_level(
    actor: User,
    hierarchy: str,
    level: str,
    rows: list[dict[str, Any]],
    fields: tuple[str, ...],
    ids: dict[str, int],
    stats: Counter[str],
) -> None:
    """Create the missing units of one level, update the changed ones, leave the rest untouched."""
    existing = {
        unit.code: unit
        for unit in AdminUnit.objects.filter(hierarchy=hierarchy, level=level).only("id", "code", *fields, "parent_id")
    }
    creates: list[AdminUnit] = []
    updates: list[AdminUnit] = []
    for row in rows:
        target = _target(row, fields, ids.get(row["parent_code"]) if row["parent_code"] else None)
        unit = existing.get(row["code"])
        if unit is None:
            creates.append(AdminUnit(hierarchy=hierarchy, code=row["code"], **target))
        elif any(getattr(unit, name) != value for name, value in target.items()):
            for name, value in target.items():
                setattr(unit, name, value)
            updates.append(unit)
        else:
            stats["units_unchanged"] += 1
    for batch in _batches(creates):
        AdminUnit.objects.bulk_create(batch)
        _audit_batch(
            actor, "geo.adminunit", "create", [_unit_digest_row(u, fields) for u in batch], hierarchy=hierarchy
        )
    for batch in _batches(updates):
        AdminUnit.objects.bulk_update(batch, ["parent_id", *fields])
        _audit_batch(
            actor, "geo.adminunit", "update", [_unit_digest_row(u, fields) for u in batch], hierarchy=hierarchy
        )
    stats["units_created"] += len(creates)
    stats["units_updated"] += len(updates)
    ids.update({u.code: u.pk for u in creates})
    ids.update({code: u.pk for code, u in existing.items()})


def _unit_digest_row(unit: AdminUnit, fields: tuple[str, ...]) -> dict[str, Any]:
    return {"hierarchy": unit.hierarchy, "code": unit.code, **{name: getattr(unit, name) for name in fields}}


def _write_units(
    actor: User, hierarchy: str, rows: list[dict[str, Any]], boundaries: bool, stats: Counter[str]
) -> dict[str, int]:
    fields = refdata.UNIT_FIELDS + (refdata.BOUNDARY_FIELDS if boundaries and hierarchy == Hierarchy.CURRENT else ())
    ids: dict[str, int] = {}
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        level_rows = [row for row in rows if row["level"] == level]
        if level_rows:
            _write_level(actor, hierarchy, level, level_rows, fields, ids, stats)
    return ids


def _write_successions(
    actor: User,
    rows: list[tuple[str, str, str]],
    legacy_ids: dict[str, int],
    current_ids: dict[str, int],
    stats: Counter[str],
) -> None:
    existing = {
        (s.old_id, s.new_id): s
        for s in Succession.objects.filter(old_id__in=legacy_ids.values()).only("id", "old_id", "new_id", "kind")
    }
    creates: list[Succession] = []
    updates: list[Succession] = []
    for old_code, new_code, kind in rows:
        key = (legacy_ids[old_code], current_ids[new_code])
        found = existing.get(key)
        if found is None:
            creates.append(Succession(old_id=key[0], new_id=key[1], kind=kind))
        elif found.kind != kind:
            found.kind = kind
            updates.append(found)
    for batch in _batches(creates):
        Succession.objects.bulk_create(batch)
        _audit_batch(actor, "geo.succession", "create", [(s.old_id, s.new_id, s.kind) for s in batch])
    for batch in _batches(updates):
        Succession.objects.bulk_update(batch, ["kind"])
        _audit_batch(actor, "geo.succession", "update", [(s.old_id, s.new_id, s.kind) for s in batch])
    stats["successions_created"] += len(creates)
    stats["successions_updated"] += len(updates)
    stats["successions_unchanged"] += len(rows) - len(creates) - len(updates)


@transaction.atomic
def units_load(
    *, actor: User, provinces: list[str] | None = None, communes: list[str] | None = None, boundaries: bool = True
) -> dict[str, Any]:
    """R6.1: load (or refresh) the 2025 and legacy hierarchies, boundaries and succession from `ioc/geo/data/`.

    Idempotent: missing units are created, changed ones updated, the rest left alone; one audit entry per batch.
    `provinces` limits the load to these 2025 provinces and the legacy units that passed into them; `communes`
    further limits the 2025 communes (and the legacy communes behind them), for tests and small demos.
    `boundaries=False` leaves geometry untouched. Raises ValueError for unknown province or commune codes.
    `actor` is the system account (`geo_load`, the demo) or the administrator who asked for the load.
    """
    started = time.perf_counter()
    plan = refdata.plan_units(provinces=provinces, communes=communes, boundaries=boundaries)
    stats: Counter[str] = Counter()
    current_ids = _write_units(actor, Hierarchy.CURRENT, plan.current, boundaries, stats)
    legacy_ids = _write_units(actor, Hierarchy.LEGACY, plan.legacy, boundaries, stats)
    _write_successions(actor, plan.successions, legacy_ids, current_ids, stats)
    index.invalidate()
    transaction.on_commit(index.invalidate)
    selectors.TERRITORY_MAP.changed()  # the territory's boundaries and box may have moved
    return {**stats, "units": len(plan.current) + len(plan.legacy), "seconds": round(time.perf_counter() - started, 3)}


def _whole_province(root_code: str) -> tuple[AdminUnit, list[AdminUnit]]:
    root = AdminUnit.objects.filter(hierarchy=Hierarchy.CURRENT, code=root_code).first()
    if root is None:
        raise UnitNotFoundError(root_code)
    communes = list(AdminUnit.objects.filter(parent=root, level=Level.COMMUNE).defer("geometry"))
    if not communes:
        raise GeoInputError(
            _("Đơn vị gốc %(code)s không có xã, phường / Root unit %(code)s has no communes") % {"code": root_code},
            field="root_code",
        )
    return root, communes


def _listed_communes(codes: Sequence[str]) -> tuple[AdminUnit | None, list[AdminUnit]]:
    """The 2025 communes named by `codes`; the root is their province when they are the whole of it."""
    wanted = sorted({str(code) for code in codes})
    if not wanted:
        raise GeoInputError(
            _("Địa bàn cần ít nhất một xã, phường / A territory needs a commune"), field="commune_codes"
        )
    found = list(
        AdminUnit.objects.filter(hierarchy=Hierarchy.CURRENT, level=Level.COMMUNE, code__in=wanted).defer("geometry")
    )
    if missing := sorted(set(wanted) - {unit.code for unit in found}):
        raise GeoInputError(
            _("Không có xã, phường 2025 mã: %(codes)s / Unknown 2025 communes: %(codes)s")
            % {"codes": ", ".join(missing[:20])},
            field="commune_codes",
        )
    parents = {unit.parent_id for unit in found if unit.parent_id is not None}
    root = None
    if len(parents) == 1:  # the whole province by the reference data, not by what happens to be loaded
        province = AdminUnit.objects.defer("geometry").get(pk=parents.pop())
        whole = refdata.province_commune_codes(province.code) == {unit.code for unit in found}
        root = province if whole else None
    return root, found


def _former(former_ref: str) -> str:
    """The legacy unit the act was issued for, checked to be loaded (`legacy:692`); "" for none."""
    if not former_ref:
        return ""
    try:
        unit = selectors.unit_get(ref=former_ref)
    except (GeoInputError, UnitNotFoundError) as exc:
        raise GeoInputError(getattr(exc, "message", str(exc)), field="former_ref") from exc
    if unit.hierarchy != Hierarchy.LEGACY:
        raise GeoInputError(
            _("Đơn vị cũ phải thuộc hệ thống trước 01/7/2025 (legacy:…) / The former unit must be a legacy unit"),
            field="former_ref",
        )
    return unit.qualified_code


@transaction.atomic
def territory_set(
    *,
    actor: User,
    profile: str,
    name: str,
    act_date: dt.date,
    root_code: str = "",
    commune_codes: Sequence[str] | None = None,
    former_ref: str = "",
) -> Territory:
    """R11 (DESIGN "Contracts: Territory"): a profile's territory, a named set of 2025 communes.

    Either `root_code`, a 2025 province taken whole (`hung-yen` is province 33 with all its communes, former
    Hưng Yên and Thái Bình), or `commune_codes`, the 2025 communes of the locality (`loc-ninh` is 7 communes of
    Đồng Nai): the root is then the province only when the list is the whole of it. `former_ref` names the legacy
    unit the act was issued for, kept for history (`legacy:692`). Idempotent; audited on every call.
    """
    root: AdminUnit | None
    if commune_codes is None:
        if not root_code:
            raise GeoInputError(_("Cần mã tỉnh hoặc danh sách xã / A root or communes are needed"), field="root_code")
        root, communes = _whole_province(root_code)
    else:
        root, communes = _listed_communes(commune_codes)
    former = _former(former_ref)
    territory, created = Territory.objects.update_or_create(
        profile=profile, defaults={"name": name, "root": root, "act_date": act_date, "former_ref": former}
    )
    territory.communes.set([unit.pk for unit in communes])
    selectors.TERRITORY_COMMUNES.changed()
    selectors.TERRITORY_MAP.changed()
    audit_record(
        actor=actor,
        action="geo.territory_set",
        obj=territory,
        changes={
            "root": root.code if root else None,
            "communes": len(communes),
            "act_date": act_date.isoformat(),
            "former": former,
            "created": created,
        },
    )
    return territory
