"""Administrative units as data, not code (R6.1): the 2025 hierarchy and the legacy one, with succession."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ioc.geo.choices import Hierarchy, Level, SuccessionKind, qualified_unit_code


class AdminUnit(models.Model):
    """R6.1: one administrative unit; identity is (hierarchy, code), foreign keys use the surrogate id."""

    hierarchy = models.CharField(_("hệ thống"), max_length=8, choices=Hierarchy.choices)
    code = models.CharField(_("mã"), max_length=8)
    name = models.CharField(_("tên"), max_length=120)
    full_name = models.CharField(_("tên đầy đủ"), max_length=160)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=160, blank=True)
    name_folded = models.CharField(max_length=160, db_index=True, editable=False)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    unit_type = models.CharField(_("loại"), max_length=20, blank=True)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    # Materialised path of codes ("33/12345") so a subtree is one indexed prefix query.
    path = models.CharField(max_length=40, db_index=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    area_km2 = models.FloatField(null=True, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    # Boundary as GeoJSON geometry text (no GDAL); bounding box columns for cheap prefilters.
    geometry = models.TextField(blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["hierarchy", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["hierarchy", "code"],
                name="geo_unit_unique_code",
                violation_error_message=_("Mã đơn vị đã tồn tại trong hệ thống này."),
            ),
            models.CheckConstraint(
                condition=Q(hierarchy__in=[h.value for h in Hierarchy]), name="geo_unit_hierarchy_valid"
            ),
        ]
        indexes = [models.Index(fields=["hierarchy", "level", "parent"], name="geo_unit_level_idx")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def qualified_code(self) -> str:
        """The public form of the identity: bare for 2025, `legacy:<code>` for the legacy hierarchy."""
        return qualified_unit_code(self.code, self.hierarchy)


class Succession(models.Model):
    """R6.1: legacy unit → 2025 unit (full or partial), from admin_succession_2025.json."""

    old = models.ForeignKey(AdminUnit, models.CASCADE, related_name="successors")
    new = models.ForeignKey(AdminUnit, models.CASCADE, related_name="predecessors")
    kind = models.CharField(max_length=8, choices=SuccessionKind.choices)

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="geo_succession_unique")]

    def __str__(self) -> str:
        return f"{self.old_id} → {self.new_id} ({self.kind})"


class Territory(models.Model):
    """R11 (DESIGN "Contracts: Territory"): the named set of 2025 communes a profile operates on.

    `root` is the 2025 province when the territory is the whole of one (Hưng Yên), else empty (Lộc Ninh is 7
    communes of today's Đồng Nai). `former_ref` names, for history only, the legacy unit the act was issued for
    (`legacy:692`); it is a reference, not a foreign key, so no record points at a legacy unit.
    """

    profile = models.CharField(_("hồ sơ"), max_length=40, unique=True)
    name = models.CharField(_("tên địa bàn"), max_length=160)
    root = models.ForeignKey(AdminUnit, models.PROTECT, related_name="+", null=True, blank=True)
    communes = models.ManyToManyField(AdminUnit, related_name="territories", blank=True)
    act_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    former_ref = models.CharField(
        _("đơn vị trước 01/7/2025"),
        max_length=16,
        blank=True,
        help_text=_("Đơn vị hành chính cũ lúc ban hành văn bản, ví dụ legacy:692 (chỉ để tra cứu lịch sử)"),
    )

    class Meta:
        verbose_name = _("địa bàn")
        verbose_name_plural = _("địa bàn")

    def __str__(self) -> str:
        return self.name
