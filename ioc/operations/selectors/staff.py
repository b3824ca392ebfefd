"""R10.4: reads of the center's staff, in the user's scope. The IOC's staff and the managing body see every
agency's staff; an agency's officers see their own; personal data (phone, e-mail, birth date; encrypted at rest)
only the IOC leader and the managing body (`staff_personal_data`, each read audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ioc.accounts.selectors import scope_filter, user_scope
from ioc.audit.services import audit_personal_data_read
from ioc.common.privacy import DecryptionError, decrypt
from ioc.operations import permissions
from ioc.operations.models import Posting, Staff, Training


def sees_personal_data(*, user: Any) -> bool:
    """R10.4: the IOC leader and the managing body only."""
    return permissions.can_manage_staff(user)


@dataclass(frozen=True)
class PersonalData:
    """R10.4: a staff member's personal data as one authorised person reads it (the read is audited)."""

    phone: str
    email: str
    birth_date: dt.date | None


def staff_personal_data(*, user: Any, staff: Staff, purpose: str = "") -> PersonalData | None:
    """R10.4, R7.3: the decrypted phone, e-mail and birth date for the IOC leader and the managing body, None for
    anyone else. Every read that returns something is recorded (`audit_personal_data_read`, naming the fields)."""
    if not sees_personal_data(user=user):
        return None
    try:
        born = decrypt(staff.birth_date_encrypted)
        data = PersonalData(
            phone=decrypt(staff.phone_encrypted),
            email=decrypt(staff.email_encrypted),
            birth_date=dt.date.fromisoformat(born) if born else None,
        )
    except (DecryptionError, ValueError):
        return None
    fields = [f"staff_{name}" for name in ("phone", "email", "birth_date") if getattr(data, name)]
    if fields:
        reason = purpose or _("Quản lý nhân sự Trung tâm / Managing the center's staff")
        audit_personal_data_read(actor=user, obj=staff, fields=fields, purpose=reason)
    return data


def can_manage_staff(*, user: Any) -> bool:
    return permissions.can_manage_staff(user)


def _scoped(user: Any) -> QuerySet[Staff]:
    qs = Staff.objects.select_related("home_agency")
    if permissions.sees_everything(user):
        return qs
    return scope_filter(qs, scope=user_scope(user=user), agency_field="home_agency")


def staff_list(*, user: Any, on: dt.date | None = None, agency_id: int | None = None) -> QuerySet[Staff]:
    """R10.4: staff visible to `user` with their postings; `on`: only those in post that day."""
    qs = _scoped(user).prefetch_related(Prefetch("postings", queryset=Posting.objects.order_by("starts_on")))
    if on is not None:
        open_then = Q(postings__ends_on__isnull=True) | Q(postings__ends_on__gte=on)
        qs = qs.filter(Q(postings__starts_on__lte=on) & open_then)
    if agency_id is not None:
        qs = qs.filter(home_agency_id=agency_id)
    return qs.distinct().order_by("home_agency__name", "full_name", "pk")


def staff_get_for(*, user: Any, pk: int) -> Staff:
    """One staff member in the user's scope, else 404 (agency B's officer never reaches A's staff)."""
    found = _scoped(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def staff_postings(*, staff: Staff) -> QuerySet[Posting]:
    return Posting.objects.filter(staff=staff).order_by("starts_on")


def staff_trainings(*, staff: Staff) -> QuerySet[Training]:
    return Training.objects.filter(staff=staff).order_by("-held_on")


def staff_in_post(*, on: dt.date) -> QuerySet[Staff]:
    """Everyone in post on `on` (rosters and reports: no personal data read)."""
    current = Posting.objects.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    return Staff.objects.filter(pk__in=current.values("staff_id")).select_related("home_agency").order_by("full_name")
