"""The registry of notification templates (R4.5): Django template strings, Vietnamese first, English optional.

Domain apps register their templates (`services.register_template`) when their app is ready; messages are
rendered once, when the sender delivers them (issue 12 "Speed"; at enqueue when the context cannot be kept in
JSON), in the recipient's language, and the text is kept on the outbox row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine, Template

# Plain text: no HTML escaping (e-mail text/plain, SMS, webhook JSON).
_ENGINE = Engine(autoescape=False)
SUBJECT_MAX = 255


@dataclass(frozen=True)
class NotificationTemplate:
    code: str
    subject_vi: str
    body_vi: str
    subject_en: str | None = None
    body_en: str | None = None

    def sources(self, language: str) -> tuple[str, str]:
        if language == "en" and self.subject_en is not None and self.body_en is not None:
            return self.subject_en, self.body_en
        return self.subject_vi, self.body_vi


_REGISTRY: dict[str, NotificationTemplate] = {}
_COMPILED: dict[str, Template] = {}


def _compile(source: str) -> Template:
    compiled = _COMPILED.get(source)
    if compiled is None:
        compiled = _COMPILED[source] = _ENGINE.from_string(source)
    return compiled


def register_template(
    code: str, subject_vi: str, body_vi: str, subject_en: str | None = None, body_en: str | None = None
) -> NotificationTemplate:
    """R4.5: register (or identically re-register) a template; a syntax error fails here, not at send time."""
    template = NotificationTemplate(code, subject_vi, body_vi, subject_en, body_en)
    existing = _REGISTRY.get(code)
    if existing is not None and existing != template:
        raise ValueError(f"Notification template {code!r} is already registered with other text")
    if (subject_en is None) != (body_en is None):
        raise ValueError(f"Notification template {code!r}: give both subject_en and body_en, or neither")
    for source in (subject_vi, body_vi, subject_en, body_en):
        if source is not None:
            _compile(source)
    _REGISTRY[code] = template
    return template


def template_get(code: str) -> NotificationTemplate:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise LookupError(f"Unknown notification template {code!r}; register it with register_template()") from None


def registered_codes() -> list[str]:
    return sorted(_REGISTRY)


def render(template: NotificationTemplate, language: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body) in `language` (English falls back to Vietnamese when not provided)."""
    subject_src, body_src = template.sources(language)
    ctx = Context(dict(context), autoescape=False)
    subject = " ".join(_compile(subject_src).render(ctx).split())[:SUBJECT_MAX]
    body = _compile(body_src).render(ctx).strip()
    return subject, body


register_template(
    "notifications.test",
    "[IOC] Thông báo thử",
    "Xin chào {{ recipient_name }},\n\nĐây là thông báo thử của hệ thống IOC.",
    "[IOC] Test notification",
    "Hello {{ recipient_name }},\n\nThis is a test notification from the IOC.",
)
