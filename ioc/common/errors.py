"""One error body for every 4xx under /api/v1/ (DESIGN "Contracts"):
`{"error": {"code", "message", "fields": {name: [reason]}}, "request_id"}`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "request_id"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            },
        },
        "request_id": {"type": "string"},
    },
}


def error_body(
    request: HttpRequest | None, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {
        "error": {"code": code, "message": message, "fields": fields or {}},
        "request_id": getattr(request, "request_id", ""),
    }


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field" or "field.sub": [reasons]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.update(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            out[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                out.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        body = error_body(request, "invalid", "Dữ liệu không hợp lệ / Invalid input", fields)
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        body = error_body(request, code, str(exc.detail))
    else:  # pragma: no cover - exception_handler only returns for APIException
        body = error_body(request, "error", str(exc))
    response.data = body
    return response


def json_error(
    request: HttpRequest, status_code: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> JsonResponse:
    return JsonResponse(error_body(request, code, message, fields), status=status_code)


def spectacular_error_hook(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Document the shared error body on every operation of the schema."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code, text in (
                ("400", "Dữ liệu không hợp lệ / Invalid input"),
                ("401", "Cần đăng nhập / Not authenticated"),
                ("403", "Không có quyền / Forbidden"),
                ("404", "Không tìm thấy / Not found"),
            ):
                responses.setdefault(code, {"description": text, **ref})
            for code in ("409", "422", "429"):  # declared by the operation (a description): the same error body
                if code in responses and "content" not in responses[code]:
                    responses[code].update(ref)
    return result


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    """JSON under /api/, the page elsewhere."""
    if _is_api(request):
        return json_error(request, 404, "not_found", "Không tìm thấy / Not found")
    return defaults.page_not_found(request, exception)


def handler403(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return json_error(request, 403, "forbidden", "Không có quyền / Forbidden")
    return defaults.permission_denied(request, exception)


def handler400(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return json_error(request, 400, "bad_request", "Yêu cầu không hợp lệ / Bad request")
    return defaults.bad_request(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return json_error(request, 500, "server_error", "Lỗi máy chủ / Server error")
    return defaults.server_error(request)
