"""R5.5 on the agency pages: the default sensitivity of an agency's data, chosen on the form; blank on creation
means the default of its kind (police: internal)."""

from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.agencies.models import Agency

NEW = reverse("agencies:config_create")


def _fields(**overrides):
    fields = {"code": "cong-an-x", "name": "Công an xã X", "kind": "police", "role": "", "source": ""}
    fields.update(overrides)
    return fields


class AgencySensitivityPageTest(Personas, TestCase):
    def setUp(self) -> None:
        self.sign_in(self.client, self.admin)

    def test_blank_on_creation_takes_the_kind_default_and_a_choice_is_kept(self):
        self.client.post(NEW, _fields())
        self.assertEqual(Agency.objects.get(code="cong-an-x").default_sensitivity, "internal")
        self.client.post(NEW, _fields(code="cong-an-y", name="Công an xã Y", default_sensitivity="restricted"))
        self.assertEqual(Agency.objects.get(code="cong-an-y").default_sensitivity, "restricted")
        self.client.post(NEW, _fields(code="so-z", name="Sở Z", kind="department"))
        self.assertEqual(Agency.objects.get(code="so-z").default_sensitivity, "")

    def test_the_edit_page_shows_and_changes_it(self):
        edit = reverse("agencies:config_edit", args=[self.agency_a.pk])
        page = self.client.get(edit).content.decode()
        self.assertIn('name="default_sensitivity"', page)
        self.assertIn('value="public" selected', page)  # blank is shown as what it means
        data = {"name": self.agency_a.name, "kind": self.agency_a.kind, "default_sensitivity": "internal"}
        self.client.post(edit, data)
        self.agency_a.refresh_from_db()
        self.assertEqual(self.agency_a.default_sensitivity, "internal")

    def test_an_unknown_value_is_a_field_error_and_nothing_is_written(self):
        response = self.client.post(NEW, _fields(default_sensitivity="secret"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("default_sensitivity", response.context["form"].errors)
        self.assertFalse(Agency.objects.filter(code="cong-an-x").exists())
        edit = reverse("agencies:config_edit", args=[self.agency_a.pk])
        self.client.post(edit, {"name": self.agency_a.name, "kind": self.agency_a.kind, "default_sensitivity": "x"})
        self.agency_a.refresh_from_db()
        self.assertEqual(self.agency_a.default_sensitivity, "")

    def test_an_edit_without_the_field_leaves_it_unchanged(self):
        Agency.objects.filter(pk=self.agency_a.pk).update(default_sensitivity="restricted")
        edit = reverse("agencies:config_edit", args=[self.agency_a.pk])
        self.assertRedirects(self.client.post(edit, {"name": self.agency_a.name, "kind": self.agency_a.kind}), edit)
        self.agency_a.refresh_from_db()
        self.assertEqual(self.agency_a.default_sensitivity, "restricted")
