"""R11, issue 9: every agency role, duty, domain, calendar, meeting, allowance and position a profile cites
names an article (clause, point) that exists in its act's text (`ioc/demo/profiles/acts/`, copies of the seeds)."""

from pathlib import Path

from django.test import SimpleTestCase

from ioc.agencies.choices import DEMO_SOURCE
from ioc.demo.profiles import PROFILES
from ioc.regulation.text import articles_parse, citation_exists

ACTS = Path(__file__).resolve().parents[1] / "profiles" / "acts"


def citations(profile):
    """(what, citation) for everything the profile cites."""
    found = [(f"agency {spec.code}", source) for spec in profile.agencies for _role, source in spec.roles]
    found.append(("commune committees", profile.communes.source))
    regulation = profile.regulation
    for group in ("duties", "domains", "reports", "meetings", "allowances", "staffing"):
        found += [(f"{group} {item.code}", item.source) for item in getattr(regulation, group)]
    if regulation.cadence is not None:
        found.append(("cadence", regulation.cadence.source))
    if regulation.hours is not None:
        found.append(("hours", regulation.hours.source))
    return found


class ProfileCitationsTest(SimpleTestCase):
    def test_every_citation_names_an_article_of_the_profiles_own_act(self):
        for profile in PROFILES.values():
            articles = articles_parse((ACTS / profile.seed_file).read_text(encoding="utf-8"))
            for what, source in citations(profile):
                if source == DEMO_SOURCE:
                    continue
                with self.subTest(profile=profile.key, what=what, source=source):
                    self.assertTrue(citation_exists(articles, source, seed=profile.seed))

    def test_the_five_acts_are_the_five_seeds(self):
        self.assertEqual(sorted(p.seed for p in PROFILES.values()), ["000", "001", "002", "003", "004"])
        for profile in PROFILES.values():
            text = (ACTS / profile.seed_file).read_text(encoding="utf-8")
            number = profile.act.number.split("/")[0]
            if number.isdigit():  # Quảng Nam's act is a draft without a number
                self.assertIn(f"{number}/QĐ-UBND", text, profile.key)

    def test_it_refuses_what_the_acts_do_not_say(self):
        loc_ninh = articles_parse((ACTS / PROFILES["loc-ninh"].seed_file).read_text(encoding="utf-8"))
        self.assertTrue(citation_exists(loc_ninh, "003:11.6", seed="003"))
        for wrong in ("003:15", "003:11.9", "003:11.6a", "004:11.6", "003-11", ""):
            self.assertFalse(citation_exists(loc_ninh, wrong, seed="003"), wrong)
        quang_nam = articles_parse((ACTS / PROFILES["quang-nam"].seed_file).read_text(encoding="utf-8"))
        self.assertTrue(citation_exists(quang_nam, "001:10", seed="001"))
        self.assertFalse(citation_exists(quang_nam, "001:10.1", seed="001"))  # its articles number no clauses
        ca_mau = articles_parse((ACTS / PROFILES["ca-mau"].seed_file).read_text(encoding="utf-8"))
        self.assertTrue(citation_exists(ca_mau, "000:15.3i", seed="000"))
        self.assertFalse(citation_exists(ca_mau, "000:15.3l", seed="000"))

    def test_the_decision_s_own_articles_are_not_the_regulation_s(self):
        loc_ninh = articles_parse((ACTS / PROFILES["loc-ninh"].seed_file).read_text(encoding="utf-8"))
        self.assertEqual(loc_ninh[3].title, "Giải thích từ ngữ")  # not the decision's "Điều 3. Chánh Văn phòng…"
        self.assertEqual(sorted(loc_ninh), list(range(1, 15)))
