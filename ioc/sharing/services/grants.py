"""R1.6: revoking a grant, and the audit entry of every consumer read (one entry per page, with the digest of the
rows served)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.selectors import user_scope
from ioc.audit.services import audit_record
from ioc.common.roles import Role, actor_has_role
from ioc.sharing.models import Grant
from ioc.sharing.services._base import AGENCY_ACTORS

if TYPE_CHECKING:
    from ioc.accounts.models import User

REVOKE_MAX = 4000


@transaction.atomic
def grant_revoke(*, actor: User, grant: Grant, reason: str, now: dt.datetime | None = None) -> Grant:
    """R1.6: the owner (or the system administrator) ends a grant before its expiry, with a reason."""
    owner = actor_has_role(actor, AGENCY_ACTORS) and grant.dataset.owner_id in user_scope(user=actor).agency_ids
    if not owner and not actor_has_role(actor, {Role.SYSTEM_ADMIN}):
        raise PermissionDenied(_("Chỉ cơ quan chủ quản bộ dữ liệu được thu hồi quyền truy cập."))
    if grant.revoked_at is not None:
        raise ValidationError({"grant": [_("Quyền truy cập đã bị thu hồi.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Nêu lý do thu hồi.")]})
    if len(reason) > REVOKE_MAX:
        raise ValidationError({"reason": [_("Tối đa %(n)d ký tự.") % {"n": REVOKE_MAX}]})
    grant.revoked_at = now or timezone.now()
    grant.revoked_by = actor
    grant.revoke_reason = reason.strip()
    grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_record(actor=actor, action="grant.revoke", obj=grant, changes={"reason": grant.revoke_reason})
    return grant


def shared_read_record(*, actor: User, grant: Grant, ids: Iterable[int], query: Mapping[str, Any]) -> None:
    """R1.6, R7.3: a consumer read one page through `grant`: one audit entry with the page's row count, the
    digest of the row versions served (their ids: a version never changes, a correction is a new one) and the
    query (filters, sort, cursor, format).

    The digest is `audit_record_bulk`'s over the rows `(id,)` — each row's canonical JSON `[id]` and a newline —
    written out here, so a page's thousand ids are not JSON-encoded one by one."""
    served = list(ids)
    audit_record(
        actor=actor,
        action="grant.read",
        object_type="sharing.grant",
        changes={"grant": grant.pk, "dataset": grant.dataset.code, **query},
        row_count=len(served),
        digest=hashlib.sha256(b"".join(b"[%d]\n" % pk for pk in served)).hexdigest(),
    )
