"""R1.6: requests, grants and the terms, in the user's scope; the owner's work items; which grant a read uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.selectors import agency_of_user, user_scope
from ioc.common.roles import STAFF_ROLES, Role, actor_has_role
from ioc.common.workitems import AT_RISK, ON_TRACK, OVERDUE, WorkItem
from ioc.datahub.choices import DatasetStatus, Sensitivity
from ioc.datahub.models import Dataset
from ioc.sharing.choices import GrantState, RequestStatus
from ioc.sharing.models import AccessRequest, Grant, SharingTerms

SHARED_SENSITIVITIES = (Sensitivity.PUBLIC, Sensitivity.INTERNAL)
WORK_LIMIT = 50
AT_RISK_HOURS = 8


def sharing_terms() -> SharingTerms:
    """R1.6: the configured terms, or the defaults (an unsaved row) while none are set."""
    return SharingTerms.objects.order_by("pk").first() or SharingTerms()


def requestable_datasets(*, user: Any) -> QuerySet[Dataset]:
    """Published datasets an agency may ask for: shareable sensitivity (never restricted), not its own."""
    agency = agency_of_user(user=user)
    if agency is None or not actor_has_role(user, {Role.AGENCY_OFFICER, Role.AGENCY_HEAD}):
        return Dataset.objects.none()
    return (
        Dataset.objects.filter(status=DatasetStatus.PUBLISHED, sensitivity__in=SHARED_SENSITIVITIES)
        .exclude(owner=agency)
        .select_related("owner")
        .order_by("name")
    )


def dataset_for_reading(*, code: str) -> Dataset | None:
    """The dataset a read names (its grant then decides what the caller sees; the page needs nothing of its owner)."""
    return Dataset.objects.filter(code=code, status=DatasetStatus.PUBLISHED).first()


def _scoped_requests(user: Any) -> QuerySet[AccessRequest]:
    qs = AccessRequest.objects.select_related("dataset", "dataset__owner", "agency", "requested_by")
    if not actor_has_role(user, STAFF_ROLES):
        return qs.none()
    scope = user_scope(user=user)
    if scope.everything:
        return qs
    return qs.filter(Q(agency_id__in=scope.agency_ids) | Q(dataset__owner_id__in=scope.agency_ids))


def access_request_list(*, user: Any, status: str = "", mine: bool = False) -> QuerySet[AccessRequest]:
    """R1.6: the requests the user may see (`mine`: those its agency made), pending by due time first."""
    qs = _scoped_requests(user)
    if status:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(agency_id__in=user_scope(user=user).agency_ids)
    return qs.order_by("-submitted_at", "-pk")


def access_request_get(*, user: Any, pk: int) -> AccessRequest | None:
    return _scoped_requests(user).filter(pk=pk).first()


def inbox(*, user: Any) -> QuerySet[AccessRequest]:
    """R1.6: pending requests for datasets the user's agency owns, earliest due first (the owner's inbox)."""
    agency_ids = user_scope(user=user).agency_ids
    if not agency_ids or not actor_has_role(user, {Role.AGENCY_OFFICER, Role.AGENCY_HEAD}):
        return AccessRequest.objects.none()
    return (
        _scoped_requests(user)
        .filter(status=RequestStatus.PENDING, dataset__owner_id__in=agency_ids)
        .order_by("due_at", "pk")
    )


def _scoped_grants(user: Any) -> QuerySet[Grant]:
    qs = Grant.objects.select_related("dataset", "dataset__owner", "agency").prefetch_related("communes")
    if not actor_has_role(user, STAFF_ROLES):
        return qs.none()
    scope = user_scope(user=user)
    if scope.everything:
        return qs
    return qs.filter(Q(agency_id__in=scope.agency_ids) | Q(dataset__owner_id__in=scope.agency_ids))


def grant_list(*, user: Any, given: bool = False) -> QuerySet[Grant]:
    """R1.6: grants the user's agency holds (`given`: those it gave as owner); territory roles see all."""
    qs = _scoped_grants(user)
    scope = user_scope(user=user)
    if not scope.everything:
        field = "dataset__owner_id__in" if given else "agency_id__in"
        qs = qs.filter(**{field: scope.agency_ids})
    return qs.order_by("-starts_at", "-pk")


