"""R7.2: the Django admin shows accounts read-only (changes go through requests); a token's digest never shows."""

from django.contrib import admin
from django.test import TestCase
from django.test.client import RequestFactory

from ioc.accounts.models import AccountRequest, ApiToken, DisplayScreen, RoleAssignment, User
from ioc.accounts.testing import Personas


class ReadOnlyAdminTest(Personas, TestCase):
    def test_it_allows_no_add_change_or_delete(self):
        request = RequestFactory().get("/admin/")
        request.user = self.admin
        for model in (User, RoleAssignment, AccountRequest, ApiToken, DisplayScreen):
            model_admin = admin.site._registry[model]
            with self.subTest(model=model.__name__):
                self.assertFalse(model_admin.has_add_permission(request))
                self.assertFalse(model_admin.has_change_permission(request))
                self.assertFalse(model_admin.has_delete_permission(request))
                self.assertTrue(model_admin.has_view_permission(request))

    def test_it_shows_a_token_without_its_digest(self):
        self.sign_in(self.client, self.admin)
        token = ApiToken.objects.get(user=self.system_user)
        page = self.client.get(f"/admin/accounts/apitoken/{token.pk}/change/")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, token.prefix)
        self.assertNotContains(page, token.digest)
        self.assertNotContains(page, self.system_token)

    def test_it_hides_the_admin_from_other_roles(self):
        self.sign_in(self.client, self.operator)
        self.assertEqual(self.client.get("/admin/accounts/user/").status_code, 403)
