"""Receiving a citizen report on any channel (R3.1, R3.2, R3.4, R7.5)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.agencies.models import InformationSystem
from ioc.audit.models import AuditEntry
from ioc.audit.services import audit_entries_write, audit_entry_new
from ioc.citizen_reports.choices import DESCRIPTION_MAX, PHOTO_MAX_COUNT, Channel, PhotoKind, ReportStatus
from ioc.citizen_reports.models import Category, Report, ReporterContact, ReportPhoto, search_key
from ioc.citizen_reports.privacy import blind_index, encrypt, normalize_email, normalize_phone, private_token_digest
from ioc.citizen_reports.services import _base
from ioc.citizen_reports.services.location import Location, location_resolve
from ioc.common.bulk import insert_returning
from ioc.common.images import CleanImage
from ioc.geo.models import AdminUnit
from ioc.notifications.services import notification_enqueue

TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
TRACKING_LENGTH = 10
ADDRESS_MAX = 300
NAME_MAX = 120
_PHONE = re.compile(r"0\d{9,10}")


@dataclass
class ContactInput:
    """R3.2, R7.5: what the reporter chose to leave (all optional) and their consents."""

    name: str = ""
    phone: str = ""
    email: str = ""
    consent_processing: bool = False
    consent_share_with_agency: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.name.strip() or self.phone.strip() or self.email.strip())


@dataclass(frozen=True)
class ReceivedReport:
    """The new report and the private token of the reporter's link (shown or sent once, stored as HMAC)."""

    report: Report
    private_token: str


TRACKING_ATTEMPTS = 5


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(TRACKING_LENGTH))


def _add(errors: dict[str, list[ValidationError]], field: str, problem: tuple[str, str] | None) -> None:
    if problem is not None:
        errors.setdefault(field, []).append(ValidationError(problem[0], code=problem[1]))


def _clean_contact(contact: ContactInput, errors: dict[str, list[ValidationError]]) -> ContactInput:
    name, phone, email = (str(v or "").strip() for v in (contact.name, contact.phone, contact.email))
    _add(errors, "name", _base.text_problem(name, max_length=NAME_MAX, required=False))
    if phone:
        phone = normalize_phone(phone)
        if not _PHONE.fullmatch(phone):
            msg = _("Số điện thoại không hợp lệ / Invalid phone number")
            _add(errors, "phone", (msg, "invalid_phone"))
    if email:
        email = normalize_email(email)
        try:
            validate_email(email)
        except ValidationError:
            _add(errors, "email", (_("Địa chỉ thư điện tử không hợp lệ / Invalid e-mail address"), "invalid_email"))
    return ContactInput(name, phone, email, bool(contact.consent_processing), bool(contact.consent_share_with_agency))


def _check_basics(
    channel: str, category: Category, description: str, address: str, social_url: str, photos: Sequence[CleanImage]
) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    if channel not in Channel.values:
        _add(errors, "channel", (_("Kênh không hợp lệ / Unknown channel"), "invalid_choice"))
    if not isinstance(category, Category) or not category.pk or not category.is_active:
        _add(errors, "category", (_("Lĩnh vực không tồn tại hoặc đã ngừng / Unknown or inactive category"), "category"))
    _add(errors, "description", _base.text_problem(description, max_length=DESCRIPTION_MAX, required=True))
    _add(errors, "address", _base.text_problem(address, max_length=ADDRESS_MAX, required=False))
    if social_url:
        try:
            URLValidator(schemes=["http", "https"])(social_url)
        except ValidationError:
            _add(errors, "social_url", (_("Liên kết không hợp lệ / Invalid link"), "invalid_url"))
    if any(not isinstance(image, CleanImage) for image in photos):
        raise TypeError("photos must be CleanImage objects from ioc.common.images.image_clean()")
    if len(photos) > PHOTO_MAX_COUNT:
        msg = _("Tối đa %(max)d ảnh / At most %(max)d photos") % {"max": PHOTO_MAX_COUNT}
        _add(errors, "photos", (msg, "too_many_photos"))
    return errors


def _locate(lat: Any, lon: Any, unit: AdminUnit | str | None, address: str, errors: dict[str, Any]) -> Location:
    try:
        location = location_resolve(lat=lat, lon=lon, unit=unit)
    except ValidationError as exc:
        for field, items in exc.error_dict.items():
            errors.setdefault(field, []).extend(items)
        return Location(None, None, None, "")
    if location.unit is None and not address:
        msg = _("Cần vị trí, xã/phường hoặc địa chỉ / Give a location, a commune or an address")
        _add(errors, "address", (msg, "location_required"))
    return location


def _create_report(fields: dict[str, Any]) -> Report:
    code = new_tracking_code()
    key = search_key(tracking_code=code, description=fields["description"], address=fields["address"])
    report = Report(tracking_code=code, search_text=key, **fields)
    insert_returning([report], prepared=True)  # the ORM's INSERT without its compiler; prepared on PostgreSQL
    return report


