"""The information-security demo (R5.6, R11): any profile — the agencies are read from the database.

The province's portal and each agency's site (up to 8, by code) as demo assets under `.invalid` addresses (never
checked live), a shared system, a data-center host and the IOC itself; 90 days of hourly checks in bulk with a few
outages and one defacement (resolved); synthetic security events from two registered sources (firewall, Wazuh) in
bulk; the last 14 days' events and each asset's latest check through the services (an SSH brute-force burst
raising one `cyber.event` alert, a certificate expiring in 12 days); the malware dataset with six months of
endpoint reports per agency (through the data hub's `submission_ingest`), and one vulnerability notice forwarded
for two assets. Idempotent: nothing happens once the demo assets exist.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from ioc.accounts.selectors import system_account
from ioc.agencies.models import Agency
from ioc.cybersecurity import services
from ioc.cybersecurity.choices import AssetKind, EventFormat, Rule
from ioc.cybersecurity.models import Asset, CheckResult, SecurityEvent
from ioc.cybersecurity.parsers import Draft
from ioc.cybersecurity.probes import Outcome

PREFIX = "demo-"
MALWARE_MONTHS = 6
HISTORY_DAYS = 90
RECENT_DAYS = 14
SITES = 8
RULES = (
    ("syslog:sshd", 3, "Failed password for root"),
    ("suricata:2010935", 3, "ET SCAN Suspicious inbound to MSSQL port 1433"),
    ("wazuh:31101", 2, "Web server 400 error code"),
    ("wazuh:554", 1, "File added to the system"),
    ("cef:Fortinet/FortiGate:0419016384", 4, "IPS: SQL injection attempt"),
)


def _assets(actor: Any, agencies: list[Agency]) -> list[Asset]:
    lead = agencies[0]
    specs: list[tuple[str, str, str, Agency, int, str]] = [
        ("cong-tinh", "Cổng thông tin điện tử tỉnh", AssetKind.PORTAL, lead, 3, "https://cong-tinh.demo.invalid/"),
        ("dvc", "Cổng dịch vụ công trực tuyến", AssetKind.ONLINE_SERVICE, lead, 3, "https://dichvucong.demo.invalid/"),
        (
            "qlvb",
            "Hệ thống quản lý văn bản và điều hành",
            AssetKind.SHARED_SYSTEM,
            lead,
            3,
            "https://qlvb.demo.invalid/",
        ),
        ("ttdl-web01", "Máy chủ web 01 (trung tâm dữ liệu)", AssetKind.DC_HOST, lead, 3, "http://web01.demo.invalid/"),
        ("ioc", "Hệ thống IOC (/healthz)", AssetKind.IOC, lead, 3, "https://ioc.demo.invalid/healthz"),
    ]
    for agency in agencies[1:SITES]:
        label = agency.short_name or agency.name
        specs.append(
            (
                f"site-{agency.code}"[:50],
                f"Trang thông tin điện tử {label}"[:200],
                AssetKind.WEBSITE,
                agency,
                2,
                f"https://{agency.code[:40]}.demo.invalid/",
            )
        )
    return [
        services.asset_create(
            actor=actor,
            code=PREFIX + code,
            name=name,
            kind=kind,
            agency=agency,
            level=level,
            url=url,
            deface_selectors=["#main"],
            is_demo=True,
            interval_minutes=60,
        )
        for code, name, kind, agency, level, url in specs
    ]


def _outages(rng: random.Random, until: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    spans = []
    for _n in range(rng.randint(1, 3)):
        start = until - dt.timedelta(days=rng.uniform(RECENT_DAYS, HISTORY_DAYS))
        spans.append((start, start + dt.timedelta(hours=rng.randint(1, 6))))
    return spans


def _results(asset: Asset, rng: random.Random, until: dt.datetime, defaced: bool) -> list[CheckResult]:
    outages = _outages(rng, until)
    deface_at = until - dt.timedelta(days=40)
    rows = []
    for hour in range(HISTORY_DAYS * 24, RECENT_DAYS * 24, -1):
        at = until - dt.timedelta(hours=hour)
        down = any(a <= at < b for a, b in outages)
        problems = [Rule.DOWN] if down else []
        if defaced and deface_at <= at < deface_at + dt.timedelta(hours=3):
            problems = [Rule.DEFACEMENT]
        rows.append(
            CheckResult(
                asset=asset,
                checked_at=at,
                ok=not down,
                status_code=None if down else 200,
                response_ms=None if down else rng.randint(80, 900),
                problems=problems,
                reason="down: Không kết nối được / Cannot connect"
                if down
                else ("defacement: Vùng theo dõi đã thay đổi / The watched regions changed" if problems else ""),
            )
        )
    return rows


def _event_draft(rng: random.Random, at: dt.datetime, agency: Agency, source: str) -> Draft:
    rule, severity, message = rng.choice(RULES)
    fmt = (
        EventFormat.WAZUH
        if rule.startswith("wazuh")
        else EventFormat.EVE
        if rule.startswith("suricata")
        else (EventFormat.CEF if rule.startswith("cef") else EventFormat.SYSLOG)
    )
    host = rng.choice(["web01", "web02", "db01", "mail01"])
    return Draft(at, fmt, source, host, rule, severity, f"{message} #{rng.randint(1, 10**6)}", agency.pk)


def _history_events(rng: random.Random, until: dt.datetime, agency: Agency) -> list[SecurityEvent]:
    rows = []
    for day in range(HISTORY_DAYS, RECENT_DAYS, -1):
        for _n in range(rng.randint(40, 120)):
            at = until - dt.timedelta(days=day, seconds=rng.randint(0, 86_399))
            d = _event_draft(rng, at, agency, "192.0.2.1")
            rows.append(
                SecurityEvent(
                    occurred_at=d.occurred_at,
                    received_at=d.occurred_at,
                    format=d.format,
                    source=d.source,
                    host=d.host,
                    rule=d.rule,
                    severity=d.severity,
                    agency_id=d.agency_id,
                    message=d.message,
                    digest=d.digest,
                )
            )
    return rows


def _recent(actor: Any, assets: list[Asset], rng: random.Random, until: dt.datetime, agency: Agency) -> int:
    for n in range(RECENT_DAYS, 0, -1):
        day = until - dt.timedelta(days=n)
        drafts = [
            _event_draft(rng, day + dt.timedelta(seconds=rng.randint(0, 86_399)), agency, "192.0.2.1")
            for _i in range(rng.randint(40, 120))
        ]
        services.events_store(actor=actor, drafts=drafts)
    burst = [
        Draft(
            until - dt.timedelta(minutes=5, seconds=i),
            EventFormat.SYSLOG,
            "192.0.2.1",
            "web01",
            "syslog:sshd",
            3,
            f"Failed password for root from 203.0.113.7 port {40000 + i}",
            agency.pk,
        )
        for i in range(30)
    ]
    services.events_store(actor=actor, drafts=burst)
    for index, asset in enumerate(assets):
        cert_days = 12 if index == 1 else 200
        outcome = Outcome(
            ok=True,
            status_code=200,
            response_ms=rng.randint(80, 600),
            cert_days=cert_days,
            cert_not_after=until + dt.timedelta(days=cert_days),
        )
        if index == 1:
            outcome.problems[Rule.CERT_EXPIRY] = f"Còn {cert_days} ngày / {cert_days} days left"
        lease = until + dt.timedelta(minutes=1)
        Asset.objects.filter(pk=asset.pk).update(lease_until=lease)
        services.check_record(asset=asset, lease=lease, outcome=outcome, actor=actor)
    return len(burst)


def _malware(actor: Any, agencies: list[Agency], rng: random.Random, until: dt.datetime) -> int:
    """Six months of endpoint reports per agency (a few infections, most cleaned, a slowly shrinking unprotected
    fleet), each a submission of the malware dataset."""
    services.malware_dataset_ensure(actor=actor, owner=agencies[0])
    reports = 0
    for agency in agencies[:SITES]:
        fleet = rng.randint(40, 300)
        unprotected = rng.randint(3, 30)
        for back in range(MALWARE_MONTHS - 1, -1, -1):
            year, month = until.year, until.month - back
            while month < 1:
                year, month = year - 1, month + 12
            infected = rng.randint(0, max(1, fleet // 25))
            unprotected = max(0, unprotected - rng.randint(0, 4))
            services.malware_report_submit(
                actor=actor,
                agency=agency,
                month=dt.date(year, month, 1),
                infected=infected,
                cleaned=rng.randint(max(0, infected - 2), infected),
                unprotected=unprotected,
            )
            reports += 1
    return reports


def _vulnerability(actor: Any, assets: list[Asset], until: dt.datetime) -> int:
    """One national notice, forwarded for the shared system and the data-center host (the demo's open work)."""
    affected = [a for a in assets if a.kind in (AssetKind.SHARED_SYSTEM, AssetKind.DC_HOST)]
    services.vulnerability_create(
        actor=actor,
        code="CVE-2026-DEMO-0001",
        title="Lỗ hổng thực thi mã từ xa trong máy chủ ứng dụng web (dữ liệu mẫu)",
        severity=4,
        published_on=until.date(),
        assets=affected,
        notice_no="Cảnh báo số 01/CATTT (mẫu)",
        remedy="Cập nhật bản vá của nhà cung cấp; rà soát nhật ký truy cập 30 ngày gần nhất.",
    )
    return len(affected)


def generate(*, profile: Any, rng: random.Random, until: dt.datetime) -> dict[str, int]:
    """R5.6: the watched assets, their history and the events (see the module's docstring)."""
    if Asset.objects.filter(code__startswith=PREFIX).exists():
        return {"already_loaded": 1}
    agencies = list(Agency.objects.filter(is_active=True, unit__isnull=True).order_by("code")) or list(
        Agency.objects.filter(is_active=True).order_by("code")
    )
    if not agencies:
        return {"assets": 0}
    actor = system_account()
    assets = _assets(actor, agencies)
    services.event_source_set(actor=actor, name="Tường lửa trung tâm dữ liệu", address="192.0.2.1", agency=agencies[0])
    services.event_rule_set(
        actor=actor,
        code="ssh-brute-force",
        name="Dò mật khẩu SSH",
        rule_prefix="syslog:sshd",
        min_severity=3,
        threshold=20,
        window_minutes=10,
    )
    results = [r for i, a in enumerate(assets) for r in _results(a, rng, until, defaced=i == 0)]
    services.history_results_bulk(actor=actor, results=results)
    events = _history_events(rng, until, agencies[0])
    services.history_events_bulk(actor=actor, events=events)
    burst = _recent(actor, assets, rng, until, agencies[0])
    reports = _malware(actor, agencies, rng, until)
    exposures = _vulnerability(actor, assets, until)
    return {
        "assets": len(assets),
        "checks": len(results) + len(assets),
        "events": len(events),
        "burst": burst,
        "malware_reports": reports,
        "exposures": exposures,
    }
