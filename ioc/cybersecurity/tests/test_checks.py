"""R5.6: the checks of a watched asset against local servers on 127.0.0.1 (loopback allow-listed only here):
trustme certificates (good, expired, expiring, wrong name, untrusted CA), a down, slow, silent and oversized site,
a redirect loop, garbage instead of TLS, a refused range, a changed page, a DNS change; alerts raised once per
outage and resolved when the site is back."""

from __future__ import annotations

import datetime as dt
import socket
import tempfile

import trustme
from django.test import TestCase, override_settings
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.common.choices import Severity
from ioc.cybersecurity import services
from ioc.cybersecurity.choices import AssetKind, AssetStatus
from ioc.cybersecurity.models import Asset, CheckResult
from ioc.cybersecurity.probes import Outcome
from ioc.cybersecurity.tests.servers import DnsServer, Page, RawServer, WebServer, issue
from ioc.incidents.choices import AlertState
from ioc.incidents.models import Alert

CA = trustme.CA()
OTHER_CA = trustme.CA()
CA_FILE = tempfile.NamedTemporaryFile(suffix=".pem", delete=False)  # noqa: SIM115 (lives for the module)
CA_FILE.write(CA.cert_pem.bytes())
CA_FILE.flush()

LOOPBACK = {"OUTBOUND_ALLOWED_CIDRS": ["127.0.0.0/8", "::1/128"], "OUTBOUND_EXTRA_CA_FILE": CA_FILE.name}


@override_settings(**LOOPBACK, OUTBOUND_TIMEOUT_SECONDS=2, CYBER_SLOW_MS=5000)
class CheckTestBase(Personas, TestCase):
    servers: list[WebServer | RawServer]

    def setUp(self) -> None:
        super().setUp()
        self.servers = []

    def tearDown(self) -> None:
        for server in self.servers:
            server.close()
        super().tearDown()

    def web(self, cert: trustme.LeafCert | None = None) -> WebServer:
        server = WebServer(cert)
        self.servers.append(server)
        return server

    def asset(self, url: str, **fields: object) -> Asset:
        return services.asset_create(
            actor=self.admin,
            code=f"a{Asset.objects.count()}",
            name="Cổng thông tin thử",
            kind=AssetKind.PORTAL,
            agency=self.agency_a,
            level=3,
            url=url,
            **fields,
        )

    def check(self, asset: Asset) -> Asset:
        Asset.objects.filter(pk=asset.pk).update(next_check_at=timezone.now())
        self.assertEqual(services.checks_run_due(), 1)
        asset.refresh_from_db()
        return asset

    def alert(self, asset: Asset, rule: str) -> Alert | None:
        return Alert.objects.filter(source="cybersecurity", dedup_key=f"{asset.code}:{rule}").order_by("-pk").first()

    def last(self, asset: Asset) -> CheckResult:
        return CheckResult.objects.filter(asset=asset).latest("checked_at")


class TlsTest(CheckTestBase):
    def test_a_good_site_is_up_with_its_certificate_days(self):
        server = self.web(issue(CA, "localhost"))
        server.pages["/"] = Page()
        asset = self.check(self.asset(server.url()))
        self.assertEqual(asset.status, AssetStatus.UP, self.last(asset).reason)
        self.assertEqual(asset.problems, [])
        self.assertIn(self.last(asset).cert_days, (363, 364, 365))
        self.assertFalse(Alert.objects.filter(source="cybersecurity").exists())

    def test_an_expired_certificate_raises_cyber_tls(self):
        server = self.web(issue(CA, "localhost", days=-3))
        server.pages["/"] = Page()
        asset = self.check(self.asset(server.url()))
        self.assertIn("tls", asset.problems)
        self.assertLess(self.last(asset).cert_days, 0)
        alert = self.alert(asset, "tls")
        assert alert is not None
        self.assertEqual(alert.kind, "cyber.tls")
        self.assertIn("expired", alert.payload["reason"])

    def test_an_expiring_certificate_warns_with_rising_severity(self):
        for days, severity in ((25, Severity.LOW), (10, Severity.MEDIUM), (5, Severity.HIGH)):
            with self.subTest(days=days):
                server = self.web(issue(CA, "localhost", days=days + 0.5))
                server.pages["/"] = Page()
                asset = self.check(self.asset(server.url()))
                self.assertEqual(asset.problems, ["cert_expiry"])
                alert = self.alert(asset, "cert_expiry")
                assert alert is not None
                self.assertEqual((alert.kind, alert.severity), ("cyber.cert_expiry", severity))

    def test_a_wrong_name_and_an_untrusted_ca_raise_cyber_tls(self):
        for cert, words in ((issue(CA, "other.example"), "match"), (issue(OTHER_CA, "localhost"), "unable to get")):
            with self.subTest(words=words):
                server = self.web(cert)
                server.pages["/"] = Page()
                asset = self.check(self.asset(server.url()))
                self.assertIn("tls", asset.problems)
                self.assertIn("down", asset.problems)
                self.assertIn(words, self.last(asset).reason)

    def test_garbage_instead_of_a_tls_handshake_is_a_recorded_failure(self):
        raw = RawServer(b"220 hello, this is not TLS\r\n" * 4)
        self.servers.append(raw)
        asset = self.check(self.asset(f"https://localhost:{raw.port}/"))
        self.assertEqual(asset.status, AssetStatus.DOWN)
        self.assertIn("TLS", self.last(asset).reason)


