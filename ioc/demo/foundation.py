"""The foundation's demo generator (R11): units, territory, agencies, demo accounts, systems and tokens.

Everything is written through the real services; running it again changes nothing that is already right
(idempotent). Accounts are created on account requests citing the profile's act (R7.2).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ioc.accounts import selectors as account_selectors
from ioc.accounts import services as account_services
from ioc.accounts.choices import STAFF_ROLES, SYSTEM_USERNAME, RequestKind, Role
from ioc.accounts.models import DisplayScreen, User
from ioc.accounts.otp import totp_code
from ioc.agencies import selectors as agency_selectors
from ioc.agencies import services as agency_services
from ioc.agencies.models import Agency
from ioc.demo.profiles.base import AccountSpec, Profile, SystemSpec
from ioc.demo.secrets_store import SecretStore, new_password
from ioc.geo import selectors as geo_selectors
from ioc.geo import services as geo_services
from ioc.geo.choices import Level
from ioc.geo.errors import UnitNotFoundError
from ioc.geo.models import AdminUnit
from ioc.regulation import services as regulation_services
from ioc.worktime import selectors as worktime_selectors
from ioc.worktime import services as worktime_services

TOKEN_DAYS = 365


@dataclass
class Context:
    """What the steps share: the profile, the secret store, the demo admin and the agencies by code."""

    profile: Profile
    store: SecretStore
    agencies: dict[str, Agency]
    admin: User | None = None
    system: User | None = None

    @property
    def actor(self) -> User:
        """The system account: the demo's setup writes (units, territory, agencies) are audited as it."""
        assert self.system is not None, "system_account_ensure runs first"
        return self.system

    def document(self) -> dict[str, Any]:
        act = self.profile.act
        return {"document_no": act.number, "document_date": act.date, "issuing_body": act.issuing_body}

    def request(self, kind: str, subject: User | None = None) -> Any:
        assert self.admin is not None
        return account_services.account_request_record(
            kind=kind, **self.document(), approver=self.admin, requested_by=self.admin, subject=subject
        )


def generate(
    *,
    profile: Profile,
    rng: random.Random,
    until: dt.datetime,
    load_units: bool = True,
    store: SecretStore | None = None,
) -> dict[str, int]:
    """R11: load the profile's foundation. `load_units=False` uses the administrative units already present."""
    ctx = Context(profile=profile, store=store or SecretStore(profile.key), agencies={})
    one_profile_per_database(profile)
    with transaction.atomic():
        system_ensure_first(ctx)
        units = units_ensure(ctx) if load_units else {}
        communes = territory_ensure(ctx)
        agencies_ensure(ctx)
        admin_ensure(ctx)
        for spec in profile.accounts:
            account_ensure(ctx, spec)
        screen_ensure(ctx)
        for system in profile.systems:
            system_ensure(ctx, system)
        duties = regulation_ensure(ctx)
        hours_ensure(ctx)
    return {
        "units_created": int(units.get("units_created", 0)),
        "communes": communes,
        "agencies": len(ctx.agencies),
        "accounts": len(profile.accounts) + 2,
        "systems": len(profile.systems),
        "duties": duties,
    }


def one_profile_per_database(profile: Profile) -> None:
    """R11 (issue 9 part 4): one deployment serves one profile; a database never holds two (a district and its
    province are two deployments, linked by federation). Loading the same profile again is fine."""
    others = [key for key in geo_selectors.territory_profiles() if key != profile.key]
    if others:
        raise ValidationError(
            {
                "profile": [
                    f"Cơ sở dữ liệu này đã phục vụ hồ sơ {others[0]!r}; mỗi triển khai một hồ sơ / "
                    f"This database already serves profile {others[0]!r}; one deployment serves one profile"
                ]
            }
        )


# --- territory and agencies ----------------------------------------------------------------------------


def _root(profile: Profile) -> AdminUnit | None:
    """The 2025 province a whole-province territory is (None for a territory that is part of one)."""
    if not profile.whole_province:
        return None
    try:
        return geo_selectors.unit_get(ref=profile.root_code)
    except UnitNotFoundError:
        return None


def territory_codes(profile: Profile) -> list[str]:
    """R11: the 2025 communes of the profile's territory by the reference data (whole province or locality)."""
    if profile.whole_province:
        return sorted(geo_selectors.province_commune_codes(province_code=profile.root_code))
    return sorted(geo_selectors.locality_get(key=profile.locality)["new_commune_codes"])


