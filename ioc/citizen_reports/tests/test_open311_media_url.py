"""POST requests with the spec's `media_url`: fetched once through the guarded outbound client, then cleaned."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.test import TestCase, override_settings

from ioc.citizen_reports.models import ReportPhoto
from ioc.citizen_reports.tests.test_open311_support import Open311Mixin, errors_of, jpeg

PHOTO = jpeg(size=(200, 150), color="blue")


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/photo.jpg"):
            body, status, kind = PHOTO, 200, "image/jpeg"
        elif self.path.startswith("/page.html"):
            body, status, kind = b"<html>not a photo</html>", 200, "text/html"
        else:
            body, status, kind = b"missing", 404, "text/plain"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class MediaUrlTest(Open311Mixin, TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        cls.base = f"http://127.0.0.1:{cls.server.server_address[1]}"

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        super().tearDownClass()

    @override_settings(OUTBOUND_ALLOWED_CIDRS=["127.0.0.0/8"])
    def test_it_fetches_and_cleans_a_media_url(self):
        code = self.created_code(self.post_request(media_url=f"{self.base}/photo.jpg"))
        [photo] = ReportPhoto.objects.filter(report__tracking_code=code)
        self.assertEqual((photo.width, photo.height), (200, 150))

    @override_settings(OUTBOUND_ALLOWED_CIDRS=["127.0.0.0/8"])
    def test_it_refuses_a_media_url_that_is_not_a_photo_or_missing(self):
        for path, expected in (("/page.html", "Not a JPEG"), ("/gone.jpg", "HTTP 404")):
            response = self.post_request("xml", media_url=f"{self.base}{path}")
            self.assertEqual(response.status_code, 400)
            [(_code, description)] = errors_of(response, "xml")
            self.assertTrue(description.startswith("media_url: "), description)
            self.assertIn(expected, description)
        self.assertFalse(ReportPhoto.objects.exists())

    def test_it_refuses_a_media_url_on_a_private_address(self):
        response = self.post_request(media_url=f"{self.base}/photo.jpg")
        self.assertEqual(response.status_code, 400)
        self.assertIn("media_url", errors_of(response, "json")[0][1])