class AvailabilityTest(CheckTestBase):
    def test_one_alert_per_outage_resolved_when_the_site_is_back(self):
        server = self.web()
        server.pages["/"] = Page(headers={"Content-Type": "text/html"})
        asset = self.asset(server.url())
        server.pages["/"] = Page(status=503)
        asset = self.check(asset)
        asset = self.check(asset)
        self.assertEqual(asset.status, AssetStatus.DOWN)
        self.assertEqual(Alert.objects.filter(source="cybersecurity", kind="cyber.down").count(), 1)
        alert = self.alert(asset, "down")
        assert alert is not None
        self.assertEqual((alert.count, alert.state), (2, AlertState.NEW))
        server.pages["/"] = Page()
        asset = self.check(asset)
        alert.refresh_from_db()
        self.assertEqual(alert.state, AlertState.RESOLVED)
        self.assertEqual(asset.status, AssetStatus.UP)
        self.assertEqual(CheckResult.objects.filter(asset=asset).count(), 3)

    def test_a_closed_port_is_down_with_its_reason(self):
        # A socket bound but never listening refuses connections, and holding it keeps the port from being
        # taken by another process meanwhile (closing a server and reusing its port raced with parallel tests).
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as closed:
            closed.bind(("127.0.0.1", 0))
            asset = self.check(self.asset(f"http://localhost:{closed.getsockname()[1]}/"))
        self.assertEqual(asset.status, AssetStatus.DOWN)
        self.assertIn("kết nối", self.last(asset).reason)

    @override_settings(CYBER_SLOW_MS=200)
    def test_a_slow_site_raises_cyber_slow(self):
        server = self.web()
        server.pages["/"] = Page(delay=0.4)
        asset = self.check(self.asset(server.url()))
        self.assertIn("slow", asset.problems)
        self.assertGreaterEqual(self.last(asset).response_ms or 0, 400)

    @override_settings(OUTBOUND_TIMEOUT_SECONDS=1)
    def test_a_site_that_never_answers_is_a_recorded_failure(self):
        raw = RawServer(None)
        self.servers.append(raw)
        asset = self.check(self.asset(f"http://localhost:{raw.port}/"))
        self.assertEqual(asset.status, AssetStatus.DOWN)
        self.assertIn("Timed out", self.last(asset).reason)

    def test_ten_megabytes_is_a_recorded_failure(self):
        server = self.web()
        server.pages["/"] = Page(body=b"x" * (10 * 1024 * 1024))
        asset = self.check(self.asset(server.url()))
        self.assertEqual(asset.status, AssetStatus.DOWN)
        self.assertIn("larger than", self.last(asset).reason)

    def test_a_redirect_loop_is_a_recorded_failure(self):
        server = self.web()
        server.pages["/a"] = Page(status=302, headers={"Location": "/b"})
        server.pages["/b"] = Page(status=302, headers={"Location": "/a"})
        asset = self.check(self.asset(server.url("/a")))
        self.assertEqual(asset.status, AssetStatus.DOWN)
        self.assertIn("redirect", asset.problems)
        self.assertIn("loop", self.last(asset).reason)

    def test_redirects_are_followed_and_each_hop_is_guarded(self):
        server = self.web()
        server.pages["/"] = Page(status=301, headers={"Location": "/home"})
        server.pages["/home"] = Page(status=302, headers={"Location": "http://10.0.0.1/internal"})
        asset = self.check(self.asset(server.url()))
        self.assertEqual(asset.status, AssetStatus.DOWN)
        self.assertIn("OUTBOUND_ALLOWED_CIDRS", self.last(asset).reason)

    @override_settings(OUTBOUND_ALLOWED_CIDRS=[])
    def test_a_name_in_a_refused_range_is_a_recorded_failure(self):
        server = self.web()
        server.pages["/"] = Page()
        asset = self.check(self.asset(server.url()))
        self.assertEqual(asset.status, AssetStatus.DOWN)
        self.assertIn("OUTBOUND_ALLOWED_CIDRS", self.last(asset).reason)

    def test_missing_security_headers_raise_a_low_alert(self):
        server = self.web()
        server.pages["/"] = Page(headers={"Content-Type": "text/html"})
        asset = self.check(self.asset(server.url()))
        self.assertEqual(asset.problems, ["headers"])
        self.assertIn("content-security-policy", self.last(asset).reason)


