"""All terms matched in one pass; marked and unmarked terms (R5.7, issue 22 items 2 and 3)."""

from django.test import SimpleTestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ioc.media_watch.matching import build
from ioc.media_watch.query import parse
from ioc.media_watch.text import fold_aligned, has_marks, normalise


def matcher(*queries):
    return build((q, parse(q)) for q in queries)


class MatchTest(SimpleTestCase):
    def test_unmarked_term_matches_any_marks_marked_only_its_own(self):
        m = matcher("bao", "bão", "báo")
        self.assertEqual(m.match("Cơn bão số 3"), ["bao", "bão"])
        self.assertEqual(m.match("Tờ báo địa phương"), ["bao", "báo"])
        self.assertEqual(m.match("Bảo vệ rừng"), ["bao"])

    def test_tone_placement_does_not_matter(self):
        m = matcher('"Hoà Bình"', '"Hòa Bình"')
        self.assertEqual(m.match("Sở Y tế tỉnh Hòa Bình"), ['"Hoà Bình"', '"Hòa Bình"'])
        self.assertEqual(m.match("Sở Y tế tỉnh Hoà Bình"), ['"Hoà Bình"', '"Hòa Bình"'])

    def test_whole_syllables_only(self):
        m = matcher("lu")
        self.assertEqual(m.match("Lũ về"), ["lu"])
        self.assertEqual(m.match("luật giao thông"), [])

    def test_phrases_not_and_near(self):
        m = matcher('"sạt lở" NOT "đã khắc phục"', "mưa NEAR/2 ngập", "(lũ OR bão) AND Quảng")
        self.assertEqual(m.match("Sạt lở bờ sông, chưa khắc phục"), ['"sạt lở" NOT "đã khắc phục"'])
        self.assertEqual(m.match("Sạt lở bờ sông đã khắc phục xong"), [])
        self.assertEqual(m.match("Ngập sâu sau mưa lớn"), ["mưa NEAR/2 ngập"])
        self.assertEqual(m.match("Mưa kéo dài nhiều ngày gây ngập"), [])
        self.assertEqual(m.match("Bão vào Quảng Nam"), ["(lũ OR bão) AND Quảng"])

    def test_a_lone_not_matches_texts_without_the_term(self):
        m = matcher('NOT "quảng cáo"')
        self.assertEqual(m.match("Mưa lớn"), ['NOT "quảng cáo"'])
        self.assertEqual(m.match("Quảng cáo"), [])

    def test_markup_in_the_item_is_ignored(self):
        self.assertEqual(matcher('"ngập sâu"').match("<p>Ngập</p> <b>sâu</b>"), ['"ngập sâu"'])

    def test_no_rules(self):
        self.assertEqual(build([]).match("gì cũng được"), [])


SYLLABLES = ["lũ", "lu", "lụ", "bão", "báo", "bao", "hòa", "hoà", "mưa", "ngập"]


@st.composite
def text_and_term(draw):
    words = draw(st.lists(st.sampled_from(SYLLABLES), max_size=12))
    term = draw(st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=3))
    unmarked = draw(st.booleans())
    return words, term, unmarked


class AgreesWithNaiveScanTest(SimpleTestCase):
    @settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(text_and_term())
    def test_one_pass_equals_a_scan_of_every_position(self, case):
        words, term, unmarked = case
        typed = fold_aligned(normalise(" ".join(term))) if unmarked else " ".join(term)
        want = normalise(typed).split()
        have = normalise(" ".join(words)).split()
        any_marks = not has_marks(typed)  # typed without marks: matches any marks
        same = (lambda a, b: fold_aligned(a) == fold_aligned(b)) if any_marks else (lambda a, b: a == b)
        expected = any(
            all(same(have[i + j], want[j]) for j in range(len(want))) for i in range(len(have) - len(want) + 1)
        )
        self.assertEqual(bool(matcher(f'"{typed}"').match(" ".join(words))), expected)
