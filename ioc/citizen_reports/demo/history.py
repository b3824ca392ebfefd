"""Citizen reports' demo generator (R11; issue 3 item 9): a year of realistic reports in the profile's communes.

`generate(*, profile, rng, until)`, listed in `ioc/demo/registry.py`, runs after the foundation and:

1. sets up (`setup.py`) the eight categories of `catalogue.py` through `category_create` /
   `category_update`, routing rules to the profile's commune committees (`routing_rule_set`), the default
   escalation chain when there is none, and one demo officer for each handling agency that has none
   (`account_provision`, citing the act);
2. loads the history older than 14 days with `history_load` (this module) — the documented bulk service: rows
   built in memory and written with `bulk_create` (reports, contacts, timelines, assignments and their updates),
   **one audit entry per batch** (`audit_record_bulk`, action `report.bulk_load`, row count + digest of the
   rows); seasonal volumes (flooding June–October, garbage around Tết…), on-time and late handling, rejections,
   duplicates, spam, reopened reports, mixed channels, canary contacts (`@canary.invalid`, `0900000xxx`);
3. drives the last 14 days through the real services (`recent.py`: `report_receive`, e-mail through
   `intake_fetch` + `intake_item_convert`, `report_verify`/`report_approve`, `report_forward`,
   `assignment_accept`/`_return`/`_progress`/`_resolve`, `report_publish`, `report_rate`, `report_reopen`, …),
   each step only once its planned moment has passed. The services stamp the real clock; `_retime` then moves
   each report's rows (report, timeline, photos, assignments, updates, evidence) to the planned moments and
   recomputes deadlines with the agency's calendar — one `audit_record_bulk` entry (`report.demo_retime`).
   Audit entries keep their real time. Randomness shared with `recent.py` lives in `draws.py`.

Idempotent: a `report.demo_load` audit entry for the profile marks a finished load; a second run only re-checks
the categories. Bulk-loaded assignments carry no escalation chain (their escalations are history).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from ioc.accounts import selectors as account_selectors
from ioc.accounts.models import User
from ioc.assignments.choices import AT_RISK_SHARE, AssignmentStatus, UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate
from ioc.audit.models import AuditEntry
from ioc.audit.services import audit_record, audit_record_bulk
from ioc.citizen_reports import services
from ioc.citizen_reports.choices import Channel, ReportStatus
from ioc.citizen_reports.demo import catalogue
from ioc.citizen_reports.demo.catalogue import CategorySpec
from ioc.citizen_reports.demo.draws import arrivals, canary_contact, channel_pick, describe, hours, point_in
from ioc.citizen_reports.demo.recent import recent_drive
from ioc.citizen_reports.demo.setup import (
    LOCAL,
    MARKER_ACTION,
    PROCESS,
    RECENT_DAYS,
    World,
    categories_ensure,
    world_build,
)
from ioc.citizen_reports.models import Report, ReporterContact, ReportEvent, search_key
from ioc.citizen_reports.privacy import blind_index, encrypt
from ioc.geo import selectors as geo_selectors
from ioc.worktime import selectors as worktime_selectors

HISTORY_DAYS = 365
BATCH = 2000
S = ReportStatus


def generate(*, profile: Any, rng: random.Random, until: dt.datetime) -> dict[str, int]:
    """R11: categories, routing, a year of history in bulk and the last 14 days through the services."""
    with transaction.atomic():
        categories = categories_ensure(profile)
        if AuditEntry.objects.filter(action=MARKER_ACTION, object_id=profile.key).exists():
            return {"categories": len(categories), "already_loaded": 1}
        world = world_build(profile, rng, until, categories)
        history = history_load(world)
        recent = recent_drive(world)
        audit_record(
            actor=account_selectors.system_account(),
            action=MARKER_ACTION,
            object_type="demo.profile",
            object_id=profile.key,
            changes={"history": history, "recent": recent, "until": until.isoformat()},
        )
    return {"categories": len(categories), "reports_history": history, "reports_recent": recent}


# --- history: the documented bulk service ----------------------------------------------------------------------


@dataclass
class Planned:
    """One historical report and everything that hangs off it, before the insert."""

    report: Report
    events: list[dict[str, Any]]
    contact: ReporterContact | None
    assignment: Assignment | None = None
    updates: list[dict[str, Any]] = field(default_factory=list)
    duplicate_of: Planned | None = None  # the original report's plan


def history_load(world: World) -> int:
    """R11 bulk service: reports older than RECENT_DAYS, written in batches of BATCH with one audit entry each."""
    first = (world.until - dt.timedelta(days=HISTORY_DAYS)).astimezone(LOCAL).date()
    last = (world.until - dt.timedelta(days=RECENT_DAYS)).astimezone(LOCAL).date() - dt.timedelta(days=1)
    plans: list[Planned] = []
    recent_by_category: dict[str, list[int]] = {}
    for spec, moment in arrivals(world, first, last):
        plan = _history_plan(world, spec, moment, plans, recent_by_category)
        plans.append(plan)
        recent_by_category.setdefault(spec.code, []).append(len(plans) - 1)
    plans.sort(key=lambda p: p.report.received_at)
    # Ids are given up front (one loader runs at a time: demo_load) so assignments, duplicates and timelines can
    # point at their report in the same batch; PostgreSQL's sequence is moved past them afterwards.
    first_id = (Report.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    for offset, plan in enumerate(plans):
        plan.report.pk = first_id + offset
    for start in range(0, len(plans), BATCH):
        _history_write(world, plans[start : start + BATCH])
    _sequence_reset(Report)
    return len(plans)


def _sequence_reset(model: type[models.Model]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _history_plan(
    world: World, spec: CategorySpec, t0: dt.datetime, plans: list[Planned], recent: dict[str, list[int]]
) -> Planned:
    rng = world.rng
    category = world.categories[spec.code]
    unit = rng.choices(world.communes, weights=world.weights)[0]
    lat, lon = point_in(world, unit)
    channel = channel_pick(rng)
    code, text = services.new_tracking_code(), describe(world, spec)
    report = Report(
        tracking_code=code,
        search_text=search_key(tracking_code=code, description=text, address=""),
        channel=channel,
        category=category,
        description=text,
        lat=lat,
        lon=lon,
        unit=unit,
        grid_cell=geo_selectors.grid_cell(lat, lon),
        status=S.RECEIVED,
        source_system=world.app if channel == Channel.OPEN311 else None,
        created_by=world.operator if channel in (Channel.HOTLINE, Channel.SOCIAL) else None,
        received_at=t0,
        social_url="https://www.facebook.com/groups/phananh/posts/1" if channel == Channel.SOCIAL else "",
    )
    events = [{"at": t0, "from_status": "", "to_status": S.RECEIVED, "is_public": True}]
    contact = _contact_row(canary_contact(world))
    plan = Planned(report=report, events=events, contact=contact)
    draw = rng.random()
    if draw < 0.02:
        _close(plan, S.SPAM, t0 + hours(rng.uniform(0.3, 5)), world.operator, "Tin quảng cáo, không phải phản ánh.")
    elif draw < 0.09:
        _close(plan, S.REJECTED, t0 + hours(rng.uniform(0.5, 8)), world.operator, rng.choice(catalogue.REJECT_REASONS))
    elif draw < 0.14 and _duplicate_candidate(plans, recent.get(spec.code, []), t0) is not None:
        original = _duplicate_candidate(plans, recent.get(spec.code, []), t0)
        assert original is not None
        plan.duplicate_of = plans[original]
        note = "Trùng với phản ánh %s" % plans[original].report.tracking_code  # noqa: UP031
        _close(plan, S.DUPLICATE, t0 + hours(rng.uniform(0.5, 6)), world.operator, note)
    else:
        _handled(world, spec, plan)
    return plan


def _contact_row(contact: services.ContactInput | None) -> ReporterContact | None:
    if contact is None:
        return None
    return ReporterContact(
        name_encrypted=encrypt(contact.name),
        phone_encrypted=encrypt(contact.phone),
        email_encrypted=encrypt(contact.email),
        phone_index=blind_index(contact.phone),
        email_index=blind_index(contact.email),
        consent_processing=contact.consent_processing,
        consent_share_with_agency=contact.consent_share_with_agency,
    )


def _duplicate_candidate(plans: list[Planned], indices: list[int], t0: dt.datetime) -> int | None:
    for index in reversed(indices[-30:]):
        original = plans[index].report
        if original.status in (S.PUBLISHED, S.IN_PROGRESS) and t0 - original.received_at < dt.timedelta(days=14):
            return index
    return None


def _event(plan: Planned, at: dt.datetime, to: str, actor: User | None, note: str = "", public: bool = True) -> None:
    plan.events.append(
        {
            "at": at,
            "actor_id": _pk(actor),
            "from_status": plan.report.status,
            "to_status": to,
            "note": note,
            "is_public": public,
        }
    )
    plan.report.status = to


def _close(plan: Planned, status: str, at: dt.datetime, actor: User, note: str) -> None:
    _event(plan, at, status, actor, note, public=status != S.SPAM)
    plan.report.closed_at = at
    if status != S.DUPLICATE:
        plan.report.rejection_reason = note


def _handled(world: World, spec: CategorySpec, plan: Planned) -> None:
    """Verified (approved), forwarded, accepted, resolved on time or late, published, maybe rated or reopened."""
    rng, report = world.rng, plan.report
    category, unit = world.categories[spec.code], report.unit
    assert unit is not None
    t = report.received_at + hours(rng.uniform(0.3, 6))
    report.verified_at, report.verified_by = t, world.operator
    if spec.requires_leader_approval:
        _event(plan, t, S.AWAITING_APPROVAL, world.operator)
        t += hours(rng.uniform(1, 10))
        report.approved_at, report.approved_by = t, world.leader
        _event(plan, t, S.VERIFIED, world.leader)
    else:
        _event(plan, t, S.VERIFIED, world.operator)
    agency = world.agency_for(category, unit)
    forwarded = t + hours(rng.uniform(0.1, 3))
    calendar = world.calendar(agency)
    deadline = worktime_selectors.deadline_add(start=forwarded, working_hours=spec.handling_hours, calendar=calendar)
    report.agency, report.forwarded_at, report.deadline_at = agency, forwarded, deadline
    _event(plan, forwarded, S.FORWARDED, world.operator, "Đã chuyển %s" % agency.name)  # noqa: UP031
    officer = world.officers[agency.pk]
    accepted = forwarded + (deadline - forwarded) * rng.uniform(0.02, 0.15)
    _event(plan, accepted, S.IN_PROGRESS, officer, "Đã tiếp nhận")
    late = rng.random() < spec.late_share
    if late:
        resolved = deadline + hours(rng.uniform(2, 120))
    else:
        resolved = forwarded + (deadline - forwarded) * rng.uniform(0.2, 0.97)
    assignment = Assignment(
        process=PROCESS,
        subject_label=f"{report.tracking_code} — {category.name}"[:200],
        category_code=category.code,
        agency=agency,
        unit=unit,
        status=AssignmentStatus.ACCEPTED,
        working_hours=spec.handling_hours,
        forwarded_at=forwarded,
        started_at=forwarded,
        at_risk_at=worktime_selectors.deadline_add(
            start=forwarded, working_hours=spec.handling_hours * AT_RISK_SHARE, calendar=calendar
        ),
        deadline_at=deadline,
        accepted_at=accepted,
        forwarded_by=world.operator,
        handled_by=officer,
    )
    plan.assignment = assignment
    plan.updates += [
        _update(UpdateKind.FORWARD, forwarded, world.operator),
        _update(UpdateKind.ACCEPT, accepted, officer),
    ]
    if resolved >= world.until - dt.timedelta(days=RECENT_DAYS):
        return  # still being handled when the recent fortnight starts: an overdue open item
    _resolve_and_publish(world, spec, plan, resolved, officer)


def _resolve_and_publish(world: World, spec: CategorySpec, plan: Planned, resolved: dt.datetime, officer: User) -> None:
    rng, report, assignment = world.rng, plan.report, plan.assignment
    assert assignment is not None and report.deadline_at is not None
    result = rng.choice(spec.results)
    published = resolved + hours(rng.uniform(1, 20))
    _event(plan, resolved, S.RESOLVED, officer, result)
    _event(plan, published, S.PUBLISHED, world.operator, result)
    assignment.status, assignment.resolution = AssignmentStatus.CONFIRMED, result
    assignment.resolved_at, assignment.confirmed_at, assignment.closed_at = resolved, published, published
    plan.updates += [
        _update(UpdateKind.RESOLVE, resolved, officer, result),
        _update(UpdateKind.CONFIRM, published, world.operator),
    ]
    report.result, report.resolved_at = result, resolved
    report.published_at = report.closed_at = published
    report.handled_on_time = resolved <= report.deadline_at
    if rng.random() < 0.035:
        _reopened(world, plan, published, officer)
    if rng.random() < 0.55:
        on_time = report.handled_on_time
        weights = (3, 5, 12, 35, 45) if on_time else (15, 20, 30, 25, 10)
        report.rating = rng.choices((1, 2, 3, 4, 5), weights=weights)[0]
        report.rating_comment = rng.choice(catalogue.RATING_COMMENTS)
        rated = (report.published_at or published) + hours(rng.uniform(2, 72))
        _event(plan, rated, S.PUBLISHED, None, "Người phản ánh đánh giá %d/5" % report.rating, public=False)  # noqa: UP031


def _reopened(world: World, plan: Planned, published: dt.datetime, officer: User) -> None:
    """The reporter reopened it; the agency fixed it again (a second, on-time round)."""
    rng, report, assignment = world.rng, plan.report, plan.assignment
    assert assignment is not None
    reopened = published + hours(rng.uniform(5, 96))
    again = reopened + hours(rng.uniform(8, 48))
    published_again = again + hours(rng.uniform(1, 12))
    _event(plan, reopened, S.IN_PROGRESS, None, rng.choice(catalogue.REOPEN_REASONS))
    _event(plan, again, S.RESOLVED, officer, report.result)
    _event(plan, published_again, S.PUBLISHED, world.operator, report.result)
    plan.updates += [
        _update(UpdateKind.REOPEN, reopened, None),
        _update(UpdateKind.RESOLVE, again, officer, report.result),
        _update(UpdateKind.CONFIRM, published_again, world.operator),
    ]
    report.reopen_count = 1
    report.resolved_at, report.published_at, report.closed_at = again, published_again, published_again
    assignment.resolved_at = again
    assignment.confirmed_at = assignment.closed_at = published_again


def _pk(user: User | None) -> int | None:
    return user.pk if user is not None else None


def _update(kind: str, at: dt.datetime, actor: User | None, text: str = "") -> dict[str, Any]:
    """An AssignmentUpdate row (public when it carries the result)."""
    return {"kind": kind, "at": at, "actor_id": _pk(actor), "text": text, "is_public": bool(text)}


def raw_insert(model: type[models.Model], rows: list[dict[str, Any]]) -> int:
    """Rows (attname → value, the model's defaults for the rest) in one executemany: the ORM's per-instance cost
    is most of a bulk load's time for the many small timeline rows."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    values = [[f.get_db_prep_save(row.get(f.attname, defaults[f.attname]), connection) for f in fields] for row in rows]
    if values:
        with connection.cursor() as cursor:
            cursor.executemany(sql, values)
    return len(values)


def _history_write(world: World, batch: list[Planned]) -> None:
    """One batch: bulk inserts in dependency order (ids given up front), then the one audit entry of the batch."""
    with_work = [p for p in batch if p.assignment is not None]
    for plan in with_work:
        assert plan.assignment is not None
        plan.assignment.subject_id = str(plan.report.pk)
    Assignment.objects.bulk_create([p.assignment for p in with_work if p.assignment is not None])
    for plan in batch:
        plan.report.assignment = plan.assignment
        if plan.duplicate_of is not None:
            plan.report.duplicate_of_id = plan.duplicate_of.report.pk
    reports = Report.objects.bulk_create([p.report for p in batch])
    for plan in batch:
        if plan.contact is not None:
            plan.contact.report = plan.report
    raw_insert(ReportEvent, [{**e, "report_id": p.report.pk} for p in batch for e in p.events])
    ReporterContact.objects.bulk_create([p.contact for p in batch if p.contact is not None])
    raw_insert(
        AssignmentUpdate,
        [{**u, "assignment_id": p.assignment.pk} for p in with_work for u in p.updates if p.assignment],
    )
    audit_record_bulk(
        actor=account_selectors.system_account(),
        action="report.bulk_load",
        object_type="citizen_reports.report",
        rows=[(r.pk, r.tracking_code, r.status, r.received_at.isoformat()) for r in reports],
        changes={"profile": world.profile.key, "source": "demo", "first": reports[0].pk, "last": reports[-1].pk},
    )
