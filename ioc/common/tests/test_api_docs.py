"""OpenAPI schema and docs are served without a CDN and without inline scripts (CSP)."""

from django.test import TestCase


class ApiDocsTest(TestCase):
    def test_it_serves_the_schema(self):
        response = self.client.get("/api/v1/schema/")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"openapi:", response.content)

    def test_it_serves_swagger_ui_from_our_own_static_files(self):
        response = self.client.get("/api/v1/docs/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js", html)
        self.assertNotIn("cdn.", html)
        self.assertNotIn("<script>", html)
        script = self.client.get("/api/v1/docs/?script=")
        self.assertEqual(script.status_code, 200)
        self.assertIn("SwaggerUIBundle", script.content.decode())

    def test_it_sends_a_strict_content_security_policy(self):
        response = self.client.get("/api/v1/docs/")
        self.assertIn("script-src 'self'", response["Content-Security-Policy"])