def units_ensure(ctx: Context) -> dict[str, Any]:
    """R6.1, R11: the territory's 2025 communes (with their province) and the legacy units behind them, which
    keep the units the act was issued for (Lộc Ninh: district 692 and its 16 communes) for history."""
    profile = ctx.profile
    if profile.whole_province:
        return geo_services.units_load(actor=ctx.actor, provinces=[profile.root_code])
    return geo_services.units_load(actor=ctx.actor, communes=territory_codes(profile))


def _former_ref(profile: Profile) -> str:
    """The act's former unit when it is loaded (a deployment loaded with `--no-units` may lack it)."""
    if not profile.former_ref:
        return ""
    try:
        geo_selectors.unit_get(ref=profile.former_ref)
    except (UnitNotFoundError, geo_selectors.UnitRefError):
        return ""
    return profile.former_ref


def territory_ensure(ctx: Context) -> int:
    """R11: the profile's territory, its 2025 communes present in the database; set again only when it differs."""
    profile = ctx.profile
    root = _root(profile)
    wanted = territory_codes(profile)
    present = sorted(
        geo_selectors.unit_list(level=Level.COMMUNE).filter(code__in=wanted).values_list("code", flat=True)
    )
    former = _former_ref(profile)
    territory = geo_selectors.territory_get(profile=profile.key)
    current = sorted(territory.communes.values_list("code", flat=True)) if territory is not None else []
    if (
        territory is None
        or territory.root_id != getattr(root, "pk", None)
        or territory.name != profile.territory_name
        or territory.act_date != profile.act.date
        or territory.former_ref != former
        or current != present
    ):
        territory = geo_services.territory_set(
            actor=ctx.actor,
            profile=profile.key,
            name=profile.territory_name,
            act_date=profile.act.date,
            **_territory_args(profile, present),
            former_ref=former,
        )
    return territory.communes.count()


def _territory_args(profile: Profile, present: list[str]) -> dict[str, Any]:
    if profile.whole_province:
        return {"root_code": profile.root_code}
    return {"commune_codes": present}


def agencies_ensure(ctx: Context) -> None:
    """R1.1, R7.1: the act's agencies with their cited roles, then the commune committees."""
    profile = ctx.profile
    root = _root(profile)
    for spec in profile.agencies:
        fields = {
            "name": spec.name,
            "kind": spec.kind,
            "name_en": spec.name_en,
            "short_name": spec.short_name,
            "parent": ctx.agencies.get(spec.parent) if spec.parent else None,
            "unit": root if spec.unit == "root" else None,
            "works_24x7": spec.works_24x7,
        }
        agency = _agency_upsert(ctx.actor, spec.code, fields)
        for role, source in spec.roles:
            agency_services.agency_act_role_add(actor=ctx.actor, agency=agency, role=role, source=source)
        ctx.agencies[spec.code] = agency
    for index, unit in enumerate(_commune_units(profile), start=1):
        fields = {
            "name": f"Ủy ban nhân dân {unit.full_name[:1].lower()}{unit.full_name[1:]}",
            "kind": "ubnd",
            "short_name": f"UBND {unit.name}",
            "unit": unit,
        }
        agency = _agency_upsert(ctx.actor, f"ubnd-{unit.code}", fields)
        agency_services.agency_act_role_add(
            actor=ctx.actor, agency=agency, role=profile.communes.role, source=profile.communes.source
        )
        ctx.agencies[f"commune:{index}"] = agency


def _agency_upsert(actor: User, code: str, fields: dict[str, Any]) -> Agency:
    agency = agency_selectors.agency_get(code=code)
    if agency is None:
        return agency_services.agency_create(actor=actor, code=code, **fields)
    return agency_services.agency_update(actor=actor, agency=agency, **fields)


def _commune_units(profile: Profile) -> list[AdminUnit]:
    """The preferred communes present in the territory, topped up with the first others by code."""
    territory = geo_selectors.territory_get(profile=profile.key)
    if territory is None:
        return []
    communes = list(territory.communes.order_by("code"))
    by_code = {unit.code: unit for unit in communes}
    chosen = [by_code[code] for code in profile.communes.preferred_codes if code in by_code]
    chosen += [unit for unit in communes if unit not in chosen]
    return chosen[: profile.communes.count]


# --- the act: articles, duties, domains, calendars, meetings, allowances, staffing; the center's hours ----


ACTS_DIR = Path(__file__).resolve().parent / "profiles" / "acts"


