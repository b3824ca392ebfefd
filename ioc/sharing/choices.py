"""Codes of data sharing (R1.6, Decree 47/2020): request statuses, their transitions and the default terms."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    """R1.6: a request waits for the owner, then is approved (a grant) or refused in writing."""

    PENDING = "pending", _("Chờ cơ quan chủ quản xử lý")
    APPROVED = "approved", _("Đã cấp quyền")
    REFUSED = "refused", _("Đã từ chối")


# Allowed transitions: a decision is final (a new request starts again).
TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.PENDING: frozenset({RequestStatus.APPROVED, RequestStatus.REFUSED}),
    RequestStatus.APPROVED: frozenset(),
    RequestStatus.REFUSED: frozenset(),
}


class GrantState(models.TextChoices):
    """R1.6: what a grant is worth now."""

    LIVE = "live", _("Đang hiệu lực")
    EXPIRED = "expired", _("Đã hết hạn")
    REVOKED = "revoked", _("Đã thu hồi")


# Defaults of the configurable terms (SharingTerms): default sharing is set up within 2 working days of a request,
# a specific request is answered within 5 working days; a grant lasts at most a year; owners are reminded a
# working day (8 hours) before the due time.
SETUP_WORKING_DAYS = 2
RESPONSE_WORKING_DAYS = 5
MAX_GRANT_DAYS = 365
REMIND_BEFORE_HOURS = 8

# The read API (R1.6): rows per page by default and at most.
PAGE_SIZE = 100
PAGE_SIZE_MAX = 1000
