"""The crawl's fixture world (issue 19): the personas, one citizen report in each state, an assignment, an
agency, a unit, a photo, an evidence file and an e-mail waiting in the intake queue — made through the real
services, so every page of the URL access registry has an object to show.

A page whose URL has a parameter gets its value from `FIXTURE_PARAMS`: the key is the parameter's name, or
`"<url name>:<parameter>"` when one URL needs a value of its own; the value is a factory `World -> value`, or
`World -> Variants` (label -> value) to visit the page once per variant (the staff report page in every state).
A new domain adds its parameters here; a URL whose parameter is missing fails the crawl with the line to add.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import shapely
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from ioc.accounts import services as account_services
from ioc.accounts.choices import RequestKind, Role
from ioc.accounts.models import AccountRequest, ApiToken, User
from ioc.accounts.testing import DOCUMENT, PASSWORD, PersonaSet, personas_create
from ioc.agencies import services as agency_services
from ioc.agencies.choices import ActRole
from ioc.agencies.models import Agency
from ioc.assignments import services as assignment_services
from ioc.assignments.models import Assignment, EscalationChain
from ioc.assignments.services import StepSpec
from ioc.citizen_reports import services
from ioc.citizen_reports.mailbox import MailMessage, message_parse
from ioc.citizen_reports.models import Category, IntakeItem, Report, RoutingRule
from ioc.common.images import CleanImage, image_clean
from ioc.cybersecurity.testing import (
    CRAWL_ASSET,
    cyber_asset_pk,
    cyber_crawl_fixtures,
    cyber_rule_pk,
    cyber_screenshot_pk,
    cyber_source_pk,
    cyber_vulnerability_pk,
)
from ioc.datahub.models import IngestJob, Submission
from ioc.datahub.testing import CRAWL_DATASET, crawl_fixtures
from ioc.dossiers.models import Violation
from ioc.dossiers.testing import CRAWL_DOSSIER, SAMPLE_PROCEDURE, dossiers_crawl_fixtures
from ioc.duty import services as duty_services
from ioc.duty.models import Handover
from ioc.federation.models import Conflict, DeadLetter
from ioc.federation.testing import CRAWL_PARENT
from ioc.federation.testing import crawl_fixtures as federation_crawl_fixtures
from ioc.federation.testing import crawl_mapping as federation_crawl_mapping
from ioc.federation.testing import crawl_subordinate_report as federation_crawl_report
from ioc.geo.models import AdminUnit
from ioc.geo.services import territory_set
from ioc.geo.testing import HUNG_YEN_COMMUNES
from ioc.incidents import services as incident_services
from ioc.indicators.models import CallRule, DataCall
from ioc.indicators.testing import sample_call, sample_catalogue, sample_rule
from ioc.media_watch.testing import crawl_pk as media_pk
from ioc.media_watch.testing import media_crawl_fixtures
from ioc.regulation import services as regulation_services
from ioc.regulation.testing import sample_regulation_load
from ioc.scenarios import services as scenario_services
from ioc.sensors.models import AlertRule, Silence
from ioc.sensors.testing import CRAWL_RULE, sensors_crawl_fixtures
from ioc.sharing.models import AccessRequest, Grant
from ioc.sharing.testing import CRAWL_DATASET as SHARING_DATASET
from ioc.sharing.testing import sharing_crawl_fixtures
from ioc.worktime import services as worktime_services
from ioc.worktime.choices import ExceptionKind
from ioc.worktime.models import CalendarException

WORLD_FILE = "ioc/web/testing/world.py"
Variants = dict[str, Any]


@dataclass
class World:
    """What the crawl's pages show; `reports` maps a report status to a report in that status."""

    people: PersonaSet
    province_leader: User
    agency_head: User
    unit: AdminUnit
    category: Category
    sensitive: Category
    reports: dict[str, Report] = field(default_factory=dict)
    private_tokens: dict[str, str] = field(default_factory=dict)
    assignment: Assignment | None = None
    intake_item: IntakeItem | None = None
    scanned_request: AccountRequest | None = None
    incidents: dict[str, Any] = field(default_factory=dict)  # label → incidents.Incident (issue 12)
    alerts: dict[str, Any] = field(default_factory=dict)  # label → incidents.Alert
    scenarios: dict[str, Any] = field(default_factory=dict)  # scenario, activation, warning (issue 15)

    @property
    def agency(self) -> Agency:
        return self.people.agency_a

    def personas(self) -> dict[str, User | None]:
        """The crawl's personas by name (None: anonymous), in the order the summary prints them."""
        return {
            "anonymous": None,
            "operator": self.people.operator,
            "ioc-leader": self.people.leader,
            "province-leader": self.province_leader,
            "officer-a": self.people.officer_a,
            "agency-head": self.agency_head,
            "admin": self.people.admin,
            "screen": self.people.screen_user,
        }


