"""One rule for free text that is shown as plain text everywhere (issue 8 part 4; R3.2, issue 3 "Bad input").

Text is refused when a browser would parse part of it as markup. The HTML tokenizer starts a tag, an end tag, a
comment, a declaration or a processing instruction wherever `<` is immediately followed by an ASCII letter, `/`,
`!` or `?`, whether or not a `>` ever closes it: `<img src=x onerror=…` left unclosed is still a tag. Any other
`<` is text: `a < b > c`, `x<5`, `<3 m`, `<->`, `< b>`.

`has_markup` answers, `no_markup` is the Django validator of form fields, `MARKUP_MESSAGE` the reason given.
`clean_text` is the one check of a service's free-text argument (stripped, required, bounded, no markup; control
characters too where asked), its ValidationError naming the field; `text_problem` is the same check as a value
(message, code) for a service or form that gathers every field's refusal before raising. Every app uses these;
none keeps its own pattern or messages.
`NO_NUL` is the validator (and, through drf-spectacular, the documented `pattern`) of an API text field whose
value reaches the database or a lookup: JSON can carry a NUL or a lone surrogate, which PostgreSQL cannot store
and DRF refuses, so the schema says so.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MARKUP_START = re.compile(r"<[A-Za-z/!?]")
MARKUP_MESSAGE = _("Không được chứa thẻ HTML / HTML tags are not allowed")
MARKUP_CODE = "html"
REQUIRED_MESSAGE = _("Không được để trống / This field is required")
CONTROL_MESSAGE = _("Có ký tự điều khiển không hợp lệ / Contains invalid control characters")
# C0 controls and DEL but tab, line feed and carriage return, which free text may hold.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NUL_OR_SURROGATE = re.compile("[\x00\ud800-\udfff]")
NO_NUL = RegexValidator(
    r"^[^\x00\uD800-\uDFFF]*$",
    message=_("Không được chứa ký tự NUL hay ký tự đại diện lẻ / Must not contain NUL or lone surrogate characters"),
    code="null_characters",
)


# A JSON text's escapes, read left to right as the parser reads them (an escaped backslash is one token, so the
# `\\u0000` of `"\\\\u0000"` is text, not an escape). Raw NUL bytes are already invalid JSON (a control character
# in a string), and raw surrogate bytes invalid UTF-8 (entry points decode strictly).
_ESCAPE_TOKEN = re.compile(rb"\\(?:u([0-9a-fA-F]{4})|.)", re.DOTALL)
# The quick test: no escape of a NUL or of any surrogate at all (Vietnamese sent with `ensure_ascii` escapes every
# letter, so "any escape" would send most bodies down the slow path).
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
JSON_NUL_MESSAGE = (
    "JSON có ký tự NUL (\\u0000) hoặc ký tự đại diện lẻ, không lưu được / "
    "The JSON holds a NUL (\\u0000) or a lone surrogate, which cannot be stored"
)


def json_has_nul(raw: bytes) -> bool:
    """True when a UTF-8 JSON body escapes a NUL or a lone surrogate anywhere (a key or a value): PostgreSQL cannot
    store either (a 500 on that database otherwise), and no text of ours has a use for them. Entry points that parse
    JSON themselves refuse the body with `JSON_NUL_MESSAGE` before parsing it; an emoji's surrogate pair passes."""
    if _SUSPECT_ESCAPE.search(raw) is None:
        return False
    high_ends_at = -1  # where the last high surrogate's escape ended, while it waits for its low half
    for token in _ESCAPE_TOKEN.finditer(raw):
        code = int(token.group(1), 16) if token.group(1) else None
        if high_ends_at >= 0:
            if token.start() != high_ends_at or code is None or not 0xDC00 <= code <= 0xDFFF:
                return True
            high_ends_at = -1
        elif code == 0 or (code is not None and 0xDC00 <= code <= 0xDFFF):
            return True
        elif code is not None and 0xD800 <= code <= 0xDBFF:
            high_ends_at = token.end()
    return high_ends_at >= 0


def has_nul(value: str) -> bool:
    """True when `value` holds a NUL or a lone surrogate (what `NO_NUL` refuses), for services that check rows
    of a JSON body themselves (row, field, reason) instead of through a serializer."""
    return _NUL_OR_SURROGATE.search(value) is not None


def has_markup(value: str) -> bool:
    """True when `value` holds the start of a tag, an end tag, a comment, a declaration or a processing
    instruction as a browser reads them."""
    return MARKUP_START.search(value) is not None


def no_markup(value: str | None) -> None:
    """Form-field validator: refuse text a browser would read as markup (code `html`)."""
    if value and has_markup(value):
        raise ValidationError(MARKUP_MESSAGE, code=MARKUP_CODE)


class TextProblem(NamedTuple):
    """Why a free text is refused: the message (Vietnamese first) and its code."""

    message: str
    code: str


def text_problem(
    value: str, *, max_length: int, required: bool, control_chars: bool = False, required_message: Any = None
) -> TextProblem | None:
    """The reason `value` (already stripped) is refused, or None: empty but required, longer than `max_length`,
    markup, and with `control_chars` a C0 control other than tab and line breaks (issue 3 "Bad input").
    `required_message` replaces the "required" reason where an app's forms already word it their own way."""
    if required and not value.strip():
        return TextProblem(str(required_message or REQUIRED_MESSAGE), "required")
    if len(value) > max_length:
        return TextProblem(gettext("Tối đa %(n)d ký tự / At most %(n)d characters") % {"n": max_length}, "max_length")
    if has_markup(value):
        return TextProblem(str(MARKUP_MESSAGE), MARKUP_CODE)
    if control_chars and _CONTROL.search(value):
        return TextProblem(str(CONTROL_MESSAGE), "control_chars")
    return None


def clean_text(
    value: Any,
    *,
    field: str,
    required: bool,
    max_length: int,
    control_chars: bool = False,
    required_message: Any = None,
) -> str:
    """`value` as text, stripped; a ValidationError naming `field` when `text_problem` refuses it (issue 3 "Bad
    input": a 400 or a form error, never a 500)."""
    text = str(value or "").strip()
    problem = text_problem(
        text, max_length=max_length, required=required, control_chars=control_chars, required_message=required_message
    )
    if problem is not None:
        raise ValidationError({field: [ValidationError(problem.message, code=problem.code)]})
    return text
