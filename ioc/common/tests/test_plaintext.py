"""The one "no markup" rule of free text (issue 8 part 4): each case is refused or accepted, by every app."""

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from ioc.common.plaintext import MARKUP_MESSAGE, clean_text, has_markup, no_markup, text_problem

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


class CleanTextTest(SimpleTestCase):
    """`clean_text`: the one check of a service's free-text argument (operations, review meetings, duty, command)."""

    def refusal(self, value: object, **kwargs: object) -> list[str]:
        options = {"field": "note", "required": True, "max_length": 10, **kwargs}
        with self.assertRaises(ValidationError) as caught:
            clean_text(value, **options)  # type: ignore[arg-type]
        self.assertEqual(list(caught.exception.message_dict), ["note"])
        return caught.exception.message_dict["note"]

    def test_text_is_stripped_and_an_optional_blank_is_empty(self):
        self.assertEqual(clean_text("  Họp giao ban  ", field="note", required=True, max_length=20), "Họp giao ban")
        self.assertEqual(clean_text(None, field="note", required=False, max_length=20), "")
        self.assertEqual(clean_text("a < b", field="note", required=True, max_length=20), "a < b")

    def test_each_refusal_names_the_field_and_the_reason_vietnamese_first(self):
        self.assertEqual(self.refusal("   "), ["Không được để trống / This field is required"])
        self.assertEqual(self.refusal("x" * 11), ["Tối đa 10 ký tự / At most 10 characters"])
        self.assertEqual(self.refusal("<b>x</b>"), [str(MARKUP_MESSAGE)])
        self.assertEqual(self.refusal("<i>", required=False), [str(MARKUP_MESSAGE)])


class TextProblemTest(SimpleTestCase):
    """`text_problem`: the same check as a value (message, code), for services and forms gathering refusals."""

    def test_each_problem_has_its_message_and_code(self):
        self.assertEqual(text_problem("ok", max_length=5, required=True), None)
        self.assertEqual(
            text_problem(" ", max_length=5, required=True), ("Không được để trống / This field is required", "required")
        )
        self.assertEqual(text_problem("x" * 6, max_length=5, required=False).code, "max_length")
        self.assertEqual(text_problem("<b>", max_length=5, required=False), (str(MARKUP_MESSAGE), "html"))

    def test_control_characters_are_refused_only_when_asked(self):
        self.assertIsNone(text_problem("a\x07b", max_length=5, required=True))
        self.assertIsNone(text_problem("a\tb\r\n", max_length=9, required=True, control_chars=True))
        self.assertEqual(text_problem("a\x07b", max_length=5, required=True, control_chars=True).code, "control_chars")

    def test_clean_text_raises_the_problem_with_its_code_on_the_field(self):
        with self.assertRaises(ValidationError) as caught:
            clean_text("a\x00b", field="note", required=True, max_length=9, control_chars=True)
        self.assertEqual(caught.exception.error_dict["note"][0].code, "control_chars")

    def test_an_app_may_word_the_required_reason_its_own_way(self):
        problem = text_problem("", max_length=5, required=True, required_message="Bắt buộc nhập nội dung")
        self.assertEqual(problem, ("Bắt buộc nhập nội dung", "required"))


class JsonNulPathTest(SimpleTestCase):
    """issue 16: where a parsed JSON value holds a NUL or a lone surrogate (PostgreSQL stores neither)."""

    def test_the_first_place_in_document_order_is_named(self) -> None:
        from ioc.common.plaintext import json_nul_path

        cases = (
            ({"a": 1, "b": ["x", {"c": "y\x00"}]}, "b.1.c"),
            ({"k\x00": 1}, "k\x00"),
            (["ok", "\ud800", "\x00"], "1"),
            ("\x00", ""),
            ({"a": {"b": "\udfff"}, "z": "\x00"}, "a.b"),
        )
        for value, place in cases:
            with self.subTest(place=place):
                self.assertEqual(json_nul_path(value), place)
        self.assertEqual(json_nul_path({"messages": [{"p": "\x00"}]}, brackets=True), "messages[0].p")

    def test_clean_values_and_emoji_pass(self) -> None:
        from ioc.common.plaintext import json_nul_path, no_nul_json

        values: tuple[object, ...] = ({"a": [1, 2.5, None, True, "Hồ Gươm 😀"]}, [], {}, 3, None, "tab\tline\n")
        for value in values:
            with self.subTest(value=value):
                self.assertIsNone(json_nul_path(value))
                no_nul_json(value)

    def test_the_validator_and_the_refusal_name_the_place(self) -> None:
        from ioc.common.plaintext import no_nul_json, refuse_json_nul

        with self.assertRaisesMessage(ValidationError, "tram.k"):
            no_nul_json({"tram": {"k": "\x00"}})
        with self.assertRaises(ValidationError) as refused:
            refuse_json_nul([{"rule": {"description": "\x00"}}], field="events")
        self.assertEqual(list(refused.exception.message_dict), ["events.0.rule.description"])
        with self.assertRaises(ValidationError) as whole:
            refuse_json_nul("\x00")
        self.assertEqual(list(whole.exception.message_dict), ["body"])
