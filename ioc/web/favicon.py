"""`/favicon.ico` (issue 19): a browser asks for it whenever a page without a `<link rel=icon>` is shown (a
photo opened on its own), and a 404 lands in its console. It answers with the IOC's SVG mark, the static file
the pages declare, by a redirect to its hashed URL."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.utils.cache import patch_cache_control


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    response = HttpResponseRedirect(static("web/favicon.svg"))
    patch_cache_control(response, public=True, max_age=86400)
    return response
