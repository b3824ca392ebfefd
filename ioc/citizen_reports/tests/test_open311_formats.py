"""The Open311 renderers: the Spark convention, UTF-8 Vietnamese, always well-formed XML, ISO 8601 +07:00."""

import datetime as dt
import json

from defusedxml import ElementTree as SafeET
from django.test import SimpleTestCase

from ioc.citizen_reports.open311.formats import format_of, iso_datetime, render, render_errors, to_json, to_xml


class FormatsTest(SimpleTestCase):
    def test_it_makes_a_container_an_array_even_with_one_child(self):
        self.assertEqual(json.loads(to_json([{"service_code": "a"}])), [{"service_code": "a"}])
        root = SafeET.fromstring(to_xml("services", [{"service_code": "a"}]))
        self.assertEqual([s.findtext("service_code") for s in root.findall("service")], ["a"])

    def test_it_round_trips_vietnamese_in_both_formats(self):
        text = "Ngập úng sâu 40 cm ở ngõ 12 đường Trưng Trắc — xe không qua được"
        self.assertIn(text.encode("utf-8"), to_json([{"description": text}]))
        self.assertEqual(json.loads(to_json([{"description": text}]).decode("utf-8"))[0]["description"], text)
        document = to_xml("service_requests", [{"description": text}])
        self.assertTrue(document.startswith(b'<?xml version="1.0" encoding="utf-8"?>'))
        self.assertEqual(SafeET.fromstring(document).findtext("request/description"), text)

    def test_it_drops_characters_xml_forbids(self):
        document = to_xml("service_requests", [{"description": "a\x00b\x0bc\ufffed\tok"}])
        self.assertEqual(SafeET.fromstring(document).findtext("request/description"), "abcd\tok")

    def test_it_escapes_markup(self):
        document = to_xml("service_requests", [{"description": "</description><x>&"}])
        self.assertEqual(SafeET.fromstring(document).findtext("request/description"), "</description><x>&")

    def test_it_writes_booleans_none_and_numbers(self):
        root = SafeET.fromstring(to_xml("services", [{"metadata": True, "group": None, "lat": 20.65}]))
        service = root.find("service")
        self.assertEqual(service.findtext("metadata"), "true")
        self.assertIsNone(service.find("group").text)
        self.assertEqual(service.findtext("lat"), "20.65")
        self.assertEqual(
            json.loads(to_json([{"metadata": True, "group": None, "lat": 20.65}])),
            [{"metadata": True, "group": None, "lat": 20.65}],
        )

    def test_it_writes_iso_8601_with_the_vietnam_offset(self):
        self.assertEqual(
            iso_datetime(dt.datetime(2025, 12, 31, 17, 0, 5, 999, tzinfo=dt.UTC)), "2026-01-01T00:00:05+07:00"
        )
        self.assertIsNone(iso_datetime(None))

    def test_it_renders_errors_in_the_specs_shape(self):
        response = render_errors("json", 403, [(403, "api_key: Invalid")])
        self.assertEqual(response.status_code, 403)
        self.assertEqual(json.loads(response.content), [{"code": 403, "description": "api_key: Invalid"}])
        xml = render_errors("xml", 404, [(404, "không có")])
        self.assertEqual(xml["Content-Type"], "text/xml; charset=utf-8")
        root = SafeET.fromstring(xml.content)
        self.assertEqual(
            (root.tag, root.findtext("error/code"), root.findtext("error/description")), ("errors", "404", "không có")
        )

    def test_it_renders_an_object_root(self):
        response = render("json", "discovery", {"endpoints": [{"formats": ["text/xml"]}]})
        self.assertEqual(json.loads(response.content), {"endpoints": [{"formats": ["text/xml"]}]})
        root = SafeET.fromstring(render("xml", "discovery", {"endpoints": [{"formats": ["text/xml"]}]}).content)
        self.assertEqual(root.findtext("endpoints/endpoint/formats/format"), "text/xml")

    def test_it_picks_the_format_from_the_extension(self):
        self.assertEqual(format_of("/open311/v2/x.json"), "json")
        self.assertEqual(format_of("/open311/v2/x.JSON"), "json")
        self.assertEqual(format_of("/open311/v2/x"), "xml")
