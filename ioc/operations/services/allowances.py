"""R10.4 (003:9, 004:10.1): the allowance rules and the monthly sheets — prepared per paying agency from the act's
amounts (`ioc.regulation`), approved by the managing body, then frozen; a correction is the next version."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.agencies.models import Agency
from ioc.audit.services import AuditItem, audit_record, audit_record_many
from ioc.operations.allowance_calc import Span, line_amount, month_bounds, vnd
from ioc.operations.choices import Proration, SheetState, WorkPlace
from ioc.operations.models import AllowanceLine, AllowanceRule, AllowanceSheet, Posting, Staff
from ioc.operations.services._base import clean_text, require_managing_body, require_staff_manager, today
from ioc.regulation import selectors as regulation
from ioc.regulation.models import Allowance


@transaction.atomic
def allowance_rules_set(
    *, actor: User, proration: str, allowances: Mapping[str, Allowance | None]
) -> list[AllowanceRule]:
    """R10.4: which of the act's allowances each work place receives (None: the act sets none) and the proration."""
    require_staff_manager(actor)
    if proration not in Proration.values:
        raise ValidationError({"proration": [_("Cách tính không hợp lệ / Unknown proration")]})
    act = regulation.act_current()
    rules = []
    for place in WorkPlace.values:
        allowance = allowances.get(place)
        if allowance is not None and (act is None or allowance.act_id != act.pk):
            raise ValidationError({place: [_("Mức hỗ trợ không thuộc quy chế hiện hành / Not of the current act")]})
        rule, _created = AllowanceRule.objects.update_or_create(
            work_place=place, defaults={"allowance": allowance, "proration": proration, "updated_at": timezone.now()}
        )
        rules.append(rule)
    changes = {"proration": proration, **{r.work_place: r.allowance.code if r.allowance else None for r in rules}}
    audit_record(actor=actor, action="allowance_rule.set", obj=rules[0], changes=changes)
    return rules


Rates = dict[str, int | None]


def _rules() -> tuple[Rates, str, str]:
    """(rate per work place, proration, the text printed on the sheet) from the rules and the act."""
    rows = {rule.work_place: rule for rule in AllowanceRule.objects.select_related("allowance")}
    rates: Rates = {}
    lines = []
    for place in WorkPlace.values:
        allowance = rows[place].allowance if place in rows else None
        rates[place] = allowance.amount_vnd if allowance is not None else None
        where = WorkPlace(place).label
        if allowance is None:
            lines.append(f"{where}: {vnd(None)}")
        else:
            lines.append(f"{where}: {vnd(allowance.amount_vnd)} đồng/người/tháng ({allowance.source})")
    proration = next((rule.proration for rule in rows.values()), Proration.NONE)
    lines.append(f"Tháng không trọn: {Proration(proration).label}")
    return rates, proration, "\n".join(lines)


def _spans(month: dt.date, agency_ids: set[int] | None) -> dict[int, list[Span]]:
    first, last = month_bounds(month)
    postings = Posting.objects.filter(starts_on__lte=last).exclude(ends_on__lt=first)
    if agency_ids is not None:
        postings = postings.filter(staff__home_agency_id__in=agency_ids)
    spans: dict[int, list[Span]] = defaultdict(list)
    for staff_id, place, starts, ends in postings.values_list("staff_id", "work_place", "starts_on", "ends_on"):
        spans[staff_id].append((place, starts, ends))
    return spans


def _check_month(month: dt.date, now: dt.datetime | None) -> dt.date:
    first, last = month_bounds(month)
    if last >= today(now):
        raise ValidationError(
            {"month": [_("Tháng %(m)s chưa kết thúc / The month is not over yet") % {"m": f"{first:%m/%Y}"}]}
        )
    return first


# A sheet's lines go in with one prepared INSERT run over the rows (executemany), as the data hub's records do: the
# ORM's bulk_create spent half of a 2,000-line month preparing values field by field (profiled, issue 24 "Speed").
# Columns by name from `_meta`, so a renamed field fails at import; the tests read the lines back through the ORM.
LINE_COLUMNS = (
    "sheet_id",
    "staff_id",
    "full_name",
    "position",
    "days_center",
    "days_elsewhere",
    "days_in_month",
    "amount_vnd",
    "basis",
)
LINE_INSERT = "INSERT INTO {table} ({columns}) VALUES ({marks})".format(  # noqa: S608 - names from _meta
    table=connection.ops.quote_name(AllowanceLine._meta.db_table),
    columns=", ".join(
        connection.ops.quote_name({f.attname: str(f.column) for f in AllowanceLine._meta.concrete_fields}[name])
        for name in LINE_COLUMNS
    ),
    marks=", ".join(["%s"] * len(LINE_COLUMNS)),
)
LineRow = tuple[int, str, str, int, int, int, int | None, str]  # a line without its sheet: staff … basis


