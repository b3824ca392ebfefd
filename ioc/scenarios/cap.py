"""CAP 1.2 documents and the Atom index of public warnings (R5.5), built with lxml and valid against the OASIS
schema shipped in `cap/CAP-v1.2-schema.xsd` (validated offline in the tests and by `cap_validate`)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from lxml import etree

from ioc.common.choices import SEVERITY_TO_CAP, Severity
from ioc.scenarios.models import PublicWarning

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"
SCHEMA_PATH = Path(__file__).resolve().parent / "cap" / "CAP-v1.2-schema.xsd"
LOCAL_TZ = dt.timezone(dt.timedelta(hours=7))


def cap_time(moment: dt.datetime) -> str:
    """CAP's dateTime: seconds and a numeric offset (Asia/Ho_Chi_Minh, +07:00), never "Z"."""
    return moment.astimezone(LOCAL_TZ).replace(microsecond=0).isoformat()


def sender() -> str:
    return f"ioc.{settings.IOC_PROFILE}"


def reference_of(warning: PublicWarning) -> str:
    """CAP <references> entry: sender,identifier,sent."""
    return f"{sender()},{warning.identifier},{cap_time(warning.sent_at or warning.created_at)}"


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{CAP_NS}}}{name}")
    if text is not None:
        element.text = text
    return element


def _polygons(geojson: dict[str, Any] | None) -> list[str]:
    """CAP polygons ("lat,lon lat,lon …", closed) of a GeoJSON Polygon or MultiPolygon (outer rings)."""
    if not geojson:
        return []
    rings = [geojson["coordinates"][0]] if geojson.get("type") == "Polygon" else []
    if geojson.get("type") == "MultiPolygon":
        rings = [polygon[0] for polygon in geojson["coordinates"]]
    return [" ".join(f"{float(lat):.5f},{float(lon):.5f}" for lon, lat, *_ in ring) for ring in rings if len(ring) >= 4]


def _info(alert: etree._Element, warning: PublicWarning, language: str, web: str) -> None:
    english = language == "en-US"
    info = _sub(alert, "info")
    _sub(info, "language", language)
    _sub(info, "category", warning.category)
    _sub(info, "event", warning.event)
    _sub(info, "urgency", warning.urgency)
    _sub(info, "severity", SEVERITY_TO_CAP[Severity(warning.severity)])
    _sub(info, "certainty", warning.certainty)
    _sub(info, "onset", cap_time(warning.onset))
    _sub(info, "expires", cap_time(warning.expires))
    _sub(info, "senderName", "IOC")
    _sub(info, "headline", warning.headline_en if english else warning.headline_vi)
    _sub(info, "description", warning.description_en if english else warning.description_vi)
    _sub(info, "instruction", (warning.instruction_en if english else warning.instruction_vi) or None)
    _sub(info, "web", web)
    area = _sub(info, "area")
    _sub(area, "areaDesc", warning.area_desc)
    for polygon in _polygons(warning.area_geojson):
        _sub(area, "polygon", polygon)
    for code in warning.unit_codes:
        geocode = _sub(area, "geocode")
        _sub(geocode, "valueName", "VN-2025-commune")
        _sub(geocode, "value", str(code))


def cap_document(warning: PublicWarning, *, web: str) -> bytes:
    """The CAP 1.2 <alert> of a published warning: Vietnamese <info>, and English when its text is given."""
    alert = etree.Element(f"{{{CAP_NS}}}alert", nsmap={None: CAP_NS})  # type: ignore[dict-item]
    _sub(alert, "identifier", warning.identifier)
    _sub(alert, "sender", sender())
    _sub(alert, "sent", cap_time(warning.sent_at or warning.created_at))
    _sub(alert, "status", "Actual")
    _sub(alert, "msgType", warning.msg_type)
    _sub(alert, "scope", "Public")
    if warning.note and warning.msg_type == "Cancel":
        _sub(alert, "note", warning.note)
    chain = []
    original = warning.references
    while original is not None:
        chain.append(reference_of(original))
        original = original.references
    if chain:
        _sub(alert, "references", " ".join(reversed(chain)))
    _info(alert, warning, "vi-VN", web)
    if warning.headline_en and warning.description_en:
        _info(alert, warning, "en-US", web)
    for empty in alert.iter(f"{{{CAP_NS}}}instruction"):
        if not empty.text:
            empty.getparent().remove(empty)  # type: ignore[union-attr]
    return etree.tostring(alert, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@cache
def cap_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def cap_errors(document: bytes) -> list[str]:
    """Why a document is not valid CAP 1.2 ([] when it is)."""
    schema = cap_schema()
    if schema.validate(etree.fromstring(document)):
        return []
    return [f"{e.line}: {e.message}" for e in list(schema.error_log)]  # type: ignore[call-overload]


def _atom(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM_NS}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def atom_index(warnings: list[PublicWarning], *, self_url: str, site_url: str, cap_url: Any, page_url: Any) -> bytes:
    """R5.5: the Atom index of the latest warnings, one entry per CAP message (`cap_url(w)`, `page_url(w)`)."""
    feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})  # type: ignore[dict-item]
    _atom(feed, "id", self_url)
    _atom(feed, "title", "Cảnh báo công khai — IOC")
    newest = max((w.sent_at for w in warnings if w.sent_at), default=None)
    _atom(feed, "updated", cap_time(newest or dt.datetime(2025, 1, 1, tzinfo=dt.UTC)))
    _atom(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    _atom(feed, "link", rel="alternate", href=site_url, type="text/html")
    author = _atom(feed, "author")
    _atom(author, "name", "IOC")
    for warning in warnings:
        entry = _atom(feed, "entry")
        _atom(entry, "id", f"urn:cap:{sender()}:{warning.identifier}")
        _atom(entry, "title", warning.headline_vi)
        _atom(entry, "updated", cap_time(warning.sent_at or warning.created_at))
        _atom(entry, "summary", f"{warning.msg_type}: {warning.area_desc}")
        _atom(entry, "link", rel="alternate", href=cap_url(warning), type="application/cap+xml")
        _atom(entry, "link", rel="related", href=page_url(warning), type="text/html")
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)
