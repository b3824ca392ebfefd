"""Issue 16: the load registry (bench/load/registry.py). Every domain's write paths, sent once each to a live
server, leave what their checks expect, once; a write that is not there is reported lost; the public responses
the personal-data crawl reads are listed with the keys of acknowledged writes."""

from __future__ import annotations

import pytest

from bench.load import registry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(settings):  # type: ignore[no-untyped-def]
    values = registry.world_base()
    for domain in registry.DOMAINS:
        values.update(domain.prepare(values))
    settings.RATE_LIMIT_TOKEN_OVERRIDES = {values["token"][4:14]: 10**6}
    return values


def test_every_domain_registers_writes_and_the_five_have_landed() -> None:
    names = {domain.name for domain in registry.DOMAINS}
    assert {"citizen_reports", "sensors", "datahub", "incidents", "indicators", "sharing", "reporting"} <= names
    for domain in registry.DOMAINS:
        assert domain.writes, domain.name
        assert all(write.weight > 0 for write in domain.writes)


def test_each_http_write_is_checked_present_complete_and_single(live_server, world) -> None:  # type: ignore[no-untyped-def]
    target = registry.Target(base=live_server.url, world=world)
    for domain in registry.DOMAINS:
        for write in domain.writes:
            if write.transport != "http":
                assert write.send(target, 0) is None  # no broker here: nothing acknowledged
                continue
            for n in (0, registry.LARGE_EVERY - 1) if write.name == "datahub.push" else (0,):
                expect = write.send(target, n)
                assert expect is not None, (write.name, n)
                assert domain.check(expect) == "", (write.name, domain.check(expect))
                assert domain.doubled(expect) == 0, write.name


def test_a_missing_or_incomplete_write_is_reported(live_server, world) -> None:  # type: ignore[no-untyped-def]
    from ioc.incidents.models import Alert

    reports = next(d for d in registry.DOMAINS if d.name == "citizen_reports")
    missing = registry.Expect("citizen_reports.open311", "ZZZZZZZZZZ", {"marker": "[tải 9]", "email": "x@y.invalid"})
    assert reports.check(missing) == "no report"
    incidents = next(d for d in registry.DOMAINS if d.name == "incidents")
    target = registry.Target(base=live_server.url, world=world)
    expect = incidents.writes[0].send(target, 3)
    assert expect is not None
    Alert.objects.filter(dedup_key=expect.key).update(payload={"level_cm": 0})
    assert "payload" in incidents.check(expect)


def test_an_import_job_not_done_is_reported(live_server, world) -> None:  # type: ignore[no-untyped-def]
    from ioc.datahub.models import IngestJob

    datahub = next(d for d in registry.DOMAINS if d.name == "datahub")
    target = registry.Target(base=live_server.url, world=world)
    expect = datahub.writes[0].send(target, registry.LARGE_EVERY - 1)  # a large push (Huey runs it at once here)
    assert expect is not None and "job" in expect.row
    assert datahub.check(expect) == ""
    IngestJob.objects.filter(pk=expect.row["job"]).update(state="running")
    assert datahub.check(expect).startswith("ingest job running")


def test_public_paths_take_the_keys_of_acknowledged_writes() -> None:
    paths = registry.public_paths({"citizen_reports": ["ABC123"]})
    assert "/open311/v2/requests/ABC123.json" in paths
    assert "/open311/v2/requests.json" in paths
    assert not any("{key}" in path for path in paths)
