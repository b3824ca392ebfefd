"""R4.6: the dry run lists when the scenario would have fired in the last 30 days, and nothing older."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.incidents.models import Alert
from ioc.scenarios import selectors
from ioc.scenarios.definition import definition_clean
from ioc.scenarios.models import Activation
from ioc.scenarios.tests.support import OTHER_COMMUNE, ScenarioMixin, flood_definition, point_in


class DryRunTests(ScenarioMixin, TestCase):
    def test_would_have_fired_on(self) -> None:
        recent = self.raise_alert(dedup_key="recent", run_hooks=False)
        old = self.raise_alert(dedup_key="old", run_hooks=False, severity=4)
        self.raise_alert(dedup_key="elsewhere", point=point_in(OTHER_COMMUNE), run_hooks=False)
        now = timezone.now()
        Alert.objects.filter(pk=recent.pk).update(first_seen_at=now - dt.timedelta(days=10))
        Alert.objects.filter(pk=old.pk).update(first_seen_at=now - dt.timedelta(days=40))
        definition = definition_clean(flood_definition(self.agency_b.code), code="x", graph=dict)
        firings = selectors.dry_run(definition=definition)
        self.assertEqual(len(firings), 1)
        self.assertEqual(firings[0].at.date(), (now - dt.timedelta(days=10)).date())
        self.assertIn(recent.title, firings[0].text)
        self.assertFalse(Activation.objects.exists())  # a dry run writes nothing