class DefacementTest(CheckTestBase):
    def test_a_changed_region_raises_cyber_defacement_with_a_diff(self):
        server = self.web()
        page = b"<html><body><div id='main'>Tin tuc tinh</div><div id='ads'>%d</div></body></html>"
        server.pages["/"] = Page(body=page % 1)
        asset = self.check(self.asset(server.url(), deface_selectors=["#main"]))
        self.assertEqual(asset.deface_baseline, "Tin tuc tinh")
        server.pages["/"] = Page(body=page.replace(b"Tin tuc tinh", b"Hacked by X") % 2)
        asset = self.check(asset)
        self.assertIn("defacement", asset.problems)
        alert = self.alert(asset, "defacement")
        assert alert is not None
        self.assertIn("+Hacked by X", alert.payload["diff"])
        self.assertIn("-Tin tuc tinh", alert.payload["diff"])

    def test_an_unwatched_region_changing_raises_nothing(self):
        server = self.web()
        server.pages["/"] = Page(body=b"<html><body><div id='main'>A</div><p>1</p></body></html>")
        asset = self.check(self.asset(server.url(), deface_selectors=["#main"]))
        server.pages["/"] = Page(body=b"<html><body><div id='main'>A</div><p>2</p></body></html>")
        asset = self.check(asset)
        self.assertEqual(asset.problems, [])

    def test_a_forbidden_word_raises_cyber_defacement(self):
        server = self.web()
        server.pages["/"] = Page(body="<html><body><p>Trang bị tấn công CỜ BẠC</p></body></html>".encode())
        asset = self.check(self.asset(server.url(), forbidden_words=["cờ bạc"]))
        self.assertIn("defacement", asset.problems)
        self.assertIn("cờ bạc", self.last(asset).reason)


class DnsTest(CheckTestBase):
    def test_answers_differing_from_the_registered_ones_raise_cyber_dns(self):
        dns_server = DnsServer(["10.1.2.3"])
        self.addCleanup(dns_server.close)
        server = self.web()
        server.pages["/"] = Page()
        with override_settings(CYBER_DNS_NAMESERVERS=[f"127.0.0.1:{dns_server.port}"]):
            asset = self.check(self.asset(server.url(), dns_expected=["10.1.2.3"]))
            self.assertNotIn("dns", asset.problems, self.last(asset).reason)
            dns_server.resolver.answers = ["203.0.113.9"]
            asset = self.check(asset)
        self.assertIn("dns", asset.problems)
        self.assertIn("203.0.113.9", self.last(asset).reason)
        alert = self.alert(asset, "dns")
        assert alert is not None
        self.assertEqual(alert.kind, "cyber.dns")


class LeaseTest(CheckTestBase):
    def test_a_lost_lease_writes_nothing(self):
        asset = self.asset("http://localhost:9/")
        lease = services.asset_claim(pk=asset.pk)
        assert lease is not None
        self.assertIsNone(services.asset_claim(pk=asset.pk))
        outcome = Outcome(problems={"down": "x"})
        wrong = lease + dt.timedelta(seconds=1)
        self.assertFalse(services.check_record(asset=asset, lease=wrong, outcome=outcome, actor=self.system_account))
        self.assertFalse(CheckResult.objects.filter(asset=asset).exists())
        self.assertTrue(services.check_record(asset=asset, lease=lease, outcome=outcome, actor=self.system_account))
        self.assertEqual(CheckResult.objects.filter(asset=asset).count(), 1)

    def test_demo_assets_are_never_checked(self):
        self.asset("http://localhost:9/", is_demo=True)
        self.assertEqual(services.checks_run_due(), 0)
