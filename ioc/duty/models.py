"""R7.1 (issue 20): the shift handover of the IOC's 24/7 duty desk."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.duty.choices import Shift


class Handover(models.Model):
    """R7.1: the note an operator writes at the end of a duty — what happened, what the next shift must follow
    up, and a snapshot of the open work items at that moment. The next shift sees it first on the operator's
    home until one of them acknowledges it."""

    shift_date = models.DateField(_("ngày của ca"))
    shift = models.CharField(_("ca trực"), max_length=4, choices=Shift.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("người bàn giao")
    )
    written_at = models.DateTimeField(_("thời điểm bàn giao"), default=timezone.now, db_index=True)
    happened = models.TextField(_("diễn biến trong ca"))
    next_steps = models.TextField(_("việc ca sau cần theo dõi"), blank=True)
    open_items = models.JSONField(_("việc còn mở khi bàn giao"), default=list, blank=True)
    open_count = models.PositiveIntegerField(_("số việc còn mở"), default=0)
    # R10.4 (issue 24): the roster's shift the note was written in (None without a published roster).
    roster_shift = models.ForeignKey(
        "operations.RosterShift", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("ca trực")
    )
    acknowledged_at = models.DateTimeField(_("thời điểm nhận bàn giao"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhận bàn giao"),
    )

    class Meta:
        verbose_name = _("biên bản giao ca")
        verbose_name_plural = _("biên bản giao ca")
        ordering = ["-written_at", "-pk"]
        indexes = [models.Index(fields=["acknowledged_at", "written_at"], name="duty_handover_pending_idx")]

    def __str__(self) -> str:
        return f"{self.get_shift_display()} {self.shift_date:%d/%m/%Y} — {self.author}"
