"""The demo of running the center (R10.2–R10.4, issue 24), for any profile, driven by the act's data:

- staff from the act's staffing (`regulation.staffing`: positions × count, home agency matched by the name the act
  gives, else the operating unit): Lộc Ninh's three at the center, Cà Mau's team of seven…; when the act sets a
  second, lower allowance (those working elsewhere, 003:9) other units' officers join from their agencies;
- allowance rules from the act's allowances (the higher one for the center); a year of monthly sheets, approved
  by the managing body's officer (a demo account `canbo-quanly`) except the last; acts without an amount print
  "chưa quy định";
- this month's roster of the center cut from its hours (Hưng Yên 24/7, Bà Rịa - Vũng Tàu office hours), covered
  and published;
- assets with a year of maintenance (one plan overdue), a fault, a pending change and an approved future window.
Idempotent: nothing happens once staff exist. Acts as the IOC leader, the managing body and the system account.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from typing import Any

from django.db import transaction

from ioc.accounts import services as accounts
from ioc.accounts.models import RoleAssignment, User
from ioc.accounts.selectors import system_account
from ioc.agencies.choices import ActRole
from ioc.agencies.models import Agency, AgencyActRole
from ioc.common.roles import Role
from ioc.operations import services
from ioc.operations.choices import Proration, WorkPlace
from ioc.operations.models import Staff
from ioc.regulation import selectors as regulation
from ioc.regulation.models import Allowance
from ioc.worktime.selectors import LOCAL_TZ

GIVEN = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ")
NAMES = ("Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Minh Đức", "Thu Hà", "Quốc Hùng", "Thị Lan", "Văn Nam")
MAX_PER_POSITION = 8
ASSETS = (
    ("screen", "Màn hình ghép phòng điều hành", 90),
    ("server", "Máy chủ ứng dụng IOC", 90),
    ("server", "Máy chủ cơ sở dữ liệu", 90),
    ("network", "Thiết bị chuyển mạch lõi", 180),
    ("ups", "Bộ lưu điện phòng máy chủ", 30),
    ("licence", "Bản quyền phần mềm nền tảng IOC", 365),
    ("fire", "Bình chữa cháy khí CO2 phòng máy chủ", 180),
)


def _holder(role: str) -> User | None:
    holders = RoleAssignment.objects.filter(role=role, revoked_at__isnull=True).values("user_id")
    return User.objects.filter(pk__in=holders, is_active=True).order_by("pk").first()


def _acting(role: str) -> Agency | None:
    found = AgencyActRole.objects.filter(role=role).select_related("agency").order_by("pk").first()
    return found.agency if found else None


def _agency_named(text: str, fallback: Agency) -> Agency:
    words = text.lower()
    for agency in Agency.objects.filter(is_active=True).order_by("pk"):
        if agency.name.lower() in words or words in agency.name.lower():
            return agency
    return fallback


def _managing_officer(managing: Agency | None) -> User | None:
    """The managing body's officer who approves (created once for the demo through the account services)."""
    if managing is None:
        return None
    found = RoleAssignment.objects.filter(role=Role.AGENCY_OFFICER, agency=managing, revoked_at__isnull=True).first()
    if found is not None:
        return found.user
    system = system_account()
    holders = RoleAssignment.objects.filter(role=Role.SYSTEM_ADMIN, revoked_at__isnull=True).values("user_id")
    admin = User.objects.filter(pk__in=holders, is_active=True).exclude(pk=system.pk).order_by("pk").first()
    if admin is None:
        return None
    return accounts.account_provision(
        document_no="01/QĐ-DEMO",
        document_date=dt.date(2025, 1, 2),
        issuing_body=managing.name,
        approver=admin,
        actor=admin,
        username="canbo-quanly",
        full_name="Cán bộ cơ quan quản lý",
        email="canbo-quanly@canary.invalid",
        password="Demo-" + secrets.token_urlsafe(16),
        roles=[(Role.AGENCY_OFFICER, managing, None)],
        agency=managing,
    )


def _name(rng: random.Random, index: int) -> str:
    return f"{GIVEN[index % len(GIVEN)]} {NAMES[(index * 7 + rng.randrange(3)) % len(NAMES)]}"


