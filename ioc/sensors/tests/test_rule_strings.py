"""R4.1, R5.5 and DESIGN "Vietnamese first": every text of the alert rules (catalogue, services' refusals, forms,
pages) is written in Vietnamese and has its English in the catalogue; the stored codes of a silence's kind and a
window's aggregate are shown by their labels, never as the English words they are stored as."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import SimpleTestCase
from django.utils import translation

from ioc.sensors.choices import MAINTENANCE, SILENCE
from ioc.sensors.forms import SilenceForm
from ioc.sensors.models import AlertRule, Silence
from ioc.sensors.rules_catalogue import PROPERTIES
from ioc.sensors.services.rules import _silence_errors

APP = Path(__file__).resolve().parents[1]
RULE_FILES = (
    "rules_catalogue.py",
    "rule_areas.py",
    "services/rules.py",
    "services/rule_eval.py",
    "forms.py",
    "views.py",
    "choices.py",
    "templates/sensors/rules.html",
    "templates/sensors/rule_edit.html",
    "templates/sensors/silences.html",
    "templates/sensors/states.html",
)
PY_TEXT = re.compile(r'(?:\b_|gettext|gettext_lazy)\(\s*"((?:[^"\\]|\\.)*)"')
TEMPLATE_TEXT = re.compile(r'{% (?:translate|trans) "((?:[^"\\]|\\.)*)"')
SAME_IN_ENGLISH = {"%(what)s: %(source)s"}


def texts() -> list[str]:
    found: list[str] = []
    for name in RULE_FILES:
        source = (APP / name).read_text(encoding="utf-8")
        found += PY_TEXT.findall(source) + TEMPLATE_TEXT.findall(source)
    return sorted(set(found))


class RuleStringsTest(SimpleTestCase):
    def test_every_rule_text_has_its_english(self):
        with translation.override("en"):
            untranslated = [t for t in texts() if t not in SAME_IN_ENGLISH and translation.gettext(t) == t]
        self.assertEqual(untranslated, [])

    def test_properties_and_bands_read_in_english_and_in_vietnamese(self):
        pm25 = PROPERTIES["pm25"]
        with translation.override("vi"):
            self.assertEqual(str(pm25.label), "Bụi PM2.5")
        with translation.override("en"):
            self.assertEqual(str(pm25.label), "PM2.5 dust")

    def test_a_silence_kind_and_an_aggregate_show_their_labels(self):
        silence, maintenance = Silence(kind=SILENCE), Silence(kind=MAINTENANCE)
        with translation.override("vi"):
            self.assertEqual(silence.kind_label, "Tắt tiếng / Silence")
            self.assertEqual(maintenance.kind_label, "Bảo trì / Maintenance")
            self.assertEqual(AlertRule(aggregate="sum").aggregate_label, "Tổng / Sum")
            choices = [str(label) for _k, label in SilenceForm().fields["kind"].choices]
            self.assertEqual(choices, ["Tắt tiếng / Silence", "Bảo trì / Maintenance"])
        with translation.override("en"):
            self.assertEqual((silence.kind_label, maintenance.kind_label), ("Silence", "Maintenance"))

    def test_a_refused_silence_kind_is_named_in_vietnamese_then_in_english(self):
        with translation.override("vi"):
            errors = _silence_errors(kind="mute", matchers={"rule": "x"}, starts_at=None, ends_at=None, reason="x")
            self.assertIn("tắt tiếng (silence) hoặc bảo trì (maintenance)", str(errors["kind"][0]))
        with translation.override("en"):
            errors = _silence_errors(kind="mute", matchers={"rule": "x"}, starts_at=None, ends_at=None, reason="x")
            self.assertEqual(str(errors["kind"][0]), "The kind must be silence or maintenance")
