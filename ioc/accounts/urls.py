"""Account pages under /tai-khoan/ (R7.4)."""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver

from ioc.common.access import AUTHENTICATED, PUBLIC, route

app_name = "accounts"
urlpatterns: list[URLPattern | URLResolver] = [
    route(
        "dang-nhap/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True),
        policy=PUBLIC,
        name="login",
    ),
    route("dang-xuat/", auth_views.LogoutView.as_view(), policy=AUTHENTICATED, name="logout"),
]
