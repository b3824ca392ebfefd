"""The eight entities of OGC SensorThings API 1.1 (R5.5, R6.1). MultiDatastreams are out of scope.

Ids: every entity has an integer primary key; Things, Locations, Sensors, ObservedProperties, Datastreams and
FeaturesOfInterest may also carry a client-chosen string id (`ext_id`, never all digits, so `Things('7')` is
the integer 7 and `Things('x')` the string "x"). Observations and HistoricalLocations are numeric only.

Ownership: a Thing, Location, Sensor, ObservedProperty and FeatureOfInterest belong to an agency (the writer's);
a Datastream, its Observations and a Thing's HistoricalLocations belong to the Thing's agency.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ioc.agencies.choices import Sensitivity
from ioc.sensors.choices import SILENCE_KIND_LABELS
from ioc.sensors.rules_catalogue import AGGREGATE_LABELS

EXT_ID_MAX = 100


class Location(models.Model):
    """R6.1: where a Thing is (GeoJSON), with a representative point, its 2025 commune and its 0.01° grid cell."""

    ext_id = models.CharField(max_length=EXT_ID_MAX, null=True, blank=True, unique=True)
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="sensor_locations")
    name = models.CharField(_("tên"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    encoding_type = models.CharField(max_length=100, default="application/geo+json")
    location = models.JSONField()
    properties = models.JSONField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    unit = models.ForeignKey("geo.AdminUnit", models.SET_NULL, null=True, blank=True, related_name="+")
    grid_cell = models.CharField(max_length=16, blank=True, db_index=True)

    class Meta:
        verbose_name = _("vị trí cảm biến")
        verbose_name_plural = _("vị trí cảm biến")
        indexes = [models.Index(fields=["lat", "lon"], name="sensors_location_latlon")]

    def __str__(self) -> str:
        return self.name


class Thing(models.Model):
    """R5.5: a station (air quality, water level, rain, weather…) owned by an agency, with a sensitivity."""

    ext_id = models.CharField(max_length=EXT_ID_MAX, null=True, blank=True, unique=True)
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="sensor_things")
    name = models.CharField(_("tên"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    properties = models.JSONField(null=True, blank=True)
    # `properties.sensitivity` when given (public, internal, restricted); blank: the owner agency's default.
    sensitivity = models.CharField(_("mức công khai"), max_length=12, choices=Sensitivity.choices, blank=True)
    locations = models.ManyToManyField(Location, related_name="things", blank=True)

    class Meta:
        verbose_name = _("trạm cảm biến")
        verbose_name_plural = _("trạm cảm biến")

    def __str__(self) -> str:
        return self.name


class HistoricalLocation(models.Model):
    """R5.5: when a Thing was at its Locations (written whenever a Thing's Locations change)."""

    thing = models.ForeignKey(Thing, models.CASCADE, related_name="historical_locations")
    time = models.DateTimeField(_("thời điểm"))
    locations = models.ManyToManyField(Location, related_name="historical_locations", blank=True)

    class Meta:
        verbose_name = _("vị trí trước đây")
        verbose_name_plural = _("vị trí trước đây")

    def __str__(self) -> str:
        return f"{self.thing_id} @ {self.time:%Y-%m-%d %H:%M}"


class Sensor(models.Model):
    """R5.5: an instrument type (its metadata: a datasheet URL, a SensorML document…)."""

    ext_id = models.CharField(max_length=EXT_ID_MAX, null=True, blank=True, unique=True)
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="sensor_sensors")
    name = models.CharField(_("tên"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    encoding_type = models.CharField(max_length=100)
    metadata = models.TextField(blank=True)
    properties = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("loại cảm biến")
        verbose_name_plural = _("loại cảm biến")

    def __str__(self) -> str:
        return self.name


class ObservedProperty(models.Model):
    """R5.5: a phenomenon measured (PM2.5, water level, rainfall…), with its definition URI."""

    ext_id = models.CharField(max_length=EXT_ID_MAX, null=True, blank=True, unique=True)
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="sensor_observed_properties")
    name = models.CharField(_("tên"), max_length=200)
    definition = models.CharField(_("định nghĩa"), max_length=500)
    description = models.TextField(_("mô tả"), blank=True)
    properties = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("đại lượng đo")
        verbose_name_plural = _("đại lượng đo")

    def __str__(self) -> str:
        return self.name


class Datastream(models.Model):
    """R5.5: one time series of a Thing; its latest value and time are kept current on every write (map and
    dashboards read them without scanning history)."""

    ext_id = models.CharField(max_length=EXT_ID_MAX, null=True, blank=True, unique=True)
    thing = models.ForeignKey(Thing, models.CASCADE, related_name="datastreams")
    sensor = models.ForeignKey(Sensor, models.CASCADE, related_name="datastreams")
    observed_property = models.ForeignKey(ObservedProperty, models.CASCADE, related_name="datastreams")
    name = models.CharField(_("tên"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    unit_of_measurement = models.JSONField()
    observation_type = models.CharField(max_length=200)
    properties = models.JSONField(null=True, blank=True)
    phenomenon_start = models.DateTimeField(null=True, blank=True)
    phenomenon_end = models.DateTimeField(null=True, blank=True)
    result_start = models.DateTimeField(null=True, blank=True)
    result_end = models.DateTimeField(null=True, blank=True)
    latest_result = models.JSONField(null=True, blank=True)
    latest_value = models.FloatField(null=True, blank=True)
    latest_time = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("chuỗi số liệu")
        verbose_name_plural = _("chuỗi số liệu")

    def __str__(self) -> str:
        return self.name


class FeatureOfInterest(models.Model):
    """R5.5: what an Observation is about; generated from the Thing's Location when a client names none."""

    ext_id = models.CharField(max_length=EXT_ID_MAX, null=True, blank=True, unique=True)
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="sensor_features")
    name = models.CharField(_("tên"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    encoding_type = models.CharField(max_length=100, default="application/geo+json")
    feature = models.JSONField()
    properties = models.JSONField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    # The Location it was generated from (reused for that Location's next observations).
    source_location = models.ForeignKey(Location, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("đối tượng quan trắc")
        verbose_name_plural = _("đối tượng quan trắc")

    def __str__(self) -> str:
        return self.name


class Observation(models.Model):
    """R5.5: one reading. `result` as sent (any JSON); `result_number` its numeric value for filters and figures.
    Indexed for `Datastreams(id)/Observations` with a time filter."""

    # No index of its own: `sensors_obs_ds_time` leads with it (one index fewer for every new observation).
    # No database constraint on either link (docs/decisions/0014): a foreign key's trigger ran once per inserted row;
    # the services check both once per request or batch (`observation_parents_missing`) and deletions cascade
    # here, in Python, after locking what they delete (`entity_delete`).
    datastream = models.ForeignKey(
        Datastream, models.CASCADE, related_name="observations", db_index=False, db_constraint=False
    )
    feature_of_interest = models.ForeignKey(
        FeatureOfInterest, models.CASCADE, related_name="observations", db_constraint=False
    )
    phenomenon_time = models.DateTimeField()
    phenomenon_time_end = models.DateTimeField(null=True, blank=True)
    result_time = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True)
    result_number = models.FloatField(null=True, blank=True)
    result_quality = models.JSONField(null=True, blank=True)
    valid_start = models.DateTimeField(null=True, blank=True)
    valid_end = models.DateTimeField(null=True, blank=True)
    parameters = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("số liệu quan trắc")
        verbose_name_plural = _("số liệu quan trắc")
        indexes = [models.Index(fields=["datastream", "phenomenon_time"], name="sensors_obs_ds_time")]

    def __str__(self) -> str:
        return f"{self.datastream_id} @ {self.phenomenon_time:%Y-%m-%d %H:%M}"


class ObservationReceipt(models.Model):
    """R5.5 (MQTT exactly-once, docs/decisions/0007 "Duplicate window"): the key of an observation stored from an
    MQTT message, a digest of (Datastream, phenomenonTime, result and the rest of its fields). A message
    redelivered after its batch committed but before its PUBACK left finds its key here and is not stored twice.
    Kept `RECEIPT_DAYS` (longer than the bridge's session expiry, after which the broker drops the message)."""

    key = models.CharField(max_length=32, primary_key=True)
    received_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("dấu nhận số liệu MQTT")
        verbose_name_plural = _("dấu nhận số liệu MQTT")

    def __str__(self) -> str:
        return self.key


class BrokerCredential(models.Model):
    """R5.5 (SensorThings MQTT extension): an information system's MQTT login. The password is shown once when
    issued; only Mosquitto's PBKDF2-SHA512 hash (`$7$`, the password file's format) is stored.
    `./manage.py mqtt_sync_acl` writes these into the broker's password file and ACL."""

    system = models.OneToOneField(
        "agencies.InformationSystem", models.CASCADE, related_name="broker_credential", verbose_name=_("hệ thống")
    )
    password_hash = models.CharField(max_length=200)
    issued_at = models.DateTimeField(_("thời điểm cấp"))
    issued_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+", verbose_name=_("người cấp"))

    class Meta:
        verbose_name = _("tài khoản MQTT của hệ thống")
        verbose_name_plural = _("tài khoản MQTT của hệ thống")

    def __str__(self) -> str:
        return self.system.code


# --- alert rules (R4.1, R5.5) ----------------------------------------------------------------------------------


class AlertRule(models.Model):
    """R4.1, R5.5: a rule on an observed property, over chosen Datastreams, an area (a unit's boundary in `unit`,
    or a point and radius or drawn polygon in `area`, stored as the map selection takes it) or every matching
    Datastream: a raise condition and a separate clear condition (hysteresis), a *for* duration and/or
    a repeat count, a severity on the shared scale, a *no data* rule and labels. With `window_seconds` the
    conditions judge a rolling aggregate (`aggregate`: sum, mean or max) of the readings in that window — the
    24-hour rain total — instead of each reading. Written by `services.rules`."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    observed_property = models.CharField(_("đại lượng"), max_length=40)
    datastreams = models.ManyToManyField(Datastream, related_name="alert_rules", blank=True)
    unit = models.ForeignKey(
        "geo.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("khu vực")
    )
    # {} (none), {"point": [lat, lon], "radius_m": n} or {"geometry": GeoJSON}: checked by `rule_areas.area_parse`.
    area = models.JSONField(_("vùng theo dõi"), default=dict, blank=True)
    kind = models.CharField(_("loại cảnh báo"), max_length=60)
    severity = models.PositiveSmallIntegerField(_("mức độ"))
    raise_op = models.CharField(_("điều kiện báo"), max_length=2)
    raise_value = models.FloatField(_("ngưỡng báo"))
    clear_op = models.CharField(_("điều kiện hết"), max_length=2)
    clear_value = models.FloatField(_("ngưỡng hết"))
    for_seconds = models.PositiveIntegerField(_("kéo dài (giây)"), default=0)
    repeat_count = models.PositiveIntegerField(_("số lần liên tiếp"), default=1)
    no_data_intervals = models.PositiveIntegerField(_("mất số liệu sau (số chu kỳ)"), default=0)
    expected_interval_seconds = models.PositiveIntegerField(_("chu kỳ gửi số liệu (giây)"), default=900)
    window_seconds = models.PositiveIntegerField(_("cửa sổ tính gộp (giây, 0: từng số đo)"), default=0)
    aggregate = models.CharField(_("cách tính gộp"), max_length=4, default="sum")
    labels = models.JSONField(_("nhãn"), default=dict, blank=True)
    standard = models.CharField(_("theo tiêu chuẩn"), max_length=60, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("lúc tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("lúc sửa"), auto_now=True)

    class Meta:
        verbose_name = _("quy tắc cảnh báo")
        verbose_name_plural = _("quy tắc cảnh báo")

    def __str__(self) -> str:
        return self.name

    @property
    def aggregate_label(self) -> str:
        """How the window is reduced, as a page shows it (Vietnamese first)."""
        return str(AGGREGATE_LABELS.get(self.aggregate, self.aggregate))


class RuleState(models.Model):
    """R4.1: the state of one rule on one source (a Datastream): pending → firing → resolved, at most one open
    (pending or firing) per pair. `due_at` is when a pending *for* timer fires (the sweep selects by it)."""

    rule = models.ForeignKey(AlertRule, models.CASCADE, related_name="states")
    datastream = models.ForeignKey(Datastream, models.CASCADE, related_name="rule_states")
    state = models.CharField(_("trạng thái"), max_length=10)
    reason = models.CharField(_("lý do"), max_length=10, default="threshold")
    started_at = models.DateTimeField(_("bắt đầu"))
    matches = models.PositiveIntegerField(default=1)
    last_value = models.FloatField(null=True, blank=True)
    last_time = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    fired_at = models.DateTimeField(_("lúc báo"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("lúc hết"), null=True, blank=True)
    silenced = models.BooleanField(_("đang tắt tiếng"), default=False)
    alert_raised = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("trạng thái quy tắc")
        verbose_name_plural = _("trạng thái quy tắc")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "datastream"],
                condition=models.Q(state__in=["pending", "firing"]),
                name="sensors_rulestate_one_open",
                violation_error_message=_("Mỗi quy tắc chỉ có một trạng thái mở trên một nguồn"),
            )
        ]
        indexes = [models.Index(fields=["state", "due_at"], name="sensors_rulestate_due")]

    def __str__(self) -> str:
        return f"{self.rule_id}/{self.datastream_id}: {self.state}"


class Silence(models.Model):
    """R4.1: a silence (or a planned maintenance window) of alert rules: label matchers, a window, its author and
    reason. Rule states keep moving while silenced; only the hand-off to the alert inbox waits. A recurring window
    (`daily_start`–`daily_end`, Asia/Ho_Chi_Minh wall time, on `weekdays` — Monday 0 … Sunday 6; none: every day;
    an end at or before the start runs past midnight) mutes only inside its slots, between `starts_at` and
    `ends_at`."""

    kind = models.CharField(_("loại"), max_length=12, default="silence")
    matchers = models.JSONField(_("điều kiện nhãn"))
    starts_at = models.DateTimeField(_("từ"))
    ends_at = models.DateTimeField(_("đến"))
    weekdays = models.JSONField(_("các ngày trong tuần"), default=list, blank=True)
    daily_start = models.TimeField(_("hằng ngày từ"), null=True, blank=True)
    daily_end = models.TimeField(_("hằng ngày đến"), null=True, blank=True)
    reason = models.TextField(_("lý do"))
    author = models.ForeignKey("accounts.User", models.PROTECT, related_name="+", verbose_name=_("người tạo"))
    created_at = models.DateTimeField(_("lúc tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("tắt tiếng cảnh báo")
        verbose_name_plural = _("tắt tiếng cảnh báo")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="sensors_silence_window",
                violation_error_message=_("Thời điểm kết thúc phải sau thời điểm bắt đầu"),
            ),
            models.CheckConstraint(
                condition=models.Q(daily_start__isnull=True, daily_end__isnull=True)
                | models.Q(daily_start__isnull=False, daily_end__isnull=False),
                name="sensors_silence_daily_pair",
                violation_error_message=_("Khung giờ hằng ngày cần cả giờ bắt đầu và giờ kết thúc"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"

    @property
    def kind_label(self) -> str:
        """The kind as a page shows it, Vietnamese first (the stored code is an English word)."""
        return str(SILENCE_KIND_LABELS.get(self.kind, self.kind))

    @property
    def weekday_names(self) -> str:
        """The recurring window's days as written in Vietnamese (T2 … CN)."""
        names = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")
        return ", ".join(names[d] for d in self.weekdays if isinstance(d, int) and 0 <= d <= 6)


# --- cameras (R5.2) --------------------------------------------------------------------------------------------


class Camera(models.Model):
    """R5.2: a camera in the registry: its place (2025 commune, 0.01° grid cell), direction, stream and snapshot
    URLs, owner agency, sensitivity (internal by default), status, last seen and expected heartbeat; flagged
    silent when nothing came for longer than its heartbeat. Written by `services.cameras`."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="cameras", verbose_name=_("cơ quan"))
    lat = models.FloatField(_("vĩ độ"))
    lon = models.FloatField(_("kinh độ"))
    unit = models.ForeignKey("geo.AdminUnit", models.PROTECT, related_name="+", verbose_name=_("xã, phường"))
    grid_cell = models.CharField(max_length=16, db_index=True)
    direction = models.PositiveSmallIntegerField(_("hướng (độ)"), null=True, blank=True)
    stream_url = models.CharField(_("địa chỉ luồng hình"), max_length=500, blank=True)
    snapshot_url = models.URLField(_("địa chỉ ảnh chụp"), max_length=500, blank=True)
    sensitivity = models.CharField(
        _("mức công khai"), max_length=12, choices=Sensitivity.choices, default=Sensitivity.INTERNAL
    )
    status = models.CharField(_("trạng thái"), max_length=12, default="active")
    heartbeat_seconds = models.PositiveIntegerField(_("chu kỳ tín hiệu (giây)"), default=300)
    last_seen_at = models.DateTimeField(_("tín hiệu gần nhất"), null=True, blank=True)
    silent_since = models.DateTimeField(_("mất tín hiệu từ"), null=True, blank=True)
    created_at = models.DateTimeField(_("lúc tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("camera")
        verbose_name_plural = _("camera")
        indexes = [models.Index(fields=["lat", "lon"], name="sensors_camera_latlon")]

    def __str__(self) -> str:
        return self.name


class CameraEvent(models.Model):
    """R5.2: an analytics event of a camera (crowd, accident, wrong way…); repeats of the same camera and type
    within the type's cooldown are merged into one (count, last time, highest confidence)."""

    camera = models.ForeignKey(Camera, models.CASCADE, related_name="events")
    event_type = models.CharField(_("loại sự kiện"), max_length=30)
    first_at = models.DateTimeField(_("lúc đầu"))
    last_at = models.DateTimeField(_("lúc cuối"))
    confidence = models.FloatField(_("độ tin cậy"))
    count = models.PositiveIntegerField(_("số lần"), default=1)
    snapshot_url = models.URLField(_("ảnh chụp"), max_length=500, blank=True)
    alert_raised = models.BooleanField(_("đã báo"), default=False)
    received_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("sự kiện camera")
        verbose_name_plural = _("sự kiện camera")
        indexes = [models.Index(fields=["camera", "event_type", "last_at"], name="sensors_camevent_merge")]

    def __str__(self) -> str:
        return f"{self.camera_id} {self.event_type} @ {self.first_at:%Y-%m-%d %H:%M}"
