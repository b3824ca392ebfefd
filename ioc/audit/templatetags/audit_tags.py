"""Template helpers of the audit page (R7.3)."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder

register = template.Library()


@register.filter
def audit_json(value: Any) -> str:
    """The `changes` of an entry as compact JSON (escaped by the template as usual)."""
    if value in (None, {}, []):
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder)
