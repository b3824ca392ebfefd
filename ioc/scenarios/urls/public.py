"""Public warnings under /canh-bao-cong-dong/ (R5.2, R5.5): the list, one warning, its CAP document, the Atom
index."""

from django.urls import URLPattern, URLResolver

from ioc.common.access import PUBLIC, route
from ioc.scenarios.views import public

app_name = "public_warnings"
urlpatterns: list[URLPattern | URLResolver] = [
    route("", public.public_list, policy=PUBLIC, name="list"),
    route("atom.xml", public.public_atom, policy=PUBLIC, name="atom"),
    route("<str:identifier>/", public.public_detail, policy=PUBLIC, name="detail"),
    route("<str:identifier>/cap.xml", public.public_cap, policy=PUBLIC, name="cap"),
]
