"""R11: domain apps read what the deployment's act sets; before it is loaded they read nothing."""

from django.test import TestCase, override_settings

from ioc.accounts.testing import system_actor
from ioc.regulation import selectors, services
from ioc.regulation.tests.support import loc_ninh_act


@override_settings(IOC_PROFILE="loc-ninh")
class RegulationSelectorsTest(TestCase):
    def test_they_answer_empty_before_the_act_is_loaded(self):
        self.assertIsNone(selectors.act_current())
        self.assertEqual(selectors.template_cadence(), [])
        self.assertFalse(selectors.report_calendar().exists())
        self.assertFalse(selectors.duties().exists())

    def test_they_read_the_deployments_act_only(self):
        act = loc_ninh_act()
        actor = system_actor()
        services.monitored_domains_set(
            actor=actor,
            act=act,
            items=[
                {"code": "y-te", "name": "Y tế", "source": "003:6.7"},
                {"code": "tuc-thoi", "name": "Tức thời", "source": "003:6.7", "kind": "scenario_kind"},
            ],
        )
        services.template_cadence_set(
            actor=actor, act=act, items=[{"code": "b", "weekdays": [4, 1], "description": "T2, T5", "source": "003:10"}]
        )
        self.assertEqual(selectors.act_current(), act)
        self.assertEqual([d.code for d in selectors.monitored_domains()], ["y-te"])
        self.assertEqual([d.code for d in selectors.monitored_domains(kind="scenario_kind")], ["tuc-thoi"])
        self.assertEqual(len(selectors.monitored_domains(kind=None)), 2)
        self.assertEqual(selectors.template_cadence(), [1, 4])
        self.assertEqual(selectors.template_cadence(profile="hung-yen"), [])
        self.assertIsNone(selectors.act_current(profile="hung-yen"))


class SampleRegulationTest(TestCase):
    def test_the_sample_act_loads_one_row_of_everything_idempotently(self):
        from ioc.audit.models import AuditEntry
        from ioc.regulation.testing import sample_regulation_load

        sample_regulation_load(actor=system_actor(), profile="mau")
        entries = AuditEntry.objects.count()
        sample_regulation_load(actor=system_actor(), profile="mau")
        self.assertEqual(AuditEntry.objects.count(), entries)
        self.assertEqual(selectors.template_cadence(profile="mau"), [1, 4])
        self.assertEqual([d.code for d in selectors.duties(profile="mau")], ["phan-anh", "lien-thong"])
        self.assertEqual(selectors.allowances(profile="mau").get().amount_vnd, 1_000_000)
