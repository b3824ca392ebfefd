"""A small indicator catalogue with history, made through the services, for other apps' fixtures (the crawl's
world) and tests: one monthly indicator of `agency`, 24 months at territory and commune level, an annual target, and
an open data call."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from ioc.indicators import services
from ioc.indicators.models import CallRule, DataCall, Indicator
from ioc.indicators.readysets import READY as READY  # other apps' tests build their specs from the ready sets
from ioc.indicators.tests.support import catalogue as catalogue  # other apps' tests use these three
from ioc.indicators.tests.support import spec as spec
from ioc.indicators.tests.support import territory as territory

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency
    from ioc.geo.models import AdminUnit

SAMPLE_CODE = "thu_ngan_sach"
SAMPLE_CALL_PERIOD = "202601"


def sample_catalogue(*, actor: User, agency: Agency, communes: list[AdminUnit], year: int = 2025) -> Indicator:
    """R2.1–R2.3: approve a one-indicator catalogue, import two years of values for `communes`, set a target."""
    services.catalog_version_approve(
        actor=actor,
        decision_no="01/QĐ-IOC-MAU",
        decision_date=dt.date(year, 1, 2),
        signer="Chủ tịch UBND",
        add=[
            services.IndicatorSpec(
                code=SAMPLE_CODE, name="Thu ngân sách nhà nước trên địa bàn", name_en="State budget revenue",
                unit_label="tỷ đồng", sector="kinh-te", period_type="month", levels=["territory", "commune"],
                definition="Tổng thu ngân sách nhà nước phát sinh trên địa bàn trong kỳ.",
                agency=agency.code, citation="0501 (Hệ thống chỉ tiêu thống kê quốc gia)",
            )
        ],
    )  # fmt: skip
    rows: list[services.ValueRow] = [
        {"indicator": SAMPLE_CODE, "period": f"{y}{m:02d}", "unit": unit.code, "value": 20 + m + 3 * i}
        for y in (year - 1, year)
        for m in range(1, 13)
        for i, unit in enumerate(communes)
    ]
    services.values_import(actor=actor, rows=rows)
    indicator = Indicator.objects.get(code=SAMPLE_CODE)
    services.target_set(actor=actor, indicator=indicator, unit_id=None, period=str(year + 1), value=10_000)
    return indicator


def sample_call(*, actor: User, indicator: Indicator) -> DataCall:
    """R2.6: an open data call to the indicator's agency for the month after its history, due in a week."""
    assert indicator.agency is not None
    return services.data_call_create(
        actor=actor, indicator=indicator, agency=indicator.agency, period=SAMPLE_CALL_PERIOD,
        deadline_at=timezone.now() + dt.timedelta(days=7), kind="ad_hoc", note="Số liệu mẫu",
    )  # fmt: skip


def sample_rule(*, actor: User, indicator: Indicator) -> CallRule:
    """A monthly recurring data call of `indicator` to its agency (R2.6), for the crawl's world."""
    assert indicator.agency is not None
    return services.call_rule_create(actor=actor, indicator=indicator, agency=indicator.agency, period_type="month")
