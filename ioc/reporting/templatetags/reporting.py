"""R8.3: figures on the pages in the documents' Vietnamese number format."""

from typing import Any

from django import template

from ioc.reporting.content import format_value

register = template.Library()


@register.filter
def figure_value(value: Any) -> str:
    return format_value(value)
