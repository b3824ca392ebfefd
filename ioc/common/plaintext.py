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
JSON_NUL_MESSAGE = _(
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


JSON_VALUE_NUL_MESSAGE = _(
    "Có ký tự NUL (\\u0000) hoặc ký tự đại diện lẻ tại %(path)s, không lưu được / "
    "Holds a NUL (\\u0000) or a lone surrogate at %(path)s, which cannot be stored"
)


def json_nul_path(value: Any, *, brackets: bool = False) -> str | None:
    """Where a parsed JSON value (dicts, lists, strings, numbers…) holds a NUL or a lone surrogate, in a key or a
    string: the path as the API's error body names nested fields ("3.rule.description"; "" for the value itself),
    or None when there is none. Free-form JSON an API accepts (JSONField, DictField) reaches jsonb or text columns,
    which refuse both on PostgreSQL: checked where the value is validated, a 400 naming the place, never a 500.
    `brackets`: list items as "messages[0].payload" (the federation API's way). Iterative, depth-first in document
    order: the first such place is the one named."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if has_nul(item):
                return path
        elif isinstance(item, dict):
            children = []
            for key, child in item.items():
                name = f"{path}.{key}" if path else str(key)
                if isinstance(key, str) and has_nul(key):
                    return name
                children.append((name, child))
            stack.extend(reversed(children))
        elif isinstance(item, list | tuple):
            names = [f"{path}[{i}]" if brackets else (f"{path}.{i}" if path else str(i)) for i in range(len(item))]
            stack.extend(reversed(list(zip(names, item, strict=True))))
    return None


def no_nul_json(value: Any) -> None:
    """Validator of an API's free-form JSON field (DRF JSONField, DictField, ListField of dicts): a NUL or a lone
    surrogate anywhere in it is refused, the message naming where (`json_nul_path`)."""
    path = json_nul_path(value)
    if path is not None:
        raise ValidationError(str(JSON_VALUE_NUL_MESSAGE) % {"path": path or "."}, code="null_characters")


def refuse_json_nul(value: Any, *, field: str = "") -> None:
    """For an entry point that reads a JSON body itself: a ValidationError (the API's 400) naming `field` and the
    place inside it ("events.3.rule.description"; without `field`, the place in the body, or "body") when `value`
    holds a NUL or a lone surrogate."""
    path = json_nul_path(value)
    if path is not None:
        name = ".".join(part for part in (field, path) if part) or "body"
        message = str(JSON_VALUE_NUL_MESSAGE) % {"path": name}
        raise ValidationError({name: [ValidationError(message, code="null_characters")]})


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
