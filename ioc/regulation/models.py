"""The act a deployment operates under, as data domain apps read (R11, "Quy chế"; issue 9 part 5).

One act per profile: its articles (number, title, first words), and what it sets, each row citing its article
(`003:11.6`): duties (with what in the IOC carries them out), monitored domains, the report calendar, the template
cadence, review meetings, staff allowances and the center's staffing. Written only by `services`; read through
`selectors`.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.regulation.choices import DomainKind, Frequency, Level, Period


class Act(models.Model):
    """R11: the regulation of a profile (number, date, issuing body, signer, level); `seed` prefixes citations."""

    profile = models.CharField(_("hồ sơ"), max_length=40, unique=True)
    seed = models.CharField(_("mã văn bản"), max_length=3)
    number = models.CharField(_("số văn bản"), max_length=60)
    date = models.DateField(_("ngày ban hành"))
    date_note = models.CharField(_("ghi chú về ngày"), max_length=200, blank=True)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200)
    signer = models.CharField(_("người ký"), max_length=120, blank=True)
    title = models.CharField(_("trích yếu"), max_length=300)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("quy chế")
        verbose_name_plural = _("quy chế")

    def __str__(self) -> str:
        return f"{self.number} ({self.date:%d/%m/%Y})"


class Article(models.Model):
    """R11: an article of the act: its number, title and first words (the citations' targets)."""

    act = models.ForeignKey(Act, models.CASCADE, related_name="articles")
    number = models.PositiveSmallIntegerField(_("điều"))
    title = models.CharField(_("tên điều"), max_length=300)
    excerpt = models.TextField(_("trích"), blank=True)
    # Numbered clauses and their lettered points as the text has them: {"3": ["a", "b"], "4": []}.
    clauses = models.JSONField(_("khoản, điểm"), default=dict, blank=True)

    class Meta:
        verbose_name = _("điều khoản")
        verbose_name_plural = _("điều khoản")
        ordering = ["act", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["act", "number"],
                name="regulation_article_unique",
                violation_error_message=_("Điều này đã có trong quy chế."),
            )
        ]

    def __str__(self) -> str:
        return f"Điều {self.number}. {self.title}"


class Cited(models.Model):
    """What an act sets, identified by a code within the act and citing its article (`source`, `003:11.6`)."""

    act = models.ForeignKey(Act, models.CASCADE, related_name="+")
    code = models.SlugField(_("mã"), max_length=60)
    source = models.CharField(_("căn cứ"), max_length=40, help_text=_("Điều khoản, ví dụ 003:11.6"))
    article = models.ForeignKey(Article, models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        abstract = True
        ordering = ["act", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["act", "code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("Mã này đã có trong quy chế."),
            )
        ]


class Duty(Cited):
    """R11: a duty the act gives, who carries it (an agency code; empty = every agency bound by the article) and
    what in the IOC carries it out: `url:<url name>`, `api:<path>` or `task:<name>` (empty: nothing yet)."""

    title = models.CharField(_("nhiệm vụ"), max_length=300)
    responsible = models.CharField(_("cơ quan thực hiện"), max_length=60, blank=True)
    carried_out_by = models.CharField(_("thực hiện bằng"), max_length=200, blank=True)

    class Meta(Cited.Meta):
        verbose_name = _("nhiệm vụ theo quy chế")
        verbose_name_plural = _("nhiệm vụ theo quy chế")

    def __str__(self) -> str:
        return f"{self.title} ({self.source})"


class MonitoredDomain(Cited):
    """R11: a domain the IOC monitors, a data group or a scenario kind the act lists (domain apps read them)."""

    name = models.CharField(_("tên"), max_length=300)
    kind = models.CharField(_("loại"), max_length=20, choices=DomainKind.choices, default=DomainKind.DOMAIN)

    class Meta(Cited.Meta):
        verbose_name = _("lĩnh vực giám sát")
        verbose_name_plural = _("lĩnh vực giám sát")

    def __str__(self) -> str:
        return self.name


class ReportCalendarEntry(Cited):
    """R11, R8: a periodic report the act requires, to whom, due before `due_day` of the month (None: not set)."""

    name = models.CharField(_("báo cáo"), max_length=300)
    frequency = models.CharField(_("kỳ"), max_length=20, choices=Frequency.choices)
    recipient = models.CharField(_("gửi"), max_length=200, blank=True)
    due_day = models.PositiveSmallIntegerField(_("trước ngày"), null=True, blank=True)
    due_rule = models.CharField(_("thời hạn"), max_length=200, blank=True)

    class Meta(Cited.Meta):
        verbose_name = _("lịch báo cáo")
        verbose_name_plural = _("lịch báo cáo")

    def __str__(self) -> str:
        return self.name


class TemplateCadence(Cited):
    """R11, R1.2: the weekdays agencies send data by template (ISO 1 = Monday … 7 = Sunday)."""

    weekdays = models.JSONField(_("các ngày trong tuần"), default=list)
    description = models.CharField(_("mô tả"), max_length=300)

    class Meta(Cited.Meta):
        verbose_name = _("tần suất gửi biểu mẫu")
        verbose_name_plural = _("tần suất gửi biểu mẫu")

    def __str__(self) -> str:
        return self.description


class ReviewMeeting(Cited):
    """R11: a review meeting the act sets (6-monthly, yearly…) and who convenes it."""

    name = models.CharField(_("cuộc họp"), max_length=300)
    frequency = models.CharField(_("kỳ"), max_length=20, choices=Frequency.choices)
    organiser = models.CharField(_("chủ trì"), max_length=200)

    class Meta(Cited.Meta):
        verbose_name = _("họp giao ban, kiểm điểm")
        verbose_name_plural = _("họp giao ban, kiểm điểm")

    def __str__(self) -> str:
        return self.name


class Allowance(Cited):
    """R11: a staff allowance the act sets, in VND per person and period."""

    beneficiary = models.CharField(_("đối tượng"), max_length=300)
    amount_vnd = models.PositiveIntegerField(_("mức (đồng)"))
    period = models.CharField(_("mỗi"), max_length=10, choices=Period.choices, default=Period.MONTH)

    class Meta(Cited.Meta):
        verbose_name = _("chế độ hỗ trợ")
        verbose_name_plural = _("chế độ hỗ trợ")

    def __str__(self) -> str:
        return self.beneficiary


class StaffPosition(Cited):
    """R11, R10: a position of the center's staffing the act sets, how many, provided by whom."""

    title = models.CharField(_("vị trí"), max_length=300)
    count = models.PositiveSmallIntegerField(_("số người"))
    provided_by = models.CharField(_("bố trí bởi"), max_length=200)

    class Meta(Cited.Meta):
        verbose_name = _("nhân sự theo quy chế")
        verbose_name_plural = _("nhân sự theo quy chế")

    def __str__(self) -> str:
        return self.title
