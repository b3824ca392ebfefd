"""Issue 24 part 6: each duty of running the center a profile's act gives is linked on the "Quy chế" page to the
screen that carries it out (assets, staff, rosters, allowance sheets, the yearly estimate, changes)."""

from django.test import SimpleTestCase
from django.urls import reverse

from ioc.demo.profiles import PROFILES
from ioc.web.regulation import duty_target

# The articles the issue names, by profile, and the screen each duty must reach.
EXPECTED = {
    "ca-mau": {"000:7.3": "staff_list", "000:7.6": "asset_list", "000:8.2": "staff_list"},
    "hung-yen": {
        "002:7.1": "asset_list",
        "002:7.2": "asset_list",
        "002:11.1": "staff_list",
        "002:12.2": "roster_list",
        "002:12.7": "change_list",
        "002:12.8": "estimate",
        "002:16.2": "change_list",
        "002:16.3": "change_list",
    },
    "loc-ninh": {
        "003:6.5": "asset_list",
        "003:7.1": "staff_list",
        "003:9": "sheet_list",
        "003:10.4": "staff_list",
        "003:11.5": "estimate",
    },
    "ba-ria-vung-tau": {
        "004:8": "roster_list",
        "004:9": "staff_list",
        "004:10.1": "sheet_list",
        "004:10.3": "asset_list",
    },
}


class RegulationLinksTest(SimpleTestCase):
    def test_each_duty_of_the_issue_links_to_its_screen(self):
        for key, articles in EXPECTED.items():
            duties = PROFILES[key].regulation.duties
            for source, screen in articles.items():
                with self.subTest(profile=key, source=source):
                    linked = [d.carried_out_by for d in duties if d.source == source]
                    self.assertIn(f"url:operations:{screen}", linked)
                    target = duty_target(f"url:operations:{screen}")
                    self.assertTrue(target.built)
                    self.assertTrue(target.url and target.url.startswith("/van-hanh/"))


class EveryProfileLinkTest(SimpleTestCase):
    """Issues 22, 23: a duty linked to a name that does not exist shows "chưa có" on the page (BRVT's 004:6.4 and
    004:6.6 named `dossiers:index` and `media_watch:index`); every link of every profile resolves."""

    def test_every_duty_link_of_every_profile_resolves(self):
        for key, profile in PROFILES.items():
            for duty in profile.regulation.duties:
                if not duty.carried_out_by:  # nothing in the IOC carries it yet: shown as such, not as a link
                    continue
                with self.subTest(profile=key, source=duty.source, link=duty.carried_out_by):
                    self.assertTrue(duty_target(duty.carried_out_by).built)

    def test_the_media_watch_and_dossiers_duties_reach_their_screens(self):
        expected = {
            ("ba-ria-vung-tau", "004:6.4"): "dossiers:violation_list",
            ("ba-ria-vung-tau", "004:6.6"): "media_watch:feed",
            ("hung-yen", "002:6.5"): "media_watch:feed",
            ("ca-mau", "000:15.3i"): "media_watch:feed",
        }
        for (key, source), name in expected.items():
            with self.subTest(profile=key, source=source):
                linked = [d.carried_out_by for d in PROFILES[key].regulation.duties if d.source == source]
                self.assertEqual(linked, [f"url:{name}"])
                self.assertEqual(duty_target(f"url:{name}").url, reverse(name))
