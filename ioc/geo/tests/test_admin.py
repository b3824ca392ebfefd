"""Reference data is read-only in the admin: only `geo_load` and `territory_set` write it."""

from django.contrib import admin
from django.test import RequestFactory, SimpleTestCase

from ioc.geo.models import AdminUnit, Succession, Territory


class GeoAdminTest(SimpleTestCase):
    def test_it_registers_the_three_models_read_only(self):
        request = RequestFactory().get("/admin/")
        for model in (AdminUnit, Succession, Territory):
            with self.subTest(model=model.__name__):
                model_admin = admin.site._registry[model]
                self.assertFalse(model_admin.has_add_permission(request))
                self.assertFalse(model_admin.has_change_permission(request))
                self.assertFalse(model_admin.has_delete_permission(request))

    def test_it_keeps_boundaries_out_of_the_unit_page(self):
        self.assertIn("geometry", admin.site._registry[AdminUnit].exclude or ())