def _staff(leader: User, center: Agency, start: dt.date, rng: random.Random) -> list[Staff]:
    people: list[Staff] = []
    for position in regulation.staffing():
        agency = _agency_named(position.provided_by, center)
        for n in range(min(position.count, MAX_PER_POSITION)):
            lead = n == 0 and any(w in position.title.lower() for w in ("lãnh đạo", "trưởng", "phụ trách"))
            people.append(
                _one(leader, agency, position.title, position.code, WorkPlace.CENTER, start, lead, rng, people)
            )
    if not people:  # the act sets no staffing: the operating unit's own team
        for n in range(6):
            people.append(_one(leader, center, "Cán bộ vận hành", "", WorkPlace.CENTER, start, n < 2, rng, people))
    if not any(p.is_leader for p in people):
        Staff.objects.filter(pk=people[0].pk).update(is_leader=True)
        people[0].is_leader = True
    return people


def _one(
    leader: User,
    agency: Agency,
    title: str,
    code: str,
    place: str,
    start: dt.date,
    lead: bool,
    rng: random.Random,
    people: list[Staff],
) -> Staff:
    return services.staff_create(
        actor=leader,
        full_name=_name(rng, len(people)),
        home_agency=agency,
        position=title[:300],
        position_code=code,
        work_place=place,
        starts_on=start,
        is_leader=lead,
        email=f"nhansu{len(people) + 1}@canary.invalid",
    )


def _elsewhere(leader: User, center: Agency, start: dt.date, rng: random.Random, people: list[Staff]) -> int:
    """Other units' officers doing the center's tasks from their agencies (when the act pays them: 003:9)."""
    others = list(Agency.objects.filter(is_active=True, unit__isnull=True).exclude(pk=center.pk).order_by("pk")[:4])
    for index, agency in enumerate(others):
        joined = start if index else start + dt.timedelta(days=200)  # one joins mid-month
        people.append(_one(leader, agency, "Đầu mối phối hợp", "", WorkPlace.ELSEWHERE, joined, False, rng, people))
    return len(others)


def _rules(leader: User) -> None:
    amounts = sorted(regulation.allowances(), key=lambda a: -a.amount_vnd)
    places: dict[str, Allowance | None] = {WorkPlace.CENTER: amounts[0] if amounts else None, WorkPlace.ELSEWHERE: None}
    if len(amounts) > 1:
        places[WorkPlace.ELSEWHERE] = amounts[1]
    services.allowance_rules_set(actor=leader, proration=Proration.BY_DAYS, allowances=places)


def _sheets(leader: User, approver: User | None, until: dt.datetime) -> int:
    month = until.astimezone(LOCAL_TZ).date().replace(day=1)
    count = 0
    for back in range(12, 0, -1):
        first = (month - dt.timedelta(days=28 * back)).replace(day=1)
        sheets = services.allowance_sheets_prepare_month(actor=leader, month=first, now=until)
        for sheet in sheets:
            if approver is not None and back > 1:
                services.allowance_sheet_approve(actor=approver, sheet=sheet)
        count += len(sheets)
    return count


def _roster(leader: User, center: Agency, people: list[Staff], until: dt.datetime) -> int:
    roster = services.roster_create(
        actor=leader, agency=center, month=until.astimezone(LOCAL_TZ).date(), min_per_shift=1
    )
    leaders = [p for p in people if p.is_leader] or people[:1]
    crew = [p for p in people if not p.is_leader] or people
    duties = 0
    for index, shift in enumerate(roster.shifts.order_by("starts_at")):
        if shift.is_holiday and index % 3 == 0:
            continue  # a gap across the holiday, shown before publishing
        services.roster_duty_add(actor=leader, shift=shift, staff=leaders[index % len(leaders)], as_leader=True)
        services.roster_duty_add(actor=leader, shift=shift, staff=crew[index % len(crew)])
        duties += 2
    services.roster_publish(actor=leader, roster=roster, accept_gaps=True)
    return duties


