"""Citizens' pages of citizen reports under /phan-anh/ (R3.1, R3.4): public, no login."""

from django.urls import URLPattern, URLResolver

from ioc.citizen_reports.views import public as views
from ioc.common.access import PUBLIC, route

urlpatterns: list[URLPattern | URLResolver] = [
    route("gui/", views.public_report_create, policy=PUBLIC, name="public_report_create"),
    route("gui/da-nhan/<str:code>/", views.public_report_sent, policy=PUBLIC, name="public_report_sent"),
    route("tra-cuu/", views.public_track, policy=PUBLIC, name="public_track"),
    route("tra-cuu/<str:code>/", views.public_track_detail, policy=PUBLIC, name="public_track_detail"),
    route("tra-cuu/<str:code>/danh-gia/", views.public_rate, policy=PUBLIC, name="public_rate"),
    route("tra-cuu/<str:code>/mo-lai/", views.public_reopen, policy=PUBLIC, name="public_reopen"),
    route("cong-khai/", views.public_list, policy=PUBLIC, name="public_list"),
    route("ban-do/", views.public_map, policy=PUBLIC, name="public_map"),
    route("ban-do/du-lieu.geojson", views.public_map_data, policy=PUBLIC, name="public_map_data"),
    route("anh/<int:pk>/", views.public_photo, policy=PUBLIC, name="public_photo"),
]
