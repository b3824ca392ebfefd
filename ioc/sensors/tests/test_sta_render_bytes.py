"""R5.5, issue 11 "GET p95": the renderer reading rows as tuples (`sta/render.py`) answers byte for byte what the
model-instance renderer before it answered (`sta_reference_render.py`), for pages with `$select`, nested
`$expand` with its own options, `$top`/`$skip` and `@iot.nextLink` (of the page and per parent), `$count`,
string and numeric ids, every kind of property (intervals, instants, JSON, geometry), navigation paths and `$ref`."""

import datetime as dt
from typing import Any

import pytest
from django.test import TestCase

from ioc.sensors import selectors
from ioc.sensors.models import FeatureOfInterest, Observation
from ioc.sensors.selectors import viewer_for
from ioc.sensors.services import ObservationRow, observations_create
from ioc.sensors.sta import views
from ioc.sensors.tests import sta_reference_render
from ioc.sensors.tests.test_sta_query import START, QueryWorld, q


class RenderBytesTest(QueryWorld, TestCase):
    full: Observation

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        feature = FeatureOfInterest.objects.order_by("pk").first()
        assert feature is not None
        full = ObservationRow(
            {
                "phenomenon_time": START + dt.timedelta(days=3),
                "phenomenon_time_end": START + dt.timedelta(days=3, hours=1),
                "result_time": START + dt.timedelta(days=3, hours=2),
                "result": 2.25,
                "result_number": 2.25,
                "result_quality": {"grade": "A"},
                "valid_start": START,
                "valid_end": START + dt.timedelta(days=30),
                "parameters": {"pin": 3.7, "ghi chú": "đã hiệu chuẩn"},
            },
            feature=feature.pk,
        )
        observations_create(
            actor=cls.system_user,
            agency_id=cls.agency_a.pk,
            viewer=viewer_for(cls.system_user),
            batches=[(cls.ds_b.pk, [full])],
        )
        cls.full = Observation.objects.latest("pk")

    def paths(self) -> list[str]:
        a, b = self.ds_a.pk, self.ds_b.pk
        window = "$filter=phenomenonTime ge 2025-07-01T00:30:00Z and phenomenonTime lt 2025-07-01T02:00:00Z"
        return [
            f"Datastreams({a})/Observations?$top=3&$orderby=phenomenonTime desc&{window}",
            f"Datastreams({a})/Observations?$top=2&$skip=2&$count=true&$select=result,phenomenonTime",
            f"Datastreams({a})?$expand=Observations($top=100;$orderby=phenomenonTime desc;{window})",
            "Datastreams?$top=1&$count=true&$select=name,id&$expand=Observations($select=result,phenomenonTime;"
            "$top=2;$orderby=phenomenonTime desc;$count=true),Thing($select=name)",
            "Datastreams?$select=name&$expand=Observations($top=1;$orderby=phenomenonTime desc)",
            "Things?$top=1&$count=true&$expand=Datastreams($expand=Observations($top=2;$skip=1),Sensor),Locations",
            "Things('tram-a')?$expand=Datastreams($select=name,phenomenonTime,unitOfMeasurement,Thing)",
            f"Things({self.beta.pk})/Datastreams?$expand=ObservedProperty,Observations($top=5)",
            "Observations?$top=4&$select=id,result,phenomenonTime,Datastream&$expand=Datastream($select=name),"
            "FeatureOfInterest($select=name,feature)",
            f"Observations({self.full.pk})",
            f"Observations({self.full.pk})?$expand=FeatureOfInterest($expand=Observations($top=1))",
            f"Datastreams({b})/Observations?$orderby=result desc&$select=@iot.selfLink,result,validTime,parameters",
            "Locations?$expand=Things($select=name;$top=1),HistoricalLocations",
            "HistoricalLocations?$expand=Thing($select=name),Locations($select=location)",
            "Sensors?$expand=Datastreams($select=name;$top=1;$count=true)",
            "FeaturesOfInterest?$select=name,feature,Observations",
            f"Datastreams({a})?$expand=Observations($filter=result ne -7340033;$orderby=phenomenonTime desc;$top=2)",
            f"Datastreams({a})/Observations/$ref?$top=2",
            f"Datastreams({a})/Thing?$select=name,properties",
        ]

    def answer(self, path: str, **headers: Any) -> bytes:
        response = self.client.get("/sta/v1.1/" + q(path), **headers)
        assert response.status_code == 200, (path, response.content[:300])
        return bytes(response.content)

    def test_every_page_is_the_same_bytes_as_the_model_instance_renderer(self):
        for headers in ({}, self.auth()):
            answers = [self.answer(path, **headers) for path in self.paths()]
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(views, "Renderer", sta_reference_render.Renderer)
                patch.setattr(views, "visible_under", lambda model, viewer, parent: selectors.visible(model, viewer))
                reference = [self.answer(path, **headers) for path in self.paths()]
            for path, new, old in zip(self.paths(), answers, reference, strict=True):
                with self.subTest(path=path, signed_in=bool(headers)):
                    self.assertEqual(new, old)
        self.assertIn(b'"Observations@iot.nextLink"', answers[3])
        self.assertIn(b'"@iot.nextLink"', answers[5])
        self.assertIn(b'"validTime"', answers[9])

    def test_an_observation_written_then_rendered_keeps_its_instants(self):
        body = self.answer(f"Observations({self.full.pk})")
        self.assertIn(b'"phenomenonTime": "2025-07-04T00:00:00Z/2025-07-04T01:00:00Z"', body)
        self.assertIn(b'"resultTime": "2025-07-04T02:00:00Z"', body)
        self.assertIn(b'"validTime": "2025-07-01T00:00:00Z/2025-07-31T00:00:00Z"', body)