def _assets(center: Agency, until: dt.datetime) -> int:
    actor = system_account()
    today = until.astimezone(LOCAL_TZ).date()
    maintainer = next((a for a in Agency.objects.filter(is_active=True) if "viễn thông" in a.name.lower()), center)
    records = 0
    for index, (kind, name, every) in enumerate(ASSETS):
        asset = services.asset_create(
            actor=actor,
            kind=kind,
            name=name,
            owner_agency=center,
            maintainer=maintainer,
            location="Trung tâm IOC",
            handover_no=f"{index + 1:02d}/BB-BG",
            handover_date=today - dt.timedelta(days=400),
            serial=f"IOC-{index + 1:04d}",
            warranty_until=today + dt.timedelta(days=365),
        )
        first_due = today - dt.timedelta(days=360)
        plan = services.maintenance_plan_set(
            actor=actor,
            asset=asset,
            title="Kiểm tra, bảo dưỡng định kỳ",
            interval_days=every,
            due_on=first_due,
            now=until,
        )
        while plan.due_on is not None and plan.due_on <= today - dt.timedelta(days=3):
            if index == 4 and plan.due_on > today - dt.timedelta(days=40):
                break  # the UPS's last check is overdue
            services.maintenance_record(
                actor=actor, asset=asset, plan=plan, done_on=plan.due_on, result="ok", now=until
            )
            records += 1
        if kind == "network":
            services.fault_report(
                actor=actor, asset=asset, description="Mất kết nối một cổng quang", stops_operation=False
            )
    return records


def _change(title: str, start: dt.datetime) -> Any:
    return services.change_request(
        actor=system_account(),
        title=title,
        reason="Cập nhật bản vá bảo mật",
        systems="Máy chủ ứng dụng IOC",
        requester="Nhà cung cấp nền tảng",
        rollback_plan="Khôi phục bản sao lưu trước khi nâng cấp",
        sources=["sensors", "cameras"],
        window_start=start,
        window_end=start + dt.timedelta(hours=3),
    )


def _changes(approver: User | None, until: dt.datetime) -> int:
    """A pending change and an approved future window (the managing body's decision)."""
    _change("Nâng cấp phiên bản nền tảng", until + dt.timedelta(days=5))
    approved = _change("Thay thế thiết bị chuyển mạch", until + dt.timedelta(days=7))
    if approver is not None:
        services.change_decide(actor=approver, change=approved, approve=True)
    return 2


# R10.4 (000:7.3 "đào tạo chuyển giao công nghệ", 003:10.4 tập huấn): what the demo's staff attended.
TRAININGS = (
    ("Đào tạo chuyển giao công nghệ vận hành Trung tâm IOC", 16, "Đơn vị cung cấp giải pháp"),
    ("Tập huấn khai thác kho dữ liệu dùng chung", 8, "Sở Thông tin và Truyền thông"),
    ("Tập huấn bảo đảm an toàn thông tin", 8, "Sở Thông tin và Truyền thông"),
)


def _trainings(leader: User, people: list[Staff], start: dt.date, rng: random.Random) -> int:
    """The technology-transfer training for everyone at the start, then a tập huấn each for some."""
    done = 0
    for index, person in enumerate(people):
        chosen = TRAININGS[:1] + ((TRAININGS[1 + index % 2],) if rng.random() < 0.6 else ())
        for offset, (title, hours, organiser) in enumerate(chosen):
            held = start + dt.timedelta(days=7 + 90 * offset + rng.randrange(20))
            services.training_record(
                actor=leader, staff=person, title=title, held_on=held, hours=hours, organiser=organiser
            )
            done += 1
    return done


def generate(*, profile: Any, rng: random.Random, until: dt.datetime) -> dict[str, int]:
    """R10.2–R10.4: staff, a year of allowance sheets, this month's roster, assets and changes (module docstring)."""
    if Staff.objects.exists():
        return {"already_loaded": 1}
    leader = _holder(Role.IOC_LEADER)
    center = _acting(ActRole.OPERATING) or _acting(ActRole.MANAGING)
    if leader is None or center is None:
        return {"staff": 0}
    start = (until.astimezone(LOCAL_TZ).date() - dt.timedelta(days=400)).replace(day=1)
    with transaction.atomic():
        approver = _managing_officer(_acting(ActRole.MANAGING))
        _rules(leader)
        people = _staff(leader, center, start, rng)
        elsewhere = _elsewhere(leader, center, start, rng, people) if len(regulation.allowances()) > 1 else 0
        trainings = _trainings(leader, people, start, rng)
        sheets = _sheets(leader, approver, until)
        duties = _roster(leader, center, people, until)
        records = _assets(center, until)
        changes = _changes(approver, until)
    return {
        "staff": len(people),
        "elsewhere": elsewhere,
        "trainings": trainings,
        "sheets": sheets,
        "duties": duties,
        "maintenance": records,
        "changes": changes,
    }
