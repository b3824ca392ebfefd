"""/metrics: Prometheus exposition for an allow-listed range or the metrics token; 403 for others (R10.1)."""

from django.test import Client, TestCase, override_settings


@override_settings(METRICS_ALLOWED_CIDRS=["127.0.0.0/8", "10.20.0.0/16"], METRICS_TOKEN="metrics-token-" + "m" * 30)
class MetricsAccessTest(TestCase):
    def test_it_serves_the_exposition_to_an_allow_listed_address(self):
        Client().get("/healthz")
        response = Client(REMOTE_ADDR="10.20.3.4").get("/metrics")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/plain"))
        text = response.content.decode()
        self.assertIn("ioc_http_requests_total", text)
        self.assertIn('route="web:healthz"', text)
        self.assertIn("ioc_http_request_duration_seconds_bucket", text)

    def test_it_refuses_an_address_outside_the_ranges(self):
        response = Client(REMOTE_ADDR="203.0.113.9").get("/metrics")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(b"ioc_http_requests_total", response.content)

    def test_it_admits_the_metrics_token_from_anywhere(self):
        response = Client(REMOTE_ADDR="203.0.113.9").get(
            "/metrics", HTTP_AUTHORIZATION="Bearer metrics-token-" + "m" * 30
        )
        self.assertEqual(response.status_code, 200)

    def test_it_refuses_a_wrong_token_from_outside_the_ranges(self):
        response = Client(REMOTE_ADDR="203.0.113.9").get("/metrics", HTTP_AUTHORIZATION="Bearer wrong-token")
        self.assertEqual(response.status_code, 403)

    @override_settings(METRICS_TOKEN="")
    def test_it_admits_no_token_when_none_is_configured(self):
        response = Client(REMOTE_ADDR="203.0.113.9").get("/metrics", HTTP_AUTHORIZATION="Bearer ")
        self.assertEqual(response.status_code, 403)

    def test_it_names_routes_not_raw_paths(self):
        Client().get("/chuc-nang/khong-co-that-12345/")
        text = Client().get("/metrics").content.decode()
        self.assertNotIn("khong-co-that-12345", text)