def _sealed_contact(contact: ContactInput | None) -> dict[str, Any] | None:
    """The contact's columns, encrypted (R7.5) before the write transaction opens; None without a contact."""
    if contact is None or contact.is_empty:
        return None
    return {
        "name_encrypted": encrypt(contact.name),
        "phone_encrypted": encrypt(contact.phone),
        "email_encrypted": encrypt(contact.email),
        "phone_index": blind_index(contact.phone),
        "email_index": blind_index(contact.email),
        "consent_processing": contact.consent_processing,
        "consent_share_with_agency": contact.consent_share_with_agency,
    }


def _save_contact(report: Report, sealed: dict[str, Any] | None) -> ReporterContact | None:
    if sealed is None:
        return None
    row = ReporterContact(report=report, **sealed)
    insert_returning([row], prepared=True)
    return row


def _save_photos(report: Report, photos: Sequence[CleanImage]) -> None:
    for image in photos:
        name = f"{secrets.token_hex(16)}.{image.extension.lstrip('.') or 'jpg'}"
        ReportPhoto.objects.create(
            report=report,
            kind=PhotoKind.REPORT,
            file=ContentFile(image.content, name=name),
            width=image.width,
            height=image.height,
            sha256=image.sha256,
        )


def _notify_receipt(report: Report, contact: ContactInput, token: str, audit_into: list[AuditEntry]) -> None:
    """The receipt to the contact the reporter left (in clear here: it was sealed a moment ago), its audit entry
    appended to `audit_into`."""
    addresses = _base.addresses_of(email=contact.email, phone=contact.phone, name=contact.name)
    if not addresses:
        return
    notification_enqueue(
        event="citizen_reports.received",
        recipients=addresses,
        template="citizen_reports.received",
        context={
            "tracking_code": report.tracking_code,
            "tracking_url": _base.tracking_url(report.tracking_code),
            "private_url": _base.private_url(report.tracking_code, token),
            "category": report.category.name,
        },
        dedup_key=f"{_base.PROCESS}:{report.pk}:received",
        audit_into=audit_into,
        prepared=True,
    )


def report_receive(
    *,
    channel: str,
    category: Category,
    description: str,
    lat: Any = None,
    lon: Any = None,
    unit: AdminUnit | str | None = None,
    address: str = "",
    contact: ContactInput | None = None,
    photos: Sequence[CleanImage] = (),
    anonymous_to_public: bool = True,
    social_url: str = "",
    source_system: InformationSystem | None = None,
    actor: User | None = None,
) -> ReceivedReport:
    """R3.1, R3.2: a new report from any channel, validated as a whole (every bad field named at once).

    A point gives the commune and the grid cell; a commune alone is kept; an address alone is flagged
    `needs_location` for the operator to place it. The reporter's contact is encrypted (R7.5); a reporter who
    left a phone or e-mail gets the tracking link and the private link (rating, reopening).

    Checks read before the write transaction opens: on SQLite it holds the database's only write lock. Inside
    it, the rows go by fixed INSERTs (prepared on PostgreSQL: `ioc.common.prepared`) and the report's audit entry
    and the receipt's go in one statement (issue 16: the Open311 POST at half the rate of a bare app).
    """
    description = str(description or "").strip()
    address = str(address or "").strip()
    social_url = str(social_url or "").strip()
    photos = list(photos)
    errors = _check_basics(channel, category, description, address, social_url, photos)
    location = _locate(lat, lon, unit, address, errors)
    contact = _clean_contact(contact, errors) if contact is not None else None
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(24)
    sealed = _sealed_contact(contact)
    # No savepoint per attempt: a taken tracking code (about 1 in 10^14) retries the whole transaction.
    for attempt in range(TRACKING_ATTEMPTS):
        try:
            with transaction.atomic():
                report = _create_report(
                    {
                        "private_token_digest": private_token_digest(token),
                        "channel": channel,
                        "category": category,
                        "description": description,
                        "address": address,
                        "lat": location.lat,
                        "lon": location.lon,
                        "unit": location.unit,
                        "grid_cell": location.grid_cell,
                        "needs_location": location.unit is None,
                        "status": ReportStatus.RECEIVED,
                        "anonymous_to_public": bool(anonymous_to_public),
                        "social_url": social_url,
                        "source_system": source_system,
                        "created_by": _base.user_or_none(actor),
                        "received_at": _base.now(),
                    }
                )
                _base.event(report, actor=actor, from_status="", to_status=ReportStatus.RECEIVED)
                _save_photos(report, photos)
                saved_contact = _save_contact(report, sealed)
                entries = [
                    audit_entry_new(
                        actor=actor,
                        action="report.receive",
                        obj=report,
                        changes={
                            "channel": channel,
                            "category": category.code,
                            "unit": location.unit.code if location.unit else None,
                            "needs_location": report.needs_location,
                            "photos": len(photos),
                            "contact": saved_contact is not None,
                        },
                    )
                ]
                if saved_contact is not None and contact is not None:
                    _notify_receipt(report, contact, token, entries)
                audit_entries_write(entries, prepared=True)
                return ReceivedReport(report=report, private_token=token)
        except IntegrityError:
            if attempt == TRACKING_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")
