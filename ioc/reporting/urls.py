"""R8: reports under /bao-cao/. Every pattern declares its access policy."""

from django.urls import URLPattern, URLResolver

from ioc.common.access import object_scoped, roles, route
from ioc.reporting import views
from ioc.reporting.permissions import AUTHOR_ROLES, MEETING_READER_ROLES, MEETING_ROLES, READER_ROLES

READ = object_scoped(*READER_ROLES, note="report_get_for: every report for territory roles, the agency's own else")
WRITE = object_scoped(*AUTHOR_ROLES, note="report_get_for (404), then the service checks the scope and the state")

MEET_READ = object_scoped(*MEETING_READER_ROLES, note="meeting_get_for: the territory's roles only (404 else)")
MEET_WRITE = object_scoped(*MEETING_ROLES, note="meeting_get_for (404), then the service checks the role and state")

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
    route("ty-le/", views.share, policy=roles(*MEETING_READER_ROLES), name="share"),
    route("ty-le/<int:pk>/rut/", views.share_withdraw, policy=roles(*MEETING_ROLES), name="share_withdraw"),
    route("hop/", views.meetings, policy=roles(*MEETING_READER_ROLES), name="meetings"),
    route("hop/lap/", views.meeting_schedule, policy=roles(*MEETING_ROLES), name="meeting_schedule"),
    route("hop/<int:pk>/", views.meeting, policy=MEET_READ, name="meeting"),
    route("hop/<int:pk>/bien-ban/", views.meeting_minutes, policy=MEET_WRITE, name="meeting_minutes"),
    route("hop/<int:pk>/ket-luan/", views.meeting_decision, policy=MEET_WRITE, name="meeting_decision"),
    route(
        "hop/<int:pk>/kiem-diem/<int:decision>/", views.meeting_follow_up, policy=MEET_WRITE, name="meeting_follow_up"
    ),
    route("hop/<int:pk>/bao-cao/", views.meeting_briefing, policy=MEET_WRITE, name="meeting_briefing"),
    route("hop/<int:pk>/ket-thuc/", views.meeting_close, policy=MEET_WRITE, name="meeting_close"),
]
