"""Every ModelAdmin is read-only or writes through services (DESIGN "Inside every app")."""

from django.contrib import admin
from django.test import RequestFactory, SimpleTestCase


class _AllPowerful:
    """A user every permission check says yes to: what the admin would let such a user write."""

    pk = 1
    is_active = True
    is_staff = True
    is_superuser = True
    is_authenticated = True

    def has_perm(self, perm, obj=None):
        return True

    def has_module_perms(self, app_label):
        return True


class AdminRegistryTest(SimpleTestCase):
    def test_it_finds_no_admin_that_writes_outside_services(self):
        request = RequestFactory().get("/admin/")
        request.user = _AllPowerful()
        writable = []
        for model, model_admin in admin.site._registry.items():
            if getattr(model_admin, "ioc_service_backed", False):
                continue
            if (
                model_admin.has_add_permission(request)
                or model_admin.has_change_permission(request)
                or model_admin.has_delete_permission(request)
            ):
                writable.append(model._meta.label)
        self.assertEqual(writable, [], f"admins that write outside services: {writable}")

    def test_it_removed_the_device_admins(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        self.assertFalse(admin.site.is_registered(TOTPDevice))
