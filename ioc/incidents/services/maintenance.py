"""R10.2 (issue 24): maintenance windows that mark new alerts of named sources "bảo trì" — recorded, no sound, no
verification timer, no incident. The app that approved the work sets and clears its window by `reference`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.audit.services import audit_record
from ioc.incidents.choices import AlertSource
from ioc.incidents.models import MaintenanceWindow


def in_maintenance(source: str, at: dt.datetime) -> bool:
    """Whether a window naming `source` runs at `at` (one small indexed query)."""
    running = MaintenanceWindow.objects.filter(starts_at__lte=at, ends_at__gt=at).values_list("sources", flat=True)
    return any(source in sources for sources in running)


@transaction.atomic
def maintenance_window_set(
    *, actor: User, reference: str, title: str, sources: Sequence[str], starts_at: dt.datetime, ends_at: dt.datetime
) -> MaintenanceWindow:
    """R10.2: create or move the window of `reference` (sources from `AlertSource`)."""
    unknown = sorted(set(sources) - set(AlertSource.values))
    if unknown or not sources:
        raise ValidationError({"sources": [_("Nguồn cảnh báo không hợp lệ / Unknown alert source")]})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("Kết thúc phải sau bắt đầu / The end must follow the start")]})
    window, _created = MaintenanceWindow.objects.update_or_create(
        reference=reference,
        defaults={"title": title[:200], "sources": sorted(set(sources)), "starts_at": starts_at, "ends_at": ends_at},
    )
    changes = {"sources": window.sources, "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()}
    audit_record(actor=actor, action="maintenance_window.set", obj=window, changes=changes)
    return window


@transaction.atomic
def maintenance_window_clear(*, actor: User, reference: str, ends_at: dt.datetime) -> None:
    """R10.2: the work is over (or cancelled): the window of `reference` ends at `ends_at` (kept as a record)."""
    window = MaintenanceWindow.objects.select_for_update().filter(reference=reference).first()
    if window is None:
        return
    window.ends_at = max(min(window.ends_at, ends_at), window.starts_at + dt.timedelta(seconds=1))
    window.save(update_fields=["ends_at"])
    audit_record(actor=actor, action="maintenance_window.clear", obj=window, changes={"ends_at": ends_at.isoformat()})