def grant_get(*, user: Any, pk: int) -> Grant | None:
    return _scoped_grants(user).filter(pk=pk).first()


@dataclass(frozen=True)
class GrantRefusal:
    """Why a read is refused (403): a code and a sentence naming the reason."""

    code: str
    message: str


def grant_for_read(*, user: Any, dataset: Dataset, now: dt.datetime | None = None) -> Grant | GrantRefusal:
    """R1.6: the live grant through which the user's agency reads `dataset`, or why there is none: no agency, a
    restricted dataset, no grant, a revoked or an expired one (naming when)."""
    moment = now or timezone.now()
    agency_id = _agency_id(user)
    if agency_id is None:
        return GrantRefusal("no_agency", _("Tài khoản không thuộc cơ quan nào."))
    if dataset.sensitivity not in SHARED_SENSITIVITIES:
        return GrantRefusal("restricted", _("Bộ dữ liệu hạn chế không được chia sẻ."))
    grants = list(Grant.objects.filter(dataset=dataset, agency_id=agency_id).order_by("-expires_at"))
    for grant in grants:
        grant.dataset = dataset
    live = [g for g in grants if g.state(moment) == GrantState.LIVE]
    if live:
        return live[0]
    if not grants:
        return GrantRefusal("no_grant", _("Cơ quan chưa được cấp quyền truy cập bộ dữ liệu này."))
    latest = grants[0]
    if latest.state(moment) == GrantState.REVOKED:
        return GrantRefusal("grant_revoked", _("Quyền truy cập đã bị thu hồi."))
    when = timezone.localtime(latest.expires_at).strftime("%H:%M %d/%m/%Y")
    return GrantRefusal("grant_expired", _("Quyền truy cập đã hết hạn lúc %(when)s.") % {"when": when})


def _agency_id(user: Any) -> int | None:
    """The reader's agency by id: the account's own (no query: every page read asks), else `agency_of_user`'s."""
    own = getattr(user, "agency_id", None)
    if own:
        return int(own)
    agency = agency_of_user(user=user)
    return agency.pk if agency is not None else None


def _state(request: AccessRequest, now: dt.datetime) -> str:
    if request.due_at < now:
        return OVERDUE
    return AT_RISK if request.due_at - now < dt.timedelta(hours=AT_RISK_HOURS) else ON_TRACK


def sharing_work_items(*, user: Any) -> list[WorkItem]:
    """DESIGN "Map hooks", R1.6: pending requests to answer — the owner agency's (its inbox); for the territory
    roles, the overdue ones of every agency (to chase)."""
    now = timezone.now()
    scope = user_scope(user=user)
    if scope.everything and actor_has_role(user, {Role.IOC_OPERATOR, Role.IOC_LEADER}):
        qs = _scoped_requests(user).filter(status=RequestStatus.PENDING, due_at__lt=now).order_by("due_at")
    else:
        qs = inbox(user=user)
    return [_work_item(r, now) for r in qs[:WORK_LIMIT]]


def _work_item(request: AccessRequest, now: dt.datetime) -> WorkItem:
    title = _("Yêu cầu chia sẻ “%(dataset)s” của %(agency)s") % {
        "dataset": request.dataset.name,
        "agency": request.agency.name,
    }
    return WorkItem(
        source="sharing",
        kind="answer",
        title=title,
        url=reverse("sharing:request_detail", kwargs={"pk": request.pk}),
        at=request.submitted_at,
        due_at=request.due_at,
        state=_state(request, now),
        status=request.status,
        code=f"CS-{request.pk}",
        object_id=request.pk,
        agency_id=request.dataset.owner_id,
        agency=request.dataset.owner.name,
    )
