"""R11, issue 9: each of the five profiles loads into its own test database (a rolled-back transaction) with
the communes `localities.json` lists for it and the agencies of its act; loading it twice duplicates nothing."""

import datetime as dt
import random
import tempfile

from django.test import TestCase, override_settings

from ioc.agencies.models import Agency, AgencyActRole
from ioc.demo import foundation
from ioc.demo.profiles import profile_get
from ioc.demo.secrets_store import SecretStore
from ioc.geo import selectors as geo_selectors
from ioc.geo.models import AdminUnit, Succession, Territory

UNTIL = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def locality_communes(profile):
    """The 2025 communes `localities.json` gives the profile's locality (Hưng Yên: the whole 2025 province)."""
    entry = geo_selectors.locality_get(key=profile.locality)
    if profile.whole_province:
        return set(entry["new_province_2025"]["commune_codes"])
    return set(entry["new_commune_codes"])


class ProfileLoad:
    """One test case per profile (below); each test loads the profile with its units."""

    key = ""
    former_children = 0  # legacy units directly under the former unit (districts, or communes of a district)

    def setUp(self):
        var = tempfile.TemporaryDirectory()
        self.addCleanup(var.cleanup)
        override = override_settings(VAR_DIR=var.name)
        override.enable()
        self.addCleanup(override.disable)
        self.profile = profile_get(self.key)

    def load(self):
        return foundation.generate(profile=self.profile, rng=random.Random(1), until=UNTIL, store=SecretStore(self.key))

    def test_it_loads_its_communes_agencies_and_former_units_and_a_second_load_duplicates_nothing(self):
        self.load()
        territory = Territory.objects.get(profile=self.key)
        codes = set(territory.communes.values_list("code", flat=True))
        self.assertEqual(codes, locality_communes(self.profile))
        self.assertEqual(len(codes), self.profile.expected_communes)
        self.assertEqual(set(territory.communes.values_list("hierarchy", "level")), {("2025", "commune")})
        self.assertEqual(territory.name, self.profile.territory_name)
        self.assertEqual(territory.root is not None, self.profile.whole_province)
        provinces = geo_selectors.territory_provinces(territory=territory)
        self.assertEqual(list(provinces.values_list("code", flat=True)), [self.profile.root_code])
        self._check_agencies(territory)
        self._check_former(territory)
        counts = self._counts()
        self.load()
        self.assertEqual(self._counts(), counts)

    def _check_agencies(self, territory):
        self.assertEqual(Agency.objects.count(), len(self.profile.agencies) + self.profile.communes.count)
        committees = Agency.objects.filter(unit__in=territory.communes.all())
        self.assertEqual(committees.count(), self.profile.communes.count)
        cited = {(r.agency.code, r.role): r.source for r in AgencyActRole.objects.select_related("agency")}
        for spec in self.profile.agencies:
            for role, source in spec.roles:
                self.assertEqual(cited[(spec.code, role)], source, spec.code)
        for committee in committees:
            self.assertEqual(cited[(committee.code, self.profile.communes.role)], self.profile.communes.source)

    def _check_former(self, territory):
        former = geo_selectors.territory_former(territory=territory)
        if not self.profile.former_ref:
            self.assertIsNone(former)
            return
        self.assertEqual(former.qualified_code, self.profile.former_ref)
        self.assertEqual(AdminUnit.objects.filter(parent=former).count(), self.former_children)

    def _counts(self):
        return (
            AdminUnit.objects.count(),
            Succession.objects.count(),
            Agency.objects.count(),
            AgencyActRole.objects.count(),
            Territory.objects.get(profile=self.key).communes.count(),
        )


class CaMauLoadTest(ProfileLoad, TestCase):
    key = "ca-mau"
    former_children = 9  # legacy province 96 and its 9 districts


class QuangNamLoadTest(ProfileLoad, TestCase):
    key = "quang-nam"
    former_children = 17


class HungYenLoadTest(ProfileLoad, TestCase):
    key = "hung-yen"

    def test_its_history_holds_former_hung_yen_and_thai_binh(self):
        self.load()
        legacy = set(AdminUnit.objects.filter(hierarchy="legacy", level="province").values_list("code", flat=True))
        self.assertTrue({"33", "34"} <= legacy)


class LocNinhLoadTest(ProfileLoad, TestCase):
    key = "loc-ninh"
    former_children = 16  # district 692 of Bình Phước and its 16 former communes


class BaRiaVungTauLoadTest(ProfileLoad, TestCase):
    key = "ba-ria-vung-tau"
    former_children = 7  # 6 districts with communes and the island district Côn Đảo (755)
