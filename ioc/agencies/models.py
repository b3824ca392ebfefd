"""Agencies, their roles in the act and their information systems (R1.1, R7.1)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ioc.agencies.choices import ActRole, AgencyKind, Sensitivity
from ioc.common.text import fold


class Agency(models.Model):
    """R1.1, R7.1: an agency (sở, UBND xã, trung tâm…) of the deployment."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    # Diacritics-insensitive search key ("so tai chinh" finds "Sở Tài chính"), kept up to date by save().
    search_folded = models.CharField(max_length=300, db_index=True, editable=False, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=AgencyKind.choices, default=AgencyKind.OTHER)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    # The administrative unit the agency answers for (a commune's People's Committee, say).
    unit = models.ForeignKey("geo.AdminUnit", models.PROTECT, null=True, blank=True, related_name="agencies")
    # Police, fire and health count deadlines 24/7 (worktime).
    works_24x7 = models.BooleanField(_("làm việc 24/7"), default=False)
    email = models.EmailField(_("thư điện tử"), blank=True)
    # R5.5: how widely its data is shown when a record names no sensitivity; blank means public.
    default_sensitivity = models.CharField(
        _("mức công khai mặc định"), max_length=12, choices=Sensitivity.choices, blank=True
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_folded = fold(f"{self.name} {self.short_name} {self.code}")[:300]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_folded"}
        super().save(*args, **kwargs)


class AgencyActRole(models.Model):
    """R7.1: a role the act gives the agency, citing the article (`002:8.1`) or `demo`."""

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="act_roles")
    role = models.CharField(_("vai trò"), max_length=20, choices=ActRole.choices)
    source = models.CharField(_("căn cứ"), max_length=40, help_text=_("Điều khoản, ví dụ 002:8.1; hoặc demo"))

    class Meta:
        verbose_name = _("vai trò theo quy chế")
        verbose_name_plural = _("vai trò theo quy chế")
        constraints = [models.UniqueConstraint(fields=["agency", "role"], name="agencies_act_role_unique")]

    def __str__(self) -> str:
        return f"{self.agency} — {self.get_role_display()} ({self.source})"


class InformationSystem(models.Model):
    """R1.1, R1.2: an agency's information system; it acts through a service-account user."""

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="systems")
    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="information_system", null=True, blank=True
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("hệ thống thông tin")
        verbose_name_plural = _("hệ thống thông tin")
        ordering = ["agency__name", "name"]

    def __str__(self) -> str:
        return self.name
