"""Vietnamese first (DESIGN "Conventions"): pages speak Vietnamese unless the person chose English with the
language switch (the `django_language` cookie set by /i18n/setlang/). The browser's Accept-Language is not
followed: officials whose computers are set to English still get the Vietnamese interface by default.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request: HttpRequest) -> str:
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class VietnameseFirstLocaleMiddleware:
    """Replaces Django's LocaleMiddleware: the language comes from the switch's cookie, else Vietnamese."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
