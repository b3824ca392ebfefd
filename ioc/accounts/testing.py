"""Named personas for every app's tests (DESIGN "Conventions"), all created through the account services.

    class MyTest(Personas, TestCase):
        def test_it_hides_a_rows_from_b(self):
            self.sign_in(self.client, self.officer_b)
            ...

or, outside a TestCase: `people = personas_create()`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypedDict

from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from ioc.accounts import selectors, services
from ioc.accounts.choices import TOKEN_SCOPES, RequestKind, Role
from ioc.accounts.models import DisplayScreen, User
from ioc.accounts.otp import totp_code
from ioc.agencies.models import Agency, InformationSystem

PASSWORD = "Persona-Pass-2025!"


class Document(TypedDict):
    document_no: str
    document_date: dt.date
    issuing_body: str


DOCUMENT: Document = {
    "document_no": "01/2025/QĐ-TEST",
    "document_date": dt.date(2025, 7, 1),
    "issuing_body": "UBND tỉnh Test",
}
SYSTEM_SCOPES = [s for s in TOKEN_SCOPES if s != "datahub.push"] + ["datahub.push:test"]


@dataclass
class PersonaSet:
    """The cast: an administrator, an operator, a leader, officers of agencies A and B, a citizen,
    an information system of agency A with a token holding every scope, a display screen, and the system account
    (`he-thong`) that the bootstrap creates."""

    agency_a: Agency
    agency_b: Agency
    admin: User
    operator: User
    leader: User
    officer_a: User
    officer_b: User
    citizen: User
    system: InformationSystem
    system_user: User
    system_token: str
    screen: DisplayScreen
    screen_user: User
    system_account: User


def system_actor() -> User:
    """The IOC's system account (the actor of setup and background writes). The root conftest creates it with
    the session's reference data; created on a bootstrap request here when the database has none."""
    found = selectors.system_account_or_none()
    if found is not None:
        return found
    return services.system_account_ensure(**DOCUMENT)


def _person(admin: User, username: str, roles: list[services.RoleSpec], agency: Agency | None = None) -> User:
    return services.account_provision(
        **DOCUMENT,
        approver=admin,
        actor=admin,
        username=username,
        full_name=username.replace("-", " ").title(),
        email=f"{username}@canary.invalid",
        password=PASSWORD,
        roles=roles,
        agency=agency,
    )


def _request(admin: User, kind: str, subject: User | None = None) -> Any:
    return services.account_request_record(kind=kind, **DOCUMENT, approver=admin, requested_by=admin, subject=subject)


def personas_create() -> PersonaSet:
    """Create the cast through the services (bootstrap, provisioning, a service account, a token, a screen)."""
    agency_a = Agency.objects.create(code="persona-agency-a", name="Sở Thử nghiệm A", short_name="Sở A")
    agency_b = Agency.objects.create(code="persona-agency-b", name="Sở Thử nghiệm B", short_name="Sở B")
    admin = services.admin_bootstrap(
        **DOCUMENT,
        username="persona-admin",
        email="persona-admin@canary.invalid",
        password=PASSWORD,
        full_name="Persona Admin",
    )
    operator = _person(admin, "persona-operator", [(Role.IOC_OPERATOR, None, None)])
    leader = _person(admin, "persona-leader", [(Role.IOC_LEADER, None, None)])
    officer_a = _person(admin, "persona-officer-a", [(Role.AGENCY_OFFICER, agency_a, None)], agency_a)
    officer_b = _person(admin, "persona-officer-b", [(Role.AGENCY_OFFICER, agency_b, None)], agency_b)
    citizen = _person(admin, "persona-citizen", [(Role.CITIZEN, None, None)])
    system = InformationSystem.objects.create(agency=agency_a, code="persona-system", name="Hệ thống Thử nghiệm A")
    system_user = services.service_account_create(
        account_request=_request(admin, RequestKind.CREATE), actor=admin, system=system
    )
    _token, system_token = services.token_issue(
        account_request=_request(admin, RequestKind.ISSUE_TOKEN, system_user),
        actor=admin,
        user=system_user,
        scopes=SYSTEM_SCOPES,
        expires_at=timezone.now() + dt.timedelta(days=365),
        label="persona",
    )
    screen, screen_user = services.display_screen_register(
        account_request=_request(admin, RequestKind.CREATE),
        actor=admin,
        code="persona-screen",
        name="Màn hình Thử nghiệm",
        location="Phòng điều hành",
        password=PASSWORD,
    )
    system.refresh_from_db()
    return PersonaSet(
        agency_a=agency_a,
        agency_b=agency_b,
        admin=admin,
        operator=operator,
        leader=leader,
        officer_a=officer_a,
        officer_b=officer_b,
        citizen=citizen,
        system=system,
        system_user=system_user,
        system_token=system_token,
        screen=screen,
        screen_user=screen_user,
        system_account=selectors.system_account(),
    )


def totp_device_for(user: User) -> TOTPDevice:
    """The user's confirmed TOTP device, enrolled through the services if missing."""
    device = selectors.totp_device_confirmed(user=user)
    if device is None:
        device = services.totp_enrolment_start(user=user)
        assert services.totp_enrolment_confirm(user=user, device=device, code=totp_code(device)) is not None
    return device


def sign_in(client: Client, user: User, *, verified: bool = True) -> None:
    """Sign `user` in on a test client; a staff account also passes the second factor unless `verified=False`."""
    client.force_login(user)
    if verified and selectors.needs_second_factor(user=user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = totp_device_for(user).persistent_id
        session.save()


def session_cookie(user: User) -> str:
    """The value of a session cookie signed in as `user` (second factor passed): what a browser test hands its
    browser context (`ioc.common.testing.page_open(session=...)`)."""
    client = Client()
    sign_in(client, user)
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


class Personas:
    """Mixin for Django TestCase classes: the cast as class attributes (see `PersonaSet`)."""

    agency_a: Agency
    agency_b: Agency
    admin: User
    operator: User
    leader: User
    officer_a: User
    officer_b: User
    citizen: User
    system: InformationSystem
    system_user: User
    system_token: str
    screen: DisplayScreen
    screen_user: User
    system_account: User
    password = PASSWORD

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()  # type: ignore[misc]
        people = personas_create()
        for name in PersonaSet.__dataclass_fields__:
            setattr(cls, name, getattr(people, name))

    @staticmethod
    def sign_in(client: Client, user: User, *, verified: bool = True) -> None:
        sign_in(client, user, verified=verified)

    def bearer(self, token: str | None = None) -> dict[str, str]:
        """Headers for a test client call with the information system's token (or another)."""
        return {"HTTP_AUTHORIZATION": f"Bearer {token or self.system_token}"}
