"""SensorThings API 1.1 at /sta/v1.1/ (R5.5), its own error format at its root.

Every pattern is PUBLIC in the access registry: GETs are public by design (anonymous callers see public Things;
the selectors apply each caller's visibility), and writes check their token (`sta.write`, Bearer or Basic) in
the view so that a refusal comes in SensorThings' error format.
"""

from django.urls import URLPattern, URLResolver

from ioc.common.access import PUBLIC, route
from ioc.sensors.sta import views

app_name = "sta"
urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.root, policy=PUBLIC, name="root"),
    route("CreateObservations", views.create_observations, policy=PUBLIC, name="create_observations"),
    route(r"^(?P<path>[A-Z][A-Za-z]*(?:\(.*)?(?:/.*)?)$", views.resource, policy=PUBLIC, name="resource", regex=True),
    route(r"^(?P<rest>[\s\S]*)$", views.not_found, policy=PUBLIC, name="not_found", regex=True),
]
