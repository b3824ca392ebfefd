"""Shell pages: home per role, domain areas not built yet, the display screen, health, readiness, metrics."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import STAFF_ROLES, Role
from ioc.common.access import PUBLIC, roles, route
from ioc.web import queue, regulation, views
from ioc.web.administration import HUB_ROLES
from ioc.web.favicon import favicon

app_name = "web"
urlpatterns: list[URLPattern | URLResolver] = [
    # Public: an anonymous visitor gets the citizens' portal, a signed-in account its home (the view decides).
    route("", views.home, policy=PUBLIC, name="home"),
    route("chuc-nang/<slug:slug>/", views.area, policy=roles(*STAFF_ROLES), name="area"),
    route("quy-che/", regulation.regulation_page, policy=roles(*regulation.REGULATION_ROLES), name="regulation"),
    route("hang-doi/", queue.work_queue, policy=roles(*queue.QUEUE_ROLES), name="work_queue"),
    route("hang-doi/tim/", queue.queue_search, policy=roles(*queue.QUEUE_ROLES), name="queue_search"),
    route(
        "hang-doi/canh-bao/<int:pk>/da-xem/",
        queue.queue_acknowledge,
        policy=roles(*queue.QUEUE_ROLES),
        name="queue_acknowledge",
    ),
    route("quan-tri/", views.administration_hub, policy=roles(*HUB_ROLES), name="administration"),
    # The portal for everyone, signed in or not (old links, and a signed-in account's way to see it).
    route("cong-dan/", views.public_home, policy=PUBLIC, name="public_home"),
    route("man-hinh/", views.display, policy=roles(Role.DISPLAY_SCREEN, *STAFF_ROLES), name="display"),
    route(
        "man-hinh/bang/", views.display_panels, policy=roles(Role.DISPLAY_SCREEN, *STAFF_ROLES), name="display_panels"
    ),
    route(
        "man-hinh/du-lieu/", views.display_data, policy=roles(Role.DISPLAY_SCREEN, *STAFF_ROLES), name="display_data"
    ),
    route(
        "man-hinh/phien-ban/",
        views.display_version,
        policy=roles(Role.DISPLAY_SCREEN, *STAFF_ROLES),
        name="display_version",
    ),
    route("favicon.ico", favicon, policy=PUBLIC, name="favicon"),
    route("healthz", views.healthz, policy=PUBLIC, name="healthz"),
    route("readyz", views.readyz, policy=PUBLIC, name="readyz"),
    # Public at the URL level: the view itself admits an allow-listed address range or the metrics token.
    route("metrics", views.metrics_view, policy=PUBLIC, name="metrics"),
]
