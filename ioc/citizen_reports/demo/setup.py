"""Citizen reports' demo generator (R11; issue 3 item 9): a year of realistic reports in the profile's communes.

`generate(*, profile, rng, until)`, listed in `ioc/demo/registry.py`, runs after the foundation and:

1. sets up the eight categories of `catalogue.py` through `category_create` / `category_update`, routing
   rules to the profile's commune committees (`routing_rule_set`), the default escalation chain when there is
   none, and one demo officer for each handling agency that has none (`account_provision`, citing the act);
2. loads the history older than 14 days with `history_load` — the documented bulk service: rows built in memory
   and written with `bulk_create` (reports, contacts, timelines, assignments and their updates), **one audit
   entry per batch** (`audit_record_bulk`, action `report.bulk_load`, row count + digest of the rows);
   seasonal volumes (flooding June–October, garbage around Tết…), on-time and late handling, rejections,
   duplicates, spam, reopened reports, mixed channels, canary contacts (`@canary.invalid`, `0900000xxx`);
3. drives the last 14 days through the real services (`report_receive`, e-mail through `intake_fetch` +
   `intake_item_convert`, `report_verify`/`report_approve`, `report_forward`, `assignment_accept`/`_return`/
   `_progress`/`_resolve`, `report_publish`, `report_rate`, `report_reopen`, …), each step only once its planned
   moment has passed. The services stamp the real clock; `_retime` then moves each report's rows (report,
   timeline, photos, assignments, updates, evidence) to the planned moments and recomputes deadlines with the
   agency's calendar — one `audit_record_bulk` entry (`report.demo_retime`). Audit entries keep their real time.

Idempotent: a `report.demo_load` audit entry for the profile marks a finished load; a second run only re-checks
the categories. Bulk-loaded assignments carry no escalation chain (their escalations are history).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import random
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django_otp.oath import TOTP

from ioc.accounts import selectors as account_selectors
from ioc.accounts import services as account_services
from ioc.accounts.choices import SYSTEM_USERNAME, Role
from ioc.accounts.models import RoleAssignment, User
from ioc.agencies import selectors as agency_selectors
from ioc.agencies.models import Agency, InformationSystem
from ioc.assignments import services as assignment_services
from ioc.assignments.choices import AT_RISK_SHARE, AssignmentStatus, UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate, EscalationChain
from ioc.audit.models import AuditEntry
from ioc.audit.services import audit_record, audit_record_bulk
from ioc.citizen_reports import services
from ioc.citizen_reports.choices import Channel, ReportStatus
from ioc.citizen_reports.demo import catalogue
from ioc.citizen_reports.demo.catalogue import CategorySpec
from ioc.citizen_reports.models import Category, Report, ReporterContact, ReportEvent, RoutingRule, search_key
from ioc.citizen_reports.privacy import blind_index, encrypt
from ioc.geo import selectors as geo_selectors
from ioc.geo.models import AdminUnit
from ioc.worktime import selectors as worktime_selectors
from ioc.worktime.selectors import WorkCalendar

PROCESS = "citizen_reports"
MARKER_ACTION = "report.demo_load"
HISTORY_DAYS = 365
RECENT_DAYS = 14
BATCH = 2000
LOCAL = worktime_selectors.LOCAL_TZ
S = ReportStatus


# --- the world the generator works in ------------------------------------------------------------------------


@dataclass
class World:
    """What both halves share: the profile's categories, communes, routing, people and calendars."""

    profile: Any
    rng: random.Random
    until: dt.datetime
    specs: dict[str, CategorySpec]
    categories: dict[str, Category]
    communes: list[AdminUnit]
    weights: list[float]
    routing: dict[tuple[int, int | None], Agency]
    operator: User
    leader: User
    officers: dict[int, User]
    app: InformationSystem | None
    calendars: dict[int, WorkCalendar] = field(default_factory=dict)
    shapes: dict[int, Any] = field(default_factory=dict)
    contact_seq: int = 0
    # The catalogue's rates are for the whole province; a territory with fewer communes loaded gets its share.
    scale: float = 1.0

    def calendar(self, agency: Agency) -> WorkCalendar:
        if agency.pk not in self.calendars:
            self.calendars[agency.pk] = worktime_selectors.calendar_for(agency=agency)
        return self.calendars[agency.pk]

    def agency_for(self, category: Category, unit: AdminUnit) -> Agency:
        found = self.routing.get((category.pk, unit.pk)) or self.routing.get((category.pk, None))
        return found or category.default_agency  # type: ignore[return-value]


def generate(*, profile: Any, rng: random.Random, until: dt.datetime) -> dict[str, int]:
    """R11: categories, routing, a year of history in bulk and the last 14 days through the services."""
    with transaction.atomic():
        categories = categories_ensure(profile)
        if AuditEntry.objects.filter(action=MARKER_ACTION, object_id=profile.key).exists():
            return {"categories": len(categories), "already_loaded": 1}
        world = _world(profile, rng, until, categories)
        history = history_load(world)
        from ioc.citizen_reports.demo.recent import recent_drive  # it builds on this module's helpers

        recent = recent_drive(world)
        audit_record(
            actor=account_selectors.system_account(),
            action=MARKER_ACTION,
            object_type="demo.profile",
            object_id=profile.key,
            changes={"history": history, "recent": recent, "until": until.isoformat()},
        )
    return {"categories": len(categories), "reports_history": history, "reports_recent": recent}


