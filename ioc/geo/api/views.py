"""Public, cacheable reads of administrative units under /api/v1/geo/ (R6.1).

Reference data: no authentication is consulted (a stale token never blocks a public read); responses carry
`Cache-Control: public, max-age=…` and an ETag of their body (304 on `If-None-Match`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ioc.geo import selectors
from ioc.geo.api.serializers import (
    GeoJSONFeatureCollectionSerializer,
    GeoJSONFeatureSerializer,
    PointMatchSerializer,
    PointQuerySerializer,
    SuccessionSerializer,
    UnitListQuerySerializer,
    UnitSerializer,
    unit_bbox,
)
from ioc.geo.models import AdminUnit, Succession

# Documented so clients (and the fuzzer) know a malformed reference is a 400, not a missing unit.
UNIT_REF_PATTERN = r"^(legacy:)?[0-9]{2,5}$"
REF_PARAMETER = OpenApiParameter(
    "ref",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern=UNIT_REF_PATTERN,
    description="Mã đơn vị: 25270 (hệ thống 2025) hoặc legacy:25270 (trước 01/7/2025) / "
    "Unit reference: 25270 (2025) or legacy:25270 (legacy)",
)
TAGS = ["geo"]


class UnitPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


def _unit(ref: str, *, with_geometry: bool = False) -> AdminUnit:
    """The unit a path names: 400 naming `ref` when malformed, 404 when unknown."""
    try:
        return selectors.unit_get(ref=ref, with_geometry=with_geometry)
    except selectors.UnitRefError as exc:
        raise exceptions.ValidationError({"ref": [exc.message]}) from exc
    except selectors.UnitNotFoundError as exc:
        raise exceptions.NotFound(exc.message) from exc


def _feature(unit: AdminUnit) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": unit.qualified_code,
        "bbox": unit_bbox(unit),
        "properties": {
            "ref": unit.qualified_code,
            "code": unit.code,
            "name": unit.name,
            "full_name": unit.full_name,
            "level": unit.level,
            "area_km2": unit.area_km2,
        },
        "geometry": json.loads(unit.geometry),
    }


def _features(units: Iterable[AdminUnit]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [_feature(u) for u in units if u.geometry]}


class PublicCachedView(APIView):
    """Public reference data: no authentication, `Cache-Control: public`, ETag of the body (304 when it matches)."""

    authentication_classes = []
    max_age = 86_400

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            patch_cache_control(response, public=True, max_age=self.max_age)
            django_request = request._request

            def add_etag(rendered: Any) -> Any:
                rendered["ETag"] = '"' + hashlib.blake2b(rendered.content, digest_size=16).hexdigest() + '"'
                return get_conditional_response(django_request, etag=rendered["ETag"], response=rendered)

            response.add_post_render_callback(add_etag)
        return response


class UnitListView(PublicCachedView, generics.ListAPIView[AdminUnit]):
    """Đơn vị hành chính theo hệ thống, cấp, đơn vị cha và tên (không phân biệt dấu), phân trang /
    Units filtered by hierarchy, level, parent and a diacritics-insensitive name, paginated."""

    serializer_class = UnitSerializer
    pagination_class = UnitPagination
    filter_backends = []

    def get_queryset(self) -> QuerySet[AdminUnit]:
        query = UnitListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        try:
            return selectors.unit_list(**query.validated_data)
        except (selectors.UnitRefError, selectors.UnitNotFoundError) as exc:
            raise exceptions.ValidationError({"parent": [str(exc)]}) from exc

    @extend_schema(
        tags=TAGS,
        operation_id="geo_units_list",
        summary="Danh sách đơn vị hành chính / Administrative units",
        parameters=[UnitListQuerySerializer],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class UnitDetailView(PublicCachedView):
    """Một đơn vị theo mã (25270 hoặc legacy:25270) / One unit by reference."""

    @extend_schema(
        tags=TAGS,
        operation_id="geo_units_retrieve",
        summary="Một đơn vị hành chính / One administrative unit",
        parameters=[REF_PARAMETER],
        responses=UnitSerializer,
    )
    def get(self, request: Request, ref: str) -> Response:
        return Response(UnitSerializer(_unit(ref)).data)


class UnitChildrenView(PublicCachedView):
    """Các đơn vị trực thuộc, theo mã / The direct children of a unit, by code."""

    @extend_schema(
        tags=TAGS,
        operation_id="geo_units_children",
        summary="Đơn vị trực thuộc / Children of a unit",
        parameters=[REF_PARAMETER],
        responses=UnitSerializer(many=True),
    )
    def get(self, request: Request, ref: str) -> Response:
        children = selectors.unit_children(unit=_unit(ref))
        return Response(UnitSerializer(children, many=True).data)


class UnitBoundaryView(PublicCachedView):
    """Ranh giới của đơn vị dạng GeoJSON Feature (404 nếu không có) / The boundary as a GeoJSON Feature."""

    @extend_schema(
        tags=TAGS,
        operation_id="geo_units_boundary",
        summary="Ranh giới (GeoJSON Feature) / Boundary as a GeoJSON Feature",
        parameters=[REF_PARAMETER],
        responses=GeoJSONFeatureSerializer,
    )
    def get(self, request: Request, ref: str) -> Response:
        unit = _unit(ref, with_geometry=True)
        if not unit.geometry:
            raise exceptions.NotFound(
                _("Đơn vị %(ref)s không có ranh giới / Unit %(ref)s has no boundary") % {"ref": ref}
            )
        return Response(_feature(unit))


class UnitChildrenBoundariesView(PublicCachedView):
    """Ranh giới các đơn vị trực thuộc dạng FeatureCollection / Children's boundaries as a FeatureCollection."""

    @extend_schema(
        tags=TAGS,
        operation_id="geo_units_children_boundaries",
        summary="Ranh giới các đơn vị trực thuộc (GeoJSON) / Children's boundaries as a FeatureCollection",
        parameters=[REF_PARAMETER],
        responses=GeoJSONFeatureCollectionSerializer,
    )
    def get(self, request: Request, ref: str) -> Response:
        children = selectors.unit_children(unit=_unit(ref), with_geometry=True)
        return Response(_features(children))


