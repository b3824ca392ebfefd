"""The demo's printout (R11): the address, each demo login with its password and TOTP secret, and the two tokens.

Read from the database and the private secrets file; it writes nothing, so it can be printed on every run.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from ioc.accounts import selectors as account_selectors
from ioc.accounts.choices import Role
from ioc.accounts.models import DisplayScreen, User
from ioc.accounts.otp import totp_secret
from ioc.demo.profiles.base import Profile
from ioc.demo.secrets_store import SecretStore
from ioc.geo import selectors as geo_selectors


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    full_name: str
    agency: str
    password: str
    totp_secret: str


def logins(profile: Profile, store: SecretStore) -> list[Login]:
    """Every demo login of the profile that exists, in the profile's order (administrator first)."""
    found: list[Login] = []
    usernames = [profile.admin.username, *(spec.username for spec in profile.accounts)]
    screen = DisplayScreen.objects.select_related("user").filter(code=profile.screen.code).first()
    if screen is not None:
        usernames.append(screen.user.username)
    users = {u.username: u for u in account_selectors.user_list().filter(username__in=usernames)}
    for username in usernames:
        user = users.get(username)
        if user is not None:
            found.append(_login(user, store))
    return found


def _login(user: User, store: SecretStore) -> Login:
    device = account_selectors.totp_device_confirmed(user=user)
    roles = sorted(user.role_codes)
    return Login(
        username=user.username,
        role=", ".join(str(Role(code).label) for code in roles),
        full_name=user.full_name,
        agency=user.agency.name if user.agency else "",
        password=store.password(user.username) or "(không rõ / unknown)",
        totp_secret=totp_secret(device) if device is not None else "",
    )


def _broker_lines() -> list[str]:
    """R5.5: where the demo's MQTT broker listens (when it runs, new observations are published to it)."""
    if not getattr(settings, "MQTT_PUBLISH", False):
        return []
    return [
        f"MQTT (SensorThings): mqtt://{settings.MQTT_HOST}:{settings.MQTT_PORT}  "
        f"tài khoản / login {settings.MQTT_USERNAME}, mật khẩu / password MQTT_PASSWORD in var/demo.env",
    ]


def render(profile: Profile, store: SecretStore, *, address: str) -> str:
    """The printout; it ends with exactly the `Information-system token:` and `Open311 api_key:` lines."""
    territory = geo_selectors.territory_get(profile=profile.key)
    communes = territory.communes.count() if territory is not None else 0
    where = ""
    if territory is not None:
        provinces = ", ".join(
            geo_selectors.territory_provinces(territory=territory).values_list("full_name", flat=True)
        )
        former = geo_selectors.territory_former(territory=territory)
        where = f" — {provinces}" + (f"; trước 01/7/2025 / before 1 July 2025: {former.full_name}" if former else "")
    lines = [
        "",
        "=" * 78,
        f"IOC — {profile.territory_name} ({profile.key}): {profile.act.number} ngày {profile.act.date:%d/%m/%Y}",
        f"Địa bàn / Territory: {communes} xã, phường / communes{where}",
        f"Địa chỉ / Address: {address}",
        "",
        "Tài khoản mẫu / Demo logins (mật khẩu / password, khóa TOTP / TOTP secret):",
    ]
    for login in logins(profile, store):
        totp = login.totp_secret or "— (không cần / not required)"
        lines.append(f"  {login.username:<24} {login.role}")
        lines.append(f"      password: {login.password}    TOTP secret: {totp}")
    lines += [
        "",
        "Lệnh `./manage.py totp <tên đăng nhập>` in mã TOTP hiện tại / prints the current TOTP code.",
        *_broker_lines(),
        "=" * 78,
        f"Information-system token: {store.token('system') or '(chưa cấp / not issued)'}",
        f"Open311 api_key: {store.token('open311') or '(chưa cấp / not issued)'}",
    ]
    return "\n".join(lines)