def _agency(code: str) -> Agency:
    agency = agency_selectors.agency_get(code=code)
    if agency is None:
        raise LookupError(f"demo: agency {code!r} is missing (the foundation generator creates it)")
    return agency


def categories_ensure(profile: Any) -> dict[str, Category]:
    """R3.2: the catalogue's categories (created, or brought back to the catalogue's values) and routing."""
    found: dict[str, Category] = {}
    for spec in catalogue.CATEGORIES:
        wanted: dict[str, Any] = {
            "name": spec.name,
            "name_en": spec.name_en,
            "group": spec.group,
            "keywords": spec.keywords,
            "default_agency": _agency(spec.default_agency),
            "handling_hours": spec.handling_hours,
            "requires_leader_approval": spec.requires_leader_approval,
            "evidence_photo_required": spec.evidence_photo_required,
        }
        category = Category.objects.filter(code=spec.code).first()
        if category is None:
            category = services.category_create(actor=account_selectors.system_account(), code=spec.code, **wanted)
        else:
            changed = {k: v for k, v in wanted.items() if getattr(category, k) != v}
            if changed:
                category = services.category_update(
                    category=category, actor=account_selectors.system_account(), **changed
                )
        found[spec.code] = category
        if spec.commune_routing:
            for agency in _commune_committees(profile):
                _rule_ensure(category, agency)
    return found


def _commune_committees(profile: Any) -> list[Agency]:
    territory = geo_selectors.territory_get(profile=profile.key)
    if territory is None:
        return []
    units = territory.communes.values_list("pk", flat=True)
    return list(Agency.objects.filter(unit_id__in=units, is_active=True).select_related("unit").order_by("code"))


def _rule_ensure(category: Category, agency: Agency) -> None:
    rule = RoutingRule.objects.filter(category=category, unit=agency.unit).first()
    if rule is None or rule.agency_id != agency.pk:
        services.routing_rule_set(
            category=category, unit=agency.unit, agency=agency, actor=account_selectors.system_account()
        )


def _world(profile: Any, rng: random.Random, until: dt.datetime, categories: dict[str, Category]) -> World:
    territory = geo_selectors.territory_get(profile=profile.key)
    if territory is None:
        raise LookupError(f"demo: the territory of {profile.key!r} is missing (the foundation generator sets it)")
    communes = list(territory.communes.order_by("code"))
    committees = {a.unit_id for a in _commune_committees(profile)}
    weights = [
        (3.0 if "phường" in (u.unit_type or u.full_name).lower() else 1.0) * (2 if u.pk in committees else 1)
        for u in communes
    ]
    routing = {
        (rule.category_id, rule.unit_id): rule.agency
        for rule in RoutingRule.objects.filter(category__in=categories.values()).select_related("agency")
    }
    operator, leader = _holder(Role.IOC_OPERATOR), _holder(Role.IOC_LEADER)
    world = World(
        profile=profile,
        rng=rng,
        until=until,
        specs={spec.code: spec for spec in catalogue.CATEGORIES},
        categories=categories,
        communes=communes,
        weights=weights,
        routing=routing,
        operator=operator,
        leader=leader,
        officers={},
        app=agency_selectors.information_system_get(code="ung-dung-cong-dan"),
        scale=min(1.0, len(communes) / max(1, int(getattr(profile, "expected_communes", 0) or len(communes)))),
    )
    agencies = {c.default_agency for c in categories.values()} | set(routing.values())
    for agency in sorted((a for a in agencies if a is not None), key=lambda a: a.code):
        world.officers[agency.pk] = officer_ensure(profile, agency, leader)
    _chain_ensure(leader)
    return world


def _holder(role: str, agency: Agency | None = None) -> User:
    holders = RoleAssignment.objects.filter(role=role, revoked_at__isnull=True)
    if agency is not None:
        holders = holders.filter(agency=agency)
    people = account_selectors.user_list().exclude(username=SYSTEM_USERNAME)  # a person approves, not the system
    user = people.filter(pk__in=holders.values("user_id"), is_active=True).order_by("pk")
    found = user.first()
    if found is None:
        raise LookupError(f"demo: nobody holds {role} (the foundation generator creates the demo accounts)")
    return found


