"""R8: reports under /bao-cao/. Every pattern declares its access policy."""

from django.urls import URLPattern, URLResolver

from ioc.common.access import object_scoped, roles, route
from ioc.reporting import views
from ioc.reporting.permissions import AUTHOR_ROLES, READER_ROLES

READ = object_scoped(*READER_ROLES, note="report_get_for: every report for territory roles, the agency's own else")
WRITE = object_scoped(*AUTHOR_ROLES, note="report_get_for (404), then the service checks the scope and the state")

app_name = "reporting"
urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.index, policy=roles(*READER_ROLES), name="index"),
    route("lap/", views.generate, policy=roles(*AUTHOR_ROLES), name="generate"),
    route("lich/", views.calendar, policy=roles(*READER_ROLES), name="calendar"),
    route("<int:pk>/", views.detail, policy=READ, name="detail"),
    route("<int:pk>/sua/", views.edit, policy=WRITE, name="edit"),
    route("<int:pk>/cap-nhat-so-lieu/", views.refresh, policy=WRITE, name="refresh"),
    route("<int:pk>/ban-hanh/", views.issue, policy=WRITE, name="issue"),
    route("<int:pk>/dinh-chinh/", views.correct, policy=WRITE, name="correct"),
    route("<int:pk>/tai/<str:fmt>/", views.download, policy=READ, name="download"),
]
