"""Form helpers every app's pages share (issue 8 part 4).

`add_service_errors` shows a service's refusal on the form that fed it: services raise
`ValidationError({field: [reason]})` (DESIGN "Checklist: add a service"); a page puts each reason next to the
field of that name, and what names no field of the form (or no field at all) on top as a non-field error.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(
    form: forms.BaseForm, exc: ValidationError, *, fields: Mapping[str, str | None] | None = None
) -> None:
    """Put a service's ValidationError on `form`: the fields the form has get their reasons, the others become
    non-field errors. `fields` renames the service's field names to the form's (None: show it on top)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    renames = fields or {}
    for name, reasons in exc.message_dict.items():
        field = renames.get(name, name)
        form.add_error(field if field is not None and field in form.fields else None, reasons)


def tabler_style(form: forms.BaseForm) -> None:
    """Give every widget of `form` Tabler's class (check box, select or text control) unless it has one."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
