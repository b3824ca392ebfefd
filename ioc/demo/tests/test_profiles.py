"""R11, issue 9: each of the five profiles loads into its own test database (a rolled-back transaction) with
the communes `localities.json` lists for it and the agencies of its act; loading it twice duplicates nothing."""

import datetime as dt
import random
import tempfile

from django.test import TestCase, override_settings

from ioc.agencies.models import Agency, AgencyActRole
from ioc.audit.models import AuditEntry
from ioc.demo import foundation
from ioc.demo.profiles import profile_get
from ioc.demo.secrets_store import SecretStore
from ioc.geo import selectors as geo_selectors
from ioc.geo.models import AdminUnit, Succession, Territory
from ioc.regulation import selectors as regulation
from ioc.worktime import selectors as worktime_selectors

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
        # No new record points at a legacy unit: agencies and the territory name 2025 units only.
        self.assertFalse(Agency.objects.filter(unit__hierarchy="legacy").exists())
        self.assertNotEqual(getattr(territory.root, "hierarchy", "2025"), "legacy")
        self._check_regulation()
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

    def _check_regulation(self):
        act = regulation.act_current(profile=self.key)
        self.assertEqual(
            (act.number, act.date, act.seed), (self.profile.act.number, self.profile.act.date, self.profile.seed)
        )
        spec = self.profile.regulation
        self.assertEqual([d.code for d in regulation.duties(profile=self.key)], [d.code for d in spec.duties])
        domains = regulation.monitored_domains(kind=None, profile=self.key)
        self.assertEqual([d.code for d in domains], [d.code for d in spec.domains])
        self.assertEqual(
            [r.frequency for r in regulation.report_calendar(profile=self.key)], [r.frequency for r in spec.reports]
        )
        self.check_regulation()

    def check_regulation(self):
        """What this profile's act sets in particular (below)."""

    def _counts(self):
        return (
            AdminUnit.objects.count(),
            Succession.objects.count(),
            Agency.objects.count(),
            AgencyActRole.objects.count(),
            Territory.objects.get(profile=self.key).communes.count(),
            AuditEntry.objects.count(),
        )


class CaMauLoadTest(ProfileLoad, TestCase):
    key = "ca-mau"
    former_children = 9  # legacy province 96 and its 9 districts

    def check_regulation(self):
        self.assertEqual(len(regulation.monitored_domains(profile=self.key)), 9)  # 000:15.3 a)–i)
        frequencies = {r.frequency for r in regulation.report_calendar(profile=self.key)}
        self.assertEqual(frequencies, {"monthly", "quarterly", "half_yearly", "yearly", "ad_hoc"})  # 000:7.9
        self.assertEqual(sum(p.count for p in regulation.staffing(profile=self.key)), 7)  # 000:8.2


class QuangNamLoadTest(ProfileLoad, TestCase):
    key = "quang-nam"
    former_children = 17

    def check_regulation(self):
        (report,) = regulation.report_calendar(profile=self.key)
        self.assertEqual(
            (report.frequency, report.recipient, report.source), ("quarterly", "Ủy ban nhân dân tỉnh", "001:4")
        )
        meetings = {m.frequency for m in regulation.review_meetings(profile=self.key)}
        self.assertEqual(meetings, {"half_yearly", "yearly"})  # 001:12


class HungYenLoadTest(ProfileLoad, TestCase):
    key = "hung-yen"

    def check_regulation(self):
        self.assertEqual(len(regulation.monitored_domains(kind="data_group", profile=self.key)), 6)  # 002:5.5
        self.assertEqual(len(regulation.monitored_domains(kind="scenario_kind", profile=self.key)), 5)  # 002:6
        center = Agency.objects.get(code="tt-thong-tin-hoi-nghi")
        self.assertTrue(worktime_selectors.calendar_for(agency=center).around_the_clock)  # 002:12.2
        self.assertIn(center, worktime_selectors.around_the_clock_agencies())

    def test_its_history_holds_former_hung_yen_and_thai_binh(self):
        self.load()
        legacy = set(AdminUnit.objects.filter(hierarchy="legacy", level="province").values_list("code", flat=True))
        self.assertTrue({"33", "34"} <= legacy)


class LocNinhLoadTest(ProfileLoad, TestCase):
    key = "loc-ninh"
    former_children = 16  # district 692 of Bình Phước and its 16 former communes

    def check_regulation(self):
        self.assertEqual(regulation.act_current(profile=self.key).level, "district")
        amounts = [a.amount_vnd for a in regulation.allowances(profile=self.key)]
        self.assertEqual(amounts, [1_000_000, 500_000])  # 003:9
        due = {(r.frequency, r.due_day) for r in regulation.report_calendar(profile=self.key)}
        self.assertTrue({("monthly", 25), ("quarterly", 25)} <= due)  # 003:11.6


class BaRiaVungTauLoadTest(ProfileLoad, TestCase):
    key = "ba-ria-vung-tau"
    former_children = 7  # 6 districts with communes and the island district Côn Đảo (755)

    def check_regulation(self):
        self.assertEqual(regulation.template_cadence(profile=self.key), [1, 4])  # Monday, Thursday (004:15.2)
        self.assertEqual(len(regulation.monitored_domains(profile=self.key)), 7)  # 004:6
        center = Agency.objects.get(code="ioc-tinh")
        hours = worktime_selectors.working_hours_for(agency=center)
        self.assertEqual((hours.agency_id, hours.around_the_clock), (center.pk, False))  # office hours (004:8)
        self.assertFalse(worktime_selectors.calendar_for(agency=center).around_the_clock)
        positions = {p.code: p.count for p in regulation.staffing(profile=self.key)}
        self.assertEqual(positions["theo-doi-linh-vuc"], 4)  # 004:9


class LocNinhSummaryTest(TestCase):
    """`make demo PROFILE=loc-ninh` prints its territory: 7 communes of today's Đồng Nai, the former district."""

    def test_the_printout_names_the_province_and_the_former_district(self):
        from ioc.demo import summary

        with tempfile.TemporaryDirectory() as var, override_settings(VAR_DIR=var):
            profile = profile_get("loc-ninh")
            store = SecretStore(profile.key)
            foundation.generate(profile=profile, rng=random.Random(1), until=UNTIL, store=store)
            text = summary.render(profile, store, address="http://127.0.0.1:8000/")
        self.assertIn(
            "Địa bàn / Territory: 7 xã, phường / communes — Thành phố Đồng Nai; "
            "trước 01/7/2025 / before 1 July 2025: Huyện Lộc Ninh",
            text,
        )
        self.assertIn("4037/QĐ-UBND", text)


class OneProfilePerDatabaseTest(TestCase):
    """R11: a database never holds two profiles; `demo_load` of another one is refused and writes nothing."""

    def test_a_second_profile_is_refused(self):
        import io

        from django.core.management import CommandError, call_command

        with tempfile.TemporaryDirectory() as var, override_settings(VAR_DIR=var):
            # The foundation alone sets the territory; the domain generators are not what is refused here.
            call_command("demo_load", "--profile", "loc-ninh", "--no-units", "--only", "demo", stdout=io.StringIO())
            before = AuditEntry.objects.count()
            with self.assertRaises(CommandError) as caught:
                call_command("demo_load", "--profile", "ca-mau", "--no-units", stdout=io.StringIO())
        self.assertIn("loc-ninh", str(caught.exception))
        self.assertEqual(AuditEntry.objects.count(), before)
        self.assertEqual(geo_selectors.territory_profiles(), ["loc-ninh"])
