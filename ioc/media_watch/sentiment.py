"""Sentiment of an item by a documented lexicon method (R5.7, issue 22 item 3).

Method (no model, no network): the item's normalised syllables are scanned once for the phrases of two team-written
lists, positive (`POSITIVE`) and negative (`NEGATIVE`), by the same Aho–Corasick matcher as topics (phrases typed
with marks match only those marks, so "tốt" is not "tột"). A phrase preceded within two syllables by a negator
("không", "chưa", "chẳng", "không hề", "chả") counts for the other side; one preceded by an intensifier ("rất",
"quá", "vô cùng", "cực kỳ", "hết sức") weighs 1.5. With p and n the weighted positive and negative counts, the score
is (p − n) / (p + n + 1), in (−1, 1); 0 when nothing is found. Labels: positive above 0.15, negative below −0.15,
neutral between (`label`).

Accuracy is measured on the team's labelled sample `data/sentiment_sample.tsv` (sentence, label −1/0/1) by
`tests/test_sentiment.py`, which prints it; the figure is kept in `data/README.md`.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ioc.media_watch.matching import Matcher, build
from ioc.media_watch.query import Key, Term
from ioc.media_watch.text import fold_aligned, normalise

POSITIVE = [
    "tốt",
    "hài lòng",
    "cảm ơn",
    "tận tình",
    "chu đáo",
    "nhanh chóng",
    "kịp thời",
    "hiệu quả",
    "thuận tiện",
    "an toàn",
    "sạch sẽ",
    "khen",
    "ủng hộ",
    "vui mừng",
    "thành công",
    "hoàn thành",
    "khắc phục xong",
    "ổn định",
    "cải thiện",
    "đã xử lý",
    "được giải quyết",
    "thông thoáng",
    "tiện lợi",
    "phấn khởi",
    "đánh giá cao",
    "tích cực",
    "an tâm",
    "yên tâm",
    "minh bạch",
    "đẹp",
    "khang trang",
    "hỗ trợ",
    "tri ân",
    "biểu dương",
    "xuất sắc",
]
NEGATIVE = [
    "bức xúc",
    "ô nhiễm",
    "hôi thối",
    "ngập",
    "ùn tắc",
    "tai nạn",
    "hư hỏng",
    "xuống cấp",
    "chậm trễ",
    "nhũng nhiễu",
    "tiêu cực",
    "sai phạm",
    "vi phạm",
    "lo lắng",
    "nguy hiểm",
    "sạt lở",
    "mất điện",
    "cúp nước",
    "quá tải",
    "phàn nàn",
    "khiếu nại",
    "bỏ mặc",
    "thờ ơ",
    "gây khó dễ",
    "kém",
    "tệ",
    "bất tiện",
    "ổ gà",
    "cô lập",
    "thiệt hại",
    "đe dọa",
    "ùn ứ",
    "thất vọng",
    "lãng phí",
    "chết",
    "bị thương",
    "mất an toàn",
    "dịch bệnh",
    "gian lận",
    "không rõ ràng",
]
NEGATORS = {"không", "chưa", "chẳng", "chả", "không hề", "chưa hề"}
INTENSIFIERS = {"rất", "quá", "vô cùng", "cực kỳ", "hết sức", "cực"}
AUTHORITY_CUES = [
    "theo thông báo của",
    "thông cáo báo chí",
    "ủy ban nhân dân",
    "ubnd",
    "sở",
    "thông báo chính thức",
    "cơ quan chức năng cho biết",
    "lãnh đạo tỉnh",
    "người phát ngôn",
    "công an tỉnh",
    "ban chỉ huy",
]
THRESHOLD = 0.15
SAMPLE = Path(__file__).parent / "data" / "sentiment_sample.tsv"


def _key(phrase: str) -> Key:
    normal = normalise(phrase)
    folded = fold_aligned(normal)
    return Key(folded=folded, marked=normal if normal != folded else None)


@functools.cache
def _lexicon() -> tuple[Matcher, dict[Key, int]]:
    polarity = {_key(p): 1 for p in POSITIVE} | {_key(n): -1 for n in NEGATIVE}
    return build((key, Term(key)) for key in polarity), polarity


def _preceded(syllables: list[str], start: int, words: set[str]) -> bool:
    before = syllables[max(0, start - 3) : start]
    joined = " ".join(before)
    return any(joined.endswith(word) or f"{word} " in f"{joined} " for word in words)


def score(text: str, *, normalised: bool = False) -> float:
    """R5.7: the sentiment score of `text` in (−1, 1) by the lexicon method above."""
    normal = text if normalised else normalise(text)
    matcher, polarity = _lexicon()
    hits = matcher.hits(normal)
    if not hits:
        return 0.0
    syllables = normal.split()
    positive = negative = 0.0
    for key, starts in hits.items():
        for start in starts:
            sign = polarity[key] * (-1 if _preceded(syllables, start, NEGATORS) else 1)
            weight = 1.5 if _preceded(syllables, start, INTENSIFIERS) else 1.0
            if sign > 0:
                positive += weight
            else:
                negative += weight
    return round((positive - negative) / (positive + negative + 1), 3)


@functools.cache
def _cues() -> Matcher:
    return build((cue, Term(_key(cue))) for cue in AUTHORITY_CUES)


def cites_authorities(normalised: str) -> bool:
    """R5.7 (002:6.5): whether an item cites the authorities' own announcements (how a message landed)."""
    return bool(_cues().hits(normalised))


def label(value: float) -> int:
    """1 positive, −1 negative, 0 neutral."""
    return 1 if value > THRESHOLD else -1 if value < -THRESHOLD else 0


def sample() -> list[tuple[str, int]]:
    """The team's labelled sample: (sentence, label)."""
    rows = []
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            sentence, value = line.rsplit("\t", 1)
            rows.append((sentence, int(value)))
    return rows


def accuracy() -> float:
    """The share of the sample whose label the method gives."""
    rows = sample()
    return sum(label(score(sentence)) == value for sentence, value in rows) / len(rows)
