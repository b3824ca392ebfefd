"""Operators' pages of citizen reports under /phan-anh/quan-ly/ (R3.1, R3.3, R3.5, R7.5); names start with `staff_`."""

from django.urls import URLPattern, URLResolver

from ioc.citizen_reports.api.policies import OPERATOR_POLICY, REPORT_POLICY, STATISTICS_POLICY
from ioc.citizen_reports.views import staff as views
from ioc.common.access import route

urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.queue, policy=STATISTICS_POLICY, name="staff_index"),
    route("<int:pk>/", views.report_detail, policy=REPORT_POLICY, name="staff_report_detail"),
    route("<int:pk>/lien-he/", views.report_contact, policy=REPORT_POLICY, name="staff_report_contact"),
    route("<int:pk>/anh/<int:photo_pk>/", views.report_photo, policy=REPORT_POLICY, name="staff_report_photo"),
    route("<int:pk>/thao-tac/<slug:action>/", views.report_action, policy=OPERATOR_POLICY, name="staff_report_action"),
    route("tiep-nhan/duong-day-nong/", views.hotline, policy=OPERATOR_POLICY, name="staff_hotline"),
    route("tiep-nhan/mang-xa-hoi/", views.social, policy=OPERATOR_POLICY, name="staff_social"),
    route("thu-den/", views.intake_list, policy=OPERATOR_POLICY, name="staff_intake"),
    route("thu-den/<int:pk>/", views.intake_item, policy=OPERATOR_POLICY, name="staff_intake_item"),
    route("thong-ke/", views.statistics_page, policy=STATISTICS_POLICY, name="staff_statistics"),
    route(
        "thong-ke/xuat/<slug:fmt>/", views.statistics_export, policy=STATISTICS_POLICY, name="staff_statistics_export"
    ),
]
