"""Issue 20 part 2 and 5: the overview's figures against known data, its endpoints (data, panels, version with
304/ETag), scope, and the leaders' home showing the same figures."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase, override_settings
from django.utils import timezone

from ioc.citizen_reports.tests.test_core_support import CoreMixin
from ioc.incidents import services as incident_services
from ioc.web import overview
from ioc.web.tests import people

NO_CACHE = override_settings(IOC_OVERVIEW_CACHE_SECONDS=0, CITIZEN_REPORTS_STATISTICS_CACHE_SECONDS=0)


def alert(actor, *, key: str = "tram-7", severity: int = 4):
    return incident_services.alert_raise(
        source="sensors",
        dedup_key=key,
        kind="env.flood_level",
        severity=severity,
        title="Mực nước trạm 7 vượt báo động 2",
        occurred_at=timezone.now() - dt.timedelta(minutes=1),
        actor=actor,
    )


@NO_CACHE
class OverviewFiguresTest(CoreMixin, TestCase):
    def test_an_empty_database_gives_zeros_and_no_rate(self):
        figures = overview.overview_figures(user=self.operator)
        self.assertEqual(figures["reports"]["today"], 0)
        self.assertEqual(figures["reports"]["by_status"], [])
        self.assertEqual(figures["incidents"]["open"], 0)
        self.assertEqual(figures["incidents"]["alerts"], 0)
        self.assertEqual(figures["work"], {"overdue": 0, "at_risk": 0})
        self.assertIsNone(figures["compliance"]["rate"])
        self.assertEqual(figures["sensors"], {"total": 0, "fresh": 0, "silent": 0, "never": 0})

    def test_reports_today_by_status_and_over_seven_days(self):
        first = self.receive().report
        self.receive()
        self.forward(first)
        figures = overview.overview_figures(user=self.operator)["reports"]
        self.assertEqual(figures["today"], 2)
        by_status = {row["status"]: row["count"] for row in figures["by_status"]}
        self.assertEqual(by_status, {"received": 1, "forwarded": 1})
        self.assertEqual(figures["d7"]["received"], 2)
        self.assertEqual(figures["d30"]["received"], 2)

    def test_alerts_and_incidents_by_process_and_severity(self):
        alert(self.system_user, key="a", severity=5)
        verified = alert(self.system_user, key="b", severity=3)
        incident_services.alert_verify(alert=verified, actor=self.operator)
        figures = overview.overview_figures(user=self.operator)["incidents"]
        self.assertEqual(figures["alerts"], 1)
        self.assertEqual(figures["alerts_severe"], 1)
        self.assertEqual(figures["open"], 1)
        self.assertEqual(sum(row["count"] for row in figures["by_process"]), 1)
        severities = {row["severity"]: row["count"] for row in figures["by_severity"]}
        self.assertEqual(severities[3], 1)
        self.assertEqual(severities[5], 0)
        self.assertEqual(len(figures["active"]), 1)

    def test_an_agency_officer_sees_only_her_agencys_reports(self):
        self.receive()  # routed to agency A
        self.assertEqual(overview.overview_figures(user=self.officer_b)["reports"]["today"], 0)

    def test_the_version_moves_with_a_change(self):
        before = overview.version_of(overview.overview_figures(user=self.operator))
        self.assertEqual(before, overview.version_of(overview.overview_figures(user=self.operator)))
        self.receive()
        self.assertNotEqual(before, overview.version_of(overview.overview_figures(user=self.operator)))


@NO_CACHE
class OverviewEndpointsTest(CoreMixin, TestCase):
    def setUp(self):
        self.client = people.signed_in(self.screen_user)

    def test_the_version_answers_304_until_a_report_arrives(self):
        etag = self.client.get("/man-hinh/phien-ban/", HTTP_X_IOC_BACKGROUND="1")["ETag"]
        self.assertEqual(self.client.get("/man-hinh/phien-ban/", HTTP_IF_NONE_MATCH=etag).status_code, 304)
        self.receive()
        changed = self.client.get("/man-hinh/phien-ban/", HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(changed.status_code, 200)
        self.assertNotEqual(changed["ETag"], etag)

    @NO_CACHE
    def test_a_report_moves_the_reports_layer_and_the_panels_but_not_the_other_layers(self):
        """Issue 20: the screen swaps its panels and reloads only the layers whose own version moved."""
        first = self.client.get("/man-hinh/phien-ban/").json()
        self.assertEqual(set(first["layers"]), {"citizen_reports", "incidents", "sensors"})
        self.receive()
        second = self.client.get("/man-hinh/phien-ban/", HTTP_IF_NONE_MATCH=f'"{first["version"]}"').json()
        self.assertNotEqual(second["version"], first["version"])
        self.assertNotEqual(second["panels"], first["panels"])
        self.assertNotEqual(second["layers"]["citizen_reports"], first["layers"]["citizen_reports"])
        self.assertEqual(second["layers"]["incidents"], first["layers"]["incidents"])
        self.assertEqual(second["layers"]["sensors"], first["layers"]["sensors"])

    def test_the_data_endpoint_answers_the_figures_and_their_version(self):
        self.receive()
        body = self.client.get("/man-hinh/du-lieu/").json()
        self.assertEqual(body["figures"]["reports"]["today"], 1)
        self.assertEqual(body["version"], self.client.get("/man-hinh/phien-ban/").json()["panels"])

    def test_the_panels_fragment_carries_its_version_and_the_new_alert(self):
        alert(self.system_user)
        response = self.client.get("/man-hinh/bang/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertNotIn("<html", html)
        self.assertIn(f'data-version="{response["X-IOC-Version"]}"', html)
        self.assertIn('data-stat="alerts">1<', html)
        self.assertIn('data-stat="alerts-severe">1<', html)

    def test_the_page_holds_the_panels_the_map_and_the_scripts(self):
        page = self.client.get("/man-hinh/").content.decode()
        self.assertIn('id="ioc-display-panels"', page)
        self.assertIn('data-panels-url="/man-hinh/bang/"', page)
        self.assertIn("vendor/htmx/htmx.min.js", page)
        self.assertIn("web/territory-map.js", page)
        self.assertNotIn("<script>", page)  # CSP: no inline script

    def test_a_citizen_gets_403_on_every_endpoint(self):
        client = people.signed_in(self.citizen)
        for url in ("/man-hinh/bang/", "/man-hinh/du-lieu/", "/man-hinh/phien-ban/"):
            self.assertEqual(client.get(url).status_code, 403, url)

    def test_a_post_is_refused(self):
        self.assertEqual(self.client.post("/man-hinh/du-lieu/").status_code, 405)


@NO_CACHE
class LeaderHomeTest(CoreMixin, TestCase):
    def test_the_leader_opens_on_the_overview_figures(self):
        self.receive()
        alert(self.system_user)
        page = people.signed_in(self.leader).get("/").content.decode()
        self.assertIn('id="panel-leader"', page)
        self.assertIn('data-stat="reports-today">1<', page)
        self.assertIn('data-stat="alerts">1<', page)
        self.assertIn("/linh-vuc/", page)


@NO_CACHE
class DomainTilesTest(CoreMixin, TestCase):
    def test_a_domain_with_a_monitor_has_a_tile_and_one_with_neither_is_hidden(self):
        from django.conf import settings

        from ioc.regulation import services as regulation_services
        from ioc.regulation.testing import sample_regulation_load

        act = sample_regulation_load(actor=self.system_account, profile=settings.IOC_PROFILE)
        regulation_services.monitored_domains_set(
            actor=self.system_account,
            act=act,
            items=[
                {"code": "tuong-tac-cong-dan", "name": "Tương tác phục vụ công dân", "source": "999:2.1"},
                {"code": "kinh-te-xa-hoi", "name": "Kinh tế - xã hội (chưa có chỉ số)", "source": "999:2.2"},
            ],
        )
        self.receive()
        tiles = overview.overview_figures(user=self.operator)["domains"]
        self.assertEqual([t["code"] for t in tiles], ["tuong-tac-cong-dan"])
        self.assertEqual(tiles[0]["monitors"][0]["value"], 1)
