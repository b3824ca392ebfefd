"""Reference data of the alert rules (R4.1, R5.5): the observed properties a rule may watch, the bands a latest
value falls into (label, colour, text), and the ready rules from national standards, as data.

Sources: VN_AQI bands and the PM2.5/PM10 breakpoints of Decision 1459/QĐ-TCMT (2019); heat levels of Decision
18/2021/QĐ-TTg (nắng nóng ≥ 35 °C, gay gắt ≥ 37 °C, đặc biệt gay gắt ≥ 39 °C); rain intensity of the same
decision (mưa to 16–50 mm, mưa rất to > 50 mm per 24 h: the rules judge the rolling 24-hour total of a gauge's
readings, `window_seconds`, in the batch and in the sweep as old readings leave the window); flood alarm
levels I–III are set per gauge (`Datastream.properties.alarm_levels`, three numbers in the stream's unit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ioc.common.text import fold


@dataclass(frozen=True)
class Property:
    """An observed property a rule may watch: matched by its definition URI or its (folded) name."""

    key: str
    label: Promise
    definitions: tuple[str, ...]
    names: tuple[str, ...]


PROPERTIES: dict[str, Property] = {
    p.key: p
    for p in (
        Property(
            "pm25",
            _("Bụi PM2.5"),
            ("http://vocab.nerc.ac.uk/collection/P01/current/PM25/",),
            ("pm2.5", "pm25", "bui pm2.5"),
        ),
        Property(
            "pm10", _("Bụi PM10"), ("http://vocab.nerc.ac.uk/collection/P01/current/PM10/",), ("pm10", "bui pm10")
        ),
        Property("aqi", _("Chỉ số chất lượng không khí (VN_AQI)"), (), ("aqi", "vn_aqi", "vn-aqi")),
        Property(
            "water_level",
            _("Mực nước"),
            ("http://vocab.nerc.ac.uk/collection/P01/current/WLEV/",),
            ("muc nuoc", "water level"),
        ),
        Property(
            "rainfall",
            _("Lượng mưa"),
            ("http://vocab.nerc.ac.uk/collection/P07/current/CFSN0382/",),
            ("luong mua", "rainfall"),
        ),
        Property(
            "temperature",
            _("Nhiệt độ không khí"),
            ("http://vocab.nerc.ac.uk/collection/P07/current/CFSN0023/",),
            ("nhiet do khong khi", "nhiet do", "air temperature", "temperature"),
        ),
        Property(
            "humidity",
            _("Độ ẩm không khí"),
            ("http://vocab.nerc.ac.uk/collection/P07/current/CFSN0413/",),
            ("do am khong khi", "do am", "humidity"),
        ),
        Property(
            "noise", _("Độ ồn"), ("http://vocab.nerc.ac.uk/collection/P01/current/SDBAZZ01/",), ("do on", "noise")
        ),
    )
}
PROPERTY_CHOICES = [(p.key, p.label) for p in PROPERTIES.values()]


def property_of(*, definition: str, name: str) -> str | None:
    """The catalogue key of an ObservedProperty (by definition URI, else by folded name), or None."""
    for prop in PROPERTIES.values():
        if definition in prop.definitions or fold(name).strip() in prop.names:
            return prop.key
    return None


@dataclass(frozen=True)
class Band:
    """One band of a property's values: values below `upper` (None: no upper bound)."""

    upper: float | None
    label: Promise
    colour: str
    text: Promise


AQI_BANDS = (
    Band(50, _("Tốt"), "#00e400", _("Không ảnh hưởng tới sức khỏe")),
    Band(100, _("Trung bình"), "#ffff00", _("Nhóm nhạy cảm nên hạn chế ra ngoài")),
    Band(150, _("Kém"), "#ff7e00", _("Nhóm nhạy cảm bị ảnh hưởng sức khỏe")),
    Band(200, _("Xấu"), "#ff0000", _("Mọi người bắt đầu bị ảnh hưởng sức khỏe")),
    Band(300, _("Rất xấu"), "#8f3f97", _("Cảnh báo sức khỏe: mọi người bị ảnh hưởng nghiêm trọng")),
    Band(None, _("Nguy hại"), "#7e0023", _("Cảnh báo khẩn cấp về sức khỏe")),
)


def _aqi_like(bounds: tuple[float, ...]) -> tuple[Band, ...]:
    """Concentration bands sharing the VN_AQI bands' labels (the breakpoints of Decision 1459/QĐ-TCMT)."""
    return tuple(Band(b, a.label, a.colour, a.text) for b, a in zip((*bounds, None), AQI_BANDS, strict=True))


BANDS: dict[str, tuple[Band, ...]] = {
    "aqi": AQI_BANDS,
    "pm25": _aqi_like((25, 50, 80, 150, 250)),
    "pm10": _aqi_like((50, 150, 250, 350, 420)),
    "temperature": (
        Band(35, _("Bình thường"), "#2fb344", _("Không có nắng nóng")),
        Band(37, _("Nắng nóng"), "#f59f00", _("Nhiệt độ từ 35 °C")),
        Band(39, _("Nắng nóng gay gắt"), "#f76707", _("Nhiệt độ từ 37 °C")),
        Band(None, _("Nắng nóng đặc biệt gay gắt"), "#d63939", _("Nhiệt độ từ 39 °C")),
    ),
    "rainfall": (
        Band(0.1, _("Không mưa"), "#adb5bd", _("Không có mưa")),
        Band(16, _("Mưa"), "#4299e1", _("Lượng mưa dưới 16 mm")),
        Band(50, _("Mưa to"), "#206bc4", _("Lượng mưa từ 16 đến 50 mm")),
        Band(None, _("Mưa rất to"), "#ae3ec9", _("Lượng mưa trên 50 mm")),
    ),
}
FLOOD_LABELS = (
    (_("Dưới báo động I"), "#2fb344", _("Mực nước dưới báo động I")),
    (_("Báo động I"), "#f59f00", _("Mực nước từ báo động I")),
    (_("Báo động II"), "#f76707", _("Mực nước từ báo động II")),
    (_("Báo động III"), "#d63939", _("Mực nước từ báo động III")),
)


