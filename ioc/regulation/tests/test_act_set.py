"""R11: the act and its articles, parsed from its text; idempotent, audited, refused whole when bad."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from ioc.accounts.testing import Personas, system_actor
from ioc.audit.models import AuditEntry
from ioc.regulation import services
from ioc.regulation.models import Act, Article
from ioc.regulation.tests.support import act_kwargs, loc_ninh_act


class ActSetTest(Personas, TestCase):
    def test_it_records_the_act_and_the_regulations_articles(self):
        act = loc_ninh_act()
        self.assertEqual((act.number, act.level, act.seed), ("4037/QĐ-UBND", "district", "003"))
        numbers = list(Article.objects.filter(act=act).values_list("number", flat=True))
        self.assertEqual(numbers, list(range(1, 15)))
        article = Article.objects.get(act=act, number=11)
        self.assertEqual(article.title, "Trách nhiệm của Văn phòng HĐND và UBND huyện")
        self.assertIn("6", article.clauses)
        self.assertTrue(article.excerpt.startswith("1. Chịu trách nhiệm tổ chức quản trị"))

    def test_a_second_identical_call_changes_and_audits_nothing(self):
        loc_ninh_act()
        loc_ninh_act()
        self.assertEqual(Act.objects.count(), 1)
        self.assertEqual(AuditEntry.objects.filter(action="regulation.act_set").count(), 1)
        services.act_set(actor=system_actor(), **act_kwargs(signer="Nguyễn Gia Hòa"))
        self.assertEqual(AuditEntry.objects.filter(action="regulation.act_set").count(), 2)
        self.assertEqual(Act.objects.get().signer, "Nguyễn Gia Hòa")

    def test_it_refuses_bad_input_naming_the_field_and_writes_nothing(self):
        cases = {
            "seed": {"seed": "3"},
            "number": {"number": " "},
            "title": {"title": ""},
            "level": {"level": "commune"},
            "text": {"text": "Không có điều nào."},
        }
        for field, override in cases.items():
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                services.act_set(actor=system_actor(), **act_kwargs(**override))
            self.assertIn(field, caught.exception.message_dict)
        self.assertFalse(Act.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action="regulation.act_set").exists())

    def test_only_a_system_administrator_loads_it(self):
        with self.assertRaises(PermissionDenied):
            loc_ninh_act(actor=self.operator)
        self.assertFalse(Act.objects.exists())
