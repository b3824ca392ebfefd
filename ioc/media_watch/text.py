"""Vietnamese text as the online-information watch reads it (R5.7, issue 22 item 2).

`normalise` turns what a feed or a page carries into one comparable form: markup stripped (scripts and styles
dropped, entities decoded), Unicode NFC, lower case, the tone mark of an open "oa", "oe", "uy" syllable placed on
its second vowel ("Hòa" and "Hoà" are both "hoà", "thủy" and "thuỷ" both "thuỷ"), and the text cut into
syllables (runs of letters and digits) joined by one space. `fold_aligned` strips every mark from that form
character by character, so an offset in one is the same offset in the other: a hit found in the folded text by
the automaton is checked against the marked text at the very same span (a term typed with marks matches only
those marks). No word segmenter is used: a phrase is a sequence of syllables.
"""

from __future__ import annotations

import html
import re
import unicodedata

from lxml import etree
from lxml import html as lxml_html

TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng
_OPEN_PAIRS = frozenset({("o", "a"), ("o", "e"), ("u", "y")})
_SYLLABLE = re.compile(r"[^\W_]+")
_MARKUP = re.compile(r"<[A-Za-z/!?]")
_DROPPED_TAGS = ("script", "style", "noscript", "template")


def strip_markup(text: str) -> str:
    """The text a reader sees: tags removed (scripts and styles with their content), entities decoded."""
    if not _MARKUP.search(text):
        return html.unescape(text)
    try:
        root = lxml_html.fragment_fromstring(text, create_parent="div")
    except (etree.ParserError, ValueError):
        return html.unescape(re.sub(r"<[^>]*>", " ", text))
    for tag in root.iter(*_DROPPED_TAGS):
        tag.drop_tree()
    for element in root.iter():  # block boundaries become spaces, so "<p>a</p><p>b</p>" is not "ab"
        if isinstance(element.tag, str):
            element.tail = " " + (element.tail or "")
    return str(root.text_content())


def _place_tone(syllable: str) -> str:
    """Move the tone of an open "oa", "oe", "uy" ending from the first vowel to the second ("hòa" → "hoà")."""
    chars = unicodedata.normalize("NFD", syllable)
    letters: list[list[str]] = []
    for ch in chars:
        if unicodedata.combining(ch) and letters:
            letters[-1].append(ch)
        else:
            letters.append([ch])
    if len(letters) < 2:
        return syllable
    first, second = letters[-2], letters[-1]
    if (first[0], second[0]) not in _OPEN_PAIRS or len(second) > 1:
        return syllable
    tones = [mark for mark in first[1:] if mark in TONE_MARKS]
    if len(tones) != 1 or len(first) != 2:  # "ôa" and the like are no Vietnamese open pair: left alone
        return syllable
    letters[-2], letters[-1] = [first[0]], [second[0], tones[0]]
    return unicodedata.normalize("NFC", "".join("".join(letter) for letter in letters))


def syllables(text: str) -> list[str]:
    """The normalised syllables of `text` (NFC, lower case, tone placed, no stray combining marks)."""
    flat = unicodedata.normalize("NFC", strip_markup(text).lower())
    flat = "".join(ch for ch in flat if not unicodedata.combining(ch))
    return [_place_tone(word) for word in _SYLLABLE.findall(flat)]


def normalise(text: str) -> str:
    """R5.7: one comparable form of `text`: its syllables joined by single spaces."""
    return " ".join(syllables(text))


def _fold_char(ch: str) -> str:
    if ch == "đ":
        return "d"
    return unicodedata.normalize("NFD", ch)[0]


def fold_aligned(normalised: str) -> str:
    """`normalised` with every mark stripped, one character for one (offsets are shared)."""
    if normalised.isascii():
        return normalised
    return "".join(_fold_char(ch) for ch in normalised)


def fold_text(text: str) -> str:
    """The folded form of any text (normalised first): what search and the automaton compare."""
    return fold_aligned(normalise(text))


def has_marks(term: str) -> bool:
    """Whether a typed term carries any Vietnamese mark (then it matches only those marks)."""
    normal = normalise(term)
    return fold_aligned(normal) != normal
