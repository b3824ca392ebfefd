"""Open311 GeoReport v2 at /open311/v2/ (R3.1, R3.4): plain Django views with the spec's own formats.

- Every resource in `.xml` and `.json`; errors in the spec's body (`<errors><error>` / `[{"code","description"}]`)
  with 404 for an unknown service, request or token, 403 for a missing, bad, expired or unscoped `api_key`,
  429 over a rate limit, 400 otherwise.
- Only `POST requests` needs an `api_key` (a token with the `open311.submit` scope, sent as a form field as
  FixMyStreet does; a query-string key is accepted too). GETs are public and show no personal data.
- Services are `realtime`: `report_receive` is synchronous, so POST answers the `service_request_id` (the
  tracking code) at once. `tokens/{token}` still works for clients that follow the token flow: the token of a
  request is its service_request_id.
- `jurisdiction_id` is ignored unless `settings.OPEN311_JURISDICTION_ID` is set; then another value is a 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from ioc.accounts.selectors import token_resolve
from ioc.accounts.services import token_mark_used
from ioc.agencies.selectors import information_system_of
from ioc.citizen_reports import services
from ioc.citizen_reports.choices import CLOSED_STATUSES, PHOTO_MAX_COUNT, Channel, ReportStatus
from ioc.citizen_reports.models import Category
from ioc.citizen_reports.open311 import params, queries
from ioc.citizen_reports.open311.attributes import attribute_values, service_definition
from ioc.citizen_reports.open311.formats import Format, format_of, iso_datetime, render, render_errors
from ioc.citizen_reports.open311.media import media_from_request
from ioc.citizen_reports.privacy import mask_contacts
from ioc.common.middleware import client_address
from ioc.common.ratelimit import address_identity, rate_limit_hits, rate_limit_rule
from ioc.geo.choices import qualified_unit_code

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2025-07-01T00:00:00+07:00"  # when this endpoint's behaviour last changed (ISO 8601)
SUBMIT_SCOPE = "open311.submit"
# report_receive's field names → the GeoReport argument the client sent.
FIELD_ARGUMENTS = {
    "lat": "lat",
    "lon": "long",
    "unit": "address_id",
    "address": "address_string",
    "name": "first_name",
    "contact.name": "first_name",
    "phone": "phone",
    "contact.phone": "phone",
    "email": "email",
    "contact.email": "email",
    "photos": "media",
    "category": "service_code",
    "description": "description",
}

View = Callable[..., HttpResponse]


# --- errors and plumbing -----------------------------------------------------------------------------------------


def _error(fmt: Format, status: int, description: str) -> HttpResponse:
    return render_errors(fmt, status, [(status, description)])


def _too_many(fmt: Format, retry_after: int) -> HttpResponse:
    response = _error(fmt, 429, _("Quá nhiều yêu cầu, thử lại sau / Too many requests, retry later"))
    response["Retry-After"] = str(max(1, retry_after))
    return response


def _method_not_allowed(fmt: Format, allowed: str) -> HttpResponse:
    response = _error(fmt, 400, _("Phương thức không được hỗ trợ / Method not allowed"))
    response["Allow"] = allowed
    return response


def _jurisdiction_error(data: QueryDict, fmt: Format) -> HttpResponse | None:
    expected = str(getattr(settings, "OPEN311_JURISDICTION_ID", "") or "")
    given = params.text(data, "jurisdiction_id")
    if expected and given and given != expected:
        return _error(fmt, 404, _("jurisdiction_id: Không phục vụ đơn vị này / Unknown jurisdiction_id"))
    return None


def _get_only(request: HttpRequest, fmt: Format) -> HttpResponse | None:
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed(fmt, "GET, HEAD")
    limited = _read_limit(request, fmt)
    return limited or _jurisdiction_error(request.GET, fmt)


def _read_limit(request: HttpRequest, fmt: Format) -> HttpResponse | None:
    identity = address_identity(client_address(request))
    decision = rate_limit_hits([rate_limit_rule("open311.get.addr", identity=identity)])
    return None if decision.allowed else _too_many(fmt, decision.retry_after)


def _absolute(request: HttpRequest, name: str, **kwargs: Any) -> str | None:
    try:
        return request.build_absolute_uri(reverse(name, kwargs=kwargs))
    except NoReverseMatch:
        return None


# --- discovery and services ------------------------------------------------------------------------------------


@csrf_exempt
def discovery(request: HttpRequest, fmt: Format) -> HttpResponse:
    """GeoReport v2 service discovery (`discovery.xml` / `discovery.json`)."""
    if (refused := _get_only(request, fmt)) is not None:
        return refused
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit("/", 1)[0]
    endpoint_type = getattr(settings, "OPEN311_ENDPOINT_TYPE", "test" if settings.DEBUG else "production")
    body = {
        "changeset": CHANGESET,
        "contact": getattr(
            settings,
            "OPEN311_CONTACT",
            _("Trung tâm Giám sát, điều hành thông minh (IOC) / Intelligent Operations Center (IOC)"),
        ),
        "key_service": getattr(
            settings,
            "OPEN311_KEY_SERVICE",
            _(
                "Mã api_key (quyền open311.submit) do IOC cấp theo văn bản đề nghị của cơ quan, đơn vị / "
                "An api_key (scope open311.submit) is issued by the IOC on a written request"
            ),
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": CHANGESET,
                "type": endpoint_type,
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, "discovery", body)


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": True,
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


@csrf_exempt
def service_list(request: HttpRequest, fmt: Format) -> HttpResponse:
    """GET services: every active category."""
    if (refused := _get_only(request, fmt)) is not None:
        return refused
    return render(fmt, "services", [_service(c) for c in queries.active_services()])


@csrf_exempt
def service_detail(request: HttpRequest, code: str, fmt: Format) -> HttpResponse:
    """GET services/{code}: the service definition (its attributes)."""
    if (refused := _get_only(request, fmt)) is not None:
        return refused
    category = queries.service_get(code)
    if category is None:
        return _error(fmt, 404, _("service_code: Không có lĩnh vực này / Unknown service_code"))
    return render(fmt, "service_definition", service_definition(category.code))


# --- requests: GET ---------------------------------------------------------------------------------------------


def _status_labels() -> dict[str, str]:
    """Status → its label in the active language, built once per response (an enum look-up per row costs)."""
    return {str(value): str(label) for value, label in ReportStatus.choices}


class _RequestBodies:
    """GeoReport `request` objects from public rows (`queries.Page`): public fields only (no name, phone or
    e-mail; free text masked)."""

    def __init__(self, request: HttpRequest, page: queries.Page) -> None:
        self.request = request
        self.photos = page.photos
        self.labels = _status_labels()

    def status_notes(self, row: queries.Row) -> str:
        """The Vietnamese state label, with the public reason of a rejection, the original of a duplicate and
        the agency's published answer (contacts masked)."""
        status: str = row["status"]
        label = self.labels.get(status, status)
        if status == ReportStatus.REJECTED and row["rejection_reason"]:
            return f"{label}: {mask_contacts(row['rejection_reason'])}"
        if status == ReportStatus.DUPLICATE and row["original"]:
            return f"{label}: {row['original']}"
        if status == ReportStatus.PUBLISHED and row["result"]:
            return f"{label}: {mask_contacts(row['result'])}"
        return label

    def media_url(self, row: queries.Row) -> str | None:
        photo = self.photos.get(row["pk"])
        if photo is None or row["status"] != ReportStatus.PUBLISHED:
            return None
        return _absolute(self.request, "citizen_reports:public_photo", pk=photo)

    @staticmethod
    def updated(row: queries.Row) -> dt.datetime:
        received: dt.datetime = row["received_at"]
        if row["status"] in CLOSED_STATUSES and row["closed_at"] is not None:
            return row["closed_at"]  # type: ignore[no-any-return]
        last: dt.datetime | None = row["updated_at"]
        return max(last, received) if last is not None else received

    def body(self, row: queries.Row) -> dict[str, Any]:
        code, hierarchy = row["unit__code"], row["unit__hierarchy"]
        return {
            "service_request_id": row["tracking_code"],
            "status": "closed" if row["status"] in CLOSED_STATUSES else "open",
            "status_notes": self.status_notes(row),
            "service_name": row["category__name"],
            "service_code": row["category__code"],
            "description": mask_contacts(row["description"]),
            "agency_responsible": row["agency__name"],
            "service_notice": None,
            "requested_datetime": iso_datetime(row["received_at"]),
            "updated_datetime": iso_datetime(self.updated(row)),
            "expected_datetime": iso_datetime(row["deadline_at"]),
            "address": mask_contacts(row["address"]) or None,
            "address_id": None if code is None else qualified_unit_code(code, hierarchy),
            "zipcode": None,
            "lat": row["lat"],
            "long": row["lon"],
            "media_url": self.media_url(row),
        }


