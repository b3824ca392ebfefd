"""Near-duplicates by MinHash LSH: measured recall on edited copies and false merges among distinct items of the
team's corpus (R5.7; docs/decisions/0008 records the figures printed here)."""

import random

from django.test import SimpleTestCase

from ioc.media_watch import minhash
from ioc.media_watch.corpus import THEMES, compose
from ioc.media_watch.text import fold_text

PLACES = ["Hòa Bình", "Lộc Ninh", "Tân Phú", "Đông Hưng", "Phú Thọ", "Cà Mau", "Hội An", "Bà Rịa"]
EDITS = ["một", "hai", "ba", "mới", "nay", "vẫn", "đã", "rất"]


def edited(rng: random.Random, text: str, changes: int) -> str:
    words = text.split()
    for _ in range(changes):
        words[rng.randrange(len(words))] = rng.choice(EDITS)
    return " ".join(words)


def jaccard(a: str, b: str) -> float:
    def shingles(text: str) -> set[str]:
        words = fold_text(text).split()
        return {" ".join(words[i : i + minhash.SHINGLE]) for i in range(len(words) - 1)}

    left, right = shingles(a), shingles(b)
    return len(left & right) / len(left | right)


def lsh_finds(a: str, b: str) -> bool:
    sa, sb = minhash.signature(fold_text(a)), minhash.signature(fold_text(b))
    return (
        bool(set(minhash.band_keys(sa)) & set(minhash.band_keys(sb)))
        and minhash.similarity(sa, sb) >= minhash.THRESHOLD
    )


class RecallTest(SimpleTestCase):
    def test_edited_copies_are_found_and_distinct_items_are_not_merged(self):
        rng = random.Random(22)
        items = [compose(rng, theme=rng.choice(list(THEMES)), place=rng.choice(PLACES)) for _ in range(300)]
        texts = [f"{item.title}. {item.body}" for item in items]
        found = {changes: sum(lsh_finds(t, edited(rng, t, changes)) for t in texts) for changes in (1, 2, 3)}
        pairs = [(texts[i], texts[j]) for i in range(0, 300, 3) for j in range(i + 1, 300, 7)]
        distinct = [(a, b) for a, b in pairs if jaccard(a, b) < 0.6]  # truly different texts
        merged = sum(lsh_finds(a, b) for a, b in distinct)
        print(
            f"recall 1/2/3 words changed: {found[1] / 300:.3f} {found[2] / 300:.3f} {found[3] / 300:.3f}; "
            f"false merges: {merged}/{len(distinct)}"
        )
        self.assertGreaterEqual(found[1] / 300, 0.95)
        self.assertGreaterEqual(found[2] / 300, 0.85)
        self.assertLessEqual(merged / len(distinct), 0.002)

    def test_an_item_and_a_copy_with_a_prefix_are_one(self):
        text = (
            "Mưa lớn gây ngập sâu nhiều tuyến đường. Nhiều đoạn đường trũng ngập sâu từ 30 đến 50 cm, xe máy chết máy."
        )
        self.assertTrue(lsh_finds(text, "(Báo Tỉnh) - " + text))
