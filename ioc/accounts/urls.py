"""Account pages under /tai-khoan/ (R7.1, R7.2, R7.4)."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.accounts.views import own as views
from ioc.accounts.views import requests as request_views
from ioc.accounts.views import systems as system_views
from ioc.common.access import AUTHENTICATED, PUBLIC, roles, route

ADMIN = roles(Role.SYSTEM_ADMIN)

app_name = "accounts"
urlpatterns: list[URLPattern | URLResolver] = [
    route("dang-nhap/", views.login_view, policy=PUBLIC, name="login"),
    route("dang-xuat/", views.logout_view, policy=AUTHENTICATED, name="logout"),
    route("xac-thuc/", views.second_factor, policy=AUTHENTICATED, name="second_factor"),
    route("xac-thuc/dang-ky/", views.totp_enrol, policy=AUTHENTICATED, name="totp_enrol"),
    route("doi-mat-khau/", views.password_change, policy=AUTHENTICATED, name="password_change"),
    route("quan-tri/", request_views.user_list, policy=ADMIN, name="users"),
    route("quan-tri/van-ban/", request_views.request_list, policy=ADMIN, name="requests"),
    route("quan-tri/van-ban/moi/", request_views.request_new, policy=ADMIN, name="request_new"),
    route("quan-tri/van-ban/<int:pk>/ban-quet/", request_views.request_scan, policy=ADMIN, name="request_scan"),
    route("quan-tri/he-thong/", system_views.system_list, policy=ADMIN, name="systems"),
    route("quan-tri/he-thong/moi/", system_views.system_create, policy=ADMIN, name="system_create"),
    route("quan-tri/he-thong/<int:pk>/", system_views.system_detail, policy=ADMIN, name="system_detail"),
    route("quan-tri/he-thong/<int:pk>/trang-thai/", system_views.system_retire, policy=ADMIN, name="system_retire"),
    route("quan-tri/he-thong/<int:pk>/tai-khoan/", system_views.system_account, policy=ADMIN, name="system_account"),
    route("quan-tri/he-thong/<int:pk>/cap-ma/", system_views.token_issue, policy=ADMIN, name="system_token_issue"),
    route(
        "quan-tri/he-thong/<int:pk>/thu-hoi/<int:token_pk>/",
        system_views.token_revoke,
        policy=ADMIN,
        name="system_token_revoke",
    ),
]
