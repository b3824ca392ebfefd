"""Vietnamese text normalised for matching (R5.7, issue 22 item 2): markup, NFC, tone placement, folding."""

import unicodedata

from django.test import SimpleTestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ioc.common.text import fold
from ioc.media_watch.text import fold_aligned, fold_text, has_marks, normalise, strip_markup

VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđbcdghklmnpqrstvx"
texts = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " ,.<>/&;!-\u0300\u0301", max_size=60)


class NormaliseTest(SimpleTestCase):
    def test_tone_placement_of_open_pairs_is_one_form(self):
        self.assertEqual(normalise("Hoà"), normalise("Hòa"))
        self.assertEqual(normalise("thủy điện"), normalise("thuỷ điện"))
        self.assertEqual(normalise("sức khỏe"), normalise("sức khoẻ"))
        self.assertEqual(normalise("Hòa Bình"), "hoà bình")

    def test_syllables_with_a_final_consonant_are_left_alone(self):
        self.assertEqual(normalise("Hoàng"), "hoàng")
        self.assertEqual(normalise("quý khách"), "quý khách")

    def test_decomposed_input_is_composed(self):
        decomposed = unicodedata.normalize("NFD", "Lũ lụt ở Huế")
        self.assertEqual(normalise(decomposed), "lũ lụt ở huế")

    def test_markup_is_stripped_with_scripts_and_block_boundaries(self):
        html = '<div><p>Ngập</p><p>sâu</p><script>alert("x")</script><style>p{}</style> tại &quot;phố&quot;</div>'
        self.assertEqual(normalise(html), "ngập sâu tại phố")
        self.assertEqual(strip_markup("a &lt; b"), "a < b")

    def test_broken_markup_still_gives_text(self):
        self.assertEqual(normalise("<p>mưa <b>to"), "mưa to")

    def test_fold(self):
        self.assertEqual(fold_text("Đường Hồ Gươm, Hoà"), "duong ho guom hoa")
        self.assertTrue(has_marks("bão"))
        self.assertFalse(has_marks("bao"))
        self.assertFalse(has_marks("BAO"))

    @settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(texts)
    def test_normalise_is_idempotent(self, text):
        self.assertEqual(normalise(normalise(text)), normalise(text))

    @settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(texts)
    def test_folding_keeps_offsets(self, text):
        normal = normalise(text)
        folded = fold_aligned(normal)
        self.assertEqual(len(folded), len(normal))
        self.assertTrue(folded.isascii() or not normal.isascii())
        self.assertEqual(folded, fold(normal))
