"""Form helpers every app's pages share (issue 8 part 4).

`add_service_errors` shows a service's refusal on the form that fed it: services raise
`ValidationError({field: [reason]})` (DESIGN "Checklist: add a service"); a page puts each reason next to the
field of that name, and what names no field of the form (or no field at all) on top as a non-field error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


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


class PlainSelect(forms.Select):
    """A single-choice `<select>` written in Python, with the markup Django's widget templates give (issue 20
    "Speed": a filter with the territory's communes and the agencies cost ~20 ms a page through the templates, one
    template render per option). Flat choices only; grouped choices fall back to the templates."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        choices = [choice for choice in self.choices]  # not list(): it would ask a queryset len(), a COUNT
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        wanted = set(self.format_value(value))
        parts = [f"<select{flatatt(final)}>"]
        chosen = False
        for option_value, label in choices:
            text = "" if option_value is None else str(option_value)
            selected = not chosen and text in wanted
            chosen = chosen or selected
            mark = " selected" if selected else ""
            parts.append(f'<option value="{escape(text)}"{mark}>{escape(label)}</option>')
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 - every value and label escaped above, attributes by flatatt
