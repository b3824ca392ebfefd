"""Shared helpers of the data hub's tests."""

from __future__ import annotations

import shapely

from ioc.geo.models import AdminUnit

COMMUNE = "11953"


def point_in(code: str = COMMUNE) -> tuple[float, float]:
    """A point surely inside a commune (its representative point), as (lat, lon)."""
    p = shapely.from_geojson(AdminUnit.objects.get(hierarchy="2025", code=code).geometry).representative_point()
    return p.y, p.x


def facility(code: str = "CS01", **changes: object) -> dict[str, object]:
    """One valid row of the facilities schema (JSON), with changes."""
    lat, lon = point_in()
    row: dict[str, object] = {
        "ma_co_so": code,
        "ten_co_so": "Trạm y tế xã",
        "loai": "tram_y_te",
        "ma_xa": COMMUNE,
        "so_giuong": 10,
        "cong_suat": 75.5,
        "ngay_cap_nhat": "2025-07-01",
        "vi_do": lat,
        "kinh_do": lon,
    }
    row.update(changes)
    return row


FACILITY_HEADER = "Mã cơ sở;Tên cơ sở;Loại cơ sở;Mã xã;Số giường bệnh;Công suất sử dụng (%);Ngày cập nhật;Vĩ độ;Kinh độ"


def facility_line(code: str = "CS01", *, name: str = "Trạm y tế xã", beds: str = "1.234", rate: str = "75,5") -> str:
    """One office-style CSV line (semicolons, dot thousands, decimal comma, dd/mm/yyyy)."""
    lat, lon = point_in()
    lat_text, lon_text = f"{lat:.6f}".replace(".", ","), f"{lon:.6f}".replace(".", ",")
    return f"{code};{name};tram_y_te;{COMMUNE};{beds};{rate};01/07/2025;{lat_text};{lon_text}"


def to_cp1258(text: str) -> bytes:
    """Vietnamese text as Windows-1258 bytes (base letters with â ă ê ô ơ ư đ precomposed, tones combining)."""
    import unicodedata

    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        vowel_marks = "".join(m for m in parts[1:] if m in "\u0302\u0306\u031b")
        tones = "".join(m for m in parts[1:] if m not in vowel_marks)
        out += unicodedata.normalize("NFC", parts[0] + vowel_marks).encode("cp1258") + tones.encode("cp1258")
    return bytes(out)
