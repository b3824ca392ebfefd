"""The map's API under /api/v1/maps/ (R6.1, R6.2). Thin: parse, call one selector, answer. Bad geographic input
(`GeoInputError`) is a 400 in the shared error body naming the field."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ioc.common.authed import AuthedApiRequest
from ioc.geo.selectors import GeoInputError
from ioc.maps import selectors
from ioc.maps.api.packing import fast_gzip
from ioc.maps.layers import Layer, Rendered, parse_bbox, parse_zoom

TAGS = ["maps"]
LAYER_PARAMETERS = [
    OpenApiParameter(
        "bbox",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        required=True,
        pattern=r"^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$",
        description="tây,nam,đông,bắc (độ) / west,south,east,north in degrees",
    ),
    OpenApiParameter("zoom", OpenApiTypes.INT, OpenApiParameter.QUERY, description="0–22, mặc định 12 / default 12"),
    OpenApiParameter(
        "compact",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        enum=["0", "1"],
        description="1: hàng [id, kinh độ, vĩ độ, dấu] thay cho GeoJSON (màn hình tổng quan) / "
        "1: rows [id, lon, lat, mark] instead of GeoJSON features (the wall screen)",
    ),
]
FEATURE_COLLECTION = {
    "type": "object",
    "required": ["type", "layer", "clustered", "complete", "total", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "layer": {"type": "string"},
        "clustered": {"type": "boolean"},
        "complete": {"type": "boolean"},
        "total": {"type": "integer"},
        "features": {"type": "array", "maxItems": selectors.FEATURES_MAX, "items": {"type": "object"}},
    },
}
COMPACT_POINTS = {
    "type": "object",
    "required": ["layer", "clustered", "complete", "total", "compact", "fields", "points"],
    "properties": {
        "layer": {"type": "string"},
        "clustered": {"type": "boolean"},
        "complete": {"type": "boolean"},
        "total": {"type": "integer"},
        "compact": {"type": "boolean", "enum": [True]},
        "fields": {"type": "array", "items": {"type": "string"}},
        "points": {"type": "array", "maxItems": selectors.FEATURES_MAX, "items": {"type": "array", "items": {}}},
    },
}
LAYER_ANSWER = {"oneOf": [FEATURE_COLLECTION, COMPACT_POINTS]}
SELECTION_REQUEST = {
    "type": "object",
    "properties": {
        "unit": {"type": "string", "description": "Mã đơn vị 2025 / 2025 unit code"},
        "point": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
        "radius_m": {"type": "number"},
        "geometry": {"type": "object", "description": "GeoJSON Polygon / MultiPolygon / Feature"},
    },
}
SELECTION_RESPONSE = {
    "type": "object",
    "required": ["area", "groups", "members", "truncated"],
    "properties": {
        "area": {"type": "object"},
        "groups": {"type": "object", "additionalProperties": {"type": "object"}},
        "members": {"type": "object", "additionalProperties": {"type": "array", "items": {}}},
        "truncated": {"type": "boolean"},
        "population": {"type": "object"},
    },
}


def _invalid(exc: GeoInputError) -> exceptions.ValidationError:
    return exceptions.ValidationError({exc.field: [exc.message]})


def _layer(registry: dict[str, Layer], code: str) -> Layer:
    layer = registry.get(code)
    if layer is None:
        raise exceptions.NotFound()
    return layer


def _compact(value: str | None) -> bool:
    if value in (None, "", "0"):
        return False
    if value == "1":
        return True
    raise exceptions.ValidationError({"compact": [gettext("compact phải là 0 hoặc 1 / compact must be 0 or 1")]})


def collection(request: Request, registry: dict[str, Layer], code: str, user: Any) -> Response | HttpResponse:
    layer = _layer(registry, code)
    try:
        bbox = parse_bbox(request.query_params.get("bbox", ""))
        zoom = parse_zoom(request.query_params.get("zoom"))
    except GeoInputError as exc:
        raise _invalid(exc) from exc
    compact = _compact(request.query_params.get("compact"))
    # Issue 20: a JSON answer of points may come written already (`Rendered`: DRF's own bytes for it, spliced).
    as_json = isinstance(getattr(request, "accepted_renderer", None), JSONRenderer)
    answer = selectors.layer_collection(user=user, layer=layer, bbox=bbox, zoom=zoom, compact=compact, text=as_json)
    if isinstance(answer, Rendered):
        return HttpResponse(answer.text.encode("utf-8"), content_type="application/json")
    return Response(answer)


# Issue 20: a layer's JSON is compressed when the browser accepts gzip (it holds no secret a page reflects, so
# BREACH does not apply; the HTML pages stay uncompressed), at level 1 (ioc/maps/api/packing.py).
compressed = method_decorator(fast_gzip, name="dispatch")


@compressed
class LayerApi(APIView):
    """R6.1: một lớp bản đồ trong khung nhìn; quá 2.000 điểm thì gộp cụm theo ô lưới / one layer in view, clustered
    per zoom and grid cell beyond 2,000 points (never more than 5,000 features)."""

    @extend_schema(
        tags=TAGS,
        operation_id="maps_layer",
        summary="Lớp bản đồ / Map layer",
        parameters=[
            OpenApiParameter("layer", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(selectors.LAYERS)),
            *LAYER_PARAMETERS,
        ],
        responses={200: LAYER_ANSWER},
    )
    def get(self, request: AuthedApiRequest, layer: str) -> Response | HttpResponse:
        return collection(request, selectors.LAYERS, layer, request.user)


@compressed
class PublicLayerApi(APIView):
    """R6.1 (part 6): lớp công khai — phản ánh đã công khai, trạm quan trắc công khai, không có dữ liệu cá nhân /
    public layers: published reports and public sensors, no personal data."""

    authentication_classes = []

    @extend_schema(
        tags=TAGS,
        operation_id="maps_public_layer",
        summary="Lớp bản đồ công khai / Public map layer",
        parameters=[
            OpenApiParameter("layer", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(selectors.PUBLIC_LAYERS)),
            *LAYER_PARAMETERS,
        ],
        responses={200: LAYER_ANSWER},
        auth=[],
    )
    def get(self, request: Request, layer: str) -> Response | HttpResponse:
        return collection(request, selectors.PUBLIC_LAYERS, layer, None)


class SelectionApi(APIView):
    """R6.2: chọn theo đơn vị, điểm và bán kính, hoặc vùng vẽ; đếm theo từng lĩnh vực trong phạm vi của người dùng /
    selection by unit, point and radius, or polygon: counts per domain in the user's scope, members ≤ 500."""

    @extend_schema(
        tags=TAGS,
        operation_id="maps_selection",
        summary="Chọn vùng trên bản đồ / Map selection",
        request={"application/json": SELECTION_REQUEST},
        responses={200: SELECTION_RESPONSE},
        examples=[
            OpenApiExample("unit", value={"unit": "12345"}, request_only=True),
            OpenApiExample("radius", value={"point": [20.65, 106.05], "radius_m": 1000}, request_only=True),
        ],
    )
    def post(self, request: AuthedApiRequest) -> Response:
        try:
            kind, area = selectors.selection_area(request.data)
        except GeoInputError as exc:
            raise _invalid(exc) from exc
        return Response(selectors.selection_summary(user=request.user, kind=kind, area=area))


class ChoroplethApi(APIView):
    """R6.1: giá trị một chỉ số theo xã, phường để tô màu bản đồ / an indicator's commune values for a choropleth."""

    @extend_schema(
        tags=TAGS,
        operation_id="maps_choropleth",
        summary="Bản đồ chỉ số theo xã / Indicator choropleth",
        parameters=[
            OpenApiParameter("indicator", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True),
            OpenApiParameter("period", OpenApiTypes.STR, OpenApiParameter.QUERY, description="Kỳ DHIS2 / DHIS2 period"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: AuthedApiRequest) -> Response:
        code = request.query_params.get("indicator", "")
        period = request.query_params.get("period", "")
        try:
            return Response(selectors.choropleth_values(code=code, period=period))
        except GeoInputError as exc:
            raise _invalid(exc) from exc
