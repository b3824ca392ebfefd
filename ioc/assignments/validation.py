"""Checks of the text people type into agency work (issue 3 "Bad input": no HTML, bounded length).

What counts as HTML is decided once, in `ioc.common.plaintext`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ioc.assignments.choices import MAX_EVIDENCE_FILES, TEXT_MAX
from ioc.common.images import CleanImage, image_clean
from ioc.common.plaintext import MARKUP_MESSAGE, has_markup


def text_problem(value: str, *, required: bool, max_length: int = TEXT_MAX) -> str | None:
    """The reason `value` is refused, or None; used by the services and by the forms alike."""
    if required and not value.strip():
        return _("Bắt buộc nhập nội dung / This field is required")
    if len(value) > max_length:
        return _("Tối đa %(n)d ký tự / At most %(n)d characters") % {"n": max_length}
    if has_markup(value):
        return str(MARKUP_MESSAGE)
    return None


def clean_text(value: str, *, field: str, required: bool, max_length: int = TEXT_MAX) -> str:
    """`value` stripped, or a ValidationError naming `field`."""
    value = (value or "").strip()
    problem = text_problem(value, required=required, max_length=max_length)
    if problem is not None:
        raise ValidationError({field: [problem]})
    return value


def clean_uploads(uploads: list[Any]) -> list[CleanImage]:
    """Every uploaded photo through `image_clean`; all refusals at once, each naming its file."""
    if len(uploads) > MAX_EVIDENCE_FILES:
        raise ValidationError(_("Tối đa %(n)d ảnh / At most %(n)d photos") % {"n": MAX_EVIDENCE_FILES})
    cleaned: list[CleanImage] = []
    problems: list[str] = []
    for upload in uploads:
        try:
            cleaned.append(image_clean(upload))
        except ValidationError as error:
            name = str(getattr(upload, "name", "") or "?")[:80]
            problems.extend(f"{name}: {message}" for message in error.messages)
    if problems:
        raise ValidationError(problems)
    return cleaned
