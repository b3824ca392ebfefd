"""R5.7: the online-information watch under /theo-doi-mang/. Every pattern declares its access policy."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.common.access import roles, route
from ioc.media_watch import views

app_name = "media_watch"
VIEWERS = (Role.IOC_OPERATOR, Role.IOC_LEADER, Role.PROVINCE_LEADER)
urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.feed_page, policy=roles(*VIEWERS), name="feed"),
    route("danh-sach-theo-doi/", views.watchlists_page, policy=roles(*VIEWERS), name="watchlists"),
]