def officer_ensure(profile: Any, agency: Agency, leader: User) -> User:
    """The agency's first officer; one is provisioned (on the act, random password, a pre-confirmed TOTP device
    like every demo staff account) when it has none. Its password is not printed: list it in the profile's
    accounts to get a printed login."""
    with contextlib.suppress(LookupError):
        return _holder(Role.AGENCY_OFFICER, agency)
    admin = _holder(Role.SYSTEM_ADMIN)
    username = f"canbo-{agency.code}"[:150]
    officer = account_services.account_provision(
        document_no=profile.act.number,
        document_date=profile.act.date,
        issuing_body=profile.act.issuing_body,
        approver=admin,
        actor=admin,
        username=username,
        full_name=f"Cán bộ {agency.short_name or agency.name}"[:150],
        email=f"{username}@{profile.key}.{profile.email_domain}",
        password=secrets.token_urlsafe(18) + "Aa1!",
        roles=[(Role.AGENCY_OFFICER, agency, None)],
        agency=agency,
    )
    device = account_services.totp_enrolment_start(user=officer)
    code = str(TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()).zfill(device.digits)
    account_services.totp_enrolment_confirm(user=officer, device=device, code=code)
    return officer


def _chain_ensure(leader: User) -> None:
    """Issue 3 item 4: the default chain for reports — the agency head at the deadline, then the IOC leader."""
    if EscalationChain.objects.filter(process=PROCESS, category_code="").exists():
        return
    assignment_services.escalation_chain_set(
        actor=leader,
        process=PROCESS,
        category_code="",
        name="Phản ánh hiện trường (mặc định)",
        steps=[
            assignment_services.StepSpec(at_share=1.0, role=Role.AGENCY_HEAD),
            assignment_services.StepSpec(at_share=1.5, role=Role.IOC_LEADER, urgent=True),
        ],
    )


# --- shared randomness -----------------------------------------------------------------------------------------


def poisson(rng: random.Random, rate: float) -> int:
    """Knuth's method (rates here are below ~20 a day)."""
    limit, k, p = math.exp(-rate), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    hour = rng.choices(range(24), weights=catalogue.HOURS)[0]
    local = dt.datetime.combine(day, dt.time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=LOCAL)
    return local.astimezone(dt.UTC)


def hours(value: float) -> dt.timedelta:
    return dt.timedelta(hours=value)


def point_in(world: World, unit: AdminUnit) -> tuple[float, float]:
    """A random point inside the commune's boundary (its centre, jittered, when it has none)."""
    rng = world.rng
    shape = world.shapes.get(unit.pk)
    if shape is None and unit.geometry:
        from shapely.geometry import shape as to_shape
        from shapely.prepared import prep

        geometry = to_shape(json.loads(unit.geometry))
        shape = world.shapes[unit.pk] = (geometry.bounds, prep(geometry.buffer(-0.0005) or geometry))
    if shape is not None:
        from shapely.geometry import Point

        (min_x, min_y, max_x, max_y), prepared = shape
        for _attempt in range(60):
            lon, lat = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
            if prepared.contains(Point(lon, lat)) and _located(round(lat, 6), round(lon, 6)) == unit.pk:
                return round(lat, 6), round(lon, 6)
    lat = float(
        unit.lat if unit.lat is not None else (unit.min_lat or 0) + ((unit.max_lat or 0) - (unit.min_lat or 0)) / 2
    )
    lon = float(
        unit.lon if unit.lon is not None else (unit.min_lon or 0) + ((unit.max_lon or 0) - (unit.min_lon or 0)) / 2
    )
    return round(lat + rng.uniform(-0.002, 0.002), 6), round(lon + rng.uniform(-0.002, 0.002), 6)


def _located(lat: float, lon: float) -> int | None:
    """The commune the services will find for the point (near a border it may be the neighbour's)."""
    try:
        return geo_selectors.unit_at_point(lat=lat, lon=lon).pk
    except geo_selectors.PointOutsideError:
        return None


def describe(world: World, spec: CategorySpec) -> str:
    text = world.rng.choice(spec.texts)
    return text.format(street=world.rng.choice(catalogue.STREETS), landmark=world.rng.choice(catalogue.LANDMARKS))


def canary_contact(world: World) -> services.ContactInput | None:
    """55 % leave a contact: canary e-mails and 0900000xxx phones only."""
    rng = world.rng
    if rng.random() > 0.55:
        return None
    world.contact_seq += 1
    n = world.contact_seq
    has_email, has_phone = rng.random() < 0.45, rng.random() < 0.7
    return services.ContactInput(
        name=rng.choice(catalogue.NAMES) if rng.random() < 0.6 else "",
        phone=f"0900000{n % 1000:03d}" if has_phone or not has_email else "",
        email=f"nguoidan{n}@canary.invalid" if has_email else "",
        consent_processing=True,
        consent_share_with_agency=rng.random() < 0.5,
    )


def channel_pick(rng: random.Random) -> str:
    names = [name for name, _share in catalogue.CHANNEL_SHARES]
    return rng.choices(names, weights=[share for _name, share in catalogue.CHANNEL_SHARES])[0]


def arrivals(world: World, first: dt.date, last: dt.date) -> Iterator[tuple[CategorySpec, dt.datetime]]:
    """Every report's category and moment of arrival, day by day, following the catalogue's seasons."""
    day = first
    while day <= last:
        for spec in catalogue.CATEGORIES:
            for _n in range(poisson(world.rng, catalogue.seasonal_rate(spec, day) * world.scale)):
                yield spec, _moment(world.rng, day)
        day += dt.timedelta(days=1)


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