def regulation_ensure(ctx: Context) -> int:
    """R11 (issue 9 part 5): the act and what it sets, through `ioc.regulation.services` (idempotent)."""
    return regulation_load(profile=ctx.profile, actor=ctx.actor)


def regulation_load(*, profile: Profile, actor: User) -> int:
    """The profile's act, its articles and what it sets (also used by the crawl's fixture world); the number of
    duties."""
    act_spec = profile.act
    act = regulation_services.act_set(
        actor=actor,
        profile=profile.key,
        seed=profile.seed,
        number=act_spec.number,
        date=act_spec.date,
        issuing_body=act_spec.issuing_body,
        title=act_spec.title,
        level=profile.level,
        text=(ACTS_DIR / profile.seed_file).read_text(encoding="utf-8"),
        signer=act_spec.signer,
        date_note=act_spec.date_note,
        valid_until=act_spec.valid_until,
    )
    regulation = profile.regulation
    cadence = [regulation.cadence] if regulation.cadence is not None else []
    writes = (
        (regulation_services.duties_set, regulation.duties),
        (regulation_services.monitored_domains_set, regulation.domains),
        (regulation_services.report_calendar_set, regulation.reports),
        (regulation_services.template_cadence_set, [{"code": "bieu-mau", **asdict(c)} for c in cadence]),
        (regulation_services.review_meetings_set, regulation.meetings),
        (regulation_services.allowances_set, regulation.allowances),
        (regulation_services.staffing_set, regulation.staffing),
    )
    for write, specs in writes:
        write(actor=actor, act=act, items=[spec if isinstance(spec, dict) else asdict(spec) for spec in specs])
    return len(regulation.duties)


def hours_ensure(ctx: Context) -> None:
    """R11, R4.3: the center's hours as the act gives them (Hưng Yên 24/7, Bà Rịa - Vũng Tàu office hours)."""
    hours = ctx.profile.regulation.hours
    if hours is None:
        return
    agency = ctx.agencies[hours.agency]
    row = worktime_selectors.working_hours_for(agency=agency)
    own = row if row is not None and row.agency_id == agency.pk else None
    if own is not None and own.around_the_clock == hours.around_the_clock:
        return
    morning, afternoon = worktime_selectors.DEFAULT_PERIODS
    worktime_services.agency_working_hours_set(
        actor=ctx.actor,
        agency=agency,
        morning_start=morning[0],
        morning_end=morning[1],
        afternoon_start=afternoon[0],
        afternoon_end=afternoon[1],
        around_the_clock=hours.around_the_clock,
    )


# --- accounts ------------------------------------------------------------------------------------------


def _user(username: str) -> User | None:
    return account_selectors.user_list().filter(username=username).first()


def _email(ctx: Context, username: str) -> str:
    return f"{username}@{ctx.profile.key}.{ctx.profile.email_domain}"


def system_ensure_first(ctx: Context) -> None:
    """R7.2, R7.3: the system account acts for the demo's setup. A new deployment bootstraps the demo administrator
    (which creates it on the bootstrap request); one with an administrator has it ensured, approved by them."""
    if _any_admin() is None:
        spec = ctx.profile.admin
        password = ctx.store.password(spec.username) or new_password()
        ctx.admin = account_services.admin_bootstrap(
            **ctx.document(),
            username=spec.username,
            email=_email(ctx, spec.username),
            password=password,
            full_name=spec.full_name,
        )
        ctx.store.set_password(spec.username, password)
    ctx.system = account_services.system_account_ensure(**ctx.document(), approver=ctx.admin or _any_admin())


def admin_ensure(ctx: Context) -> None:
    """The demo administrator: bootstrapped on the act when the deployment has none, else provisioned."""
    spec = ctx.profile.admin
    admin = _user(spec.username)
    if admin is None:
        password = ctx.store.password(spec.username) or new_password()
        agency = ctx.agencies.get(spec.agency)
        existing = _any_admin()
        if existing is None:
            admin = account_services.admin_bootstrap(
                **ctx.document(),
                username=spec.username,
                email=_email(ctx, spec.username),
                password=password,
                full_name=spec.full_name,
            )
        else:
            admin = account_services.account_provision(
                **ctx.document(),
                approver=existing,
                actor=existing,
                username=spec.username,
                full_name=spec.full_name,
                email=_email(ctx, spec.username),
                password=password,
                roles=[(Role.SYSTEM_ADMIN, None, None)],
                agency=agency,
            )
        ctx.store.set_password(spec.username, password)
    ctx.admin = admin
    _password_known(ctx, admin)
    _totp_ensure(admin)