def alarm_levels(properties: Any) -> tuple[float, float, float] | None:
    """A gauge's alarm levels I–III from its Datastream's `properties.alarm_levels` (three ascending numbers)."""
    levels = (properties or {}).get("alarm_levels") if isinstance(properties, dict) else None
    if not isinstance(levels, list | tuple) or len(levels) != 3:
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in levels):
        return None
    one, two, three = (float(v) for v in levels)
    return (one, two, three) if one < two < three else None


def bands_for(prop: str | None, properties: Any = None) -> tuple[Band, ...]:
    """The bands of a property (a gauge's own alarm levels for water levels); empty when none apply."""
    if prop == "water_level":
        levels = alarm_levels(properties)
        if levels is None:
            return ()
        uppers: tuple[float | None, ...] = (*levels, None)
        return tuple(
            Band(u, label, colour, text) for u, (label, colour, text) in zip(uppers, FLOOD_LABELS, strict=True)
        )
    return BANDS.get(prop or "", ())


# R8.1 (the reports' sensors section): how many of a property's first bands are its normal range; a reading in a
# later band is "out of band". VN_AQI and the PM concentrations: "Tốt" and "Trung bình" (the ready rules raise
# above them, "VN_AQI > 100"); heat: below 35 °C; a river gauge: below its alarm level I. Rainfall has none: a
# single reading is not judged (the rain rules judge the 24-hour total, so rain shows in the rule firings).
NORMAL_BANDS = {"aqi": 2, "pm25": 2, "pm10": 2, "temperature": 1, "water_level": 1}


def normal_upper(prop: str | None, properties: Any = None) -> float | None:
    """R8.1: the value from which a reading of the property is out of its normal band (None: never judged)."""
    normal = NORMAL_BANDS.get(prop or "")
    bands = bands_for(prop, properties)
    if normal is None or len(bands) <= normal:
        return None
    return bands[normal - 1].upper


def band_of(value: float | None, bands: tuple[Band, ...]) -> dict[str, str] | None:
    """R5.5: the band a value falls into, as {label, colour, text}; None without a value or bands."""
    if value is None or not bands:
        return None
    for band in bands:
        if band.upper is None or value < band.upper:
            return {"label": str(band.label), "colour": band.colour, "text": str(band.text)}
    return None


@dataclass(frozen=True)
class ReadyRule:
    """A rule from a national standard: raise above `raise_value`, clear at or below `clear_value`."""

    code: str
    name: str
    prop: str
    kind: str
    severity: int
    raise_value: float
    clear_value: float
    for_seconds: int
    standard: str
    raise_op: str = ">"
    window_seconds: int = 0  # > 0: judge the rolling sum of that window (the 24-hour rain total)


DAY = 86400
AGGREGATES = ("sum", "mean", "max")  # how a rule's window is reduced to the value its conditions judge
AGGREGATE_LABELS = {"sum": _("Tổng / Sum"), "mean": _("Trung bình / Mean"), "max": _("Lớn nhất / Max")}
READY_RULES = (
    ReadyRule("vn-aqi-pm25-kem", "PM2.5 mức Kém (VN_AQI > 100)", "pm25", "env.air_quality", 3, 50, 40, 3600, "VN_AQI"),
    ReadyRule("vn-aqi-pm25-xau", "PM2.5 mức Xấu (VN_AQI > 150)", "pm25", "env.air_quality", 4, 80, 65, 3600, "VN_AQI"),
    ReadyRule("vn-aqi-pm10-kem", "PM10 mức Kém (VN_AQI > 100)", "pm10", "env.air_quality", 3, 150, 130, 3600, "VN_AQI"),
    ReadyRule(
        "nang-nong", "Nắng nóng (≥ 35 °C)", "temperature", "env.heat", 2, 35, 34, 1800, "QĐ 18/2021/QĐ-TTg", ">="
    ),
    ReadyRule(
        "nang-nong-gay-gat",
        "Nắng nóng gay gắt (≥ 37 °C)",
        "temperature",
        "env.heat",
        3,
        37,
        36,
        1800,
        "QĐ 18/2021/QĐ-TTg",
        ">=",
    ),
    ReadyRule(
        "mua-to", "Mưa to (≥ 16 mm/24 giờ)", "rainfall", "env.heavy_rain", 3, 16, 5, 0, "QĐ 18/2021/QĐ-TTg", ">=", DAY
    ),
    ReadyRule(
        "mua-rat-to",
        "Mưa rất to (> 50 mm/24 giờ)",
        "rainfall",
        "env.heavy_rain",
        4,
        50,
        16,
        0,
        "QĐ 18/2021/QĐ-TTg",
        ">",
        DAY,
    ),
)
# Flood alarm levels I–III: severities 3, 4, 5; cleared 0.1 of the gauge's unit below the level.
FLOOD_SEVERITIES = (3, 4, 5)
FLOOD_CLEAR_MARGIN = 0.1
