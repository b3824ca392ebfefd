"""Open311 discovery, services and service definitions in XML and JSON, and the spec's 404 for anything else."""

from django.test import TestCase

from ioc.citizen_reports.tests.test_open311_support import Open311Mixin, errors_of, parse_json, parse_xml


class DiscoveryTest(Open311Mixin, TestCase):
    def test_it_describes_the_endpoint_in_json(self):
        body = parse_json(self.get("discovery.json"))
        self.assertEqual(set(body), {"changeset", "contact", "key_service", "endpoints"})
        self.assertRegex(body["changeset"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")
        (endpoint,) = body["endpoints"]
        self.assertEqual(endpoint["specification"], "http://wiki.open311.org/GeoReport_v2")
        self.assertEqual(endpoint["url"], "http://testserver/open311/v2")
        self.assertIn(endpoint["type"], {"production", "test"})
        self.assertEqual(endpoint["formats"], ["text/xml", "application/json"])

    def test_it_describes_the_endpoint_in_xml(self):
        root = parse_xml(self.get("discovery.xml"))
        self.assertEqual(root.tag, "discovery")
        self.assertIsNotNone(root.findtext("contact"))
        formats = [f.text for f in root.findall("endpoints/endpoint/formats/format")]
        self.assertEqual(formats, ["text/xml", "application/json"])
        self.assertEqual(root.findtext("endpoints/endpoint/specification"), "http://wiki.open311.org/GeoReport_v2")


class ServicesTest(Open311Mixin, TestCase):
    def test_it_lists_active_categories_as_a_json_array(self):
        body = parse_json(self.get("services.json"))
        self.assertIsInstance(body, list)
        by_code = {s["service_code"]: s for s in body}
        self.assertNotIn(self.closed_category.code, by_code)
        road = by_code[self.road.code]
        self.assertEqual(
            road,
            {
                "service_code": "o311-road",
                "service_name": "Đường hư hỏng, ổ gà",
                "description": "Mặt đường lún, nứt, ổ gà, nắp hố ga mất",
                "metadata": True,
                "type": "realtime",
                "keywords": "đường,ổ gà,hố ga",
                "group": "Hạ tầng giao thông",
            },
        )

    def test_it_lists_services_in_xml_with_vietnamese_intact(self):
        response = self.get("services.xml")
        self.assertIn("Đường hư hỏng, ổ gà".encode(), response.content)
        root = parse_xml(response)
        self.assertEqual(root.tag, "services")
        services = {s.findtext("service_code"): s for s in root.findall("service")}
        self.assertEqual(services["o311-road"].findtext("service_name"), "Đường hư hỏng, ổ gà")
        self.assertEqual(services["o311-road"].findtext("metadata"), "true")
        self.assertEqual(services["o311-road"].findtext("type"), "realtime")
        self.assertEqual(services["o311-light"].findtext("group"), "Hạ tầng đô thị")

    def test_it_gives_one_service_in_an_array_too(self):
        from ioc.citizen_reports.models import Category

        Category.objects.exclude(pk=self.road.pk).update(is_active=False)
        body = parse_json(self.get("services.json"))
        self.assertEqual([s["service_code"] for s in body], ["o311-road"])


class ServiceDefinitionTest(Open311Mixin, TestCase):
    def test_it_defines_the_attributes_in_json(self):
        body = parse_json(self.get("services/o311-road.json"))
        self.assertEqual(body["service_code"], "o311-road")
        codes = [a["code"] for a in body["attributes"]]
        self.assertEqual(codes, ["anonymous", "consent_processing", "consent_share"])
        for order, attribute in enumerate(body["attributes"], start=1):
            self.assertEqual(attribute["order"], order)
            self.assertIs(attribute["variable"], True)
            self.assertIs(attribute["required"], False)
            self.assertEqual(attribute["datatype"], "singlevaluelist")
            self.assertEqual([v["key"] for v in attribute["values"]], ["true", "false"])

    def test_it_defines_the_attributes_in_xml(self):
        root = parse_xml(self.get("services/o311-road.xml"))
        self.assertEqual(root.tag, "service_definition")
        attributes = root.findall("attributes/attribute")
        self.assertEqual([a.findtext("code") for a in attributes], ["anonymous", "consent_processing", "consent_share"])
        self.assertEqual([v.findtext("key") for v in attributes[0].findall("values/value")], ["true", "false"])
        self.assertEqual(attributes[0].findtext("required"), "false")

    def test_it_answers_404_for_an_unknown_or_inactive_service(self):
        for fmt in ("json", "xml"):
            for code in ("no-such-code", self.closed_category.code):
                with self.subTest(fmt=fmt, code=code):
                    response = self.get(f"services/{code}.{fmt}")
                    self.assertEqual(response.status_code, 404)
                    [(error_code, description)] = errors_of(response, fmt)
                    self.assertEqual(error_code, 404)
                    self.assertIn("service_code", description)


class UnknownResourceTest(Open311Mixin, TestCase):
    def test_it_answers_the_specs_404_for_unknown_paths_and_formats(self):
        for path, fmt in (("nothing.json", "json"), ("requests.csv", "xml"), ("services", "xml")):
            with self.subTest(path=path):
                response = self.get(path)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(errors_of(response, fmt)[0][0], 404)

    def test_it_refuses_another_method_in_the_specs_format(self):
        response = self.client.delete("/open311/v2/services.json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response["Allow"], "GET, HEAD")
        self.assertEqual(errors_of(response, "json")[0][0], 400)

    def test_it_ignores_the_jurisdiction_unless_one_is_configured(self):
        self.assertEqual(self.get("services.json", jurisdiction_id="anything.gov.vn").status_code, 200)
        with self.settings(OPEN311_JURISDICTION_ID="hungyen.gov.vn"):
            self.assertEqual(self.get("services.json", jurisdiction_id="hungyen.gov.vn").status_code, 200)
            self.assertEqual(self.get("services.json").status_code, 200)
            response = self.get("services.xml", jurisdiction_id="hanoi.gov.vn")
            self.assertEqual(response.status_code, 404)
            self.assertIn("jurisdiction_id", errors_of(response, "xml")[0][1])