def _photo(color: str, size: tuple[int, int] = (800, 600)) -> CleanImage:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=70)
    return image_clean(buffer.getvalue())


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 160), "white").save(buffer, "PNG")
    return buffer.getvalue()


def _person(admin: User, username: str, role: str, agency: Agency | None = None) -> User:
    return account_services.account_provision(
        **DOCUMENT,
        approver=admin,
        actor=admin,
        username=username,
        full_name=username.replace("-", " ").title(),
        email=f"{username}@canary.invalid",
        password=PASSWORD,
        roles=[(role, agency, None)],
        agency=agency,
    )


class _Inbox:
    """A mailbox in memory, for the real intake service."""

    label = "crawl"

    def __init__(self, messages: list[MailMessage]) -> None:
        self.messages = messages

    def fetch(self, *, limit: int) -> list[MailMessage]:
        return self.messages[:limit]

    def mark_done(self, keys: Any) -> None:
        return None


def _mail_item() -> IntakeItem:
    message = EmailMessage()
    message["From"], message["To"] = "Người dân <nguoi-dan-crawl@canary.invalid>", "phananh@canary.invalid"
    message["Subject"], message["Date"] = "Cống thoát nước bị tắc", format_datetime(timezone.now())
    message["Message-ID"] = "<crawl-1@canary.invalid>"
    message.set_content("Cống trước nhà văn hoá thôn bị tắc, nước tràn ra đường.")
    message.add_attachment(_photo("gray").content, maintype="image", subtype="jpeg", filename="anh.jpg")
    services.intake_fetch(source=_Inbox([message_parse(message.as_bytes(), key="crawl-1")]))
    return IntakeItem.objects.get(message_id="<crawl-1@canary.invalid>")


