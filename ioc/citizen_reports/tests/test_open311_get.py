"""GET requests, requests/{id} and tokens/{token}: public fields only, filters, paging, the spec's shapes."""

import datetime as dt
import re

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ioc.citizen_reports import services
from ioc.citizen_reports.models import Report
from ioc.citizen_reports.tests.test_open311_support import (
    CANARY_EMAIL,
    CANARY_NAME,
    CANARY_PHONE,
    DESCRIPTION,
    Open311Mixin,
    errors_of,
    jpeg,
    parse_json,
    parse_xml,
    xml_requests,
)

REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
ISO_LOCAL = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")


def backdate(report: Report, days: float) -> Report:
    Report.objects.filter(pk=report.pk).update(received_at=timezone.now() - dt.timedelta(days=days))
    report.refresh_from_db()
    return report


class RequestShapeTest(Open311Mixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.report = services.report_receive(
            channel="web",
            category=cls.road,
            description=f"{DESCRIPTION}. Gọi tôi: {CANARY_PHONE} hoặc {CANARY_EMAIL}",
            address="Thôn Đông, gần cổng chợ",
            unit="11953",
            contact=services.ContactInput(
                name=f"Nguyễn {CANARY_NAME}", phone=CANARY_PHONE, email=CANARY_EMAIL, consent_processing=True
            ),
        ).report

    def test_it_gives_every_spec_field_in_json_with_ids_as_strings(self):
        body = parse_json(self.get("requests.json"))
        self.assertIsInstance(body, list)
        [item] = body
        self.assertEqual(list(item), REQUEST_FIELDS)
        self.assertEqual(item["service_request_id"], self.report.tracking_code)
        self.assertIsInstance(item["service_request_id"], str)
        self.assertEqual(item["address_id"], "11953")
        self.assertEqual(item["status"], "open")
        self.assertEqual(item["status_notes"], "Đã tiếp nhận")
        self.assertEqual(item["service_code"], "o311-road")
        self.assertEqual(item["service_name"], "Đường hư hỏng, ổ gà")
        self.assertTrue(item["description"].startswith(DESCRIPTION))
        self.assertRegex(item["requested_datetime"], ISO_LOCAL)
        self.assertRegex(item["updated_datetime"], ISO_LOCAL)
        self.assertIsNone(item["media_url"])

    def test_it_gives_every_spec_field_in_xml(self):
        root = parse_xml(self.get("requests.xml"))
        [item] = xml_requests(root)
        self.assertEqual(list(item), REQUEST_FIELDS)
        self.assertTrue(item["description"].startswith(DESCRIPTION))
        self.assertEqual(item["status"], "open")
        self.assertRegex(item["requested_datetime"], ISO_LOCAL)

    def test_it_shows_no_personal_data_in_any_get(self):
        paths = [
            "requests.json",
            "requests.xml",
            f"requests/{self.report.tracking_code}.json",
            f"requests/{self.report.tracking_code}.xml",
            f"tokens/{self.report.tracking_code}.json",
            f"tokens/{self.report.tracking_code}.xml",
            "services.json",
            "services.xml",
        ]
        for path in paths:
            with self.subTest(path=path):
                response = self.get(path)
                self.assertEqual(response.status_code, 200)
                text = response.content.decode("utf-8")
                self.assertNotIn("canary.invalid", text)
                self.assertNotIn("0900000", text)
                self.assertNotIn(CANARY_NAME, text)

    def test_it_finds_one_request_by_id_as_an_array_of_one(self):
        for fmt in ("json", "xml"):
            response = self.get(f"requests/{self.report.tracking_code}.{fmt}")
            items = parse_json(response) if fmt == "json" else xml_requests(parse_xml(response))
            self.assertEqual([i["service_request_id"] for i in items], [self.report.tracking_code])

    def test_it_answers_404_for_an_unknown_id(self):
        for fmt in ("json", "xml"):
            response = self.get(f"requests/ZZZZZZZZZZ.{fmt}")
            self.assertEqual(response.status_code, 404)
            self.assertEqual(errors_of(response, fmt)[0][0], 404)

    def test_it_hides_spam_everywhere(self):
        services.report_mark_spam(report=self.report, actor=self.operator, reason="Quảng cáo")
        self.assertEqual(parse_json(self.get("requests.json")), [])
        code = self.report.tracking_code
        self.assertEqual(self.get(f"requests/{code}.json").status_code, 404)
        self.assertEqual(self.get(f"tokens/{code}.xml").status_code, 404)
        self.assertEqual(parse_json(self.get("requests.json", service_request_id=code)), [])

    def test_it_answers_the_token_flow_with_the_request_id(self):
        code = self.report.tracking_code
        self.assertEqual(parse_json(self.get(f"tokens/{code}.json")), [{"service_request_id": code, "token": code}])
        [item] = xml_requests(parse_xml(self.get(f"tokens/{code}.xml")))
        self.assertEqual(item, {"service_request_id": code, "token": code})
        self.assertEqual(self.get("tokens/NOPE.json").status_code, 404)

    def test_it_gives_iso_8601_times_with_the_vietnam_offset(self):
        moment = dt.datetime(2025, 7, 10, 1, 30, tzinfo=dt.UTC)
        Report.objects.filter(pk=self.report.pk).update(received_at=moment)
        body = parse_json(self.get("requests.json", start_date="2025-07-01", end_date="2025-07-20"))
        self.assertEqual(body[0]["requested_datetime"], "2025-07-10T08:30:00+07:00")


class RequestStatusTest(Open311Mixin, TestCase):
    def test_it_closes_rejected_reports_with_the_public_reason(self):
        report = self.receive()
        services.report_reject(report=report, actor=self.operator, reason="Ngoài phạm vi; liên hệ 0912345678")
        [item] = parse_json(self.get(f"requests/{report.tracking_code}.json"))
        self.assertEqual(item["status"], "closed")
        self.assertTrue(item["status_notes"].startswith("Không tiếp nhận: Ngoài phạm vi"))
        self.assertNotIn("0912345678", item["status_notes"])
        report.refresh_from_db()
        self.assertEqual(
            item["updated_datetime"],
            report.closed_at.astimezone(dt.timezone(dt.timedelta(hours=7))).isoformat(timespec="seconds"),
        )

    def test_it_closes_a_duplicate_naming_the_original(self):
        original, duplicate = self.receive(), self.receive()
        services.report_mark_duplicate(report=duplicate, original=original, actor=self.operator)
        [item] = parse_json(self.get(f"requests/{duplicate.tracking_code}.json"))
        self.assertEqual(item["status"], "closed")
        self.assertEqual(item["status_notes"], f"Trùng phản ánh khác: {original.tracking_code}")

    def test_it_shows_the_agency_deadline_answer_and_public_photo_once_published(self):
        from ioc.common.images import image_clean

        report = self.receive(photos=[image_clean(jpeg())])
        report = self.forward(report)
        [forwarded] = parse_json(self.get(f"requests/{report.tracking_code}.json"))
        self.assertEqual(forwarded["status"], "open")
        self.assertEqual(forwarded["agency_responsible"], "Sở Thử nghiệm A")
        self.assertRegex(forwarded["expected_datetime"], ISO_LOCAL)
        self.assertIsNone(forwarded["media_url"])
        report = self.publish(report, result="Đã vá ổ gà, liên hệ a@b.vn")
        [item] = parse_json(self.get(f"requests/{report.tracking_code}.json"))
        self.assertEqual(item["status"], "closed")
        self.assertTrue(item["status_notes"].startswith("Đã công khai kết quả: Đã vá ổ gà"))
        self.assertNotIn("a@b.vn", item["status_notes"])
        self.assertRegex(item["media_url"], r"^http://testserver/phan-anh/anh/\d+/$")
        photo = self.client.get(item["media_url"])
        self.assertEqual(photo.status_code, 200)
        self.assertEqual(photo["Content-Type"], "image/jpeg")


class RequestFilterTest(Open311Mixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.recent_road = cls.receive(cls, category=cls.road)
        cls.recent_light = cls.receive(cls, category=cls.light)
        cls.old_road = backdate(cls.receive(cls, category=cls.road), 120)
        cls.rejected = cls.receive(cls, category=cls.light)
        services.report_reject(report=cls.rejected, actor=cls.operator, reason="Không thuộc thẩm quyền")

    def ids(self, **query):
        response = self.get("requests.json", **query)
        self.assertEqual(response.status_code, 200, response.content)
        return {item["service_request_id"] for item in parse_json(response)}

    def test_it_defaults_to_the_last_90_days(self):
        self.assertEqual(
            self.ids(),
            {self.recent_road.tracking_code, self.recent_light.tracking_code, self.rejected.tracking_code},
        )

    def test_it_filters_by_service_code_list(self):
        self.assertEqual(self.ids(service_code="o311-road"), {self.recent_road.tracking_code})
        self.assertEqual(len(self.ids(service_code="o311-road,o311-light")), 3)

    def test_it_filters_by_status(self):
        self.assertEqual(self.ids(status="closed"), {self.rejected.tracking_code})
        self.assertEqual(self.ids(status="open"), {self.recent_road.tracking_code, self.recent_light.tracking_code})
        self.assertEqual(len(self.ids(status="open,closed")), 3)

    def test_it_filters_by_dates(self):
        start = (timezone.now() - dt.timedelta(days=130)).isoformat()
        end = (timezone.now() - dt.timedelta(days=100)).isoformat()
        self.assertEqual(self.ids(start_date=start, end_date=end), {self.old_road.tracking_code})
        self.assertEqual(self.ids(end_date=end), {self.old_road.tracking_code})

    def test_it_reads_an_unencoded_plus_offset(self):
        start = (timezone.localtime() - dt.timedelta(days=1)).isoformat(timespec="seconds")
        self.assertEqual(len(self.ids(start_date=start.replace("+", " "))), 3)

    def test_it_lets_service_request_id_override_every_other_argument(self):
        codes = f"{self.old_road.tracking_code},{self.rejected.tracking_code.lower()}"
        self.assertEqual(
            self.ids(service_request_id=codes, status="open", service_code="nothing"),
            {self.old_road.tracking_code, self.rejected.tracking_code},
        )

    def test_it_pages_newest_first(self):
        first = parse_json(self.get("requests.json", page_size=2))
        second = parse_json(self.get("requests.json", page_size=2, page=2))
        self.assertEqual(len(first), 2)
        self.assertEqual(len(second), 1)
        self.assertEqual(first[0]["service_request_id"], self.rejected.tracking_code)
        response = self.get("requests.json", page_size=2)
        self.assertIn("page=2", response["Link"])
        self.assertNotIn("Link", self.get("requests.json", page_size=2, page=2))
        self.assertEqual(parse_json(self.get("requests.json", page=9)), [])

    def test_it_refuses_bad_filters_in_the_specs_format(self):
        cases = [
            ({"start_date": "hôm qua"}, "start_date"),
            ({"end_date": "2025-13-45"}, "end_date"),
            ({"start_date": "2025-01-01", "end_date": "2025-06-01"}, "end_date"),
            ({"start_date": "2025-06-01", "end_date": "2025-05-01"}, "end_date"),
            ({"status": "pending"}, "status"),
            ({"page_size": "201"}, "page_size"),
            ({"page_size": "0"}, "page_size"),
            ({"page": "-1"}, "page"),
        ]
        for query, argument in cases:
            for fmt in ("json", "xml"):
                with self.subTest(query=query, fmt=fmt):
                    response = self.client.get(f"/open311/v2/requests.{fmt}", query)
                    self.assertEqual(response.status_code, 400)
                    [(code, description)] = errors_of(response, fmt)
                    self.assertEqual(code, 400)
                    self.assertTrue(description.startswith(f"{argument}: "), description)

    def test_it_reads_a_page_in_three_queries(self):
        """The page's ids, its rows, their public photos: the same three whatever the page size."""
        for _i in range(5):
            self.receive()
        with CaptureQueriesContext(connection) as queries:
            body = parse_json(self.get("requests.json", page_size=50))
        self.assertEqual(len(body), 8)
        self.assertLessEqual(len(queries), 3, [q["sql"] for q in queries])
