"""The world the citizen-report demo works in (R11; issue 3 item 9), set up through the services: the eight
categories of `catalogue.py` (`category_create` / `category_update`), routing rules to the profile's commune
committees (`routing_rule_set`), the default escalation chain when there is none, and one demo officer for
each handling agency that has none (`account_provision`, citing the act). `World` carries what `history`
and `recent` share: categories, communes, routing, people and calendars."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import secrets
from dataclasses import dataclass, field
from typing import Any

from django_otp.oath import TOTP

from ioc.accounts import selectors as account_selectors
from ioc.accounts import services as account_services
from ioc.accounts.choices import SYSTEM_USERNAME, Role
from ioc.accounts.models import RoleAssignment, User
from ioc.agencies import selectors as agency_selectors
from ioc.agencies.models import Agency, InformationSystem
from ioc.assignments import services as assignment_services
from ioc.assignments.models import EscalationChain
from ioc.citizen_reports import services
from ioc.citizen_reports.demo import catalogue
from ioc.citizen_reports.demo.catalogue import CategorySpec
from ioc.citizen_reports.models import Category, RoutingRule
from ioc.geo import selectors as geo_selectors
from ioc.geo.models import AdminUnit
from ioc.worktime import selectors as worktime_selectors
from ioc.worktime.selectors import WorkCalendar

PROCESS = "citizen_reports"
MARKER_ACTION = "report.demo_load"
RECENT_DAYS = 14
LOCAL = worktime_selectors.LOCAL_TZ


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
            "default_agency": _agency(profile.agency_code(spec.default_agency)),
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


def world_build(profile: Any, rng: random.Random, until: dt.datetime, categories: dict[str, Category]) -> World:
    """R11: the profile's communes (wards and communes with a committee drawn more often), routing, people (an
    officer for every handling agency) and the default escalation chain."""
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
