"""R5.5: an agency's default sensitivity for its data: police (and security) agencies default to internal."""

from django.core.exceptions import ValidationError
from django.test import TestCase

from ioc.accounts.testing import system_actor
from ioc.agencies.choices import AgencyKind, Sensitivity
from ioc.agencies.models import Agency
from ioc.agencies.services import agency_create, agency_update


class DefaultSensitivityTest(TestCase):
    def test_a_police_agency_defaults_to_internal_others_to_none(self):
        police = agency_create(actor=system_actor(), code="cong-an-tinh", name="Công an tỉnh", kind=AgencyKind.POLICE)
        office = agency_create(actor=system_actor(), code="so-tnmt", name="Sở TN&MT", kind=AgencyKind.DEPARTMENT)
        self.assertEqual((police.default_sensitivity, office.default_sensitivity), (Sensitivity.INTERNAL, ""))

    def test_it_may_be_given_and_changed(self):
        agency = agency_create(
            actor=system_actor(), code="so-a", name="Sở A", default_sensitivity=Sensitivity.RESTRICTED
        )
        self.assertEqual(agency.default_sensitivity, "restricted")
        agency_update(actor=system_actor(), agency=agency, default_sensitivity=Sensitivity.PUBLIC)
        agency.refresh_from_db()
        self.assertEqual(agency.default_sensitivity, "public")

    def test_an_unknown_level_is_refused_and_nothing_written(self):
        with self.assertRaises(ValidationError) as caught:
            agency_create(actor=system_actor(), code="so-b", name="Sở B", default_sensitivity="secret")
        self.assertIn("default_sensitivity", caught.exception.message_dict)
        self.assertFalse(Agency.objects.filter(code="so-b").exists())
