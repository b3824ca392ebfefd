"""What the operations pages share: running a service on a bound form (its refusal on the form, 400)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from ioc.common.forms import add_service_errors


def run(request: HttpRequest, form: forms.Form, call: Callable[[dict[str, Any]], Any], done: str) -> Any:
    """Call the service with the cleaned data; a refusal lands on the form (None), success adds `done`."""
    if not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
        return None
    messages.success(request, done)
    return result if result is not None else True
