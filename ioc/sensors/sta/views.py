"""OGC SensorThings API 1.1 at /sta/v1.1/ (R5.5): plain Django views answering JSON, with SensorThings' own
error body `{"code", "type": "error", "message"}` at this root.

GETs are public (anonymous callers see public Things and what is under them: `selectors`); writes need a token
with `sta.write` (Bearer, or Basic with the token as the password) acting for the Thing's agency.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from ioc.common.plaintext import JSON_NUL_MESSAGE, json_has_nul
from ioc.sensors import services
from ioc.sensors.drafts import DraftError, parse_changes, parse_draft
from ioc.sensors.selectors import Viewer, viewer_for, visible, visible_under, writer_agency_id
from ioc.sensors.sta import jsonpatch
from ioc.sensors.sta.auth import AuthError, Caller, caller_of
from ioc.sensors.sta.bulk import parse_create_observations
from ioc.sensors.sta.entities import ENTITY_SETS, EntitySet, Nav
from ioc.sensors.sta.odata import QueryError, parse_options
from ioc.sensors.sta.render import Links, Renderer, check_options, key_text, prop_json

CONFORMANCE = [
    "http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/data-array/data-array",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/create-observations-via-mqtt/observations-creation",
]
_SEGMENT = re.compile(r"(?P<name>\$?[A-Za-z]+)(?:\((?P<key>\d+|'[^'/]*')\))?")
ALLOWED_NAV_POSTS = {
    ("Things", "Datastreams"),
    ("Things", "Locations"),
    ("Things", "HistoricalLocations"),
    ("Locations", "Things"),
    ("Locations", "HistoricalLocations"),
    ("Sensors", "Datastreams"),
    ("ObservedProperties", "Datastreams"),
    ("Datastreams", "Observations"),
    ("FeaturesOfInterest", "Observations"),
}


class StaError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def error(status: int, message: str) -> JsonResponse:
    response = JsonResponse({"code": status, "type": "error", "message": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="ioc-sta", Basic realm="ioc-sta"'
    return response


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("sta:root"))


def _body(request: HttpRequest) -> Any:
    limit = int(getattr(settings, "STA_MAX_BODY_BYTES", 32 * 1024 * 1024))
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > limit:
        raise StaError(413, f"Nội dung quá lớn (tối đa {limit} byte) / Payload too large (at most {limit} bytes)")
    raw = request.read(limit + 1)
    if len(raw) > limit:
        raise StaError(413, f"Nội dung quá lớn (tối đa {limit} byte) / Payload too large (at most {limit} bytes)")
    if json_has_nul(raw):
        raise StaError(400, str(JSON_NUL_MESSAGE))  # rendered in the request's language
    try:
        return json.loads(raw.decode("utf-8-sig"))  # strict: no UTF-16, no raw surrogate bytes
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: deep nesting
        raise StaError(400, "Nội dung không phải JSON hợp lệ / The body is not valid JSON") from None


def _guarded(handler: Any) -> Any:
    def run(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            caller = caller_of(request)
            return handler(request, caller, *args, **kwargs)  # type: ignore[no-any-return]
        except AuthError as exc:
            return error(401, str(exc))
        except StaError as exc:
            return error(exc.status, exc.message)
        except (QueryError, DraftError) as exc:
            return error(400, str(exc))
        except services.NotFound as exc:
            return error(404, f"Không tìm thấy {exc} / Not found: {exc}")
        except PermissionDenied as exc:
            return error(403, str(exc) or "Không có quyền / Forbidden")
        except ValidationError as exc:
            return error(400, "; ".join(exc.messages))
        except IntegrityError:
            return error(409, "Xung đột dữ liệu (mã trùng?) / Conflict (an id already in use?)")

    run.__name__ = handler.__name__
    run.__doc__ = handler.__doc__
    return csrf_exempt(run)


def _writer(caller: Caller) -> tuple[Any, int]:
    if caller.user is None:
        raise StaError(401, "Ghi dữ liệu cần mã truy cập / Writing needs a token (Bearer or Basic)")
    if not caller.can_write:
        raise StaError(403, "Mã truy cập thiếu quyền sta.write / The token lacks the sta.write scope")
    agency_id = writer_agency_id(caller.user)
    if agency_id is None:
        raise StaError(403, "Tài khoản không thuộc cơ quan nào / The account acts for no agency")
    return caller.user, agency_id


# --- the service root -----------------------------------------------------------------------------------------


@_guarded
def root(request: HttpRequest, caller: Caller) -> HttpResponse:
    """The service root: entity sets and `serverSettings.conformance`."""
    if request.method not in ("GET", "HEAD"):
        raise StaError(405, "Chỉ GET / GET only")
    base = _base(request)
    return JsonResponse(
        {
            "value": [{"name": name, "url": f"{base}{name}"} for name in ENTITY_SETS],
            "serverSettings": {"conformance": CONFORMANCE},
        }
    )


# --- resource paths ---------------------------------------------------------------------------------------------


class Target:
    """What a resource path names: a collection (`qs`) or one entity (`obj`), and how it was reached."""

    def __init__(self, entity: EntitySet, qs: Any = None, obj: Any = None) -> None:
        self.entity, self.qs, self.obj = entity, qs, obj
        self.parent: tuple[Nav, Any] | None = None
        self.prop: str | None = None
        self.raw_value = False
        self.ref = False


def _key(text: str | None) -> int | str | None:
    if text is None:
        return None
    if text.startswith("'"):
        inner = text[1:-1]
        return int(inner) if inner.isdigit() else inner
    return int(text)


def _segments(path: str) -> list[tuple[str, int | str | None]]:
    parts = []
    for raw in [p for p in path.split("/") if p != ""]:
        match = _SEGMENT.fullmatch(raw)
        if match is None:
            raise StaError(404, f"Đường dẫn không hợp lệ: {raw[:60]} / Invalid path segment: {raw[:60]}")
        parts.append((match["name"], _key(match["key"])))
    return parts


def _one(entity: EntitySet, qs: Any, key: int | str) -> Any:
    if isinstance(key, str) and not entity.string_ids:
        raise services.NotFound(f"{entity.singular}('{key}')")
    found = qs.filter(**({"pk": key} if isinstance(key, int) else {"ext_id": key})).first()
    if found is None:
        raise services.NotFound(f"{entity.singular}({key if isinstance(key, int) else repr(key)})")
    return found


def resolve(path: str, viewer: Viewer) -> Target:
    parts = _segments(path)
    name, key = parts[0]
    entity = ENTITY_SETS.get(name)
    if entity is None:
        raise StaError(404, f"Tập thực thể không tồn tại: {name} / Unknown entity set: {name}")
    target = Target(entity, qs=visible(entity.model, viewer))
    if key is not None:
        target = Target(entity, obj=_one(entity, target.qs, key))
    for name, key in parts[1:]:
        target = _step(target, name, key, viewer)
    return target


def _step(current: Target, name: str, key: int | str | None, viewer: Viewer) -> Target:
    if name == "$value" and key is None and current.prop is not None and not current.raw_value:
        current.raw_value = True
        return current
    if current.prop is not None or current.raw_value or current.ref:
        raise StaError(404, f"Đường dẫn không hợp lệ sau {current.prop or '$value'} / Invalid path")
    if name == "$ref" and key is None:
        current.ref = True
        return current
    if current.obj is None:
        raise StaError(404, f"Cần một thực thể trước {name} / An entity is needed before {name}")
    nav = current.entity.nav(name)
    if nav is not None:
        target_set = ENTITY_SETS[nav.target]
        # `current.obj` was read through the viewer's visibility: children seen with it need no check of their own.
        parent = visible_under(target_set.model, viewer, parent=current.entity.model)
        qs = parent.filter(**{nav.reverse: current.obj.pk})
        if nav.many and key is None:
            found = Target(target_set, qs=qs)
            found.parent = (nav, current.obj)
            return found
        if not nav.many and key is not None:
            raise StaError(404, f"{name} không nhận id / {name} takes no id")
        obj = _one(target_set, qs, key) if key is not None else qs.first()
        if obj is None:
            raise services.NotFound(f"{current.entity.singular}/{name}")
        return Target(target_set, obj=obj)
    if current.entity.prop(name) is not None or name == "id":
        if key is not None:
            raise StaError(404, f"{name} không nhận id / {name} takes no id")
        current.prop = name
        return current
    raise StaError(404, f"Không có thuộc tính hay quan hệ {name} / No property or navigation {name}")


def _params(request: HttpRequest) -> dict[str, str]:
    return {k: request.GET[k] for k in request.GET}


def _get(request: HttpRequest, target: Target, viewer: Viewer) -> HttpResponse:
    options = parse_options(_params(request))
    check_options(target.entity, options)
    renderer = Renderer(Links(_base(request)), viewer)
    if target.obj is None:
        if target.ref:
            body = renderer.collection(target.entity, target.qs, options, request.build_absolute_uri(request.path), {})
            body["value"] = [{"@iot.selfLink": row["@iot.selfLink"]} for row in body["value"]]
            return JsonResponse(body)
        page_url = request.build_absolute_uri(request.path)
        return JsonResponse(renderer.collection(target.entity, target.qs, options, page_url, _params(request)))
    if target.prop is not None:
        value = (
            renderer.entity(target.entity, target.obj, parse_options({}))["@iot.id"] if target.prop == "id" else None
        )
        if target.prop != "id":
            prop = target.entity.prop(target.prop)
            assert prop is not None
            value = prop_json(target.obj, prop)
        if target.raw_value:
            text = value if isinstance(value, str) else json.dumps(value)
            return HttpResponse(text, content_type="text/plain; charset=utf-8")
        return JsonResponse({target.prop: value})
    if target.ref:
        return JsonResponse({"@iot.selfLink": Links(_base(request)).self_link(target.entity, target.obj)})
    return JsonResponse(renderer.entity(target.entity, target.obj, options))


def _created(request: HttpRequest, entity: EntitySet, obj: Any, viewer: Viewer) -> HttpResponse:
    body = Renderer(Links(_base(request)), viewer).entity(entity, obj, parse_options({}))
    response = JsonResponse(body, status=201)
    response["Location"] = body["@iot.selfLink"]
    return response


def _post(request: HttpRequest, caller: Caller, target: Target, viewer: Viewer) -> HttpResponse:
    if target.obj is not None or target.prop or target.ref:
        raise StaError(405, "POST chỉ vào một tập thực thể / POST to an entity set only")
    user, agency_id = _writer(caller)
    given: frozenset[str] = frozenset()
    if target.parent is not None:
        nav, _parent = target.parent
        owner = next(e for e in ENTITY_SETS.values() if nav in e.navs)
        if (owner.name, nav.name) not in ALLOWED_NAV_POSTS:
            raise StaError(405, f"Không tạo qua {owner.name}/{nav.name} / Cannot create through this path")
        given = frozenset(n.name for n in target.entity.navs if n.forward == nav.reverse)
    draft = parse_draft(target.entity.name, _body(request), given_links=given)
    obj = services.entity_create(actor=user, agency_id=agency_id, viewer=viewer, draft=draft, parent=target.parent)
    return _created(request, target.entity, obj, viewer)


def _change(request: HttpRequest, caller: Caller, target: Target, viewer: Viewer) -> HttpResponse:
    if target.obj is None or target.prop or target.ref:
        raise StaError(405, "Chỉ sửa hoặc xóa một thực thể / Change or delete one entity only")
    user, agency_id = _writer(caller)
    if request.method == "DELETE":
        services.entity_delete(actor=user, agency_id=agency_id, entity=target.entity.name, obj=target.obj)
        return HttpResponse(status=200)
    body = _body(request)
    if request.method == "PATCH" and request.content_type == jsonpatch.CONTENT_TYPE:
        current = Renderer(Links(_base(request)), viewer).entity(target.entity, target.obj, parse_options({}))
        body = jsonpatch.patch_to_changes(current, body)
    draft = parse_changes(target.entity.name, body, replace=request.method == "PUT")
    obj = services.entity_update(
        actor=user, agency_id=agency_id, viewer=viewer, obj=target.obj, draft=draft, replace=request.method == "PUT"
    )
    body = Renderer(Links(_base(request)), viewer).entity(target.entity, obj, parse_options({}))
    return JsonResponse(body)


@_guarded
def resource(request: HttpRequest, caller: Caller, path: str) -> HttpResponse:
    """Entity sets, entities, navigation paths, properties (`/$value`) and `$ref`: GET, POST, PATCH, PUT, DELETE."""
    viewer = viewer_for(caller.user)
    target = resolve(path, viewer)
    if request.method in ("GET", "HEAD"):
        return _get(request, target, viewer)
    if request.method == "POST":
        return _post(request, caller, target, viewer)
    if request.method in ("PATCH", "PUT", "DELETE"):
        return _change(request, caller, target, viewer)
    raise StaError(405, "Phương thức không được hỗ trợ / Method not allowed")


@_guarded
def create_observations(request: HttpRequest, caller: Caller) -> HttpResponse:
    """`POST CreateObservations` (the dataArray extension): the selfLinks of the new Observations, in order."""
    if request.method != "POST":
        raise StaError(405, "Chỉ POST / POST only")
    user, agency_id = _writer(caller)
    batches = parse_create_observations(_body(request))
    viewer = viewer_for(user)
    created = services.observations_create(actor=user, agency_id=agency_id, viewer=viewer, batches=batches)
    base = _base(request)
    return JsonResponse([f"{base}Observations({pk})" for ids in created for pk in ids], status=201, safe=False)


@_guarded
def not_found(request: HttpRequest, caller: Caller, rest: str = "") -> HttpResponse:
    raise StaError(404, "Không có tài nguyên này / No such resource")


__all__ = ["create_observations", "key_text", "not_found", "resource", "root"]
