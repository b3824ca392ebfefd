"""DESIGN "Map hooks": point datasets give datahub_counts_in_area and datahub_features in the user's scope;
restricted datasets only to their owner (and the territory roles)."""

from __future__ import annotations

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.datahub import selectors, services
from ioc.datahub.choices import Channel, Sensitivity
from ioc.datahub.models import Dataset
from ioc.datahub.testing import dataset_make
from ioc.datahub.tests.support import facility, point_in
from ioc.geo.selectors import area_from_circle


class MapHooksTest(Personas, TestCase):
    dataset: Dataset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dataset = dataset_make(actor=cls.system_account, owner=cls.agency_a)
        lat, lon = point_in()
        services.submission_ingest(
            actor=cls.officer_a,
            dataset=cls.dataset,
            agency=cls.agency_a,
            channel=Channel.PUSH,
            rows=[
                facility("A"),
                facility("B", vi_do=lat + 0.0009, kinh_do=lon),
                facility("C", vi_do=None, kinh_do=None),
            ],
        )

    def test_counts_in_a_circle_are_exact_at_its_border(self) -> None:
        lat, lon = point_in()
        counts = selectors.datahub_counts_in_area(user=self.operator, area=area_from_circle(lat, lon, 50))
        self.assertEqual(counts, {"total": 1, "by_layer": {"hospital": 1}})
        wide = selectors.datahub_counts_in_area(user=self.operator, area=area_from_circle(lat, lon, 500))
        self.assertEqual(wide["total"], 2)

    def test_features_in_a_box_carry_layer_dataset_and_title(self) -> None:
        lat, lon = point_in()
        features = selectors.datahub_features(
            user=self.officer_b, bbox=(lat - 0.01, lon - 0.01, lat + 0.01, lon + 0.01)
        )
        self.assertEqual(len(features), 2)
        self.assertEqual(
            {k: features[0][k] for k in ("layer", "dataset", "title")},
            {"layer": "hospital", "dataset": "co-so-y-te", "title": "Trạm y tế xã"},
        )
        self.assertEqual(selectors.datahub_features(user=self.citizen, bbox=(lat - 1, lon - 1, lat + 1, lon + 1)), [])

    def test_a_restricted_dataset_is_seen_by_its_owner_and_the_ioc_only(self) -> None:
        Dataset.objects.filter(pk=self.dataset.pk).update(sensitivity=Sensitivity.RESTRICTED)
        lat, lon = point_in()
        box = (lat - 0.01, lon - 0.01, lat + 0.01, lon + 0.01)
        self.assertEqual(selectors.datahub_features(user=self.officer_b, bbox=box), [])
        self.assertEqual(len(selectors.datahub_features(user=self.officer_a, bbox=box)), 2)
        self.assertEqual(len(selectors.datahub_features(user=self.operator, bbox=box)), 2)
