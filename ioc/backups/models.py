"""Backup runs (R10.1): one row per archive, scheduled or manual; the row is the durable work, Huey only wakes it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ioc.backups.choices import BackupKind, BackupState


class BackupRun(models.Model):
    """R10.1: an archive written (or to be written) by `backup_run_execute`; a scheduled slot has exactly one row."""

    kind = models.CharField(_("loại"), max_length=16, choices=BackupKind.choices)
    state = models.CharField(_("trạng thái"), max_length=16, choices=BackupState.choices, default=BackupState.PENDING)
    due_at = models.DateTimeField(_("đến hạn lúc"))
    lease_until = models.DateTimeField(_("giữ đến"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    file_name = models.CharField(_("tệp"), max_length=200, blank=True)
    size_bytes = models.BigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 của tệp"), max_length=64, blank=True)
    members = models.PositiveIntegerField(_("số tệp trong bản sao lưu"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("lần sao lưu")
        verbose_name_plural = _("các lần sao lưu")
        ordering = ["-due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["due_at"],
                condition=models.Q(kind=BackupKind.SCHEDULED),
                name="backups_one_run_per_slot",
                violation_error_message=_("Mỗi mốc lịch chỉ có một lần sao lưu."),
            )
        ]
        indexes = [models.Index(fields=["state", "due_at"], name="backups_state_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_at:%Y-%m-%d %H:%M} ({self.get_state_display()})"
