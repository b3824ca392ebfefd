"""R10.4: the center's staff — add a person with their first posting, move them between the center and their
own agency, end their time, record a training. Postings of one person never overlap."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.agencies.models import Agency
from ioc.audit.services import audit_record
from ioc.common.privacy import encrypt
from ioc.operations.choices import WorkPlace
from ioc.operations.models import Posting, Staff, Training
from ioc.operations.services._base import clean_text, require_staff_manager


def _work_place(value: str) -> str:
    if value not in WorkPlace.values:
        raise ValidationError({"work_place": [_("Nơi làm việc không hợp lệ / Unknown work place")]})
    return value


def _personal_encrypted(*, phone: str, email: str, birth_date: dt.date | None) -> dict[str, str]:
    """R10.4: the personal data checked, then encrypted at rest (never stored or audited in the clear)."""
    address = clean_text(email, field="email", required=False, limit=254)
    if address:
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError({"email": [_("Địa chỉ thư điện tử không hợp lệ / Invalid e-mail address")]}) from None
    return {
        "phone_encrypted": encrypt(clean_text(phone, field="phone", required=False, limit=30)),
        "email_encrypted": encrypt(address),
        "birth_date_encrypted": encrypt(birth_date.isoformat() if birth_date else ""),
    }


def _open_posting(staff: Staff) -> Posting | None:
    return Posting.objects.select_for_update().filter(staff=staff, ends_on__isnull=True).first()


@transaction.atomic
def staff_create(
    *,
    actor: User,
    full_name: str,
    home_agency: Agency,
    position: str,
    work_place: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    position_code: str = "",
    is_leader: bool = False,
    user: User | None = None,
    phone: str = "",
    email: str = "",
    birth_date: dt.date | None = None,
) -> Staff:
    """R10.4: a person joins the center's work from `starts_on`, at the center or from their own agency."""
    require_staff_manager(actor)
    name = clean_text(full_name, field="full_name", limit=120)
    title = clean_text(position, field="position")
    place = _work_place(work_place)
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": [_("Ngày kết thúc phải sau ngày bắt đầu / The end must follow the start")]})
    if user is not None and Staff.objects.filter(user=user).exists():
        raise ValidationError({"user": [_("Tài khoản này đã gắn với nhân sự khác / Account already linked")]})
    staff = Staff.objects.create(
        full_name=name,
        home_agency=home_agency,
        position=title,
        position_code=position_code,
        is_leader=is_leader,
        user=user,
        **_personal_encrypted(phone=phone, email=email, birth_date=birth_date),
    )
    Posting.objects.create(staff=staff, work_place=place, starts_on=starts_on, ends_on=ends_on)
    changes = {"home_agency": home_agency.code, "work_place": place, "starts_on": starts_on.isoformat()}
    audit_record(actor=actor, action="staff.create", obj=staff, changes=changes)
    return staff


@transaction.atomic
def staff_move(*, actor: User, staff: Staff, work_place: str, on: dt.date) -> Posting:
    """R10.4: from `on` the person works at `work_place` (the open posting ends the day before)."""
    require_staff_manager(actor)
    place = _work_place(work_place)
    current = _open_posting(staff)
    if current is None:
        raise ValidationError({"on": [_("Nhân sự không còn làm việc cho Trung tâm / No open posting")]})
    if on <= current.starts_on:
        raise ValidationError({"on": [_("Ngày chuyển phải sau ngày bắt đầu hiện tại / Must follow the current start")]})
    if current.work_place == place:
        raise ValidationError({"work_place": [_("Nhân sự đang làm việc ở nơi này / Already working there")]})
    current.ends_on = on - dt.timedelta(days=1)
    current.save(update_fields=["ends_on"])
    posting = Posting.objects.create(staff=staff, work_place=place, starts_on=on)
    audit_record(actor=actor, action="staff.move", obj=staff, changes={"work_place": place, "on": on.isoformat()})
    return posting


@transaction.atomic
def staff_end(*, actor: User, staff: Staff, last_day: dt.date) -> Posting:
    """R10.4: the person's work for the center ends after `last_day` (inclusive)."""
    require_staff_manager(actor)
    current = _open_posting(staff)
    if current is None:
        raise ValidationError({"last_day": [_("Nhân sự không còn làm việc cho Trung tâm / No open posting")]})
    if last_day < current.starts_on:
        raise ValidationError({"last_day": [_("Ngày cuối phải sau ngày bắt đầu / Must follow the start")]})
    current.ends_on = last_day
    current.save(update_fields=["ends_on"])
    audit_record(actor=actor, action="staff.end", obj=staff, changes={"last_day": last_day.isoformat()})
    return current


@transaction.atomic
def training_record(
    *, actor: User, staff: Staff, title: str, held_on: dt.date, hours: int = 0, organiser: str = ""
) -> Training:
    """R10.4 (000:7.3, 003:10.4): a training the person attended."""
    require_staff_manager(actor)
    if hours < 0 or hours > 1000:
        raise ValidationError({"hours": [_("Số giờ từ 0 đến 1000 / Hours between 0 and 1000")]})
    training = Training.objects.create(
        staff=staff,
        title=clean_text(title, field="title"),
        held_on=held_on,
        hours=hours,
        organiser=clean_text(organiser, field="organiser", required=False, limit=200),
    )
    changes: dict[str, Any] = {"title": training.title, "held_on": held_on.isoformat()}
    audit_record(actor=actor, action="training.record", obj=training, changes=changes)
    return training
