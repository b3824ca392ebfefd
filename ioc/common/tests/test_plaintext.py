"""The one "no markup" rule of free text (issue 8 part 4): each case is refused or accepted, by every app."""

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from ioc.common.plaintext import has_markup, no_markup

# (text, a browser reads markup in it)
CASES = (
    # tags, closed or not
    ("<b>x</b>", True),
    ("Xem <script>alert(1)</script>", True),
    ("<img src=x onerror=alert(1)", True),  # unclosed: still a tag
    ('Ổ gà <img src=x onerror="alert(1)">', True),
    ("<br/>", True),
    ("<B>", True),
    ("a<b", True),  # "<b" opens a tag even without spaces or ">"
    ("<svg/onload=alert(1)>", True),
    # end tags, comments, declarations, processing instructions
    ("</p>", True),
    ("</", True),
    ("<!-- x -->", True),
    ("<!DOCTYPE html>", True),
    ("<![CDATA[x]]>", True),
    ("<?xml version='1.0'?>", True),
    ("<?php", True),
    # plain text with angle brackets
    ("a < b > c", False),
    ("x<5", False),
    ("mực nước <3 m và >1 m", False),
    ("Đường 3/2 <-> cầu", False),
    ("< b>", False),  # a space after "<" is text for a browser
    ("1 <= 2", False),
    ("<<>>", False),
    ("‹b›", False),
    ("<đường>", False),  # only ASCII letters start a tag
    ("", False),
    ("Cây đổ trên đường Nguyễn Văn Linh", False),
)


class PlainTextRuleTest(SimpleTestCase):
    def test_each_case(self):
        for text, markup in CASES:
            with self.subTest(text=text):
                self.assertIs(has_markup(text), markup)

    def test_the_validator_refuses_exactly_the_markup_cases_naming_the_reason(self):
        for text, markup in CASES:
            with self.subTest(text=text):
                if not markup:
                    no_markup(text)
                    continue
                with self.assertRaises(ValidationError) as caught:
                    no_markup(text)
                self.assertEqual(caught.exception.code, "html")
                self.assertIn("HTML", caught.exception.messages[0])

    def test_the_validator_accepts_an_empty_field(self):
        no_markup(None)
        no_markup("")
