"""The territory of a profile: a 2025 root unit whose children are its communes (R11)."""

import datetime as dt

from django.test import TestCase

from ioc.accounts.testing import system_actor
from ioc.audit.models import AuditEntry
from ioc.geo import selectors
from ioc.geo.services import territory_set
from ioc.geo.testing import HUNG_YEN_COMMUNES

ACT_DATE = dt.date(2025, 6, 12)


class TerritorySetTest(TestCase):
    def test_it_makes_hung_yen_the_2025_province_33_with_its_communes(self):
        territory = territory_set(
            actor=system_actor(), profile="hung-yen", name="Tỉnh Hưng Yên", root_code="33", act_date=ACT_DATE
        )
        self.assertEqual(territory.root_id, selectors.unit_get(ref="33").pk)
        codes = sorted(territory.communes.values_list("code", flat=True))
        self.assertEqual(codes, sorted(HUNG_YEN_COMMUNES))
        self.assertEqual(set(territory.communes.values_list("hierarchy", "level")), {("2025", "commune")})
        self.assertEqual(selectors.territory_get(profile="hung-yen"), territory)

    def test_it_includes_communes_of_former_thai_binh(self):
        territory = territory_set(
            actor=system_actor(), profile="hung-yen", name="Tỉnh Hưng Yên", root_code="33", act_date=ACT_DATE
        )
        old_provinces = {
            s.old.path.split("/")[0]
            for commune in territory.communes.all()
            for s in selectors.unit_predecessors(unit=commune)
        }
        self.assertEqual(old_provinces, {"33", "34"})  # legacy Hưng Yên and Thái Bình

    def test_it_is_idempotent_and_audited(self):
        territory_set(actor=system_actor(), profile="hung-yen", name="Hưng Yên", root_code="33", act_date=ACT_DATE)
        again = territory_set(
            actor=system_actor(), profile="hung-yen", name="Tỉnh Hưng Yên", root_code="33", act_date=ACT_DATE
        )
        self.assertEqual(again.name, "Tỉnh Hưng Yên")
        self.assertEqual(again.communes.count(), 20)
        entries = AuditEntry.objects.filter(action="geo.territory_set", object_id=str(again.pk))
        self.assertEqual(entries.count(), 2)

    def test_it_refuses_an_unknown_root(self):
        with self.assertRaises(selectors.UnitNotFoundError):
            territory_set(actor=system_actor(), profile="x", name="X", root_code="99", act_date=ACT_DATE)
        with self.assertRaises(selectors.UnitNotFoundError):
            territory_set(actor=system_actor(), profile="x", name="X", root_code="legacy:33", act_date=ACT_DATE)

    def test_it_refuses_a_root_without_communes(self):
        with self.assertRaises(selectors.GeoInputError) as caught:
            territory_set(actor=system_actor(), profile="x", name="X", root_code="00070", act_date=ACT_DATE)
        self.assertEqual(caught.exception.field, "root_code")
        self.assertIsNone(selectors.territory_get(profile="x"))

    def test_its_communes_kept_per_process_follow_a_new_territory_at_once(self):
        self.assertIsNone(selectors.territory_commune_ids(profile="hung-yen"))  # kept: no territory yet
        territory = territory_set(
            actor=system_actor(), profile="hung-yen", name="Tỉnh Hưng Yên", root_code="33", act_date=ACT_DATE
        )
        ids = selectors.territory_commune_ids(profile="hung-yen")
        self.assertEqual(ids, frozenset(territory.communes.values_list("pk", flat=True)))


class TerritoryOfCommunesTest(TestCase):
    """R11 (DESIGN "Contracts: Territory"): a territory is a named set of 2025 communes, not always a province."""

    def test_it_takes_a_list_of_2025_communes_and_keeps_the_former_unit_for_history(self):
        territory = territory_set(
            actor=system_actor(),
            profile="loc-ninh",
            name="Huyện Lộc Ninh",
            commune_codes=["25270"],
            former_ref="legacy:692",
            act_date=dt.date(2024, 8, 29),
        )
        self.assertIsNone(territory.root)  # one commune of Đồng Nai is not the whole province
        communes = selectors.territory_communes(territory=territory)
        self.assertEqual(list(communes.values_list("code", flat=True)), ["25270"])
        self.assertEqual([p.code for p in selectors.territory_provinces(territory=territory)], ["75"])
        former = selectors.territory_former(territory=territory)
        self.assertEqual((former.hierarchy, former.code, former.level), ("legacy", "692", "district"))
        self.assertEqual(territory.former_ref, "legacy:692")

    def test_the_communes_loaded_are_not_taken_for_the_whole_province(self):
        territory = territory_set(
            actor=system_actor(), profile="x", name="X", commune_codes=HUNG_YEN_COMMUNES, act_date=ACT_DATE
        )
        self.assertIsNone(territory.root)  # 20 of the reference data's 104 communes of province 33
        self.assertEqual(territory.communes.count(), 20)

    def test_it_refuses_unknown_or_legacy_commune_codes_and_writes_nothing(self):
        for codes in (["99999"], ["25288"], []):  # 25288 is a legacy commune of Lộc Ninh, not a 2025 one
            with self.subTest(codes=codes), self.assertRaises(selectors.GeoInputError) as caught:
                territory_set(actor=system_actor(), profile="x", name="X", commune_codes=codes, act_date=ACT_DATE)
            self.assertEqual(caught.exception.field, "commune_codes")
        self.assertIsNone(selectors.territory_get(profile="x"))
        self.assertFalse(AuditEntry.objects.filter(action="geo.territory_set").exists())

    def test_it_refuses_a_former_unit_that_is_not_a_loaded_legacy_unit(self):
        for ref in ("33", "legacy:999", "nonsense"):
            with self.subTest(ref=ref), self.assertRaises(selectors.GeoInputError) as caught:
                territory_set(
                    actor=system_actor(),
                    profile="x",
                    name="X",
                    commune_codes=["25270"],
                    former_ref=ref,
                    act_date=ACT_DATE,
                )
            self.assertEqual(caught.exception.field, "former_ref")
        self.assertIsNone(selectors.territory_get(profile="x"))

    def test_it_needs_a_root_or_a_list(self):
        with self.assertRaises(selectors.GeoInputError) as caught:
            territory_set(actor=system_actor(), profile="x", name="X", act_date=ACT_DATE)
        self.assertEqual(caught.exception.field, "root_code")