def request_bodies(request: HttpRequest, page: queries.Page) -> list[dict[str, Any]]:
    """The GeoReport `request` objects of a page, in its order."""
    bodies = _RequestBodies(request, page)
    return [bodies.body(row) for row in page.rows]


def _request_list(request: HttpRequest, fmt: Format) -> HttpResponse:
    try:
        query = params.list_query(request.GET, now=timezone.now())
    except params.ParamError as exc:
        return _error(fmt, exc.status, exc.description)
    page = queries.requests_page(query)
    response = render(fmt, "service_requests", request_bodies(request, page))
    if page.has_next:
        following = request.GET.copy()
        following["page"] = str(query.page + 1)
        response["Link"] = f'<{request.build_absolute_uri(request.path)}?{following.urlencode()}>; rel="next"'
    return response


@csrf_exempt
def request_detail(request: HttpRequest, request_id: str, fmt: Format) -> HttpResponse:
    """GET requests/{service_request_id}: an array of exactly one request."""
    if (refused := _get_only(request, fmt)) is not None:
        return refused
    page = queries.request_get(request_id)
    if page is None:
        return _error(fmt, 404, _("service_request_id: Không tìm thấy / Unknown service_request_id"))
    return render(fmt, "service_requests", request_bodies(request, page))


@csrf_exempt
def token_detail(request: HttpRequest, token: str, fmt: Format) -> HttpResponse:
    """GET tokens/{token}: POST is synchronous, so a request's token is its service_request_id."""
    if (refused := _get_only(request, fmt)) is not None:
        return refused
    page = queries.request_get(token)
    if page is None:
        return _error(fmt, 404, _("token: Không tìm thấy / Unknown token"))
    return render(fmt, "service_requests", [{"service_request_id": page.rows[0]["tracking_code"], "token": token}])


