"""API of the online-information watch under /api/v1/media-watch/ (R5.7)."""

from django.urls import URLPattern, URLResolver

from ioc.common.access import route, token
from ioc.media_watch.api import views

app_name = "media_watch_api"
urlpatterns: list[URLPattern | URLResolver] = [
    route("items/", views.ItemPushView.as_view(), policy=token("media_watch.items"), name="items"),
]
