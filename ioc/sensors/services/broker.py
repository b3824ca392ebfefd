"""An information system's MQTT login (R5.5): issued with a random password shown once, stored hashed."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.audit.services import audit_record
from ioc.common.roles import Role, actor_require_role
from ioc.sensors.broker import acl_file as acl_file_text
from ioc.sensors.broker import password_file as password_file_text
from ioc.sensors.broker import password_hash, write_atomically
from ioc.sensors.models import BrokerCredential
from ioc.sensors.selectors import broker_logins

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import InformationSystem


@transaction.atomic
def broker_credential_issue(*, actor: User, system: InformationSystem) -> tuple[BrokerCredential, str]:
    """R5.5: a new MQTT password for an active information system (replacing any earlier one); the password is
    returned once and never stored. The broker learns it at the next `./manage.py mqtt_sync_acl`."""
    _require_admin(
        actor, _("Chỉ quản trị hệ thống cấp tài khoản MQTT / Only a system administrator issues MQTT logins")
    )
    if not system.is_active:
        raise ValidationError({"system": [_("Hệ thống đã ngừng hoạt động / The information system is retired")]})
    password = secrets.token_urlsafe(32)
    credential, created = BrokerCredential.objects.update_or_create(
        system=system,
        defaults={"password_hash": password_hash(password), "issued_at": timezone.now(), "issued_by": actor},
    )
    audit_record(
        actor=actor,
        action="sensors.broker_credential.issue",
        obj=credential,
        changes={"system": system.code, "replaced": not created},
    )
    return credential, password


def _require_admin(actor: User, message: str = "") -> None:
    actor_require_role(
        actor,
        [Role.SYSTEM_ADMIN],
        message or _("Chỉ quản trị hệ thống quản lý tài khoản MQTT / Only a system administrator manages MQTT logins"),
    )


@transaction.atomic
def broker_credential_revoke(*, actor: User, system: InformationSystem) -> None:
    """R5.5: withdraw an information system's MQTT login; the broker forgets it at the next ACL sync."""
    _require_admin(actor)
    credential = BrokerCredential.objects.filter(system=system).first()
    if credential is None:
        raise ValidationError({"system": [_("Hệ thống chưa có tài khoản MQTT / The system has no MQTT login")]})
    audit_record(
        actor=actor, action="sensors.broker_credential.revoke", obj=credential, changes={"system": system.code}
    )
    credential.delete()


def broker_acl_sync(*, actor: User, password_file: Path, acl_file: Path) -> tuple[int, int]:
    """R5.5 (`mqtt_sync_acl` from the administrator's page): write Mosquitto's password file and ACL from the
    database; returns (logins, topics). Reload the broker afterwards (SIGHUP)."""
    _require_admin(actor)
    if settings.MQTT_USERNAME and not settings.MQTT_PASSWORD:
        raise ValidationError(_("MQTT_PASSWORD: cần mật khẩu cho MQTT_USERNAME / the bridge's login needs a password"))
    logins = broker_logins(bridge_username=settings.MQTT_USERNAME, bridge_password=settings.MQTT_PASSWORD)
    write_atomically(password_file, password_file_text(logins))
    write_atomically(acl_file, acl_file_text(logins))
    topics = sum(len(login.topics) for login in logins)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="sensors.broker_acl.sync",
            object_type="sensors.brokercredential",
            changes={"logins": len(logins), "topics": topics, "acl_file": str(acl_file)},
        )
    return len(logins), topics
