"""Boolean topic queries parsed without eval, errors naming the position (R5.7, issue 22 item 3)."""

from django.test import SimpleTestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ioc.media_watch.query import And, Near, Not, Or, QueryError, Term, evaluate, keys, parse


def positions(query: str) -> int:
    try:
        parse(query)
    except QueryError as exc:
        return exc.position
    raise AssertionError(f"{query!r} parsed")


class ParseTest(SimpleTestCase):
    def test_precedence_not_and_or(self):
        tree = parse('lũ "sạt lở" OR NOT bão AND mưa')
        self.assertIsInstance(tree, Or)
        left, right = tree.operands
        self.assertIsInstance(left, And)
        self.assertIsInstance(right, And)
        self.assertIsInstance(right.operands[0], Not)

    def test_phrase_is_one_key_of_syllables(self):
        tree = parse('"Sạt  lở đất"')
        self.assertIsInstance(tree, Term)
        self.assertEqual(tree.key.folded, "sat lo dat")
        self.assertEqual(tree.key.marked, "sạt lở đất")
        self.assertEqual(tree.key.size, 3)

    def test_unmarked_term_has_no_marked_form(self):
        self.assertIsNone(parse("BAO").key.marked)

    def test_near(self):
        tree = parse('mưa NEAR/3 "ngập sâu"')
        self.assertIsInstance(tree, Near)
        self.assertEqual(tree.distance, 3)

    def test_lower_case_operators_are_words(self):
        tree = parse("lũ or bão")
        self.assertEqual({k.folded for k in keys(tree)}, {"lu", "or", "bao"})

    def test_errors_name_the_position(self):
        self.assertEqual(positions("lũ OR"), 6)
        self.assertEqual(positions("(lũ OR bão"), 11)
        self.assertEqual(positions('lũ "sạt lở'), 4)
        self.assertEqual(positions("lũ NEAR/0 bão"), 4)
        self.assertEqual(positions("lũ NEAR/x bão"), 4)
        self.assertEqual(positions("lũ NEAR/2 (a OR b)"), 4)
        self.assertEqual(positions("lũ ) bão"), 4)
        self.assertEqual(positions("AND bão"), 1)
        self.assertEqual(positions("   "), 1)
        self.assertEqual(positions('lũ "!!"'), 4)

    def test_error_message_is_vietnamese_with_the_position(self):
        with self.assertRaises(QueryError) as caught:
            parse("lũ OR")
        self.assertIn("vị trí 6", str(caught.exception))

    @settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(st.text(alphabet='ab "()ORANDTNE/0123 ', max_size=40))
    def test_any_input_parses_or_names_a_position(self, query):
        try:
            tree = parse(query)
        except QueryError as exc:
            self.assertTrue(1 <= exc.position <= len(query) + 1)
        else:
            evaluate(tree, {})


class EvaluateTest(SimpleTestCase):
    def test_near_counts_syllables_between_in_either_order(self):
        tree = parse("mưa NEAR/2 ngập")
        mua, ngap = tree.left.key, tree.right.key
        self.assertTrue(evaluate(tree, {mua: [0], ngap: [3]}))
        self.assertFalse(evaluate(tree, {mua: [0], ngap: [4]}))
        self.assertTrue(evaluate(tree, {mua: [5], ngap: [2]}))
        self.assertFalse(evaluate(tree, {mua: [0]}))
