"""R11: `demo_load --profile hung-yen` builds the foundation through the real services, idempotently,
and prints the logins and exactly the two token lines.

The foundation's tests run `--only demo` (accounts, agencies, tokens do not depend on the domain generators, and a
whole load costs 30 s on PostgreSQL per test); one test runs every generator of the registry, and each domain's
own demo test checks its generator on top of the foundation."""

import io
import json
import os
import re
import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from ioc.accounts.choices import STAFF_ROLES, SYSTEM_USERNAME, RequestKind, Role
from ioc.accounts.models import AccountRequest, ApiToken, User
from ioc.accounts.selectors import token_resolve, totp_device_confirmed
from ioc.agencies.models import Agency, AgencyActRole, InformationSystem
from ioc.audit.models import AuditEntry
from ioc.demo.profiles import profile_get
from ioc.demo.registry import generators
from ioc.geo.models import Territory

PROFILE = profile_get("hung-yen")


class DemoLoadTest(TestCase):
    def setUp(self):
        self.var = tempfile.TemporaryDirectory()
        self.addCleanup(self.var.cleanup)
        override = override_settings(VAR_DIR=self.var.name)
        override.enable()
        self.addCleanup(override.disable)

    def load(self, *extra):
        out = io.StringIO()
        call_command(
            "demo_load",
            "--profile",
            "hung-yen",
            "--no-units",
            "--address",
            "http://127.0.0.1:8123/",
            *(extra or ("--only", "demo")),
            stdout=out,
        )
        return out.getvalue()

    def test_it_sets_the_territory_to_the_communes_present(self):
        self.load()
        territory = Territory.objects.get(profile="hung-yen")
        self.assertEqual((territory.name, territory.root.code), ("Tỉnh Hưng Yên", "33"))
        self.assertEqual(territory.communes.count(), 20)  # the test subset of province 33

    def test_it_creates_the_acts_agencies_citing_their_articles(self):
        self.load()
        cited = {(r.agency.code, r.role): r.source for r in AgencyActRole.objects.select_related("agency")}
        self.assertEqual(cited[("ubnd-tinh-hung-yen", "owner")], "002:8.1")
        self.assertEqual(cited[("vp-ubnd-tinh", "managing")], "002:8.1")
        self.assertEqual(cited[("tt-thong-tin-hoi-nghi", "operating")], "002:8.1")
        self.assertEqual(cited[("cong-an-tinh", "coordinating")], "002:14.2")
        self.assertEqual(cited[("bao-ptth-hung-yen", "coordinating")], "002:14.3")
        self.assertEqual(cited[("so-tai-chinh", "coordinating")], "002:14.4")
        self.assertEqual(cited[("so-y-te", "processing")], "demo")
        communes = [code for (code, role), source in cited.items() if code.startswith("ubnd-1")]
        self.assertEqual(len(communes), 4)
        self.assertTrue(all(cited[(code, "processing")] == "002:1.2" for code in communes))
        self.assertEqual(Agency.objects.get(code="vp-ubnd-tinh").parent.code, "ubnd-tinh-hung-yen")
        self.assertEqual(Agency.objects.get(code="ubnd-11953").unit.code, "11953")

    def test_it_creates_every_account_on_a_request_citing_the_act(self):
        self.load()
        roles = {u.username: u.role_codes for u in User.objects.all()}
        self.assertEqual(roles["quantri"], {Role.SYSTEM_ADMIN})
        self.assertEqual(roles["vanhanh"], {Role.IOC_OPERATOR})
        self.assertEqual(roles["lanhdao-ioc"], {Role.IOC_LEADER})
        self.assertEqual(roles["lanhdao-tinh"], {Role.PROVINCE_LEADER})
        self.assertEqual(roles["canbo-congan"], {Role.AGENCY_OFFICER})
        self.assertEqual(roles["truong-congan"], {Role.AGENCY_HEAD})
        self.assertEqual(roles["chutich-xa"], {Role.AGENCY_HEAD})
        self.assertEqual(roles["man-hinh-phong-dieu-hanh"], {Role.DISPLAY_SCREEN})
        self.assertEqual(User.objects.get(username="canbo-xa").agency.code, "ubnd-11953")
        # The system account's own request comes from the test session's set-up (root conftest), not the demo.
        requests = AccountRequest.objects.exclude(subject__username=SYSTEM_USERNAME)
        self.assertEqual(
            {(r.document_no, r.document_date.isoformat()) for r in requests}, {("1062/QĐ-UBND", "2025-09-21")}
        )
        self.assertFalse(requests.exclude(status="applied").exists())
        self.assertTrue(requests.filter(kind=RequestKind.BOOTSTRAP).exists())

    def test_it_preconfirms_a_totp_device_for_every_staff_account(self):
        self.load()
        self.assertIsNone(totp_device_confirmed(user=User.objects.get(username=SYSTEM_USERNAME)))  # never signs in
        for user in User.objects.filter(is_service_account=False).exclude(username=SYSTEM_USERNAME):
            has_device = totp_device_confirmed(user=user) is not None
            self.assertEqual(has_device, bool(user.role_codes & STAFF_ROLES), user.username)

    def test_it_issues_the_two_tokens_with_their_scopes(self):
        output = self.load()
        system = re.search(r"^Information-system token: (\S+)$", output, re.M).group(1)
        open311 = re.search(r"^Open311 api_key: (\S+)$", output, re.M).group(1)
        scopes = set(token_resolve(value=system).token.scopes)
        self.assertEqual(
            scopes, {"open311.submit", "sta.write", "cameras.events", "incidents.alerts", "datahub.push:*"}
        )
        self.assertEqual(token_resolve(value=open311).token.scopes, ["open311.submit"])
        lgsp = InformationSystem.objects.get(code="lgsp-hung-yen")
        self.assertEqual(token_resolve(value=system).token.user, lgsp.service_user)
        self.assertEqual(lgsp.agency.code, "so-khcn")

    def test_it_ends_the_printout_with_exactly_the_two_token_lines(self):
        lines = self.load().rstrip("\n").split("\n")
        self.assertRegex(lines[-2], r"^Information-system token: ioc_\S+$")
        self.assertRegex(lines[-1], r"^Open311 api_key: ioc_\S+$")
        text = "\n".join(lines)
        self.assertIn("http://127.0.0.1:8123/", text)
        self.assertEqual(sum(line.startswith("Information-system token:") for line in lines), 1)
        self.assertEqual(sum(line.startswith("Open311 api_key:") for line in lines), 1)
        for username in (
            "quantri",
            "vanhanh",
            "lanhdao-ioc",
            "lanhdao-tinh",
            "canbo-congan",
            "man-hinh-phong-dieu-hanh",
        ):
            self.assertIn(username, text)
        self.assertEqual(len(re.findall(r"TOTP secret: [A-Z2-7]{16,}", text)), 8)

    def test_it_is_idempotent(self):
        first = self.load()
        counts = (
            User.objects.count(),
            Agency.objects.count(),
            ApiToken.objects.count(),
            AuditEntry.objects.count(),
            AccountRequest.objects.count(),
            AgencyActRole.objects.count(),
        )
        second = self.load()
        again = (
            User.objects.count(),
            Agency.objects.count(),
            ApiToken.objects.count(),
            AuditEntry.objects.count(),
            AccountRequest.objects.count(),
            AgencyActRole.objects.count(),
        )
        self.assertEqual(again, counts)
        self.assertEqual(first.split("\n")[-2:], second.split("\n")[-2:])  # the same tokens, printed again

    def test_it_keeps_the_secrets_private(self):
        self.load()
        path = os.path.join(self.var.name, "demo-secrets.json")
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        stored = json.loads(Path(path).read_text(encoding="utf-8"))["hung-yen"]
        self.assertIn("vanhanh", stored["passwords"])
        self.assertEqual(set(stored["tokens"]), {"system", "open311"})

    def test_it_resets_lost_passwords_and_tokens_through_requests(self):
        self.load()
        os.remove(os.path.join(self.var.name, "demo-secrets.json"))
        output = self.load()
        self.assertNotIn("(không rõ / unknown)", output)
        self.assertTrue(AccountRequest.objects.filter(kind=RequestKind.RESET).exists())
        system = re.search(r"^Information-system token: (\S+)$", output, re.M).group(1)
        self.assertIsNotNone(token_resolve(value=system).token)

    def test_it_provisions_the_demo_admin_when_the_deployment_already_has_one(self):
        from ioc.accounts.services import admin_bootstrap

        admin_bootstrap(
            document_no="01/QĐ",
            document_date=PROFILE.act.date,
            issuing_body="UBND tỉnh",
            username="admin-that",
            email="a@canary.invalid",
            password="Mat-khau-2025!",
            full_name="Admin",
        )
        self.load()
        self.assertEqual(User.objects.get(username="quantri").role_codes, {Role.SYSTEM_ADMIN})

    def test_it_prints_the_summary_without_writing(self):
        self.load()
        before = AuditEntry.objects.count()
        output = self.load("--summary-only", "--only", "demo")
        self.assertEqual(AuditEntry.objects.count(), before)
        self.assertRegex(output.rstrip().split("\n")[-1], r"^Open311 api_key: ioc_\S+$")

    def test_it_runs_only_the_generators_asked_for(self):
        output = self.load("--only", "demo")
        self.assertEqual(re.findall(r"^demo_load: (\S+) ", output, re.M), ["ioc.demo.foundation"])

    @pytest.mark.whole_demo
    def test_it_runs_every_generator_then_prints_the_tokens_last(self):
        output = self.load("--seed", "2025")
        ran = re.findall(r"^demo_load: (\S+) \(", output, re.M)
        self.assertEqual(ran, [generator.module for generator in generators()])
        lines = output.rstrip("\n").split("\n")
        self.assertRegex(lines[-2], r"^Information-system token: ioc_\S+$")
        self.assertRegex(lines[-1], r"^Open311 api_key: ioc_\S+$")

    def test_it_refuses_an_unknown_app(self):
        with self.assertRaises(CommandError):
            call_command("demo_load", "--only", "atlantis", stdout=io.StringIO())

    def test_it_refuses_an_unknown_profile(self):
        with self.assertRaises(CommandError):
            call_command("demo_load", "--profile", "atlantis", stdout=io.StringIO())
