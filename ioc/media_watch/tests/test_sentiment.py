"""The lexicon sentiment method and its accuracy on the team's labelled sample (R5.7, issue 22 item 3)."""

from django.test import SimpleTestCase

from ioc.media_watch import sentiment


class SentimentTest(SimpleTestCase):
    def test_polarity_negation_and_marks(self):
        self.assertGreater(sentiment.score("Cán bộ rất tận tình"), 0.15)
        self.assertLess(sentiment.score("Cán bộ không tận tình"), -0.15)
        self.assertLess(sentiment.score("Rác ùn ứ, bốc mùi hôi thối"), -0.15)
        self.assertEqual(sentiment.score("Tột cùng của con đường"), 0.0)  # "tột" is not "tốt"
        self.assertEqual(sentiment.score(""), 0.0)

    def test_accuracy_on_the_labelled_sample(self):
        rows = sentiment.sample()
        self.assertEqual(len(rows), 60)
        self.assertEqual(sorted({value for _s, value in rows}), [-1, 0, 1])
        accuracy = sentiment.accuracy()
        print(f"sentiment accuracy on {len(rows)} sentences: {accuracy:.3f}")
        self.assertGreaterEqual(accuracy, 0.8)