def _lines(
    month: dt.date, proration: str, spans: dict[int, list[Span]], staff: dict[int, tuple[str, str]], rates: Rates
) -> list[LineRow]:
    rows: list[LineRow] = []
    for staff_id, person_spans in spans.items():
        computed = line_amount(person_spans, month, rates, proration)
        if computed is None:
            continue
        full_name, position = staff[staff_id]
        center, elsewhere = computed.days.get(WorkPlace.CENTER, 0), computed.days.get(WorkPlace.ELSEWHERE, 0)
        rows.append(
            (
                staff_id,
                full_name,
                position,
                center,
                elsewhere,
                computed.days_in_month,
                computed.amount_vnd,
                computed.basis,
            )
        )
    return rows


def _lines_insert(rows: list[tuple[int | str | None, ...]]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(rows), LINE_BATCH):
            cursor.executemany(LINE_INSERT, rows[start : start + LINE_BATCH])


LINE_BATCH = 2000


def _sheet_for(
    versions: list[AllowanceSheet], agency_id: int, month: dt.date, actor: User, reason: str
) -> AllowanceSheet:
    """The draft to (re)fill: the open draft, else a first version, else a correction (reason required)."""
    draft = next((s for s in versions if s.state == SheetState.DRAFT), None)
    if draft is not None:
        draft.prepared_by, draft.prepared_at = actor, timezone.now()
        draft.reason = reason or draft.reason
        return draft
    if versions and not reason:
        raise ValidationError(
            {"reason": [_("Bảng tháng này đã duyệt: lập bản điều chỉnh phải nêu lý do / A correction needs a reason")]}
        )
    version = max((s.version for s in versions), default=0) + 1
    return AllowanceSheet(
        paying_agency_id=agency_id, month=month, version=version, prepared_by=actor, reason=reason if versions else ""
    )


def _existing(agency_ids: list[int], month: dt.date) -> dict[int, list[AllowanceSheet]]:
    """Every version of the month's sheets of `agency_ids`, locked, in one query; the drafts' lines are dropped."""
    found: dict[int, list[AllowanceSheet]] = defaultdict(list)
    for sheet in AllowanceSheet.objects.select_for_update().filter(paying_agency_id__in=agency_ids, month=month):
        found[sheet.paying_agency_id].append(sheet)
    drafts = [s.pk for versions in found.values() for s in versions if s.state == SheetState.DRAFT]
    if drafts:
        AllowanceLine.objects.filter(sheet_id__in=drafts).delete()
    return found


def _redone_save(redone: list[AllowanceSheet], actor: User, proration: str, rule_text: str) -> None:
    """Recomputed drafts written back: what they share in one UPDATE, then what differs per sheet (the total, a
    reason) by one prepared UPDATE over the sheets — a six-field bulk_update built 360 CASE branches for 60 sheets,
    a fifth of a rerun (profiled)."""
    if not redone:
        return
    shared = {"prepared_by": actor, "prepared_at": redone[0].prepared_at, "proration": proration}
    AllowanceSheet.objects.filter(pk__in=[s.pk for s in redone]).update(rule_text=rule_text, **shared)
    with connection.cursor() as cursor:
        cursor.executemany(SHEET_UPDATE, [(s.total_vnd, s.reason, s.pk) for s in redone])


SHEET_UPDATE = "UPDATE {table} SET {total} = %s, {reason} = %s WHERE {pk} = %s".format(  # noqa: S608 - from _meta
    table=connection.ops.quote_name(AllowanceSheet._meta.db_table),
    total=connection.ops.quote_name(str(AllowanceSheet._meta.get_field("total_vnd").column)),
    reason=connection.ops.quote_name(str(AllowanceSheet._meta.get_field("reason").column)),
    pk=connection.ops.quote_name(str(AllowanceSheet._meta.pk.column)),
)


