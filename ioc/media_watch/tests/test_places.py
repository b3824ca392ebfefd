"""Places mentioned: 2025 and legacy unit names, the legacy one counted for its 2025 successor (R5.7)."""

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.geo.models import AdminUnit, Succession
from ioc.media_watch import services
from ioc.media_watch.choices import SourceKind
from ioc.media_watch.models import ItemTopic
from ioc.media_watch.parsers import ItemDraft
from ioc.media_watch.selectors.places import area_unit_ids, places_found
from ioc.media_watch.services.config import SourceSettings
from ioc.media_watch.text import normalise


class PlacesTest(Personas, TestCase):
    def test_a_legacy_name_the_press_still_writes_is_found_and_counted_for_its_successor(self):
        modern = AdminUnit.objects.get(hierarchy="2025", code="25270")
        legacy = AdminUnit.objects.filter(successors__new=modern, hierarchy="legacy").first()
        self.assertIsNotNone(legacy)
        text = normalise(f"Mưa lớn ở {legacy.full_name.lower()} từ đêm qua")
        self.assertIn(legacy.pk, places_found(text))
        single = Succession.objects.filter(old=legacy).count() == 1
        self.assertEqual(area_unit_ids([legacy.pk]), [modern.pk] if single else [])

    def test_a_2025_commune_by_its_full_and_bare_name(self):
        commune = AdminUnit.objects.get(hierarchy="2025", code="25270")
        self.assertIn(commune.pk, places_found(normalise(f"Tin từ {commune.full_name}")))
        self.assertIn(commune.pk, places_found(normalise(f"Người dân {commune.name} phản ánh")))
        folded = normalise(commune.name.upper())  # marks kept, so the name still matches in capitals
        self.assertIn(commune.pk, places_found(folded))

    def test_the_first_place_is_the_area_of_the_item_topics(self):
        commune = AdminUnit.objects.get(hierarchy="2025", code="25270")
        topic = services.topic_set(actor=self.admin, name="Ngập", query="ngập")
        source = services.source_set(actor=self.admin, values=SourceSettings(name="T", kind=SourceKind.EXPORT))
        (item,) = services.items_ingest(
            actor=self.admin, source=source, drafts=[ItemDraft(title=f"Ngập sâu ở {commune.full_name}")]
        ).new
        self.assertEqual(list(item.places.all()), [commune])
        self.assertEqual(ItemTopic.objects.get(item=item, topic=topic).unit, commune)
        self.assertLess(item.sentiment, 0)
