"""Operational state of the web shell: the worker's heartbeat that /readyz checks (R10.1)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """R10.1: the last time a background worker proved it runs tasks (one row per worker kind)."""

    name = models.CharField(_("tiến trình"), max_length=40, primary_key=True)
    beat_at = models.DateTimeField(_("lần cuối"), default=timezone.now)
    host = models.CharField(_("máy"), max_length=120, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("nhịp tiến trình nền")
        verbose_name_plural = _("nhịp tiến trình nền")

    def __str__(self) -> str:
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"
