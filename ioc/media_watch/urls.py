"""R5.7: the online-information watch under /theo-doi-mang/. Every pattern declares its access policy: the IOC's
operators and leaders and the province's leaders see the feed, topics and the watch lists granted to them; the
configuration ("Quản trị", cau-hinh/) is the system administrator's (services._base.CONFIG_ROLES)."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.common.access import roles, route
from ioc.media_watch.views import config, staff

app_name = "media_watch"
VIEWERS = (Role.IOC_OPERATOR, Role.IOC_LEADER, Role.PROVINCE_LEADER)
_CONFIG = roles(Role.SYSTEM_ADMIN)
# Handing an item on is the IOC staff's (services.handling: IOC_STAFF_ROLES).
_HANDLE = roles(Role.IOC_OPERATOR, Role.IOC_LEADER)
urlpatterns: list[URLPattern | URLResolver] = [
    route("", staff.feed_page, policy=roles(*VIEWERS), name="feed"),
    route("chu-de/<int:pk>/", staff.topic_page, policy=roles(*VIEWERS), name="topic"),
    route("tin/<int:pk>/", staff.item_page, policy=roles(*VIEWERS), name="item"),
    route("tin/<int:pk>/thanh-phan-anh/", staff.item_to_report, policy=_HANDLE, name="item_to_report"),
    route("tin/<int:pk>/chuyen-co-quan/", staff.item_forward, policy=_HANDLE, name="item_forward"),
    route("danh-sach-theo-doi/", staff.watchlists_page, policy=roles(*VIEWERS), name="watchlists"),
    route("cau-hinh/", config.index, policy=_CONFIG, name="config"),
    route("cau-hinh/nguon/them/", config.source_create, policy=_CONFIG, name="source_create"),
    route("cau-hinh/nguon/<int:pk>/", config.source_edit, policy=_CONFIG, name="source_edit"),
    route("cau-hinh/nguon/<int:pk>/thu-thap/", config.source_run, policy=_CONFIG, name="source_run"),
    route("cau-hinh/nguon/<int:pk>/tai-len/", config.source_upload, policy=_CONFIG, name="source_upload"),
    route("cau-hinh/chu-de/them/", config.topic_create, policy=_CONFIG, name="topic_create"),
    route("cau-hinh/chu-de/<int:pk>/", config.topic_edit, policy=_CONFIG, name="topic_edit"),
    route("cau-hinh/danh-sach/them/", config.watchlist_create, policy=_CONFIG, name="watchlist_create"),
    route("cau-hinh/danh-sach/<int:pk>/", config.watchlist_edit, policy=_CONFIG, name="watchlist_edit"),
    route("cau-hinh/danh-sach/<int:pk>/them-doi-tuong/", config.entity_create, policy=_CONFIG, name="entity_create"),
    route("cau-hinh/doi-tuong/<int:pk>/", config.entity_edit, policy=_CONFIG, name="entity_edit"),
]
