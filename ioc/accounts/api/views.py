"""Views of the accounts API (R7.1): thin, they call selectors."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ioc.accounts import selectors
from ioc.accounts.api.serializers import MeSerializer
from ioc.accounts.models import ApiToken


class MeView(APIView):
    """The signed-in account (session or bearer token): who it is, its roles and what it may see."""

    @extend_schema(
        operation_id="accounts_me",
        summary="Tài khoản hiện tại / Current account",
        responses={200: MeSerializer},
        tags=["accounts"],
    )
    def get(self, request: Request) -> Response:
        user: Any = request.user
        scope = selectors.user_scope(user=user)
        token_scopes = list(request.auth.scopes) if isinstance(request.auth, ApiToken) else []
        data = {
            "username": user.username,
            "full_name": user.full_name,
            "roles": sorted(user.role_codes),
            "agency": {"code": user.agency.code, "name": user.agency.name} if user.agency_id else None,
            "scope": {
                "everything": scope.everything,
                "agencies": selectors.agency_codes(ids=scope.agency_ids),
                "units": list(scope.unit_paths),
            },
            "token_scopes": token_scopes,
        }
        return Response(MeSerializer(data).data)
