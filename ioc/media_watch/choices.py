"""Kinds, statuses and limits of the online-information watch (R5.7)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    FEED = "feed", _("RSS/Atom")
    SITEMAP = "sitemap", _("Sơ đồ trang + bài báo")
    PLATFORM = "platform", _("Mạng xã hội (API chính thức)")
    YOUTUBE = "youtube", _("YouTube (Data API v3)")
    X = "x", _("X (API v2)")
    EXPORT = "export", _("Tệp xuất tải lên")


# A platform's official API: the kind → the response shape `parsers.parse_platform` reads.
PLATFORM_SHAPES: dict[str, str] = {SourceKind.PLATFORM: "graph", SourceKind.YOUTUBE: "youtube", SourceKind.X: "x"}


class SourceStatus(models.TextChoices):
    NEW = "new", _("Chưa chạy")
    OK = "ok", _("Hoạt động")
    FAILING = "failing", _("Đang lỗi")


class RunStatus(models.TextChoices):
    SUCCESS = "success", _("Thành công")
    NOT_MODIFIED = "not_modified", _("Không đổi (304)")
    FAILED = "failed", _("Lỗi")


class EntityKind(models.TextChoices):
    ORGANISATION = "organisation", _("Tổ chức")
    PERSON = "person", _("Cá nhân")


# Collector runs (DESIGN "Durable work"): the source row is the work, claimed with a lease.
LEASE_SECONDS = 300
RETRY_BASE_SECONDS = 60
MIN_INTERVAL_MINUTES = 5
MAX_INTERVAL_MINUTES = 366 * 24 * 60
MAX_FEED_BYTES = 5 * 1024 * 1024
MAX_ITEMS_PER_RUN = 500
MAX_ARTICLES_PER_RUN = 50
ERROR_MAX = 2000
# Near-duplicates (docs/decisions/0008, minhash.py): looked up among the items of the last days.
DUPLICATE_WINDOW_DAYS = 7
DEFAULT_RETENTION_DAYS = 180