# --- requests: POST --------------------------------------------------------------------------------------------


def _authorise(request: HttpRequest, data: QueryDict, fmt: Format) -> tuple[Any, HttpResponse | None]:
    """(the token, None) or (None, the 403/429 answer). Rate limits count every POST, per address and per key."""
    value = params.text(data, "api_key") or params.text(request.GET, "api_key")
    lookup = token_resolve(value=value) if value else None
    token = lookup.token if lookup is not None else None
    prefix = token.prefix if token is not None else ""
    rules = [
        rate_limit_rule("open311.post.addr", identity=address_identity(client_address(request)), token_prefix=prefix)
    ]
    if token is not None:
        rules.append(rate_limit_rule("open311.post.key", identity=prefix, token_prefix=prefix))
    decision = rate_limit_hits(rules)
    if not decision.allowed:
        return None, _too_many(fmt, decision.retry_after)
    if lookup is None:
        return None, _error(fmt, 403, _("api_key: Thiếu mã truy cập / api_key is required"))
    if token is None:
        return None, _error(fmt, 403, f"api_key: {lookup.error}")
    if SUBMIT_SCOPE not in (token.scopes or []):
        return None, _error(fmt, 403, _("api_key: Mã không có quyền open311.submit / api_key lacks open311.submit"))
    token_mark_used(token=token)
    return token, None


def _source_system(user: Any) -> Any:
    return information_system_of(user_id=user.pk)


