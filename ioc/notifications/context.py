"""The context of a message kept on its outbox row until delivery renders it (R4.5; issue 12 "Speed").

A message's template is rendered when it is sent, not when it is enqueued: the row keeps the template key, the
recipient's name and language, and this JSON form of the caller's context. The form is exact, or the caller's
context is not stored at all: plain JSON values as they are, datetimes, dates, times and decimals tagged
(`{"$dt": …}`, …) so that a template's filters (`|date:"H:i d/m/Y"`) see the same values at delivery, and lazy
translations as the text they had when enqueued (what rendering at enqueue produced). Text marked safe (a
`SafeString`, e.g. from `format_html`, whose user values are escaped already) is tagged `{"$safe": …}` and marked
safe again at delivery, so a template's `|escape` or `{% autoescape on %}` does not escape it a second time; a
plain string stays plain and is escaped once. A caller's dict cannot forge the tag: a key named like a tag is
refused. Any other value — a model instance, a tuple, a UUID, an enum member — raises `NotStorable`, and the caller
renders at enqueue as before.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.safestring import SafeData, SafeString, mark_safe

_TAGS = ("$dt", "$d", "$t", "$dec", "$safe")


class NotStorable(ValueError):
    """The context holds a value whose JSON form would not render the same."""


def encode(context: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON form of a template context; raises NotStorable."""
    return {_key(key): _encode(value) for key, value in context.items()}


def decode(stored: Mapping[str, Any]) -> dict[str, Any]:
    """The template context back from its JSON form."""
    return {key: _decode(value) for key, value in stored.items()}


def _key(key: object) -> str:
    if type(key) is not str or key in _TAGS:
        raise NotStorable(f"context key {key!r}")
    return key


def _encode(value: Any) -> Any:
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is SafeString:
        return {"$safe": str.__str__(value)}
    if kind is float:
        if not math.isfinite(value):
            raise NotStorable("a non-finite number")
        return value
    if kind is dt.datetime:
        return {"$dt": value.isoformat()}
    if kind is dt.date:
        return {"$d": value.isoformat()}
    if kind is dt.time:
        return {"$t": value.isoformat()}
    if kind is decimal.Decimal:
        return {"$dec": str(value)}
    if isinstance(value, Promise):
        text = str(value)
        return {"$safe": str.__str__(text)} if isinstance(text, SafeData) else str.__str__(text)
    if kind is list:
        return [_encode(item) for item in value]
    if kind is dict:
        return encode(value)
    raise NotStorable(f"a value of type {kind.__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((tag, text),) = value.items()
        if tag in _TAGS:
            return _PARSERS[tag](text)
    return decode(value)


_PARSERS = {
    "$dt": dt.datetime.fromisoformat,
    "$d": dt.date.fromisoformat,
    "$t": dt.time.fromisoformat,
    "$dec": decimal.Decimal,
    "$safe": mark_safe,  # only ever written by _encode for a SafeString: a caller's "$safe" key is refused
}
