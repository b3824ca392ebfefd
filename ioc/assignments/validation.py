"""Checks of the text people type into agency work (issue 3 "Bad input": no HTML, bounded length).

What counts as HTML is decided once, in `ioc.common.plaintext`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ioc.assignments.choices import MAX_EVIDENCE_FILES, TEXT_MAX
from ioc.common import plaintext
from ioc.common.images import CleanImage, image_clean

# The wording of the agency-work forms' own "required" error (forms/work.py), kept for the services' refusals.
REQUIRED_MESSAGE = gettext_lazy("Bắt buộc nhập nội dung / This field is required")


def text_problem(value: str, *, required: bool, max_length: int = TEXT_MAX) -> str | None:
    """The reason `value` is refused (`plaintext.text_problem`), or None; used by the services and the forms."""
    problem = plaintext.text_problem(value, required=required, max_length=max_length, required_message=REQUIRED_MESSAGE)
    return None if problem is None else problem.message


def clean_text(value: str, *, field: str, required: bool, max_length: int = TEXT_MAX) -> str:
    """`plaintext.clean_text` with the agency work's default bound (TEXT_MAX) and wording."""
    return plaintext.clean_text(
        value, field=field, required=required, max_length=max_length, required_message=REQUIRED_MESSAGE
    )


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
