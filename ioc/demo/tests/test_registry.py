"""DESIGN "Demo data": every generator listed in the registry is importable with the shared signature."""

import inspect

from django.test import SimpleTestCase

from ioc.demo.registry import GENERATORS, generators


class RegistryTest(SimpleTestCase):
    def test_it_lists_the_foundation_first(self):
        self.assertEqual(GENERATORS[0], ("demo", "ioc.demo.foundation"))

    def test_it_gives_every_generator_the_shared_keyword_signature(self):
        for generator in generators():
            parameters = inspect.signature(generator.generate).parameters
            for name in ("profile", "rng", "until"):
                self.assertEqual(parameters[name].kind, inspect.Parameter.KEYWORD_ONLY, generator.module)
