"""One rule for free text that is shown as plain text everywhere (issue 8 part 4; R3.2, issue 3 "Bad input").

Text is refused when a browser would parse part of it as markup. The HTML tokenizer starts a tag, an end tag, a
comment, a declaration or a processing instruction wherever `<` is immediately followed by an ASCII letter, `/`,
`!` or `?`, whether or not a `>` ever closes it: `<img src=x onerror=…` left unclosed is still a tag. Any other
`<` is text: `a < b > c`, `x<5`, `<3 m`, `<->`, `< b>`.

`has_markup` answers, `no_markup` is the Django validator of form fields, `MARKUP_MESSAGE` the reason given.
`clean_text` is the one check of a service's free-text argument (stripped, required, bounded, no markup), its
ValidationError naming the field. Every app uses these; none keeps its own pattern.
`NO_NUL` is the validator (and, through drf-spectacular, the documented `pattern`) of an API text field whose
value reaches the database or a lookup: JSON can carry a NUL or a lone surrogate, which PostgreSQL cannot store
and DRF refuses, so the schema says so.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MARKUP_START = re.compile(r"<[A-Za-z/!?]")
MARKUP_MESSAGE = _("Không được chứa thẻ HTML / HTML tags are not allowed")
MARKUP_CODE = "html"
_NUL_OR_SURROGATE = re.compile("[\x00\ud800-\udfff]")
NO_NUL = RegexValidator(
    r"^[^\x00\uD800-\uDFFF]*$",
    message=_("Không được chứa ký tự NUL hay ký tự đại diện lẻ / Must not contain NUL or lone surrogate characters"),
    code="null_characters",
)


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


def clean_text(value: Any, *, field: str, required: bool, max_length: int) -> str:
    """`value` as text, stripped; a ValidationError naming `field` when it is empty but required, longer than
    `max_length` or holds markup (issue 3 "Bad input": a 400 or a form error, never a 500)."""
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: [gettext("Không được để trống / This field is required")]})
    if len(text) > max_length:
        message = gettext("Tối đa %(n)d ký tự / At most %(n)d characters") % {"n": max_length}
        raise ValidationError({field: [message]})
    if has_markup(text):
        raise ValidationError({field: [str(MARKUP_MESSAGE)]})
    return text