def _location(data: QueryDict) -> dict[str, Any]:
    lat, lon = params.text(data, "lat"), params.text(data, "long")
    address, address_id = params.text(data, "address_string"), params.text(data, "address_id")
    if bool(lat) != bool(lon):
        raise params.ParamError("long" if lat else "lat", _("Cần cả lat và long / Give both lat and long"))
    if not (lat or address or address_id):
        raise params.ParamError(
            "lat",
            _("Cần lat+long, address_string hoặc address_id / One of lat+long, address_string, address_id is required"),
        )
    return {"lat": lat or None, "lon": lon or None, "address": address, "unit": address_id or None}


def _contact(data: QueryDict, consent: bool, share: bool) -> services.ContactInput | None:
    """The reporter's contact, kept only with their consent to processing (attribute consent_processing)."""
    name = " ".join(part for part in (params.text(data, "first_name"), params.text(data, "last_name")) if part)
    contact = services.ContactInput(
        name=name,
        phone=params.text(data, "phone"),
        email=params.text(data, "email"),
        consent_processing=consent,
        consent_share_with_agency=share,
    )
    return contact if consent and not contact.is_empty else None


def _validation_errors(exc: ValidationError) -> list[tuple[int, str]]:
    if not hasattr(exc, "error_dict"):
        return [(400, message) for message in exc.messages]
    errors: list[tuple[int, str]] = []
    for field, messages in exc.message_dict.items():
        argument = FIELD_ARGUMENTS.get(field, field)
        errors.extend((400, f"{argument}: {message}") for message in messages)
    return errors


def _service_notice(request: HttpRequest, code: str) -> str:
    url = _absolute(request, "citizen_reports:public_track_detail", code=code) or ""
    return _(
        "Đã tiếp nhận phản ánh, mã tra cứu %(code)s. Theo dõi tại %(url)s / Report received, tracking code "
        "%(code)s. Follow it at %(url)s"
    ) % {"code": code, "url": url}


def _create(request: HttpRequest, fmt: Format) -> HttpResponse:
    try:
        data = request.POST
        files = request.FILES
    except (RequestDataTooBig, TooManyFieldsSent, MultiPartParserError):
        return _error(fmt, 400, _("Dữ liệu gửi lên quá lớn hoặc hỏng / Request body too large or malformed"))
    if (refused := _jurisdiction_error(data, fmt)) is not None:
        return refused
    token, refused = _authorise(request, data, fmt)
    if refused is not None:
        return refused
    code = params.text(data, "service_code")
    if not code:
        return _error(fmt, 400, _("service_code: Bắt buộc / service_code is required"))
    category = queries.service_get(code)
    if category is None:
        return _error(fmt, 404, _("service_code: Không có lĩnh vực này / Unknown service_code"))
    try:
        location = _location(data)
        chosen = attribute_values(params.attributes(data))
        photos = media_from_request(data, files, limit=PHOTO_MAX_COUNT)
    except params.ParamError as exc:
        return _error(fmt, exc.status, exc.description)
    try:
        received = services.report_receive(
            channel=Channel.OPEN311,
            category=category,
            description=params.text(data, "description"),
            contact=_contact(data, chosen.consent_processing, chosen.consent_share),
            photos=photos,
            anonymous_to_public=chosen.anonymous,
            source_system=_source_system(token.user),
            actor=token.user,
            **location,
        )
    except ValidationError as exc:
        return render_errors(fmt, 400, _validation_errors(exc))
    code = received.report.tracking_code
    body = {
        "service_request_id": code,
        "service_notice": _service_notice(request, code),
        "account_id": params.text(data, "account_id") or None,
    }
    return render(fmt, "service_requests", [body])


@csrf_exempt
def requests_endpoint(request: HttpRequest, fmt: Format) -> HttpResponse:
    """`requests.{fmt}`: GET lists public requests, POST creates one (api_key required)."""
    if request.method == "POST":
        return _create(request, fmt)
    if request.method in ("GET", "HEAD"):
        if (refused := _get_only(request, fmt)) is not None:
            return refused
        return _request_list(request, fmt)
    return _method_not_allowed(fmt, "GET, HEAD, POST")


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Anything else under /open311/v2/: the spec's 404 (JSON when the path ends in .json, XML otherwise)."""
    return _error(format_of(request.path), 404, _("Không có tài nguyên này / Unknown resource"))
