"""What the indicator services share: rights, the current catalogue version, the territory's units."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied

from ioc.accounts.selectors import user_scope
from ioc.common.roles import Role, actor_has_role
from ioc.geo import selectors as geo_selectors
from ioc.indicators.models import CatalogVersion, Indicator

if TYPE_CHECKING:
    from ioc.accounts.models import User

# Who approves the catalogue and sets targets (R2.2, R2.3): the IOC leader, the province leader, the administrator.
CATALOG_ROLES = (Role.IOC_LEADER, Role.PROVINCE_LEADER, Role.SYSTEM_ADMIN)
# Who asks agencies for data (R2.6).
CALL_ROLES = (Role.IOC_LEADER, Role.PROVINCE_LEADER, Role.IOC_OPERATOR, Role.SYSTEM_ADMIN)


def require_roles(actor: User, roles: tuple[str, ...], message: str) -> None:
    if not actor_has_role(actor, roles):
        raise PermissionDenied(message)


def current_version() -> CatalogVersion | None:
    return CatalogVersion.objects.order_by("-number").first()


def may_report(actor: User, indicator: Indicator) -> bool:
    """R2.3: the territory's roles report any indicator; an agency's people and systems report its own."""
    return indicator.pk in reportable_ids(actor, [indicator])


def reportable_ids(actor: User, indicators: Iterable[Indicator]) -> set[int]:
    """The ids among `indicators` that `actor` may report (one scope look-up for a whole batch)."""
    scope = user_scope(user=actor)
    return {
        i.pk for i in indicators if scope.everything or (i.agency_id is not None and i.agency_id in scope.agency_ids)
    }


def territory_unit_ids() -> frozenset[int]:
    """The ids of the deployment's communes (empty before the territory is loaded)."""
    return geo_selectors.territory_commune_ids(profile=settings.IOC_PROFILE) or frozenset()
