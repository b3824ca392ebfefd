"""A test-only URL map: two endpoints guarded by token scopes (used with override_settings(ROOT_URLCONF=...))."""

from django.urls import include, path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ioc.common.access import route, token


class Probe(APIView):
    def get(self, request: Request) -> Response:
        return Response({"user": request.user.username, "scopes": list(getattr(request.auth, "scopes", []))})


urlpatterns = [
    path(
        "api/v1/probe/",
        include(
            [
                route("sta/", Probe.as_view(), policy=token("sta.write"), name="probe-sta"),
                route("dataset/", Probe.as_view(), policy=token("datahub.push:schools"), name="probe-dataset"),
            ]
        ),
    ),
]
