"""An information system's MQTT login (R5.5): issued with a random password shown once, stored hashed."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.audit.services import audit_record
from ioc.common.roles import Role, actor_require_role
from ioc.sensors.broker import password_hash
from ioc.sensors.models import BrokerCredential

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import InformationSystem


@transaction.atomic
def broker_credential_issue(*, actor: User, system: InformationSystem) -> tuple[BrokerCredential, str]:
    """R5.5: a new MQTT password for an active information system (replacing any earlier one); the password is
    returned once and never stored. The broker learns it at the next `./manage.py mqtt_sync_acl`."""
    actor_require_role(
        actor,
        [Role.SYSTEM_ADMIN],
        _("Chỉ quản trị hệ thống cấp tài khoản MQTT / Only a system administrator issues MQTT logins"),
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