class _Flow:
    """Drives reports through the real services (R3.3) into each state the staff pages show."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.people = world.people
        shape = shapely.from_geojson(world.unit.geometry).representative_point()
        self.lat, self.lon = float(shape.y), float(shape.x)

    def receive(self, label: str, *, category: Category | None = None) -> Report:
        received = services.report_receive(
            channel="web",
            category=category or self.world.category,
            description=f"Ổ gà lớn giữa đường, xe máy dễ ngã ({label}).",
            lat=self.lat,
            lon=self.lon,
            address="Trước cổng chợ thôn Đông",
            contact=services.ContactInput(
                name="Nguyễn Văn Canary", email="crawl@canary.invalid", consent_processing=True
            ),
            photos=[_photo("orange"), _photo("teal", (600, 800))],
        )
        self.world.private_tokens[label] = received.private_token or ""
        return received.report

    def assignment_of(self, report: Report) -> Assignment:
        report.refresh_from_db()
        assert report.assignment_id is not None
        return Assignment.objects.get(pk=report.assignment_id)

    def build(self) -> None:
        p, reports = self.people, self.world.reports
        reports["received"] = self.receive("received")
        reports["rejected"] = services.report_reject(
            report=self.receive("rejected"), actor=p.operator, reason="Không thuộc phạm vi."
        )
        reports["spam"] = services.report_mark_spam(report=self.receive("spam"), actor=p.operator, reason="Quảng cáo")
        reports["duplicate"] = services.report_mark_duplicate(
            report=self.receive("duplicate"), original=reports["received"], actor=p.operator
        )
        reports["verified"] = services.report_verify(report=self.receive("verified"), actor=p.operator)
        awaiting = self.receive("awaiting_approval", category=self.world.sensitive)
        reports["awaiting_approval"] = services.report_verify(report=awaiting, actor=p.operator)
        forwarded = services.report_verify(report=self.receive("forwarded"), actor=p.operator)
        reports["forwarded"] = services.report_forward(report=forwarded, actor=p.operator, agency=p.agency_a)
        self.world.assignment = self.assignment_of(reports["forwarded"])
        reports["in_progress"] = self._accepted("in_progress")
        reports["resolved"] = self._resolved("resolved")
        published = self._resolved("published")
        photos = list(published.photos.values_list("pk", flat=True))
        reports["published"] = services.report_publish(
            report=published, actor=p.operator, result="Đã vá ổ gà ngày 10/7.", public_photo_ids=photos[:1]
        )

    def _accepted(self, label: str) -> Report:
        p = self.people
        report = services.report_verify(report=self.receive(label), actor=p.operator)
        report = services.report_forward(report=report, actor=p.operator, agency=p.agency_a)
        assignment_services.assignment_accept(assignment=self.assignment_of(report), actor=p.officer_a)
        report.refresh_from_db()
        return report

    def _resolved(self, label: str) -> Report:
        report = self._accepted(label)
        assignment_services.assignment_resolve(
            assignment=self.assignment_of(report),
            actor=self.people.officer_a,
            resolution="Đã vá xong ổ gà, mặt đường phẳng.",
            evidence=[_photo("green", (640, 480))],
        )
        report.refresh_from_db()
        return report


def world_create() -> World:
    """The whole fixture world, through the services (about two seconds on SQLite)."""
    people = personas_create()
    territory_set(
        actor=people.system_account,
        profile=settings.IOC_PROFILE,
        name="Tỉnh Hưng Yên",
        root_code="33",
        act_date=dt.date(2025, 7, 1),
    )
    act = sample_regulation_load(actor=people.system_account, profile=settings.IOC_PROFILE)  # the "Quy chế" page's act
    _sector_domains(people.system_account, act)
    world = World(
        people=people,
        province_leader=_person(people.admin, "crawl-province-leader", Role.PROVINCE_LEADER),
        agency_head=_person(people.admin, "crawl-agency-head", Role.AGENCY_HEAD, people.agency_a),
        unit=AdminUnit.objects.get(hierarchy="2025", code=HUNG_YEN_COMMUNES[0]),
        category=services.category_create(
            actor=people.system_account,
            code="crawl-road",
            name="Đường hư hỏng",
            default_agency=people.agency_a,
            handling_hours=16,
        ),
        sensitive=services.category_create(
            actor=people.system_account,
            code="crawl-order",
            name="Trật tự đô thị",
            default_agency=people.agency_a,
            requires_leader_approval=True,
        ),
    )
    _Flow(world).build()
    _configuration(world)
    _incidents(world)
    _scenarios(world)
    crawl_fixtures(actor=people.system_account, owner=people.agency_a, officer=people.officer_a)
    sharing_crawl_fixtures(
        actor=people.system_account, owner=people.agency_b, owner_officer=people.officer_b, requester=people.officer_a
    )
    indicator = sample_catalogue(
        actor=people.system_account,
        agency=people.agency_a,
        communes=list(AdminUnit.objects.filter(code__in=HUNG_YEN_COMMUNES[:3])),
    )
    sample_call(actor=people.system_account, indicator=indicator)
    sample_rule(actor=people.system_account, indicator=indicator)
    world.intake_item = _mail_item()
    sensors_crawl_fixtures(actor=people.operator)
    cyber_crawl_fixtures(actor=people.admin, agency=people.agency_a)
    media_crawl_fixtures(admin=people.admin)
    dossiers_crawl_fixtures(admin=people.admin, system_user=people.system_user, agency=people.agency_a)
    federation_crawl_fixtures(
        admin=people.admin, indicator_code="thu_ngan_sach", unit_code=HUNG_YEN_COMMUNES[0], period="202501"
    )
    world.scanned_request = account_services.account_request_record(
        kind=RequestKind.CREATE,
        **DOCUMENT,
        approver=people.admin,
        requested_by=people.admin,
        scan=SimpleUploadedFile("van-ban.png", _png(), content_type="image/png"),
    )
    return world


def _scenarios(world: World) -> None:
    """Issue 15: a ready scenario activated by the IOC leader (its command view) and a public warning in force."""
    people, now = world.people, timezone.now()
    scenario = scenario_services.scenario_create(
        actor=people.admin,
        code="crawl-lu-lut",
        name="Ứng phó ngập lụt",
        group="thien-tai",
        definition={
            "incident": {"kind": "env.flood_level", "severity": 4, "title": "Ngập lụt khu dân cư"},
            "triggers": [{"type": "alert", "kind": "env.flood_level", "min_severity": 5}],
            "area": {"type": "unit", "unit": world.unit.code},
            "steps": [
                {"agency": people.agency_a.code, "title": "Sơ tán dân", "deadline_hours": 4, "checklist": ["Danh sách"]}
            ],
        },
    )
    activation = scenario_services.scenario_activate(scenario=scenario, actor=people.leader, reason="Mưa lớn")
    scenario_services.resource_record(
        activation=activation, actor=people.operator, unit_name="Đội xung kích", kind="Xuồng máy", count=2
    )
    warning = scenario_services.warning_publish(
        actor=people.operator,
        draft=scenario_services.WarningDraft(
            event="Ngập lụt",
            category="Met",
            urgency="Expected",
            certainty="Likely",
            severity=3,
            headline_vi="Cảnh báo ngập vùng trũng",
            description_vi="Nước dâng ở vùng trũng ven sông.",
            instruction_vi="Tránh đi qua vùng ngập.",
            area_desc=world.unit.name,
            onset=now,
            expires=now + dt.timedelta(days=2),
            unit_codes=[world.unit.code],
        ),
    )
    world.scenarios.update(scenario=scenario, activation=activation, warning=warning)


def _incidents(world: World) -> None:
    """Issue 12: alerts in the inbox (one severe, sounding), a time-bound incident forwarded to agency A with a
    photo on its timeline, and an immediate one waiting for dispatch."""
    people, now = world.people, timezone.now()
    point = shapely.from_geojson(world.unit.geometry).representative_point()
    where = (float(point.y), float(point.x))

    def alert(key: str, kind: str, severity: int, title: str) -> Any:
        return incident_services.alert_raise(
            source="sensors",
            dedup_key=key,
            kind=kind,
            severity=severity,
            title=title,
            occurred_at=now,
            point=where,
            payload={},
            actor=people.system_user,
        )

    world.alerts["severe"] = alert("crawl-fire", "fire", 5, "Khói lớn tại kho hàng")
    world.alerts["flood"] = alert("crawl-flood", "env.flood_level", 3, "Mực nước trạm 3 vượt báo động 1")
    flood = incident_services.alert_verify(
        alert=alert("crawl-flood-2", "env.air_quality", 3, "Bụi mịn vượt ngưỡng"), actor=people.operator
    )
    incident_services.incident_forward(incident=flood, agencies=[people.agency_a], actor=people.operator)
    incident_services.incident_note(incident=flood, actor=people.operator, text="Ảnh hiện trường", photo=_photo("gray"))
    world.incidents["forwarded"] = flood
    world.incidents["emergency"] = incident_services.alert_verify(
        alert=alert("crawl-accident", "accident.traffic", 4, "Tai nạn liên hoàn"), actor=people.operator
    )


def _configuration(world: World) -> None:
    """What the "Quản trị" pages edit: an act role, a routing rule, a calendar exception (issue 8)."""
    actor = world.people.system_account
    agency_services.agency_act_role_add(
        actor=actor, agency=world.people.agency_a, role=ActRole.PROCESSING, source="demo"
    )
    services.routing_rule_set(category=world.category, unit=world.unit, agency=world.people.agency_b, actor=actor)
    assignment_services.escalation_chain_set(
        actor=actor,
        process="citizen_reports",
        category_code=world.category.code,
        name="Chuỗi báo cáo cấp trên của lĩnh vực đường",
        steps=[
            StepSpec(at_share=0.5, role=Role.AGENCY_HEAD),
            StepSpec(at_share=1.0, role=Role.IOC_LEADER, urgent=True),
        ],
    )
    worktime_services.calendar_exception_add(
        actor=actor, day=dt.date(2026, 12, 31), kind=ExceptionKind.DAY_OFF, name="Nghỉ bổ sung", document_ref="1/QĐ"
    )


def _report_states(world: World) -> Variants:
    return {status: report.pk for status, report in world.reports.items()}


def _first_photo(world: World) -> int:
    return int(world.reports["published"].photos.order_by("pk").values_list("pk", flat=True)[0])


def _public_photo(world: World) -> int:
    return int(world.reports["published"].photos.filter(is_public=True).values_list("pk", flat=True)[0])


def _evidence(world: World) -> int:
    from ioc.assignments.models import Evidence

    assignment = _published_assignment(world)
    return int(Evidence.objects.filter(assignment_id=assignment).values_list("pk", flat=True)[0])


def _account_request(world: World) -> int:
    assert world.scanned_request is not None
    return world.scanned_request.pk


def _published_assignment(world: World) -> int:
    return int(world.reports["published"].assignment_id or 0)


def _assignment(world: World) -> int:
    assert world.assignment is not None
    return world.assignment.pk


def _intake_item(world: World) -> int:
    assert world.intake_item is not None
    return world.intake_item.pk


def _area_slug(world: World) -> str:
    from ioc.web.navigation import DOMAIN_AREAS

    return DOMAIN_AREAS[0].slug


# Parameter name, or "<url name>:<parameter>" → factory. Keep it one dict: a new page adds its line here.
def _handover(world: World) -> Handover:
    """Issue 20: one shift handover, written by the operator at the end of a duty (made on first use)."""
    found = Handover.objects.order_by("pk").first()
    return found or duty_services.handover_write(actor=world.people.operator, happened="Ca trực yên tĩnh.")


def _meeting(world: World) -> Any:
    """R8.4: an open review meeting and an earlier meeting's decision (agency A's) to follow up (made on first use)."""
    from ioc.reporting.testing import crawl_meetings

    return crawl_meetings(actor=world.people.operator, agency=world.people.agency_a)


def _outside_report(world: World) -> Any:
    """R8.3: a meeting report recorded as made outside the IOC (made on first use)."""
    from ioc.reporting.testing import crawl_outside_report

    return crawl_outside_report(actor=world.people.operator)


def _report(world: World) -> Any:
    """Issue 17: one draft monthly report of agency A for last month (the IOC and agency A's people read it),
    generated by the operator (made on first use)."""
    from ioc.reporting import services as reporting_services
    from ioc.reporting.models import Report, ReportTemplate

    found = Report.objects.order_by("pk").first()
    if found is not None:
        return found
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    template = ReportTemplate.objects.get(code="operations-monthly")
    return reporting_services.report_generate(
        actor=world.people.operator,
        template=template,
        period=last_month.strftime("%Y%m"),
        scope_kind="agency",
        agency=world.people.agency_a,
    )


def _sector_domains(actor: User, act: Any) -> None:
    """Issue 20: domains the sector dashboards show (one with indicators, one with the citizen reports' monitor)."""
    regulation_services.monitored_domains_set(
        actor=actor,
        act=act,
        items=[
            {"code": "phan-anh", "name": "Phản ánh hiện trường", "source": "999:2.1"},
            {"code": "kinh-te-xa-hoi", "name": "Chỉ tiêu kinh tế - xã hội", "source": "999:2.2"},
            {"code": "tuong-tac-cong-dan", "name": "Tương tác phục vụ công dân", "source": "999:2.1"},
        ],
    )


def _operations(world: World) -> dict[str, dict[str, int]]:
    """Issue 24: running the center — a staff member, an allowance sheet and an asset of agencies A and B each, a
    roster and a requested change (made on first use). Agency members see their own agency's variant."""
    from ioc.operations import services as ops
    from ioc.operations.models import Asset, Staff
    from ioc.operations.testing import allowance_rules_make, staff_make

    people = world.people
    if not Staff.objects.exists():
        allowance_rules_make(actor=people.system_account, leader=people.leader)
        last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
        for agency in (people.agency_a, people.agency_b):
            staff_make(
                leader=people.leader,
                agency=agency,
                name="Nhân sự " + agency.short_name,
                start=last_month.replace(day=1),
            )
            ops.allowance_sheet_prepare(actor=people.leader, paying_agency=agency, month=last_month)
            ops.asset_create(
                actor=people.operator, kind="server", name="Máy chủ " + agency.short_name, owner_agency=agency
            )
        ops.roster_create(actor=people.leader, agency=people.agency_a, month=timezone.localdate())
        start = timezone.now() + dt.timedelta(days=2)
        ops.change_request(
            actor=people.operator,
            title="Nâng cấp nền tảng",
            reason="Bản vá",
            systems="Máy chủ ứng dụng",
            window_start=start,
            window_end=start + dt.timedelta(hours=2),
            rollback_plan="Khôi phục bản sao lưu",
            requester="Nhà cung cấp",
        )
    from ioc.operations.models import AllowanceSheet, Change, Roster

    def by_agency(model: Any, field: str) -> dict[str, int]:
        rows = model.objects.order_by("pk").values_list(field, "pk")
        found = {agency: pk for agency, pk in rows}
        return {"a": found[people.agency_a.pk], "b": found[people.agency_b.pk]}

    return {
        "staff": by_agency(Staff, "home_agency_id"),
        "sheet": by_agency(AllowanceSheet, "paying_agency_id"),
        "asset": by_agency(Asset, "owner_agency_id"),
        "roster": {"": Roster.objects.order_by("pk").first().pk},  # type: ignore[union-attr]
        "change": {"": Change.objects.order_by("pk").first().pk},  # type: ignore[union-attr]
    }


def _ops(kind: str) -> Callable[[World], Any]:
    def factory(world: World) -> Any:
        values = _operations(world)[kind]
        return values.get("") if "" in values else values

    return factory


FIXTURE_PARAMS: dict[str, Callable[[World], Any]] = {
    # Running the center (issue 24).
    "operations:staff_detail:pk": _ops("staff"),
    **{f"operations:{name}:pk": _ops("sheet") for name in ("sheet_detail", "sheet_export")},
    **{f"operations:{name}:pk": _ops("roster") for name in ("roster_detail", "roster_export")},
    "operations:change_detail:pk": _ops("change"),
    "operations:asset_detail:pk": _ops("asset"),
    "sectors:domain:code": lambda w: "kinh-te-xa-hoi",
    "sectors:export_xlsx:code": lambda w: "kinh-te-xa-hoi",
    "web:area:slug": _area_slug,
    "accounts:request_scan:pk": _account_request,
    "citizen_reports:staff_report_detail:pk": _report_states,
    "citizen_reports:staff_report_contact:pk": lambda w: w.reports["received"].pk,
    "citizen_reports:staff_report_photo:pk": lambda w: w.reports["published"].pk,
    "citizen_reports:staff_report_photo:photo_pk": _first_photo,
    "citizen_reports:staff_report_action:pk": lambda w: w.reports["received"].pk,
    "citizen_reports:staff_report_action:action": lambda w: "verify",
    "citizen_reports:staff_intake_item:pk": _intake_item,
    "citizen_reports:staff_statistics_export:fmt": lambda w: "csv",
    "citizen_reports:public_photo:pk": _public_photo,
    "code": lambda w: w.reports["published"].tracking_code,
    "assignments:detail:pk": _assignment,
    "indicators:detail:code": lambda w: "thu_ngan_sach",
    "indicators:config_change:code": lambda w: "thu_ngan_sach",
    "indicators:config_sync:code": lambda w: "thu_ngan_sach",
    "indicators:config_call_cancel:pk": lambda w: DataCall.objects.get(indicator__code="thu_ngan_sach").pk,
    "indicators:config_rule_action:pk": lambda w: CallRule.objects.get(indicator__code="thu_ngan_sach").pk,
    "indicators:config_rule_action:action": lambda w: "tam-dung",
    "assignments:evidence:pk": _published_assignment,
    "assignments:evidence:evidence_pk": _evidence,
    # The assignment's actions (POST only: probed, listed as "not a page"). No bare "pk" entry on purpose: a new
    # page's `pk` must name its own object, or an unrelated row with the same number would be shown silently.
    **{f"assignments:{action}:pk": _assignment for action in ("accept", "return", "progress", "resolve")},
    # The "Quản trị" section (issue 8).
    **{
        f"accounts:{name}:pk": lambda w: w.people.system.pk
        for name in ("system_detail", "system_retire", "system_account", "system_token_issue", "system_token_revoke")
    },
    "accounts:system_token_revoke:token_pk": lambda w: (
        ApiToken.objects.filter(user=w.people.system_user).earliest("pk").pk
    ),
    **{
        f"agencies:{name}:pk": lambda w: w.people.agency_a.pk
        for name in ("config_edit", "config_retire", "config_role_add", "config_role_remove")
    },
    "agencies:config_role_remove:role": lambda w: ActRole.PROCESSING,
    "citizen_reports_config:category_edit:pk": lambda w: w.category.pk,
    "citizen_reports_config:category_retire:pk": lambda w: w.category.pk,
    "citizen_reports_config:routing_rule_remove:pk": lambda w: RoutingRule.objects.get(category=w.category).pk,
    "assignments_config:chain_edit:pk": lambda w: EscalationChain.objects.get(category_code=w.category.code).pk,
    "assignments_config:chain_remove:pk": lambda w: EscalationChain.objects.get(category_code=w.category.code).pk,
    "worktime:exception_remove:pk": lambda w: CalendarException.objects.get(name="Nghỉ bổ sung").pk,
    # Incidents (issue 12).
    "incidents:alert_action:pk": lambda w: w.alerts["flood"].pk,
    "incidents:alert_action:action": lambda w: "verify",
    "incidents:incident_detail:pk": lambda w: {label: incident.pk for label, incident in w.incidents.items()},
    "incidents:incident_action:pk": lambda w: w.incidents["forwarded"].pk,
    "incidents:incident_action:action": lambda w: "note",
    "incidents:incident_photo:pk": lambda w: w.incidents["forwarded"].pk,
    "incidents:incident_photo:event_pk": lambda w: w.incidents["forwarded"].events.exclude(file="").get().pk,
    # Scenarios and public warnings (issue 15).
    **{f"scenarios:{name}:pk": lambda w: w.scenarios["scenario"].pk for name in ("detail", "edit", "activate")},
    **{f"scenarios:{name}:pk": lambda w: w.scenarios["activation"].pk for name in ("command", "command_action")},
    "scenarios:command_action:action": lambda w: "decision",
    **{f"scenarios:{name}:pk": lambda w: w.scenarios["warning"].pk for name in ("warning_detail", "warning_action")},
    "scenarios:warning_action:action": lambda w: "update",
    "identifier": lambda w: w.scenarios["warning"].identifier,
    # The information-security watch (issue 21): one watched portal (a demo asset, never checked live).
    **{
        f"cybersecurity:{name}:pk": lambda w: cyber_asset_pk(CRAWL_ASSET)
        for name in ("asset_detail", "asset_rebaseline", "asset_edit", "result_screenshot")
    },
    "cybersecurity:result_screenshot:result_pk": lambda w: cyber_screenshot_pk(CRAWL_ASSET),
    # The online-information watch (issue 22): an exports source (never fetched), a topic, a watch list.
    "media_watch:topic:pk": lambda w: media_pk("topic"),
    "media_watch:topic_edit:pk": lambda w: media_pk("topic"),
    **{
        f"media_watch:{name}:pk": lambda w: media_pk("source")
        for name in ("source_edit", "source_run", "source_upload")
    },
    **{f"media_watch:{name}:pk": lambda w: media_pk("list") for name in ("watchlist_edit", "entity_create")},
    "media_watch:entity_edit:pk": lambda w: media_pk("entity"),
    **{f"media_watch:{name}:pk": lambda w: media_pk("item") for name in ("item", "item_to_report", "item_forward")},
    "cybersecurity:vulnerability_detail:pk": lambda w: cyber_vulnerability_pk(),
    "cybersecurity:source_edit:pk": lambda w: cyber_source_pk(),
    "cybersecurity:rule_edit:pk": lambda w: cyber_rule_pk(),
    # Dossiers (issue 23): the sample procedure's page; a violation's actions (POST only).
    "dossiers:procedure_detail:code": lambda w: SAMPLE_PROCEDURE,
    "dossiers:violation_action:pk": lambda w: Violation.objects.filter(dossier__code=CRAWL_DOSSIER).first().pk,  # type: ignore[union-attr]
    "dossiers:violation_action:action": lambda w: "confirm",
    # The operator's queue and the duty desk (issue 20).
    "web:queue_acknowledge:pk": lambda w: w.alerts["severe"].pk,
    "duty:detail:pk": lambda w: _handover(w).pk,
    "duty:acknowledge:pk": lambda w: _handover(w).pk,
    # Reports (issue 17): one draft monthly report; its downloads in both formats.
    **{
        f"reporting:{name}:pk": lambda w: _report(w).pk
        for name in ("detail", "edit", "refresh", "issue", "correct", "download")
    },
    "reporting:download:fmt": lambda w: {"docx": "docx", "xlsx": "xlsx"},
    # Review meetings (R8.4): the open meeting of this half-year; the earlier meeting's decision it follows up.
    **{
        f"reporting:{name}:pk": lambda w: _meeting(w)[0].pk
        for name in ("meeting", "meeting_minutes", "meeting_decision", "meeting_follow_up", "meeting_briefing")
    },
    "reporting:meeting_close:pk": lambda w: _meeting(w)[0].pk,
    "reporting:meeting_follow_up:decision": lambda w: _meeting(w)[1].pk,
    "reporting:share_withdraw:pk": lambda w: _outside_report(w).pk,
    # The data hub (issue 10): its crawl dataset, a template of each format, the rejected submission's report.
    **{
        f"datahub:{name}:dataset": lambda w: CRAWL_DATASET
        for name in (
            "dataset_detail",
            "template",
            "upload",
            "entry",
            "obligation_edit",
            "connector_edit",
            "connector_run",
            "dataset_edit",
            "dataset_publish",
        )
    },
    "datahub:job_detail:pk": lambda w: IngestJob.objects.get(dataset__code=CRAWL_DATASET).pk,
    "datahub:template:fmt": lambda w: {"xlsx": "xlsx", "csv": "csv"},
    **{
        f"datahub:{name}:pk": lambda w: (
            Submission.objects.filter(dataset__code=CRAWL_DATASET, status="rejected").get().pk
        )
        for name in ("submission_detail", "submission_errors", "submission_sheet")
    },
    # Sharing (issue 10 item 8): a dataset each agency may ask for; the pending, approved and refused requests.
    "sharing:request_new:dataset": lambda w: {"b": SHARING_DATASET, "a": CRAWL_DATASET},
    "sharing:request_detail:pk": lambda w: {
        r.status: r.pk for r in AccessRequest.objects.filter(dataset__code__startswith=SHARING_DATASET)
    },
    **{
        f"sharing:{name}:pk": lambda w: AccessRequest.objects.get(dataset__code=SHARING_DATASET).pk
        for name in ("request_approve", "request_refuse")
    },
    "sharing:grant_revoke:pk": lambda w: Grant.objects.get(dataset__code__startswith=SHARING_DATASET).pk,
    # Sensors (issue 14): the crawl's rule and its maintenance window.
    "sensors:rule_edit:pk": lambda w: AlertRule.objects.get(code=CRAWL_RULE).pk,
    "sensors:silence_expire:pk": lambda w: Silence.objects.get(matchers__rule=CRAWL_RULE).pk,
    # Federation (issue 18): the crawl's dead letter and conflict.
    "federation:dead_letter_replay:pk": lambda w: DeadLetter.objects.get(message__link__code=CRAWL_PARENT).pk,
    "federation:conflict:pk": lambda w: Conflict.objects.get(link__code=CRAWL_PARENT).pk,
    # Reports upward (issue 18): the submit page of the world's report; a report a child center submitted.
    "federation:report_submit:pk": lambda w: _report(w).pk,
    "federation:subordinate_report_download:pk": lambda w: federation_crawl_report().pk,
    # Federation's configuration pages (issue 18): the crawl parent link and one of its code mappings.
    **{
        f"federation_config:{name}:code": lambda w: CRAWL_PARENT
        for name in ("link_edit", "link_keys", "mappings", "mapping_remove")
    },
    "federation_config:mapping_remove:pk": lambda w: federation_crawl_mapping(admin=w.people.admin).pk,
}


def fixture_value(world: World | None, url_name: str, param: str) -> Variants | None:
    """The variants of one path parameter for one URL, or None when FIXTURE_PARAMS has no entry (or no world)."""
    factory = FIXTURE_PARAMS.get(f"{url_name}:{param}") or FIXTURE_PARAMS.get(param)
    if factory is None or world is None:
        return None
    value = factory(world)
    return value if isinstance(value, dict) else {"": value}
