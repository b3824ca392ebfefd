"""Top-level URL map. Every pattern declares its access policy (ioc.common.access)."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from ioc.accounts.choices import Role
from ioc.common.access import PUBLIC, guard_patterns, roles, route

admin.site.site_header = "IOC — Quản trị hệ thống"
admin.site.site_title = "IOC"

urlpatterns = [
    path("", include("ioc.web.urls")),
    path("tai-khoan/", include("ioc.accounts.urls")),
    path("nhat-ky/", include("ioc.audit.urls")),
    path("co-quan/", include("ioc.agencies.urls")),
    path("phan-anh/", include("ioc.citizen_reports.urls")),
    path("xu-ly/", include("ioc.assignments.urls")),
    path("canh-bao/", include("ioc.incidents.urls")),
    path("an-toan-thong-tin/", include("ioc.cybersecurity.urls")),
    path("kho-du-lieu/", include("ioc.datahub.urls")),
    path("chia-se/", include("ioc.sharing.urls")),
    path("chi-so/", include("ioc.indicators.urls")),
    path("kich-ban/", include("ioc.scenarios.urls")),
    path("canh-bao-cong-dong/", include("ioc.scenarios.urls.public")),
    path("truc-ban/", include("ioc.duty.urls")),
    path("theo-doi-mang/", include("ioc.media_watch.urls")),
    path("van-hanh/", include("ioc.operations.urls")),
    path("cam-bien/", include("ioc.sensors.urls")),
    path("linh-vuc/", include("ioc.sectors.urls")),
    path("ban-do/", include("ioc.maps.urls")),
    path("bao-cao/", include("ioc.reporting.urls")),
    path("ho-so/", include("ioc.dossiers.urls")),
    path("lien-thong/", include("ioc.federation.urls")),
    path("quan-tri/phan-anh/", include("ioc.citizen_reports.urls.config")),
    path("quan-tri/bao-cao-cap-tren/", include("ioc.assignments.urls.config")),
    path("quan-tri/lien-thong/", include("ioc.federation.urls.config")),
    path("quan-tri/lich-lam-viec/", include("ioc.worktime.urls")),
    path("quan-tri/van-hanh/", include("ioc.operations.urls.config")),
    path("quan-tri/thu-tuc/", include("ioc.dossiers.urls.config")),
    path("open311/v2/", include("ioc.citizen_reports.open311.urls")),
    path("sta/v1.1/", include("ioc.sensors.sta.urls")),
    path("api/v1/", include("config.api_urls")),
    route("i18n/setlang/", set_language, policy=PUBLIC, name="set_language"),
    path("admin/", (guard_patterns(admin.site.get_urls(), roles(Role.SYSTEM_ADMIN)), "admin", admin.site.name)),
]

handler400 = "ioc.common.errors.handler400"
handler403 = "ioc.common.errors.handler403"
handler404 = "ioc.common.errors.handler404"
handler500 = "ioc.common.errors.handler500"
