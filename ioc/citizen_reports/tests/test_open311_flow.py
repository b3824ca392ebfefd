"""A third-party client's whole flow over Open311 (R3.1, R3.3, R3.4): discover, list services, read the
definition, POST a report with a photo, follow it by id, find it in the lists by date and status while the IOC
and the agency handle it, until it is closed with the published answer — in XML like FixMyStreet, and JSON."""

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.citizen_reports.models import Report
from ioc.citizen_reports.tests.test_open311_support import (
    Open311Mixin,
    jpeg,
    parse_json,
    parse_xml,
    xml_requests,
)


class ThirdPartyClientFlowTest(Open311Mixin, TestCase):
    def find(self, fmt, **query):
        response = self.get(f"requests.{fmt}", **query)
        self.assertEqual(response.status_code, 200, response.content)
        items = parse_json(response) if fmt == "json" else xml_requests(parse_xml(response))
        return {item["service_request_id"]: item for item in items}

    def test_it_follows_a_report_from_post_to_published_in_xml_and_json(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        # Discovery, then the services and the definition, as a client configures itself.
        root = parse_xml(self.get("discovery.xml"))
        base = root.findtext("endpoints/endpoint/url")
        self.assertEqual(base, "http://testserver/open311/v2")
        codes = [s.findtext("service_code") for s in parse_xml(self.get("services.xml")).findall("service")]
        self.assertIn("o311-road", codes)
        definition = parse_xml(self.get("services/o311-road.xml"))
        self.assertIn("consent_share", [a.findtext("code") for a in definition.findall("attributes/attribute")])

        # POST (multipart with a photo), as FixMyStreet does, answered in XML.
        before = timezone.now() - dt.timedelta(seconds=1)
        upload = SimpleUploadedFile("IMG_1.jpg", jpeg(), "image/jpeg")
        response = self.post_request(
            "xml",
            multipart=True,
            media=upload,
            description="Cây xanh gãy đổ chắn lối đi",
            **{"attribute[consent_share]": "true"},
        )
        code = self.created_code(response, "xml")

        # GET by id, in both formats: open, received, Vietnamese intact.
        [item] = xml_requests(parse_xml(self.get(f"requests/{code}.xml")))
        self.assertEqual((item["status"], item["status_notes"]), ("open", "Đã tiếp nhận"))
        self.assertEqual(item["description"], "Cây xanh gãy đổ chắn lối đi")
        [item] = parse_json(self.get(f"requests/{code}.json"))
        self.assertEqual(item["description"], "Cây xanh gãy đổ chắn lối đi")
        self.assertIsNone(item["agency_responsible"])

        # The lists by date and status.
        window = {"start_date": before.isoformat(), "end_date": (timezone.now() + dt.timedelta(minutes=1)).isoformat()}
        self.assertIn(code, self.find("json", status="open", **window))
        self.assertNotIn(code, self.find("xml", status="closed", **window))
        self.assertNotIn(code, self.find("json", end_date=(before - dt.timedelta(days=1)).isoformat()))

        # The IOC verifies and forwards: the agency and the expected time appear.
        report = self.forward(Report.objects.get(tracking_code=code))
        item = self.find("json", service_request_id=code)[code]
        self.assertEqual(item["status_notes"], "Đã chuyển cơ quan xử lý")
        self.assertEqual(item["agency_responsible"], "Sở Thử nghiệm A")
        self.assertTrue(item["expected_datetime"].endswith("+07:00"))

        # The agency resolves, the IOC publishes: closed, the answer in status_notes, the public photo.
        self.publish(report, result="Đã cắt tỉa, dọn cây đổ.")
        item = self.find("xml", status="closed", **window)[code]
        self.assertEqual(item["status_notes"], "Đã công khai kết quả: Đã cắt tỉa, dọn cây đổ.")
        self.assertTrue(item["media_url"].startswith("http://testserver/phan-anh/anh/"))
        self.assertTrue(item["updated_datetime"].endswith("+07:00"))
        self.assertNotIn(code, self.find("json", status="open", **window))
        self.assertEqual(self.client.get(item["media_url"]).status_code, 200)