# Issue 20: the communes' GeoJSON (~100 shapes, the first screen's largest answer) is compressed when the browser
# accepts gzip; public reference data, so BREACH does not apply. Its ETag is the uncompressed body's, made weak.
@method_decorator(gzip_page, name="dispatch")
class TerritoryBoundariesView(PublicCachedView):
    """Ranh giới các xã, phường của địa bàn triển khai / The deployment territory's communes as a FeatureCollection.

    R11: the territory is a named set of 2025 communes (`IOC_PROFILE`), not always a whole province: the map draws
    these communes (Lộc Ninh: 7 communes of Đồng Nai). 404 while no territory is loaded.
    """

    max_age = 300  # a reloaded profile changes it; the ETag keeps revalidation cheap

    @extend_schema(
        tags=TAGS,
        operation_id="geo_territory_boundaries",
        summary="Ranh giới các xã, phường của địa bàn (GeoJSON) / The territory's communes as a FeatureCollection",
        responses=GeoJSONFeatureCollectionSerializer,
    )
    def get(self, request: Request) -> Response:
        territory = selectors.territory_get(profile=settings.IOC_PROFILE)
        if territory is None:
            raise exceptions.NotFound(_("Chưa nạp địa bàn / No territory loaded"))
        return Response(selectors.territory_boundaries(territory=territory, feature=_feature))


def _succession(rows: Iterable[Succession], side: str) -> list[dict[str, Any]]:
    return [{"unit": UnitSerializer(getattr(row, side)).data, "kind": row.kind} for row in rows]


class UnitPredecessorsView(PublicCachedView):
    """Các đơn vị cũ đã nhập (toàn bộ hoặc một phần) vào đơn vị 2025 này / Legacy predecessors."""

    @extend_schema(
        tags=TAGS,
        operation_id="geo_units_predecessors",
        summary="Đơn vị cũ đã nhập vào đơn vị này / Legacy units that passed into this unit",
        parameters=[REF_PARAMETER],
        responses=SuccessionSerializer(many=True),
    )
    def get(self, request: Request, ref: str) -> Response:
        return Response(_succession(selectors.unit_predecessors(unit=_unit(ref)), "old"))


class UnitSuccessorsView(PublicCachedView):
    """Các đơn vị 2025 kế thừa đơn vị cũ này / 2025 successors of a legacy unit."""

    @extend_schema(
        tags=TAGS,
        operation_id="geo_units_successors",
        summary="Đơn vị mới kế thừa đơn vị này / 2025 units this legacy unit passed into",
        parameters=[REF_PARAMETER],
        responses=SuccessionSerializer(many=True),
    )
    def get(self, request: Request, ref: str) -> Response:
        return Response(_succession(selectors.unit_successors(unit=_unit(ref)), "new"))


class PointLookupView(PublicCachedView):
    """Xã, phường 2025 chứa một điểm WGS84 / The 2025 commune of a WGS84 point."""

    max_age = 3600

    @extend_schema(
        tags=TAGS,
        operation_id="geo_lookup",
        summary="Xã, phường chứa một điểm / The 2025 commune of a point",
        description="Trong các xã chứa điểm, chọn xã điểm nằm sâu nhất; nếu không, xã gần nhất trong vòng 1 km; "
        "nếu không, 400 (ngoài lãnh thổ) / Deepest containing commune, else the nearest within 1 km, else 400.",
        parameters=[PointQuerySerializer],
        responses=PointMatchSerializer,
    )
    def get(self, request: Request) -> Response:
        query = PointQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        lat, lon = query.validated_data["lat"], query.validated_data["lon"]
        try:
            match = selectors.point_locate(lat=lat, lon=lon)
        except selectors.PointOutsideError as exc:
            raise exceptions.ValidationError({"lat": [exc.message], "lon": [exc.message]}) from exc
        except selectors.GeoInputError as exc:
            raise exceptions.ValidationError({exc.field: [exc.message]}) from exc
        data = {
            "unit": match.unit,
            "inside": match.inside,
            "distance_m": match.distance_m,
            "grid_cell": selectors.grid_cell(lat, lon),
        }
        return Response(PointMatchSerializer(data).data)
