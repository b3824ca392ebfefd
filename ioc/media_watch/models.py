"""Online-information watch (R5.7, R3.1 social media, R4.6): sources and their runs, items, topics, watch lists."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ioc.geo.models import AdminUnit
from ioc.media_watch.choices import EntityKind, RunStatus, SourceKind, SourceStatus


class Source(models.Model):
    """R5.7: where items come from — an RSS/Atom feed, a news site's sitemap with its article selectors, a social
    platform's official API (key entered by an administrator, stored sealed) or uploaded exports. The row is the
    durable work (DESIGN "Durable work"): due at `next_run_at`, claimed by a conditional UPDATE of `lease_until`,
    rate-limited by `min_gap_seconds` between two requests to it, retried with back-off (`failures`)."""

    name = models.CharField(_("tên nguồn"), max_length=200, unique=True)
    kind = models.CharField(_("loại nguồn"), max_length=10, choices=SourceKind.choices)
    url = models.URLField(_("địa chỉ (URL)"), max_length=500, blank=True)
    selectors = models.JSONField(_("bộ chọn của trang bài"), default=dict, blank=True)
    api_key_sealed = models.TextField(_("khoá API (mã hoá)"), blank=True)
    interval_minutes = models.PositiveIntegerField(_("chu kỳ thu thập (phút)"), default=30)
    min_gap_seconds = models.PositiveIntegerField(_("giãn cách tối thiểu giữa hai lần gọi (giây)"), default=60)
    is_active = models.BooleanField(_("đang thu thập"), default=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=SourceStatus.choices, default=SourceStatus.NEW)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_request_at = models.DateTimeField(null=True, blank=True)
    next_run_at = models.DateTimeField(_("lần thu thập tới"), null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(_("số lần lỗi liên tiếp"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nguồn tin")
        verbose_name_plural = _("nguồn tin")
        ordering = ["name"]
        indexes = [models.Index(fields=["is_active", "next_run_at"], name="media_source_due_idx")]

    def __str__(self) -> str:
        return self.name


class CollectorRun(models.Model):
    """R5.7: one collection of a source, recorded whatever happened (issue 22 "every run recorded")."""

    source = models.ForeignKey(Source, models.CASCADE, related_name="runs", verbose_name=_("nguồn"))
    started_at = models.DateTimeField(_("bắt đầu"), db_index=True)
    duration_ms = models.PositiveIntegerField(_("thời gian (ms)"), default=0)
    status = models.CharField(_("kết quả"), max_length=12, choices=RunStatus.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    items_new = models.PositiveIntegerField(_("tin mới"), default=0)
    items_merged = models.PositiveIntegerField(_("tin trùng đã gộp"), default=0)
    items_rejected = models.PositiveIntegerField(_("tin bị loại"), default=0)
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        verbose_name = _("lần thu thập")
        verbose_name_plural = _("lần thu thập")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source_id} @ {self.started_at:%Y-%m-%d %H:%M} ({self.status})"


class Topic(models.Model):
    """R5.7: a topic of interest defined by a boolean query (AND, OR, NOT, "phrase", NEAR/n)."""

    name = models.CharField(_("tên chủ đề"), max_length=200, unique=True)
    query = models.TextField(_("truy vấn"))
    is_active = models.BooleanField(_("đang theo dõi"), default=True)
    min_hourly = models.PositiveSmallIntegerField(_("số tin tối thiểu mỗi giờ để coi là nóng"), default=5)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chủ đề")
        verbose_name_plural = _("chủ đề")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WatchList(models.Model):
    """R5.7 (Nghị định 13/2023/NĐ-CP): organisations and people followed online — personal data, shown only to
    the users an administrator grants (`viewers`), each view audited; their items purged after `retention_days`."""

    name = models.CharField(_("tên danh sách"), max_length=200, unique=True)
    purpose = models.CharField(_("mục đích theo dõi"), max_length=500)
    retention_days = models.PositiveIntegerField(_("thời hạn lưu (ngày)"), default=180)
    viewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="media_watch_lists", verbose_name=_("người được xem")
    )
    is_active = models.BooleanField(_("đang theo dõi"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("danh sách theo dõi")
        verbose_name_plural = _("danh sách theo dõi")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(retention_days__gte=1),
                name="media_watchlist_retention_positive",
                violation_error_message=_("Thời hạn lưu ít nhất 1 ngày."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class WatchEntity(models.Model):
    """R5.7: one organisation or person on a watch list, with the names and aliases the press uses."""

    watch_list = models.ForeignKey(WatchList, models.CASCADE, related_name="entities", verbose_name=_("danh sách"))
    kind = models.CharField(_("loại"), max_length=12, choices=EntityKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    aliases = models.TextField(_("tên khác (mỗi dòng một tên)"), blank=True)
    min_hourly = models.PositiveSmallIntegerField(_("số tin tối thiểu mỗi giờ để coi là tăng đột biến"), default=3)
    is_active = models.BooleanField(_("đang theo dõi"), default=True)

    class Meta:
        verbose_name = _("đối tượng theo dõi")
        verbose_name_plural = _("đối tượng theo dõi")
        ordering = ["watch_list", "name"]

    def __str__(self) -> str:
        return self.name

    def names(self) -> list[str]:
        return [self.name, *(line.strip() for line in self.aliases.splitlines() if line.strip())]


class Item(models.Model):
    """R5.7: one article or post: source, URL, time, author, text (markup stripped), its folded form for search,
    topics, places, entities and sentiment. A known item collected again is merged into this row (`copies`), by
    its URL or as a near-duplicate (MinHash LSH, `minhash.py`, docs/decisions/0008)."""

    source = models.ForeignKey(Source, models.PROTECT, related_name="items", verbose_name=_("nguồn"))
    guid = models.CharField(max_length=500, blank=True)
    url = models.URLField(_("địa chỉ"), max_length=1000, blank=True)
    url_key = models.CharField(max_length=40, blank=True, db_index=True)
    title = models.CharField(_("tiêu đề"), max_length=500)
    body = models.TextField(_("nội dung"), blank=True)
    folded = models.TextField(editable=False, blank=True)
    author = models.CharField(_("tác giả"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("thời gian đăng"), db_index=True)
    date_estimated = models.BooleanField(_("không có ngày đăng (lấy giờ thu thập)"), default=False)
    collected_at = models.DateTimeField(_("thời gian thu thập"))
    last_seen_at = models.DateTimeField(_("lần thấy gần nhất"))
    copies = models.PositiveIntegerField(_("số lần xuất hiện"), default=1)
    signature = models.BinaryField(max_length=256, default=b"", editable=False)
    sentiment = models.FloatField(_("sắc thái"), null=True, blank=True)
    cites_authorities = models.BooleanField(_("dẫn thông tin của cơ quan nhà nước"), default=False)
    topics = models.ManyToManyField(Topic, through="ItemTopic", related_name="items", verbose_name=_("chủ đề"))
    places = models.ManyToManyField(AdminUnit, blank=True, related_name="+", verbose_name=_("địa danh nhắc tới"))
    entities = models.ManyToManyField(WatchEntity, blank=True, related_name="items", verbose_name=_("đối tượng"))

    class Meta:
        verbose_name = _("tin")
        verbose_name_plural = _("tin")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["source", "guid"], name="media_item_guid_idx"),
        ]

    def __str__(self) -> str:
        return self.title[:80]


class ItemTopic(models.Model):
    """R5.7: an item's topic, with its time and first place copied for the hourly counts per topic × area."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey(Topic, models.CASCADE, related_name="item_links")
    published_at = models.DateTimeField()
    unit = models.ForeignKey(AdminUnit, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("tin thuộc chủ đề")
        verbose_name_plural = _("tin thuộc chủ đề")
        constraints = [models.UniqueConstraint(fields=["item", "topic"], name="media_itemtopic_unique")]
        indexes = [models.Index(fields=["topic", "published_at"], name="media_itemtopic_time_idx")]

    def __str__(self) -> str:
        return f"{self.item_id} ∈ {self.topic_id}"


class ItemBand(models.Model):
    """R5.7: one LSH band key of an item's MinHash signature (docs/decisions/0008), for the near-duplicate look-up."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="bands")
    key = models.BigIntegerField()
    published_at = models.DateTimeField()

    class Meta:
        verbose_name = _("khoá gần trùng của tin")
        verbose_name_plural = _("khoá gần trùng của tin")
        indexes = [models.Index(fields=["key", "published_at"], name="media_itemband_key_idx")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.key}"


class HotState(models.Model):
    """R5.7, R4.1: what is hot now (the rule state the watch keeps; the alert itself lives in `incidents`): one row
    per topic × area or watched entity with an open alert, removed when the count falls back and the alert is
    resolved."""

    key = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=40)
    topic = models.ForeignKey(Topic, models.CASCADE, null=True, blank=True, related_name="+")
    entity = models.ForeignKey(WatchEntity, models.CASCADE, null=True, blank=True, related_name="+")
    unit = models.ForeignKey(AdminUnit, models.CASCADE, null=True, blank=True, related_name="+")
    raised_at = models.DateTimeField()
    last_count = models.PositiveIntegerField(default=0)
    baseline = models.FloatField(default=0)

    class Meta:
        verbose_name = _("chủ đề đang nóng")
        verbose_name_plural = _("chủ đề đang nóng")

    def __str__(self) -> str:
        return self.key


class Handling(models.Model):
    """R5.7 (002:6.5): what the IOC did with an item — made it a citizen report (`report_id`, the report follows its
    own flow) or forwarded it to an agency for an answer (`assignment_id`); the answer and its time are kept here
    (set by the "media_watch" SubjectHandler) for the indicators and the report section."""

    KIND_REPORT = "report"
    KIND_FORWARD = "forward"
    KIND_CHOICES = [(KIND_REPORT, _("Chuyển thành phản ánh")), (KIND_FORWARD, _("Chuyển cơ quan trả lời"))]

    item = models.ForeignKey(Item, models.CASCADE, related_name="handlings", verbose_name=_("tin"))
    kind = models.CharField(_("cách xử lý"), max_length=10, choices=KIND_CHOICES)
    report_id = models.PositiveBigIntegerField(_("mã phản ánh"), null=True, blank=True)
    assignment_id = models.PositiveBigIntegerField(_("mã việc chuyển"), null=True, blank=True, db_index=True)
    agency_name = models.CharField(_("cơ quan"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("lúc chuyển"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("lúc trả lời"), null=True, blank=True)
    answer = models.TextField(_("nội dung trả lời"), blank=True)

    class Meta:
        verbose_name = _("xử lý tin")
        verbose_name_plural = _("xử lý tin")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.kind}"