def _any_admin() -> User | None:
    from ioc.accounts.models import RoleAssignment

    holder = RoleAssignment.objects.filter(role=Role.SYSTEM_ADMIN, revoked_at__isnull=True).values("user_id")
    people = account_selectors.user_list().filter(pk__in=holder, is_active=True).exclude(username=SYSTEM_USERNAME)
    return people.order_by("pk").first()


def account_ensure(ctx: Context, spec: AccountSpec) -> User:
    """A demo login with its role, created through `account_provision` on a request citing the act."""
    user = _user(spec.username)
    if user is None:
        assert ctx.admin is not None
        agency = ctx.agencies.get(spec.agency) if spec.agency else None
        password = ctx.store.password(spec.username) or new_password()
        user = account_services.account_provision(
            **ctx.document(),
            approver=ctx.admin,
            actor=ctx.admin,
            username=spec.username,
            full_name=spec.full_name,
            email=_email(ctx, spec.username),
            password=password,
            roles=[(spec.role, agency, None)],
            agency=agency,
        )
        ctx.store.set_password(spec.username, password)
    _password_known(ctx, user)
    if spec.role in STAFF_ROLES:
        _totp_ensure(user)
    return user


def _password_known(ctx: Context, user: User) -> None:
    """An account whose demo password was lost (secrets file removed) gets a new one on a reset request."""
    if ctx.store.password(user.username) is not None or ctx.admin is None:
        return
    password = new_password()
    account_services.user_reset(
        account_request=ctx.request(RequestKind.RESET, user),
        actor=ctx.admin,
        user=user,
        new_password=password,
        reset_totp=False,
    )
    ctx.store.set_password(user.username, password)


def _totp_ensure(user: User) -> None:
    """R7.4: the demo pre-confirms each staff account's TOTP device so the printout can give its secret."""
    if account_selectors.totp_device_confirmed(user=user) is not None:
        return
    device = account_services.totp_enrolment_start(user=user)
    codes = account_services.totp_enrolment_confirm(user=user, device=device, code=totp_code(device))
    if codes is None:  # the code of this very moment is always accepted once; anything else is a bug
        raise RuntimeError(f"could not confirm the demo TOTP device of {user.username}")


def screen_ensure(ctx: Context) -> User:
    """R7.4: the wall screen of the operations room and its display account (no second factor)."""
    spec = ctx.profile.screen
    screen = DisplayScreen.objects.select_related("user").filter(code=spec.code).first()
    if screen is not None:
        _password_known(ctx, screen.user)
        return screen.user
    assert ctx.admin is not None
    username = f"man-hinh-{spec.code}"
    password = ctx.store.password(username) or new_password()
    _screen, user = account_services.display_screen_register(
        account_request=ctx.request(RequestKind.CREATE),
        actor=ctx.admin,
        code=spec.code,
        name=spec.name,
        location=spec.location,
        password=password,
    )
    ctx.store.set_password(username, password)
    return user


# --- information systems and tokens -------------------------------------------------------------------


def system_ensure(ctx: Context, spec: SystemSpec) -> None:
    """R1.2: an agency's system, its service account and a token whose value the demo keeps privately."""
    assert ctx.admin is not None
    system = agency_selectors.information_system_get(code=spec.code)
    if system is None:
        system = agency_services.information_system_create(
            actor=ctx.admin,
            agency=ctx.agencies[spec.agency],
            code=spec.code,
            name=spec.name,
            description=spec.description,
        )
    if system.service_user is None:
        account_services.service_account_create(
            account_request=ctx.request(RequestKind.CREATE), actor=ctx.admin, system=system
        )
        system.refresh_from_db()
    service_user = system.service_user
    assert service_user is not None
    if _token_valid(ctx.store.token(spec.token_key), service_user, spec.scopes):
        return
    _token, value = account_services.token_issue(
        account_request=ctx.request(RequestKind.ISSUE_TOKEN, service_user),
        actor=ctx.admin,
        user=service_user,
        scopes=list(spec.scopes),
        expires_at=timezone.now() + dt.timedelta(days=TOKEN_DAYS),
        label=spec.label,
    )
    ctx.store.set_token(spec.token_key, value)


def _token_valid(value: str | None, user: User, scopes: tuple[str, ...]) -> bool:
    if not value:
        return False
    found = account_selectors.token_resolve(value=value)
    return found.token is not None and found.token.user_id == user.pk and set(found.token.scopes) == set(scopes)
