"""Issue 16 part 5, R2.3: hostile CSV bodies at POST /api/v1/indicators/dataValueSets/ — a cell over the csv
module's field limit, NUL bytes, binary (a PNG, a zip) sent as text/csv, a body over the size limit — each a 4xx
naming the reason (never a 500), and no value is written."""

from __future__ import annotations

import io
import zipfile

from django.test import TestCase, override_settings

from ioc.accounts.testing import Personas
from ioc.indicators.models import Value
from ioc.indicators.tests.support import catalogue, communes, spec, territory

URL = "/api/v1/indicators/dataValueSets/"
HEADER = "dataelement,period,orgunit,value\n"


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.csv", "x" * 1_000_000)
    return buffer.getvalue()


class BadCsvTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        territory()
        communes(1)
        catalogue(cls.leader, spec("revenue"))

    def post(self, body: bytes):  # type: ignore[no-untyped-def]
        return self.client.post(URL, body, content_type="text/csv")

    def test_each_hostile_body_is_a_400_naming_the_csv_and_writes_nothing(self) -> None:
        self.sign_in(self.client, self.officer_a)
        cases = [
            (HEADER + "a" * 200_000 + ",202503,x,1\n").encode(),
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 200,
            _zip(),
            b'"' + b"a" * 300_000,
        ]
        for body in cases:
            with self.subTest(body=body[:20]):
                response = self.post(body)
                self.assertEqual(response.status_code, 400, response.content[:300])
                self.assertIn("csv", response.json()["error"]["fields"])
        response = self.post((HEADER + "reve\x00nue,202503,x,1\n").encode())  # NUL: a row fault, named
        self.assertEqual(response.status_code, 409, response.content[:300])
        self.assertIn("row 1.dataElement", response.json()["error"]["fields"])
        self.assertFalse(Value.objects.exists())

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
    def test_a_body_over_the_limit_is_a_413(self) -> None:
        self.sign_in(self.client, self.officer_a)
        response = self.post((HEADER + "thu_ngan_sach,202503,x,1\n" * 200).encode())
        self.assertEqual(response.status_code, 413, response.content[:300])
        self.assertFalse(Value.objects.exists())
