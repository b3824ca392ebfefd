"""States of a backup run (R10.1): durable work claimed with a lease (DESIGN "Durable work")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BackupState(models.TextChoices):
    PENDING = "pending", _("Chờ chạy")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Hoàn tất")
    FAILED = "failed", _("Thất bại")
    PRUNED = "pruned", _("Đã xoá theo hạn lưu giữ")


class BackupKind(models.TextChoices):
    SCHEDULED = "scheduled", _("Theo lịch")
    MANUAL = "manual", _("Thủ công")


# A run whose lease expired (its process died) is claimed again; after this many attempts it fails.
MAX_ATTEMPTS = 3
