"""Diacritics-insensitive search keys (DESIGN "Conventions")."""

from django.test import SimpleTestCase

from ioc.common.text import fold


class FoldTest(SimpleTestCase):
    def test_it_finds_ho_guom(self):
        self.assertEqual(fold("Hồ Gươm"), "ho guom")

    def test_it_equates_tone_mark_placements(self):
        self.assertEqual(fold("Hoà"), fold("Hòa"))

    def test_it_maps_d_stroke(self):
        self.assertEqual(fold("Đồng  Nai"), "dong nai")