def _prepare(*, actor: User, month: dt.date, agency_ids: set[int] | None, reason: str) -> list[AllowanceSheet]:
    """R10.4 (issue 24 "Speed"): every sheet set-wise — versions read in one query, new sheets and lines inserted
    in bulk, recomputed drafts updated in bulk, one audit entry per sheet in one INSERT."""
    rates, proration, rule_text = _rules()
    spans = _spans(month, agency_ids)
    # Plain tuples, not model instances: building 2,000 Staff objects was a tenth of the month (profiled).
    staff: dict[int, tuple[str, str]] = {}
    by_agency: dict[int, dict[int, list[Span]]] = defaultdict(dict)
    rows = Staff.objects.filter(pk__in=spans.keys()).values_list("pk", "home_agency_id", "full_name", "position")
    for staff_id, agency_id, full_name, position in rows:
        staff[staff_id] = (full_name, position)
        by_agency[agency_id][staff_id] = spans[staff_id]
    order = sorted(by_agency)
    existing = _existing(order, month)
    sheets, lines = [], []
    for agency_id in order:
        sheet = _sheet_for(existing.get(agency_id, []), agency_id, month, actor, reason)
        sheet.proration, sheet.rule_text = proration, rule_text
        sheet_lines = _lines(month, proration, by_agency[agency_id], staff, rates)
        sheet.total_vnd = sum(line[6] or 0 for line in sheet_lines)
        sheets.append(sheet)
        lines.append(sheet_lines)
    redone = [s for s in sheets if s.pk is not None]
    AllowanceSheet.objects.bulk_create([s for s in sheets if s.pk is None])
    _redone_save(redone, actor, proration, rule_text)
    _lines_insert([(sheet.pk, *line) for sheet, rows in zip(sheets, lines, strict=True) for line in rows])
    items = [
        AuditItem(
            action="allowance_sheet.prepare",
            obj=s,
            changes={"version": s.version, "total_vnd": s.total_vnd},
            object_repr=f"{s.paying_agency_id} {s.month:%m/%Y} v{s.version}",  # no agency read per sheet
        )
        for s in sheets
    ]
    audit_record_many(actor=actor, items=items)
    return sheets


@transaction.atomic
def allowance_sheet_prepare(
    *, actor: User, paying_agency: Agency, month: dt.date, reason: str = "", now: dt.datetime | None = None
) -> AllowanceSheet:
    """R10.4: the sheet of `paying_agency` for a month that is over: a draft (re)computed from the postings, or,
    after approval, a correction as the next version (with its reason)."""
    require_staff_manager(actor)
    first = _check_month(month, now)
    why = clean_text(reason, field="reason", required=False)
    sheets = _prepare(actor=actor, month=first, agency_ids={paying_agency.pk}, reason=why)
    if not sheets:
        raise ValidationError(
            {"paying_agency": [_("Cơ quan không có nhân sự trong tháng / No staff of this agency that month")]}
        )
    return sheets[0]


@transaction.atomic
def allowance_sheets_prepare_month(
    *, actor: User, month: dt.date, now: dt.datetime | None = None
) -> list[AllowanceSheet]:
    """R10.4: every paying agency's sheet of a month that is over; approved ones stay as they are."""
    require_staff_manager(actor)
    first = _check_month(month, now)
    approved = set(
        AllowanceSheet.objects.filter(month=first, state=SheetState.APPROVED).values_list("paying_agency_id", flat=True)
    )
    agencies = set(Staff.objects.values_list("home_agency_id", flat=True).distinct()) - approved
    return _prepare(actor=actor, month=first, agency_ids=agencies, reason="")


@transaction.atomic
def allowance_sheet_recompute(*, actor: User, sheet: AllowanceSheet) -> AllowanceSheet:
    """R10.4: a draft computed again from today's postings; an approved sheet is frozen."""
    require_staff_manager(actor)
    locked = AllowanceSheet.objects.select_for_update().get(pk=sheet.pk)
    if locked.state != SheetState.DRAFT:
        raise ValidationError(
            {"state": [_("Bảng đã duyệt không sửa được; hãy lập bản điều chỉnh / An approved sheet is frozen")]}
        )
    return _prepare(actor=actor, month=locked.month, agency_ids={locked.paying_agency_id}, reason=locked.reason)[0]


@transaction.atomic
def allowance_sheet_approve(*, actor: User, sheet: AllowanceSheet) -> AllowanceSheet:
    """R10.4: the managing body approves a draft; it is frozen and an earlier approved version is superseded."""
    require_managing_body(actor)
    locked = AllowanceSheet.objects.select_for_update().get(pk=sheet.pk)
    if locked.state != SheetState.DRAFT:
        raise ValidationError({"state": [_("Chỉ dự thảo mới được duyệt / Only a draft can be approved")]})
    AllowanceSheet.objects.filter(
        paying_agency_id=locked.paying_agency_id, month=locked.month, state=SheetState.APPROVED
    ).update(state=SheetState.SUPERSEDED)
    locked.state, locked.approved_by, locked.approved_at = SheetState.APPROVED, actor, timezone.now()
    locked.save(update_fields=["state", "approved_by", "approved_at"])
    audit_record(actor=actor, action="allowance_sheet.approve", obj=locked, changes={"total_vnd": locked.total_vnd})
    return locked
