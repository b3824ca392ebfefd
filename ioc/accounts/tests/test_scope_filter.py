"""DESIGN "Scope": an officer of agency B does not see agency A's rows; territory roles see everything."""

from django.test import TestCase

from ioc.accounts.models import User
from ioc.accounts.selectors import scope_filter, user_scope
from ioc.accounts.testing import Personas
from ioc.agencies.models import Agency


class ScopeFilterTest(Personas, TestCase):
    def visible(self, user: User) -> set[str]:
        qs = User.objects.filter(agency__isnull=False)
        return set(
            scope_filter(qs, scope=user_scope(user=user), agency_field="agency").values_list("username", flat=True)
        )

    def test_it_hides_agency_a_rows_from_an_officer_of_b(self):
        seen = self.visible(self.officer_b)
        self.assertIn(self.officer_b.username, seen)
        self.assertNotIn(self.officer_a.username, seen)
        self.assertNotIn(self.system_user.username, seen)  # the system belongs to agency A

    def test_it_shows_an_officer_of_a_their_agency(self):
        self.assertEqual(self.visible(self.officer_a), {self.officer_a.username, self.system_user.username})

    def test_it_includes_child_agencies(self):
        child = Agency.objects.create(code="persona-agency-b-child", name="Phòng thuộc Sở B", parent=self.agency_b)
        self.assertIn(child.pk, user_scope(user=self.officer_b).agency_ids)
        self.assertNotIn(child.pk, user_scope(user=self.officer_a).agency_ids)

    def test_it_shows_everything_to_territory_roles(self):
        self.assertTrue(user_scope(user=self.operator).everything)
        self.assertTrue(user_scope(user=self.leader).everything)
        everyone = set(User.objects.filter(agency__isnull=False).values_list("username", flat=True))
        self.assertEqual(self.visible(self.operator), everyone)

    def test_it_shows_nothing_to_a_citizen_or_an_anonymous_caller(self):
        self.assertEqual(self.visible(self.citizen), set())
        from django.contrib.auth.models import AnonymousUser

        self.assertTrue(user_scope(user=AnonymousUser()).is_empty)
