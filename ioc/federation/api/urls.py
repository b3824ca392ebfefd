"""API of federation under /api/v1/federation/ (R9.1): the signed receiving endpoint."""

from django.urls import URLPattern, URLResolver

from ioc.common.access import PUBLIC, route
from ioc.federation.api import views

app_name = "federation_api"
# Public at the URL level: the view itself admits only a request signed with a link's key (HMAC).
urlpatterns: list[URLPattern | URLResolver] = [
    route("messages/", views.MessagesView.as_view(), policy=PUBLIC, name="messages"),
]
