"""Shared by the SensorThings tests: a client mixin speaking JSON with the persona token, and a known world
built through the API itself (deep insert)."""

from __future__ import annotations

import base64
import json
from typing import Any

import shapely
from django.test import Client

from ioc.accounts.testing import Personas
from ioc.geo.models import AdminUnit

ROOT = "/sta/v1.1/"
COMMUNE = "11953"
MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"


def point_in(code: str = COMMUNE) -> tuple[float, float]:
    """(lon, lat) of a point surely inside a commune."""
    unit = AdminUnit.objects.get(hierarchy="2025", code=code)
    p = shapely.from_geojson(unit.geometry).representative_point()
    return float(p.x), float(p.y)


def thing_payload(
    name: str, *, sensitivity: str | None = None, ext_id: str | None = None, kind: str = "air"
) -> dict[str, Any]:
    lon, lat = point_in()
    properties: dict[str, Any] = {"kind": kind}
    if sensitivity:
        properties["sensitivity"] = sensitivity
    body: dict[str, Any] = {
        "name": name,
        "description": f"Trạm {name}",
        "properties": properties,
        "Locations": [
            {
                "name": f"Vị trí {name}",
                "description": "Cột đo",
                "encodingType": "application/geo+json",
                "location": {"type": "Point", "coordinates": [lon, lat]},
            }
        ],
        "Datastreams": [
            {
                "name": f"PM2.5 {name}",
                "description": "Bụi mịn",
                "unitOfMeasurement": {"name": "microgram per cubic metre", "symbol": "µg/m³", "definition": "ucum"},
                "observationType": MEASUREMENT,
                "Sensor": {"name": "PMS5003", "description": "Laser", "encodingType": "text/html", "metadata": "x"},
                "ObservedProperty": {"name": "PM2.5", "definition": "http://example.org/pm25", "description": "Bụi"},
            }
        ],
    }
    if ext_id:
        body["@iot.id"] = ext_id
    return body


class StaClient(Personas):
    client: Client

    def auth(self, token: str | None = None, basic: bool = False) -> dict[str, str]:
        value = token or self.system_token
        if basic:
            encoded = base64.b64encode(f"any-user:{value}".encode()).decode()
            return {"HTTP_AUTHORIZATION": f"Basic {encoded}"}
        return {"HTTP_AUTHORIZATION": f"Bearer {value}"}

    def get_json(self, path: str, status: int = 200, **headers: Any) -> Any:
        response = self.client.get(path if path.startswith("/") else ROOT + path, **headers)
        assert response.status_code == status, (response.status_code, response.content[:500])
        return response.json()

    def send(self, method: str, path: str, body: Any, status: int, auth: bool = True, **headers: Any) -> Any:
        call = getattr(self.client, method.lower())
        extra = {**(self.auth() if auth else {}), **headers}
        response = call(ROOT + path, data=json.dumps(body), content_type="application/json", **extra)
        assert response.status_code == status, (response.status_code, response.content[:500])
        return response.json() if response.content else None

    def error_message(self, method: str, path: str, body: Any, status: int, **headers: Any) -> str:
        data = self.send(method, path, body, status, **headers)
        assert data["type"] == "error" and data["code"] == status, data
        return str(data["message"])
